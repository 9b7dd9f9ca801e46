// The stage contract: one stage, one file (src/stages/<name>.cpp), one interface.
//
// A stage says which settings it reads (from its areas' typed schemas; the runner hashes those that
// change its output), which files it reads (hashed for resume), and writes its outputs — named once
// as artefacts in src/stages/artefacts.hpp — atomically into its own folder.
#pragma once

#include "cinesub/job.hpp"
#include "settings/schema.hpp"
#include "util/progress.hpp"

#include <spdlog/logger.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::pipeline {

// A file a stage writes: its stage and its name in that stage's folder.
struct artefact {
    std::string_view stage;
    std::string_view file;
};

// Path of an artefact inside a job (whether or not it exists yet).
std::filesystem::path artefact_path(const cinesub::job& job, const artefact& a);

// A setting a stage reads.
struct setting_use {
    const setting_info* info = nullptr;
    bool hashed = true;  // its value is part of the stage's settings hash
    bool reruns = true;  // a change re-runs the stage (by the hash, or because it names an input file)
};

// The settings a stage reads, listed from the areas' schemas:
//   setting_uses().all(vad::params::schema()).only(asr::params::schema(), {"asr.workers"}).input({"vad.model"})
class setting_uses {
public:
    // Every setting of a schema.
    template <class P>
    setting_uses&& all(const settings::schema<P>& s) && {
        for (const auto* info : s.info_list()) list_.push_back({info, true, true});
        return std::move(*this);
    }
    // Some settings of a schema (each key must be in it).
    template <class P>
    setting_uses&& only(const settings::schema<P>& s, std::initializer_list<std::string_view> keys) && {
        for (auto k : keys) list_.push_back({require(s.info(k), k), true, true});
        return std::move(*this);
    }
    // A path whose file is one of the stage's inputs: hashed by content, not by name.
    setting_uses&& input(std::initializer_list<std::string_view> keys) &&;
    // Read, but a change does not change the output (parallelism, a display name): not hashed.
    setting_uses&& not_hashed(std::initializer_list<std::string_view> keys) &&;
    operator std::vector<setting_use>() && { return std::move(list_); }

private:
    static const setting_info* require(const setting_info* info, std::string_view key);
    void mark(std::initializer_list<std::string_view> keys, bool hashed, bool reruns);
    std::vector<setting_use> list_;
};

// What a running stage sees.
class stage_context {
public:
    stage_context(const cinesub::job& j, std::string_view stage_name, std::filesystem::path folder,
                  std::shared_ptr<spdlog::logger> logger, util::progress& p,
                  std::chrono::steady_clock::time_point deadline)
        : job(j),
          dir(std::move(folder)),
          log(std::move(logger)),
          progress(p),
          stage_(stage_name),
          deadline_(deadline) {}

    const cinesub::job& job;
    const std::filesystem::path dir;            // this stage's folder; exists, starts empty of outputs
    const std::shared_ptr<spdlog::logger> log;  // writes to logs/NN_name.log and the pipeline log
    util::progress& progress;                   // report(fraction, detail)
    bool refresh = false;                       // run --refresh: services are asked again, not their cache

    // Where an artefact is: this stage's own (in dir) or an earlier stage's.
    std::filesystem::path path(const artefact& a) const;

    // Stop requests. Long loops poll should_stop() (or hand stop_flag() to a library) between units
    // of work and leave by throwing error(interrupted) — check_stop() does — and the runner reports
    // it as a timeout when the stage's deadline passed, as an interruption when the user asked.
    bool should_stop() const;
    std::function<bool()> stop_flag() const {
        return [this] { return should_stop(); };
    }
    void check_stop() const;
    bool timed_out() const { return std::chrono::steady_clock::now() > deadline_; }

    // Facts about how the stage ran (timings, speed, parallelism) for manifest.json's "metrics":
    // kept out of the outputs so that identical inputs and settings give identical output bytes.
    void record(const std::string& key, nlohmann::json value) { metrics_[key] = std::move(value); }
    const nlohmann::json& metrics() const { return metrics_; }

private:
    std::string_view stage_;
    std::chrono::steady_clock::time_point deadline_;
    nlohmann::json metrics_ = nlohmann::json::object();
};

class stage {
public:
    virtual ~stage() = default;
    virtual std::string_view name() const = 0;
    // Critical stages fail the run; optional ones are recorded as skipped and the run goes on.
    virtual bool critical() const = 0;
    // The settings this stage reads. `cinesub prepare` writes their defaults into job.json; those
    // that re-run the stage are hashed into its manifest.
    virtual std::vector<setting_use> settings_read() const = 0;
    // Values computed from settings that change the output, hashed with them (e.g. the VAD's number
    // of parallel runs, from asr.workers × asr.threads).
    virtual nlohmann::json derived_settings(const cinesub::job& /*job*/) const { return nlohmann::json::object(); }
    // Asks an online service (TMDB) whose answers it caches: `run --refresh` re-runs it and it asks again.
    virtual bool uses_service() const { return false; }
    // Files this stage reads (hashed for resume): earlier stages' outputs, models, the media.
    virtual std::vector<std::filesystem::path> inputs(const cinesub::job& job) const = 0;
    // Does the work; writes every output atomically into ctx.dir; returns the files written.
    virtual std::vector<std::filesystem::path> run(stage_context& ctx) = 0;
};

// The settings that change a stage's output (hashed for resume): {key: value} of each re-running
// setting it reads (the default where job.json lacks it), and its derived settings.
nlohmann::json stage_settings(const stage& s, const cinesub::job& job);

// Fixed folder name of a stage: "01_demux", "04_vad"… (numbers do not depend on the workflow).
std::string stage_folder(std::string_view stage_name);

}  // namespace cinesub::pipeline
