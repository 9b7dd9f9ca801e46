// read_subtitles(): file access and the JSON format (kept apart from readers.cpp, which the fuzz
// targets compile on its own).
#include "cinesub/error.hpp"
#include "subtitles/readers.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace cinesub::subs {

subtitle_file read_subtitles(const std::filesystem::path& path) {
    util::require_readable_file(path, "subtitle file");
    auto content = util::read_file(path);
    const auto ext = util::lower_ascii(path.extension().string());
    if (ext == ".json") {
        subtitle_file f;
        f.format = "json";
        try {
            auto doc = nlohmann::json::parse(content);
            const auto& cues = doc.is_array() ? doc : doc.at("cues");
            for (const auto& c : cues) {
                f.cues.push_back(c.get<cue>());
                f.numbers.push_back(++f.blocks);
                f.lines.push_back(0);
            }
        } catch (const nlohmann::json::exception& e) {
            throw error(errc::input_corrupt,
                        fmt::format("{} is not a cinesub subtitle JSON file: {}", path.string(), e.what()));
        }
        return f;
    }
    if (ext == ".srt") return parse_srt(content);
    if (ext == ".vtt") return parse_vtt(content);
    if (ext == ".ass" || ext == ".ssa") return parse_ass(content);
    return parse_subtitles(content);
}

}  // namespace cinesub::subs
