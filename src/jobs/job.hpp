// A job: one media file, its settings (each with the source of its value), and its folder.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace cinesub::jobs {

namespace fs = std::filesystem;

inline constexpr int job_schema = 1;

// Where a setting's value came from.
enum class source { default_value, hardware, flag, user, model };  // model: read from the model file
std::string_view source_name(source s);

struct setting {
    nlohmann::json value;
    source from = source::default_value;
};

class job {
public:
    std::string id;        // e.g. 20261124-0001
    fs::path dir;          // absolute job folder
    std::string created;   // ISO 8601 UTC
    nlohmann::json media;  // {"path": absolute path, "size": bytes, "mtime": ns, "info": probe facts}
    std::map<std::string, setting> settings;  // flat dotted keys: "workflow", "range.start", "vad.threshold"…

    bool has(const std::string& key) const { return settings.count(key) != 0; }
    void set(const std::string& key, nlohmann::json value, source from) { settings[key] = {std::move(value), from}; }
    // Throws cinesub::error(job_invalid) when the key is missing or of the wrong type.
    template <class T>
    T get(const std::string& key) const;
    template <class T>
    T get_or(const std::string& key, T fallback) const {
        auto it = settings.find(key);
        if (it == settings.end() || it->second.value.is_null()) return fallback;
        return get<T>(key);
    }
    // All settings whose key starts with `prefix` (e.g. "vad."), as a flat JSON object of values.
    nlohmann::json values_with_prefix(const std::string& prefix) const;

    fs::path media_path() const { return fs::path(media.at("path").get<std::string>()); }
    fs::path stage_dir(std::string_view stage_folder) const { return dir / "stages" / std::string(stage_folder); }
    fs::path logs_dir() const { return dir / "logs"; }

    nlohmann::json to_json() const;
    static job from_json(const nlohmann::json& j, const fs::path& dir);
    // Reads DIR/job.json. Throws job_not_found, job_invalid or job_schema_newer.
    static job load(const fs::path& dir);
    void save() const;  // atomic
};

[[noreturn]] void throw_bad_setting(const std::string& key, const std::string& why);

template <class T>
T job::get(const std::string& key) const {
    auto it = settings.find(key);
    if (it == settings.end()) throw_bad_setting(key, "missing");
    try {
        return it->second.value.get<T>();
    } catch (const nlohmann::json::exception& e) {
        throw_bad_setting(key, e.what());
    }
}

}  // namespace cinesub::jobs
