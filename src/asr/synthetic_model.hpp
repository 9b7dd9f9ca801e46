// Synthetic Whisper models: valid ggml Whisper files with the real dimensions, vocabulary and mel
// filters of an OpenAI Whisper size and seeded random weights. They load through whisper.cpp's
// real loader and exercise every code path (mel, encoder, decoder, DTW, sampling, threading) with
// the real cost — but their output is noise, never a transcription: transcripts produced with one
// carry `synthetic = true` (inspect_whisper_file recognises them).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cinesub::asr {

namespace fs = std::filesystem;

struct synthetic_model_spec {
    std::string type = "tiny";  // tiny, base, small, medium, large-v2, large-v3, large-v3-turbo
    std::uint64_t seed = 42;
    std::string ftype = "f16";  // f32, f16, q8_0, q5_0
};

// Writes the model atomically to `out`. `header` is a ggml Whisper file whose vocabulary (and
// 80-bin mel filters) are reused — e.g. testdata/models/ggml-tiny-header-only.bin; a 128-mel model
// (large-v3…) gets a computed Slaney filter bank. Throws error(usage) for an unknown type/ftype,
// error(model_missing/model_invalid) for a bad header file, error(io) when writing fails.
void write_synthetic_model(const synthetic_model_spec& spec, const fs::path& header, const fs::path& out);

// The file name a spec is cached under: "ggml-<type>-synthetic-s<seed>-<ftype>.bin".
std::string synthetic_model_file_name(const synthetic_model_spec& spec);
// Returns dir/synthetic_model_file_name(spec), writing it first when absent (safe when several
// processes race: each writes a temporary and renames it).
fs::path ensure_synthetic_model(const synthetic_model_spec& spec, const fs::path& header, const fs::path& dir);

// A mel filter bank like librosa.filters.mel(sr, n_fft, n_mels) with the default Slaney mel scale
// and Slaney area normalisation — the one OpenAI Whisper uses. n_mels × (1 + n_fft/2), row-major.
std::vector<float> slaney_mel_filterbank(int n_mels, int n_fft = 400, int sample_rate = 16000);

}  // namespace cinesub::asr
