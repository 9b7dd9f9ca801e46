#include "cinesub/job.hpp"

#include "cinesub/error.hpp"
#include "util/fs.hpp"
#include "util/path_json.hpp"

#include <fmt/format.h>

namespace cinesub {

using nlohmann::json;

std::string_view workflow_name(workflow w) { return workflow_names.at(static_cast<std::size_t>(w)); }

std::optional<workflow> parse_workflow(std::string_view name) {
    for (std::size_t i = 0; i < workflow_names.size(); ++i)
        if (workflow_names[i] == name) return static_cast<workflow>(i);
    return std::nullopt;
}

const json* job::value(std::string_view key) const {
    auto it = settings.find(key);
    return it == settings.end() ? nullptr : &it->second.value;
}

std::filesystem::path job::media_path() const {
    if (!media.contains("path"))
        throw error(errc::job_invalid, fmt::format("{}/job.json has no media path", dir.string()));
    return util::path_from_json(media.contains("path_bytes") ? json{{"bytes", media["path_bytes"]}} : media["path"]);
}

void job::set_media_path(const std::filesystem::path& path) {
    const auto j = util::path_to_json(path);
    if (!media.is_object()) media = json::object();
    media.erase("path_bytes");
    if (j.is_string()) {
        media["path"] = j;
    } else {
        media["path"] = j["display"];
        media["path_bytes"] = j["bytes"];
    }
}

json job::to_json() const {
    json s = json::object();
    for (const auto& [key, v] : settings) s[key] = {{"value", v.value}, {"source", setting_source_name(v.from)}};
    return json{{"schema", job_schema}, {"id", id},     {"created", created}, {"media", media},
                {"hardware", hardware}, {"settings", s}};
}

namespace {

// Schema 1 → 2: "hardware.reasons" was stored as a setting; asr.engine held "replay:FILE".
void migrate_v1(job& j) {
    if (auto it = j.settings.find("hardware.reasons"); it != j.settings.end()) {
        j.hardware["reasons"] = it->second.value;
        j.settings.erase(it);
    }
    if (auto it = j.settings.find("asr.engine"); it != j.settings.end() && it->second.value.is_string()) {
        const auto spec = it->second.value.get<std::string>();
        constexpr std::string_view replay = "replay:";
        if (spec.starts_with(replay)) {
            const auto from = it->second.from;
            it->second.value = "replay";
            j.settings["asr.replay"] = {spec.substr(replay.size()), from};
        }
    }
}

// Schema 2 → 3: asr.dtw (bool) became asr.word_times. A default-sourced value takes the new
// default (tokens); a chosen one keeps its meaning: true → dtw, false → tokens (the token
// timestamps words had without DTW).
void migrate_v2(job& j) {
    const auto it = j.settings.find("asr.dtw");
    if (it == j.settings.end()) return;
    const setting_value old = it->second;
    j.settings.erase(it);
    if (old.from == setting_source::default_value || !old.value.is_boolean()) return;
    j.settings["asr.word_times"] = {old.value.get<bool>() ? "dtw" : "tokens", old.from};
}

}  // namespace

job job::from_json(const json& j, const std::filesystem::path& dir) {
    job out;
    out.dir = dir;
    try {
        const int schema = j.at("schema").get<int>();
        if (schema > job_schema)
            throw error(
                errc::job_schema_newer,
                fmt::format("job {} was written by a newer cinesub (job schema {}, this cinesub reads up to {}); "
                            "upgrade cinesub",
                            dir.string(), schema, job_schema));
        out.id = j.at("id").get<std::string>();
        out.created = j.value("created", std::string{});
        out.media = j.at("media");
        if (!out.media.is_object() || !out.media.contains("path"))
            throw error(errc::job_invalid, fmt::format("{}/job.json: media has no path", dir.string()));
        out.hardware = j.value("hardware", json::object());
        for (const auto& [key, value] : j.at("settings").items()) {
            if (value.is_object() && value.contains("value") && value.size() <= 2)
                out.settings[key] = {value.at("value"),
                                     parse_setting_source(value.value("source", std::string{"user"}))};
            else
                out.settings[key] = {value, setting_source::user};  // hand-edited: a bare value
        }
        if (schema < 2) migrate_v1(out);
        if (schema < 3) migrate_v2(out);
    } catch (const json::exception& e) {
        throw error(errc::job_invalid, fmt::format("{}/job.json is malformed: {}", dir.string(), e.what()));
    }
    return out;
}

job job::load(const std::filesystem::path& dir) {
    auto file = dir / "job.json";
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
        throw error(errc::job_not_found, fmt::format("no job at {} (no job.json)", dir.string()));
    return from_json(util::read_json(file), std::filesystem::absolute(dir));
}

void job::save() const { util::write_json_atomic(dir / "job.json", to_json()); }

}  // namespace cinesub
