// Runs a job's stages in order, skipping those whose manifest says done with the same inputs,
// settings and tools; takes the job lock; logs per stage; enforces per-stage timeouts.
#pragma once

#include "cinesub/job.hpp"
#include "pipeline/stage.hpp"

#include <memory>
#include <string_view>
#include <vector>

namespace cinesub::pipeline {

using stage_list = std::vector<std::unique_ptr<stage>>;

// State of each stage without running anything (for `run --list-stages` and `status`).
std::vector<stage_status> list_stages(const cinesub::job& job, const stage_list& stages);

// Runs the stages. Throws cinesub::error: stage_failed (or the stage's own category for bad input,
// missing model, interrupted, timeout) when a critical stage fails; job_locked when another run holds the job.
run_report run(const cinesub::job& job, const stage_list& stages, const run_options& options);

// Per-stage timeout in seconds: setting "timeout.<stage>" when set, else 300 s + 20 × clip duration.
double stage_timeout_seconds(const cinesub::job& job, std::string_view stage);

}  // namespace cinesub::pipeline
