// The ASR stage's settings ("asr.*"): which engine, which model, how to decode. The initialisers
// are the defaults (prepare overrides workers/threads/model from the hardware recommendation).
#pragma once

#include "settings/schema.hpp"

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

namespace cinesub::asr {

enum class engine_kind { whisper, replay };
inline constexpr std::array<std::string_view, 2> engine_names = {"whisper", "replay"};

struct params {
    engine_kind engine = engine_kind::whisper;
    std::filesystem::path replay;  // the reference the replay engine returns (STM, SRT, VTT, ASS, transcript.json)
    std::filesystem::path model;   // ggml Whisper file (resolved by prepare)
    std::string model_name;        // what --model said (cache name or path), for messages
    bool synthetic = false;        // the model has random weights: outputs are marked SYNTHETIC
    int workers = 1;               // parallel decoders (one whisper_state each)
    int threads = 2;               // ggml threads per worker
    int beam_size = 5;             // > 1: beam search; <= 1: greedy
    int best_of = 5;               // candidates when sampling at temperature > 0
    float temperature = 0.0f;
    float temperature_inc = 0.2f;  // fallback ladder step; 0 disables fallback
    float entropy_thold = 2.4f;
    float logprob_thold = -1.0f;
    float no_speech_thold = 0.6f;
    double chunk_s = 30.0;      // longest chunk (whisper's window is 30 s)
    double max_gap_s = 1.0;     // longer silences between merged speech segments are shortened to this
    int max_tokens = 0;         // max tokens per window (0 = whisper's limit)
    bool dtw = true;            // DTW token timestamps with the model type's alignment heads
    bool gpu = true;            // use a GPU backend when whisper.cpp was built with one
    bool suppress_nst = false;  // suppress non-speech tokens (♪, [, …)
    int detect_chunks = 1;      // chunks used for language detection (probabilities averaged)
    std::string prompt;         // initial prompt (request.prompt wins when set)

    static const settings::schema<params>& schema();
};

// The one parser of an engine spec, as `--asr-engine` takes it: "whisper" or "replay:FILE".
// Throws error(usage) for anything else (or a replay spec without a file).
struct engine_spec {
    engine_kind kind = engine_kind::whisper;
    std::filesystem::path replay;
};
engine_spec parse_engine_spec(std::string_view spec);

}  // namespace cinesub::asr
