// cinesub — jobs: prepare one from a media file, run its stages (resumable), read its state.
//
//   auto job = cinesub::prepare({.media = "film.mkv", .title = "Sholay"});
//   auto report = cinesub::run_job(job, {});
//   for (const auto& s : cinesub::job_status(job)) …
//
// A job lives in OUT/YYYY/MM/DD/<user>/<YYYYMMDD-NNNN>/: job.json (settings, each with its source),
// stages/NN_<stage>/ (outputs + manifest.json), logs/.
#pragma once

#include "cinesub/settings.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub {

// What a job makes. All three share the stage list; the ASR stage picks its passes from it.
enum class workflow {
    subtitle,    // source-language track + English translation on one timeline
    transcribe,  // source-language track only
    translate,   // English translation only
};
inline constexpr std::array<std::string_view, 3> workflow_names = {"subtitle", "transcribe", "translate"};
std::string_view workflow_name(workflow w);
std::optional<workflow> parse_workflow(std::string_view name);

// job.json's layout version. 1: cinesub 0.1.0 (hardware reasons among the settings, asr.engine
// "replay:FILE"); 2: "hardware" object, asr.engine + asr.replay, media paths of any bytes;
// 3: asr.word_times (tokens|dtw|none) instead of the asr.dtw switch.
inline constexpr int job_schema = 3;

// NOLINTNEXTLINE(bugprone-exception-escape): clang-tidy 14 misreads the implicit members
class job {
public:
    std::string id;             // e.g. 20261124-0001
    std::filesystem::path dir;  // absolute job folder
    std::string created;        // ISO 8601 UTC
    nlohmann::json media;       // {"path": …, "size", "mtime_ns", "info": probe facts}; see media_path()
    nlohmann::json hardware;    // prepare's recommendation: {"reasons": […]}
    std::map<std::string, setting_value, std::less<>> settings;  // dotted keys, each with its source

    bool has(std::string_view key) const { return settings.find(key) != settings.end(); }
    void set(const std::string& key, nlohmann::json value, setting_source from) {
        settings[key] = {std::move(value), from};
    }
    // The stored value of a setting; nullptr when job.json does not have it.
    const nlohmann::json* value(std::string_view key) const;

    // The media file, byte for byte (job.json keeps non-UTF-8 names losslessly).
    std::filesystem::path media_path() const;
    void set_media_path(const std::filesystem::path& path);
    std::filesystem::path stage_dir(std::string_view stage_folder) const {
        return dir / "stages" / std::string(stage_folder);
    }
    std::filesystem::path logs_dir() const { return dir / "logs"; }

    nlohmann::json to_json() const;
    // Reads any schema up to job_schema (older layouts are migrated in memory).
    static job from_json(const nlohmann::json& j, const std::filesystem::path& dir);
    // Reads DIR/job.json. Throws job_not_found, job_invalid or job_schema_newer. Does not check the
    // settings against the schema (run_job and prepare do).
    static job load(const std::filesystem::path& dir);
    void save() const;  // atomic
};

// --- where jobs live ------------------------------------------------------------------------------
// $CINESUB_OUT, else ./out (absolute).
std::filesystem::path default_out_root();
// The user name for job folders: $CINESUB_USER, $USER, else the passwd entry, else "user".
std::string default_user();
// A job folder from a path (a folder with job.json) or an id (YYYYMMDD-NNNN) under out_root.
// Throws errc::job_not_found.
std::filesystem::path find_job(const std::filesystem::path& out_root, const std::string& path_or_id);
// Every job folder under out_root, oldest first.
std::vector<std::filesystem::path> list_job_dirs(const std::filesystem::path& out_root);

// --- prepare --------------------------------------------------------------------------------------
struct prepare_options {
    std::filesystem::path media;
    std::optional<std::string> start, end;  // "SS[.mmm]" or "HH:MM:SS[.mmm]"
    std::optional<std::string> workflow;    // a workflow_names entry
    std::optional<std::string> source_lang, target_lang;
    std::optional<std::string> title;
    std::optional<int> year;
    std::optional<std::string> model;       // cache name or path to a ggml Whisper file
    std::optional<std::string> vad_model;   // path to a ggml Silero VAD file
    std::optional<std::string> asr_engine;  // "whisper" | "replay:FILE"
    std::optional<int> audio_stream;
    std::optional<std::filesystem::path> metadata;     // offline movie details (TMDB movie/{id} shape with credits)
    std::optional<std::filesystem::path> glossary;     // user glossary TSV (term, Devanagari, aliases)
    std::optional<std::filesystem::path> speaker_map;  // TSV: SPEAKER_00 <TAB> name (confirmed speaker names)
    std::vector<std::string> overrides;                // "key=value" (value parsed as JSON, else taken as a string)
    std::filesystem::path out_root;                    // "" → default_out_root()
    std::string user;                                  // "" → default_user()
};

// Validates the media (probed, never decoded) and every setting (unknown key, wrong type or range →
// error(usage) naming the key), then creates the job folder and writes job.json. Under a second.
job prepare(const prepare_options& options);

// --- run and status -------------------------------------------------------------------------------
struct run_options {
    std::optional<std::string> from;  // re-run from this stage on (earlier ones run only if not up to date)
    std::optional<std::string> only;  // run just this stage (its inputs must exist)
    bool force = false;               // re-run everything
    bool refresh = false;             // stages that ask a service (metadata: TMDB) ask again, not their cache
    bool progress = false;            // draw progress on the terminal
    double grace_seconds = 30;        // after a timeout, how long a stage may take to stop before the process exits
};

struct stage_status {
    std::string name;
    std::string folder;
    bool critical = true;
    // "done" (up to date), "stale" (done before, inputs/settings changed), "pending" (never ran),
    // "skipped" (optional stage failed soft; retried next run), "failed", "ran" (this run),
    // "reused" (this run skipped it), "untouched" (--only another stage)
    std::string state;
    std::string reason;
    double seconds = 0;
};

struct run_report {
    std::vector<stage_status> stages;
    double seconds = 0;
};

// Checks job.json's settings against the schema (error(job_invalid) naming the key), then runs the
// workflow's stages in order. Throws cinesub::error: stage_failed (or the stage's own category for
// bad input, missing model, interrupted, timeout) when a critical stage fails; job_locked when
// another run holds the job.
run_report run_job(const job& j, const run_options& options);
// State of each stage of the job's workflow without running anything.
std::vector<stage_status> job_status(const job& j);
// Output files of the finished stages (from their manifests): stage name → absolute paths.
std::map<std::string, std::vector<std::filesystem::path>> job_outputs(const job& j);

}  // namespace cinesub
