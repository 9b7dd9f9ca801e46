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

// How words get their times (bench/RESULTS.md compares the costs):
//   tokens  whisper.cpp's token timestamps (timestamp-token anchors, the rest split by voice length and
//           moved to the signal's energy), then kept inside the VAD's speech; flash attention stays on
//   dtw     DTW over the model type's alignment heads (whisper.cpp then turns flash attention off for the
//           whole model: encoder and decoder run the slow attention path)
//   none    words spread over their segment by length (no per-token timing work)
enum class word_time_method { tokens, dtw, none };
inline constexpr std::array<std::string_view, 3> word_time_names = {"tokens", "dtw", "none"};

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
    double chunk_s = 30.0;   // longest chunk (whisper's window is 30 s)
    double max_gap_s = 1.0;  // longer silences between merged speech segments are shortened to this
    int max_tokens = 0;      // max tokens per window (0 = whisper's limit)
    word_time_method word_times = word_time_method::tokens;
    int fixed_tokens = 0;       // benchmarks: exactly this many tokens per window (greedy, no fallback)
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
