#include "jobs/job.hpp"

#include "cinesub/error.hpp"
#include "util/fs.hpp"

#include <fmt/format.h>

namespace cinesub::jobs {

using nlohmann::json;

std::string_view source_name(source s) {
    switch (s) {
        case source::default_value:
            return "default";
        case source::hardware:
            return "hardware";
        case source::flag:
            return "flag";
        case source::user:
            return "user";
        case source::model:
            return "model";
    }
    return "default";
}

namespace {
source parse_source(const std::string& s) {
    if (s == "hardware") return source::hardware;
    if (s == "flag") return source::flag;
    if (s == "user") return source::user;
    if (s == "model") return source::model;
    return source::default_value;
}
}  // namespace

void throw_bad_setting(const std::string& key, const std::string& why) {
    throw error(errc::job_invalid, fmt::format("job setting '{}' is invalid: {}", key, why));
}

json job::values_with_prefix(const std::string& prefix) const {
    json out = json::object();
    for (auto it = settings.lower_bound(prefix); it != settings.end() && it->first.starts_with(prefix); ++it)
        out[it->first] = it->second.value;
    return out;
}

json job::to_json() const {
    json s = json::object();
    for (const auto& [key, value] : settings) s[key] = {{"value", value.value}, {"source", source_name(value.from)}};
    return json{{"schema", job_schema}, {"id", id}, {"created", created}, {"media", media}, {"settings", s}};
}

job job::from_json(const json& j, const fs::path& dir) {
    job out;
    out.dir = dir;
    try {
        int schema = j.at("schema").get<int>();
        if (schema > job_schema)
            throw error(
                errc::job_schema_newer,
                fmt::format("job {} was written by a newer cinesub (job schema {}, this cinesub reads up to {}); "
                            "upgrade cinesub",
                            dir.string(), schema, job_schema));
        out.id = j.at("id").get<std::string>();
        out.created = j.value("created", std::string{});
        out.media = j.at("media");
        for (const auto& [key, value] : j.at("settings").items()) {
            if (value.is_object() && value.contains("value"))
                out.settings[key] = {value.at("value"), parse_source(value.value("source", std::string{"user"}))};
            else
                out.settings[key] = {value, source::user};  // hand-edited: a bare value
        }
    } catch (const json::exception& e) {
        throw error(errc::job_invalid, fmt::format("{}/job.json is malformed: {}", dir.string(), e.what()));
    }
    return out;
}

job job::load(const fs::path& dir) {
    auto file = dir / "job.json";
    std::error_code ec;
    if (!fs::exists(file, ec))
        throw error(errc::job_not_found, fmt::format("no job at {} (no job.json)", dir.string()));
    return from_json(util::read_json(file), fs::absolute(dir));
}

void job::save() const { util::write_json_atomic(dir / "job.json", to_json()); }

}  // namespace cinesub::jobs
