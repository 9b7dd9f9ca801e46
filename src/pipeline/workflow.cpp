// The one place that lists the pipeline's stages, in order, per workflow.
#include "cinesub/error.hpp"
#include "pipeline/runner.hpp"
#include "stages/stages.hpp"

#include <fmt/format.h>

namespace cinesub::pipeline {

std::vector<std::unique_ptr<stage>> job_stages(const jobs::job& job) {
    auto workflow = job.get_or<std::string>("workflow", "subtitle");
    if (workflow != "subtitle" && workflow != "transcribe" && workflow != "translate")
        throw error(errc::job_invalid, fmt::format("unknown workflow '{}' (subtitle, transcribe, translate)", workflow));
    // All three workflows share the stage list; the ASR stage reads "workflow" to pick its tasks
    // (source transcript, English translation, or both on one timeline).
    std::vector<std::unique_ptr<stage>> stages;
#ifdef CINESUB_HAVE_STAGE_DEMUX
    stages.push_back(stages::make_demux_stage());
#endif
#ifdef CINESUB_HAVE_STAGE_VAD
    stages.push_back(stages::make_vad_stage());
#endif
#ifdef CINESUB_HAVE_STAGE_ASR
    stages.push_back(stages::make_asr_stage());
#endif
#ifdef CINESUB_HAVE_STAGE_SUBTITLES
    stages.push_back(stages::make_subtitles_stage());
#endif
#ifdef CINESUB_HAVE_STAGE_MUX
    stages.push_back(stages::make_mux_stage());
#endif
    return stages;
}

}  // namespace cinesub::pipeline
