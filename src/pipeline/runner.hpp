// Runs a job's stages in order, skipping those whose manifest says done with the same inputs,
// settings and tools; takes the job lock; logs per stage; enforces per-stage timeouts.
#pragma once

#include "jobs/job.hpp"
#include "pipeline/stage.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cinesub::pipeline {

struct run_options {
    std::optional<std::string> from;  // re-run from this stage on (earlier ones run only if not up to date)
    std::optional<std::string> only;  // run just this stage (its inputs must exist)
    bool force = false;               // re-run everything
    bool progress = false;            // draw progress on the terminal
    double grace_seconds = 30;        // after a timeout, how long a stage may take to stop before the process exits
};

struct stage_status {
    std::string name;
    std::string folder;
    bool critical = true;
    // "done" (up to date), "stale" (done before, inputs/settings changed), "pending" (never ran),
    // "skipped" (optional stage failed soft; retried next run), "failed", "ran" (this run), "reused" (this run skipped
    // it)
    std::string state;
    std::string reason;
    double seconds = 0;
};

struct run_report {
    std::vector<stage_status> stages;
    double seconds = 0;
};

// The stages of a job's workflow ("workflow" setting), in order.
std::vector<std::unique_ptr<stage>> job_stages(const jobs::job& job);

// State of each stage without running anything (for `run --list-stages` and `status`).
std::vector<stage_status> list_stages(const jobs::job& job, const std::vector<std::unique_ptr<stage>>& stages);

// Runs the stages. Throws cinesub::error: stage_failed (or the stage's own category for bad input,
// missing model, interrupted, timeout) when a critical stage fails; job_locked when another run holds the job.
run_report run(const jobs::job& job, const std::vector<std::unique_ptr<stage>>& stages, const run_options& options);

// Per-stage timeout in seconds: setting "timeout.<stage>" when set (> 0), else 300 s + 20 × clip duration.
double stage_timeout_seconds(const jobs::job& job, std::string_view stage);

}  // namespace cinesub::pipeline
