// cinesub — what the pipeline knows of a film beyond its audio: the title and year in a file name,
// readable romanized Hindi. (The metadata, context and correction stages use the same code.)
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub {

struct job;

struct media_name {
    std::string title;                   // "" when the name holds no title
    std::optional<int> year;             // release year
    std::optional<int> season, episode;  // when the file is an episode
    std::vector<std::string> discarded;  // release tags dropped ("1080p", "BluRay", "x264", "[YTS.MX]", "mkv")
};

// Title and year from a film's file name or path: "Jaane.Tu.Ya.Jaane.Na.2008.1080p.BluRay.x264.mkv"
// → "Jaane Tu Ya Jaane Na", 2008. Never throws.
media_name parse_media_name(std::string_view file_name_or_path);

// Devanagari → romanized Hindi as people write it ("मुसीबत में होमवर्क" → "musibat mein homework").
// Latin text, digits and punctuation pass through. Thread-safe.
class hindi_romanizer {
public:
    // glossary: a user glossary (TSV: term, Devanagari form, aliases); its names keep their spelling.
    explicit hindi_romanizer(const std::filesystem::path& glossary = {});
    ~hindi_romanizer();
    hindi_romanizer(const hindi_romanizer&) = delete;
    hindi_romanizer& operator=(const hindi_romanizer&) = delete;
    std::string line(std::string_view text) const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// The glossary a job's run used (stages/03_context/glossary.json): every entry with both scripts,
// aliases, kind and source, and "seen": how often it occurs in each transcript track (by its words
// in Latin or, for Devanagari text, romanized). error(input_missing) before the context stage ran.
nlohmann::json job_glossary(const job& j);

}  // namespace cinesub
