// What cinesub knows about a film from outside the media: TMDB's movie details (or the same shape
// from a file), reduced to what the later stages use (names for the glossary, prompts and name
// correction). Written by the metadata stage as metadata.json.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::metadata {

struct cast_member {
    std::string name;           // as credited (Latin script on TMDB)
    std::string original_name;  // TMDB's original_name (may be the same, or another script)
    std::string character;      // "Naresh 'Nanu' Khanna", "Jai Singh Rathore"…
    int order = 0;              // billing order: 0 = top-billed
};

struct crew_member {
    std::string name;
    std::string job;         // "Director", "Music", "Lyricist", "Writer"…
    std::string department;  // "Directing", "Sound", "Writing"…
};

struct film {
    std::optional<int> tmdb_id;
    std::string title;
    std::string original_title;
    std::string original_language;  // ISO 639-1
    std::optional<int> year;        // from release_date
    std::string overview;
    std::vector<std::string> alternative_titles;
    std::vector<std::string> translated_titles;  // titles of the translations (hi: Devanagari…)
    std::vector<std::string> keywords;
    std::vector<std::string> spoken_languages;  // ISO 639-1
    std::vector<cast_member> cast;              // in billing order
    std::vector<crew_member> crew;              // directors, music, lyrics, writing only
};

// Reads TMDB's movie-details answer (append_to_response=credits,alternative_titles,translations,
// keywords), or a file of the same shape. Tolerant of what TMDB leaves out: a missing or mistyped
// field is skipped (counted in `skipped`); throws error(input_corrupt) only when `details` is not an
// object with a title (or name) at all. `what` names the source in that message.
film film_from_tmdb(const nlohmann::json& details, const std::string& what, int* skipped = nullptr);

// An offline movie-details file (prepare --metadata, metadata.file): read and checked as above;
// error(input_missing/input_unreadable) for the file, error(input_corrupt) when it is not JSON.
film read_film_file(const std::filesystem::path& file, int* skipped = nullptr);

// The year of a TMDB date ("2008-07-04" → 2008); nullopt unless it starts with four digits.
std::optional<int> year_of_date(std::string_view date);

// metadata.json's "film" object and back.
nlohmann::json to_json(const film& f);
film film_from_json(const nlohmann::json& j);

}  // namespace cinesub::metadata
