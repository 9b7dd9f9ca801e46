// Synthetic Whisper models: valid ggml Whisper files with the real dimensions, vocabulary and mel
// filters of an OpenAI Whisper size and seeded random weights. They load through whisper.cpp's
// real loader and exercise every code path (mel, encoder, decoder, DTW, sampling, threading) with
// the real cost — but their output is noise, never a transcription: transcripts produced with one
// carry `synthetic = true` (inspect_whisper_file recognises them).
#pragma once

#include "cinesub/models.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cinesub::asr {

// The spec and its writer are public (cinesub/models.hpp: models::synthetic_model_spec,
// models::write_synthetic_model, defined in synthetic_model.cpp); these helpers are for tests and benchmarks.
using synthetic_model_spec = models::synthetic_model_spec;

// The file name a spec is cached under: "ggml-<type>-synthetic-s<seed>-<ftype>.bin".
std::string synthetic_model_file_name(const synthetic_model_spec& spec);
// Returns dir/synthetic_model_file_name(spec), writing it first when absent (safe when several
// processes race: each writes a temporary and renames it).
std::filesystem::path ensure_synthetic_model(const synthetic_model_spec& spec, const std::filesystem::path& header,
                                             const std::filesystem::path& dir);

// A mel filter bank like librosa.filters.mel(sr, n_fft, n_mels) with the default Slaney mel scale
// and Slaney area normalisation — the one OpenAI Whisper uses. n_mels × (1 + n_fft/2), row-major.
std::vector<float> slaney_mel_filterbank(int n_mels, int n_fft = 400, int sample_rate = 16000);

}  // namespace cinesub::asr
