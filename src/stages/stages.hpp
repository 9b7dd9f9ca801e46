// The pipeline's stages: one file each in src/stages/, and the ordered list per workflow
// (src/stages/workflow.cpp). Adding a stage: CONTRIBUTING.md, "Adding a stage".
#pragma once

#include "cinesub/job.hpp"
#include "pipeline/runner.hpp"

#include <memory>

namespace cinesub::stages {

std::unique_ptr<pipeline::stage> make_demux_stage();       // demux.cpp: media → audio.wav + media.json
std::unique_ptr<pipeline::stage> make_metadata_stage();    // metadata.cpp: TMDB or a file → metadata.json
std::unique_ptr<pipeline::stage> make_context_stage();     // context.cpp: metadata + user glossary → glossary.json
std::unique_ptr<pipeline::stage> make_vad_stage();         // vad.cpp: audio.wav → speech.json
std::unique_ptr<pipeline::stage> make_speakers_stage();    // speakers.cpp: audio + speech → speakers.rttm/.json
std::unique_ptr<pipeline::stage> make_songs_stage();       // songs.cpp: audio + speech → songs.json (music, songs)
std::unique_ptr<pipeline::stage> make_asr_stage();         // asr.cpp: audio + speech → transcript.<lang>.json
std::unique_ptr<pipeline::stage> make_correction_stage();  // correction.cpp: transcripts + glossary → corrected
std::unique_ptr<pipeline::stage> make_subtitles_stage();   // subtitles.cpp: transcripts → <title>.<lang>.srt…
std::unique_ptr<pipeline::stage> make_mux_stage();         // mux.cpp: media + tracks.json → <title>.subtitled.mkv

// The stages a workflow runs, in order.
pipeline::stage_list workflow_stages(cinesub::workflow w);
// The stages of a job's workflow (its "workflow" setting).
pipeline::stage_list job_stages(const cinesub::job& job);

}  // namespace cinesub::stages
