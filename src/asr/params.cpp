#include "asr/params.hpp"

#include "cinesub/error.hpp"

#include <fmt/format.h>

namespace cinesub::asr {

namespace {
constexpr int max_decoders = 8;  // WHISPER_MAX_DECODERS in whisper.cpp
constexpr std::string_view replay_prefix = "replay:";
}  // namespace

const settings::schema<params>& params::schema() {
    static const auto s =
        settings::schema<params>()
            .add_enum("asr.engine", &params::engine, engine_names,
                      "ASR engine: whisper (whisper.cpp), or replay (returns asr.replay; --asr-engine replay:FILE)")
            .add("asr.replay", &params::replay,
                 "The replay engine's reference (STM, SRT, VTT, ASS or transcript.json); an input of the stage")
            .add("asr.model", &params::model,
                 "ggml Whisper file (prepare resolves --model or the recommendation); an input of the stage")
            .add("asr.model_name", &params::model_name, "The model as --model named it (cache name or path)")
            .add("asr.synthetic", &params::synthetic,
                 "The model has random weights (make-synthetic-model): every output is marked SYNTHETIC")
            .add("asr.workers", &params::workers, "Parallel decoders, one whisper state each (same output as 1)",
                 {.min = 1, .max = 64})
            .add("asr.threads", &params::threads, "ggml threads per decoder", {.min = 1, .max = 256})
            .add("asr.beam_size", &params::beam_size, "Beam search width; 0 or 1: greedy",
                 {.min = 0, .max = max_decoders})
            .add("asr.best_of", &params::best_of, "Candidates when sampling at a temperature above 0",
                 {.min = 1, .max = max_decoders})
            .add("asr.temperature", &params::temperature, "First decoding temperature", {.min = 0, .max = 1})
            .add("asr.temperature_inc", &params::temperature_inc,
                 "Step of the temperature fallback ladder; 0: no fallback", {.min = 0, .max = 1})
            .add("asr.entropy_thold", &params::entropy_thold,
                 "Fall back to a higher temperature when a window's token entropy is below this")
            .add("asr.logprob_thold", &params::logprob_thold,
                 "Fall back when a window's mean token log-probability is below this")
            .add("asr.no_speech_thold", &params::no_speech_thold,
                 "A window whose no-speech probability is above this (and log-probability low) is silence",
                 {.min = 0, .max = 1})
            .add("asr.chunk_s", &params::chunk_s, "Longest ASR chunk (whisper's window is 30 s)",
                 {.min = 0,
                  .max = 30,
                  .unit = "s",
                  .rule = [](const nlohmann::json& v) -> std::string {
                      return v.get<double>() > 0 ? "" : "must be above 0";
                  }})
            .add("asr.max_gap_s", &params::max_gap_s,
                 "Silences longer than this inside a chunk are shortened to it (1e9: WhisperX behaviour)",
                 {.min = 0, .unit = "s"})
            .add("asr.max_tokens", &params::max_tokens, "Most tokens decoded per 30 s window; 0: whisper's limit",
                 {.min = 0, .unit = "tokens"})
            .add_enum("asr.word_times", &params::word_times, word_time_names,
                      "Word times: tokens (timestamp tokens + energy + VAD, flash attention on), dtw "
                      "(alignment heads, flash attention off: slower), none (spread over the segment)")
            .add("asr.fixed_tokens", &params::fixed_tokens,
                 "Benchmarks: decode exactly this many tokens per window (greedy, no fallback, no timestamp "
                 "tokens, end-of-text suppressed); 0: normal decoding",
                 {.min = 0, .max = 200, .unit = "tokens"})
            .add("asr.gpu", &params::gpu, "Use a GPU backend when whisper.cpp was built with one")
            .add("asr.suppress_nst", &params::suppress_nst, "Suppress non-speech tokens (♪, [, …)")
            .add("asr.detect_chunks", &params::detect_chunks,
                 "Chunks used to detect the language (probabilities averaged)", {.min = 1, .max = 100})
            .add("asr.prompt", &params::prompt, "Initial prompt given to every window (e.g. names, spelling)");
    return s;
}

engine_spec parse_engine_spec(std::string_view spec) {
    if (spec == engine_names[0]) return {};
    if (spec.starts_with(replay_prefix)) {
        const auto file = spec.substr(replay_prefix.size());
        if (file.empty()) throw error(errc::usage, "--asr-engine replay: needs a file (replay:FILE)");
        return {engine_kind::replay, std::filesystem::path(std::string(file))};
    }
    throw error(errc::usage, fmt::format("unknown ASR engine '{}' (whisper, replay:FILE)", spec));
}

}  // namespace cinesub::asr
