#include "metadata/film.hpp"

#include "cinesub/error.hpp"
#include "util/fs.hpp"
#include "util/path_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace cinesub::metadata {

namespace {

using nlohmann::json;

// A string field of an object, "" when missing or not a string (counted).
std::string film_str(const json& o, const char* key, int& skipped) {
    if (!o.is_object() || !o.contains(key) || o[key].is_null()) return {};
    if (!o[key].is_string()) {
        ++skipped;
        return {};
    }
    return o[key].get<std::string>();
}

// The array at a path ("credits" → "cast"), or an empty array. Both shapes TMDB uses are accepted:
// {"keywords": {"keywords": [...]}} (movie details) and {"keywords": [...]} (hand-written files).
const json& film_array(const json& o, const char* outer, const char* inner, int& skipped) {
    static const json empty = json::array();
    if (!o.is_object() || !o.contains(outer)) return empty;
    const json& v = o[outer];
    if (v.is_array()) return v;
    if (v.is_object() && inner && v.contains(inner)) {
        if (v[inner].is_array()) return v[inner];
        ++skipped;
        return empty;
    }
    if (!v.is_null()) ++skipped;
    return empty;
}

bool film_crew_job_kept(std::string_view job) {
    static const std::set<std::string, std::less<>> jobs{
        "Director", "Music", "Original Music Composer", "Music Director", "Lyricist", "Songs", "Writer", "Screenplay",
        "Dialogue", "Story", "Playback Singer",         "Singer"};
    return jobs.contains(job);
}

void film_add_unique(std::vector<std::string>& v, std::string s) {
    if (s.empty() || std::find(v.begin(), v.end(), s) != v.end()) return;
    v.push_back(std::move(s));
}

}  // namespace

film film_from_tmdb(const json& d, const std::string& what, int* skipped_out) {
    int skipped = 0;
    if (!d.is_object())
        throw error(errc::input_corrupt,
                    fmt::format("{} is not TMDB movie details: expected a JSON object, got {}", what, d.type_name()));
    film f;
    f.title = film_str(d, "title", skipped);
    if (f.title.empty()) f.title = film_str(d, "name", skipped);
    if (f.title.empty())
        throw error(
            errc::input_corrupt,
            fmt::format("{} is not TMDB movie details: it has no \"title\" (a movie/{{id}} answer has one)", what));
    if (d.contains("id")) {
        if (d["id"].is_number_integer())
            f.tmdb_id = d["id"].get<int>();
        else
            ++skipped;
    }
    f.original_title = film_str(d, "original_title", skipped);
    f.original_language = film_str(d, "original_language", skipped);
    f.overview = film_str(d, "overview", skipped);
    f.year = year_of_date(film_str(d, "release_date", skipped));

    for (const auto& t : film_array(d, "alternative_titles", "titles", skipped))
        film_add_unique(f.alternative_titles, film_str(t, "title", skipped));
    for (const auto& t : film_array(d, "translations", "translations", skipped)) {
        if (!t.is_object() || !t.contains("data")) continue;
        film_add_unique(f.translated_titles, film_str(t["data"], "title", skipped));
    }
    for (const auto& k : film_array(d, "keywords", "keywords", skipped)) {
        if (k.is_string())
            film_add_unique(f.keywords, k.get<std::string>());
        else
            film_add_unique(f.keywords, film_str(k, "name", skipped));
    }
    for (const auto& l : film_array(d, "spoken_languages", nullptr, skipped)) {
        if (l.is_string())
            film_add_unique(f.spoken_languages, l.get<std::string>());
        else
            film_add_unique(f.spoken_languages, film_str(l, "iso_639_1", skipped));
    }
    const json& cast = film_array(d, "credits", "cast", skipped);
    const json& cast_flat = cast.empty() ? film_array(d, "cast", nullptr, skipped) : cast;
    int position = 0;
    for (const auto& c : cast_flat) {
        cast_member m;
        m.name = film_str(c, "name", skipped);
        if (m.name.empty()) continue;
        m.original_name = film_str(c, "original_name", skipped);
        m.character = film_str(c, "character", skipped);
        m.order = position;
        if (c.is_object() && c.contains("order")) {
            if (c["order"].is_number_integer())
                m.order = c["order"].get<int>();
            else
                ++skipped;
        }
        ++position;
        f.cast.push_back(std::move(m));
    }
    std::stable_sort(f.cast.begin(), f.cast.end(), [](const auto& a, const auto& b) { return a.order < b.order; });
    const json& crew = film_array(d, "credits", "crew", skipped);
    const json& crew_flat = crew.empty() ? film_array(d, "crew", nullptr, skipped) : crew;
    for (const auto& c : crew_flat) {
        crew_member m;
        m.name = film_str(c, "name", skipped);
        m.job = film_str(c, "job", skipped);
        m.department = film_str(c, "department", skipped);
        if (m.name.empty() || !film_crew_job_kept(m.job)) continue;
        f.crew.push_back(std::move(m));
    }
    if (skipped_out) *skipped_out = skipped;
    return f;
}

film read_film_file(const std::filesystem::path& file, int* skipped) {
    util::require_readable_file(file, "metadata file");
    json details;
    try {
        details = util::read_json(file);
    } catch (const std::exception& e) {
        throw error(errc::input_corrupt,
                    fmt::format("metadata file {} is not JSON: {}", util::display_path(file), e.what()));
    }
    return film_from_tmdb(details, "metadata file " + util::display_path(file), skipped);
}

std::optional<int> year_of_date(std::string_view date) {
    if (date.size() < 4 || !std::all_of(date.begin(), date.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    return (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
}

json to_json(const film& f) {
    json cast = json::array(), crew = json::array();
    for (const auto& c : f.cast)
        cast.push_back(
            {{"name", c.name}, {"original_name", c.original_name}, {"character", c.character}, {"order", c.order}});
    for (const auto& c : f.crew) crew.push_back({{"name", c.name}, {"job", c.job}, {"department", c.department}});
    return {{"tmdb_id", f.tmdb_id ? json(*f.tmdb_id) : json(nullptr)},
            {"title", f.title},
            {"original_title", f.original_title},
            {"original_language", f.original_language},
            {"year", f.year ? json(*f.year) : json(nullptr)},
            {"overview", f.overview},
            {"alternative_titles", f.alternative_titles},
            {"translated_titles", f.translated_titles},
            {"keywords", f.keywords},
            {"spoken_languages", f.spoken_languages},
            {"cast", cast},
            {"crew", crew}};
}

film film_from_json(const json& j) {
    film f;
    if (j.contains("tmdb_id") && j["tmdb_id"].is_number_integer()) f.tmdb_id = j["tmdb_id"].get<int>();
    f.title = j.value("title", "");
    f.original_title = j.value("original_title", "");
    f.original_language = j.value("original_language", "");
    if (j.contains("year") && j["year"].is_number_integer()) f.year = j["year"].get<int>();
    f.overview = j.value("overview", "");
    f.alternative_titles = j.value("alternative_titles", std::vector<std::string>{});
    f.translated_titles = j.value("translated_titles", std::vector<std::string>{});
    f.keywords = j.value("keywords", std::vector<std::string>{});
    f.spoken_languages = j.value("spoken_languages", std::vector<std::string>{});
    for (const auto& c : j.value("cast", json::array()))
        f.cast.push_back(
            {c.value("name", ""), c.value("original_name", ""), c.value("character", ""), c.value("order", 0)});
    for (const auto& c : j.value("crew", json::array()))
        f.crew.push_back({c.value("name", ""), c.value("job", ""), c.value("department", "")});
    return f;
}

}  // namespace cinesub::metadata
