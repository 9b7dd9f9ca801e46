// A small WAV reader for the ASR and VAD stages (demux writes audio.wav as 16 kHz mono float32).
// Private to src/asr and src/vad until the media layer offers its own audio reader.
#pragma once

#include <filesystem>
#include <vector>

namespace cinesub::asr {

// Samples of a 16 kHz WAV file (PCM 16/24/32-bit or IEEE float 32/64-bit, plain or
// WAVE_FORMAT_EXTENSIBLE), channels averaged to mono. Throws error(input_missing/input_unreadable)
// for a missing file, error(input_corrupt) for a file that is not such a WAV (other sample rates
// included). A WAV with no samples gives an empty vector.
std::vector<float> read_wav_16k_mono(const std::filesystem::path& path);

}  // namespace cinesub::asr
