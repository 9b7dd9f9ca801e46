// manifest.json: what a stage read (with content hashes), the settings it used, what it wrote,
// how long it took and with which tools. Written last and atomically: a stage without a "done"
// manifest did not finish.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cinesub::pipeline {

inline constexpr int manifest_schema = 1;

struct file_fact {
    std::string path;  // bytes; absolute for inputs, relative to the stage folder for outputs
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::string sha256;
};

struct manifest {
    std::string stage;
    std::string status;  // "done" | "skipped" (optional stage failed soft) | "failed"
    std::string reason;  // why skipped/failed
    std::vector<file_fact> inputs;
    nlohmann::json settings;
    std::string settings_hash;
    std::vector<file_fact> outputs;
    nlohmann::json tools;
    std::string started, finished;  // ISO 8601 UTC
    double seconds = 0;
    std::string fingerprint;                            // hash of inputs' hashes + settings hash + tool versions
    nlohmann::json metrics = nlohmann::json::object();  // how it ran (stage_context::record): timings, speed

    nlohmann::json to_json() const;
    static manifest from_json(const nlohmann::json& j);
};

// Reads DIR/manifest.json; nullopt when absent or unreadable (an unreadable manifest is not trusted).
std::optional<manifest> load_manifest(const std::filesystem::path& stage_dir);
void save_manifest(const std::filesystem::path& stage_dir, const manifest& m);

// Facts about a file. When `previous` has the same path, size and mtime, its hash is reused
// instead of reading the file again (like git's index), so a film is hashed once.
file_fact describe_file(const std::filesystem::path& path, const std::vector<file_fact>* previous = nullptr);
// Versions of cinesub, whisper.cpp and FFmpeg, recorded in every manifest and part of the fingerprint.
nlohmann::json tool_versions();
std::string compute_fingerprint(const std::vector<file_fact>& inputs, const std::string& settings_hash,
                                const nlohmann::json& tools);

}  // namespace cinesub::pipeline
