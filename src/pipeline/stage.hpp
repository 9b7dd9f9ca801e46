// The stage interface: one stage, one file (src/stages/<name>.cpp), one interface.
#pragma once

#include "jobs/job.hpp"
#include "util/progress.hpp"

#include <spdlog/logger.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::pipeline {

namespace fs = std::filesystem;

// What a running stage sees.
class stage_context {
public:
    stage_context(const jobs::job& j, fs::path folder, std::shared_ptr<spdlog::logger> logger, util::progress& p,
                  std::chrono::steady_clock::time_point deadline)
        : job(j), dir(std::move(folder)), log(std::move(logger)), progress(p), deadline_(deadline) {}

    const jobs::job& job;
    const fs::path dir;                         // this stage's folder; exists, starts empty of outputs
    const std::shared_ptr<spdlog::logger> log;  // writes to logs/NN_name.log and the pipeline log
    util::progress& progress;                   // report(fraction, detail)

    // True once the user pressed Ctrl-C or the stage's timeout passed. Long loops check it
    // between units of work and throw cinesub::error(errc::interrupted / stage_timeout) via check_stop().
    bool should_stop() const;
    void check_stop() const;
    bool timed_out() const { return std::chrono::steady_clock::now() > deadline_; }

    // Path of a file written by an earlier stage (e.g. output_of("demux", "audio.wav")).
    fs::path output_of(std::string_view stage, std::string_view file) const;

private:
    std::chrono::steady_clock::time_point deadline_;
};

class stage {
public:
    virtual ~stage() = default;
    virtual std::string_view name() const = 0;
    // Critical stages fail the run; optional ones are recorded as skipped and the run goes on.
    virtual bool critical() const = 0;
    // Files this stage reads (hashed for resume): earlier stages' outputs, models, the media.
    virtual std::vector<fs::path> inputs(const jobs::job& job) const = 0;
    // The settings this stage reads, with their defaults; `cinesub prepare` writes them into job.json
    // (source "default", or "hardware"/"flag" when prepare knows better). Keys are dotted: "vad.threshold".
    virtual nlohmann::json defaults() const { return nlohmann::json::object(); }
    // The settings that change this stage's output (hashed for resume).
    virtual nlohmann::json settings(const jobs::job& job) const = 0;
    // Does the work; writes every output atomically into ctx.dir; returns the files written.
    virtual std::vector<fs::path> run(stage_context& ctx) = 0;
};

// Fixed folder name of a stage: "01_demux", "04_vad"… (numbers do not depend on the workflow).
std::string stage_folder(std::string_view stage_name);
// Path of a stage's output file inside a job.
fs::path stage_output(const jobs::job& job, std::string_view stage_name, std::string_view file);

}  // namespace cinesub::pipeline
