// Factories of the pipeline's stages, one file each in src/stages/. The ordered list per
// workflow lives in src/pipeline/workflow.cpp.
#pragma once

#include "pipeline/stage.hpp"

#include <memory>

namespace cinesub::stages {

std::unique_ptr<pipeline::stage> make_demux_stage();  // demux.cpp: media → audio.wav + media.json
std::unique_ptr<pipeline::stage> make_vad_stage();    // vad.cpp: audio.wav → speech.json
std::unique_ptr<pipeline::stage> make_asr_stage();    // asr.cpp: audio + speech → transcript.<lang>.json
std::unique_ptr<pipeline::stage>
make_subtitles_stage();  // subtitles.cpp: transcripts → <title>.<lang>.srt… + tracks.json
std::unique_ptr<pipeline::stage> make_mux_stage();  // mux.cpp: media + tracks.json → <title>.subtitled.mkv

}  // namespace cinesub::stages
