// The one place that lists the pipeline's stages, in order, per workflow.
#include "jobs/params.hpp"
#include "stages/stages.hpp"

namespace cinesub::stages {

pipeline::stage_list workflow_stages(cinesub::workflow /*w*/) {
    // All three workflows share the stage list; the ASR stage reads "workflow" to pick its passes
    // (source transcript, English translation, or both on one timeline).
    pipeline::stage_list stages;
    stages.push_back(make_demux_stage());
    stages.push_back(make_metadata_stage());
    stages.push_back(make_context_stage());
    stages.push_back(make_vad_stage());
    stages.push_back(make_speakers_stage());
    stages.push_back(make_songs_stage());
    stages.push_back(make_asr_stage());
    stages.push_back(make_correction_stage());
    stages.push_back(make_subtitles_stage());
    stages.push_back(make_mux_stage());
    return stages;
}

pipeline::stage_list job_stages(const cinesub::job& job) {
    return workflow_stages(settings::read<jobs::job_params>(job.settings).workflow);
}

}  // namespace cinesub::stages
