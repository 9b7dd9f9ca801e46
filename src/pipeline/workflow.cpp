// The one place that lists the pipeline's stages, in order, per workflow.
#include "cinesub/error.hpp"
#include "pipeline/runner.hpp"
#include "stages/stages.hpp"

#include <fmt/format.h>

namespace cinesub::pipeline {

std::vector<std::unique_ptr<stage>> job_stages(const jobs::job& job) {
    auto workflow = job.get_or<std::string>("workflow", "subtitle");
    if (workflow != "subtitle" && workflow != "transcribe" && workflow != "translate")
        throw error(errc::job_invalid,
                    fmt::format("unknown workflow '{}' (subtitle, transcribe, translate)", workflow));
    // All three workflows share the stage list; the ASR stage reads "workflow" to pick its tasks
    // (source transcript, English translation, or both on one timeline).
    std::vector<std::unique_ptr<stage>> stages;
    stages.push_back(stages::make_demux_stage());
    stages.push_back(stages::make_vad_stage());
    stages.push_back(stages::make_asr_stage());
    stages.push_back(stages::make_subtitles_stage());
    stages.push_back(stages::make_mux_stage());
    return stages;
}

}  // namespace cinesub::pipeline
