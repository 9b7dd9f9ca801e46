// The whisper.cpp engine: one whisper_context (weights loaded once), one whisper_state per worker
// thread, VAD chunks decoded in parallel with whisper_full_with_state and reassembled in chunk
// order. whisper_full's own VAD is never used: each chunk's samples are decoded on their own and
// the chunk offset is added here.
//
// Determinism: each chunk is decoded with no_context and a fresh state (whisper.cpp keeps decoder
// 0's random generator and other per-call values such as the no-speech probability in the state),
// so the output does not depend on how chunks were spread over workers: parallel ==
// sequential, byte for byte.
#pragma once

#include "asr/chunker.hpp"
#include "asr/engine.hpp"
#include "asr/model_file.hpp"
#include "asr/params.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace cinesub::asr {

// Language probabilities of the first chunks of a clip.
struct language_guess {
    std::string language;  // ISO 639-1
    float probability = 0;
};

class whisper_engine final : public engine {
public:
    // Checks the file (inspect_whisper_file) and loads the weights once.
    // Throws error(model_missing / model_invalid / job_invalid).
    explicit whisper_engine(params options);
    ~whisper_engine() override;
    whisper_engine(const whisper_engine&) = delete;
    whisper_engine& operator=(const whisper_engine&) = delete;

    std::string name() const override { return "whisper"; }
    // Decodes request.speech's chunks (the whole audio in 30 s pieces when speech is null).
    // Throws error(input_empty_audio) for empty audio, error(interrupted) when should_stop() turned
    // true (the chunks in flight are finished first, no new one starts), error(stage_failed) when whisper.cpp fails.
    transcript run(const request& req) override;
    nlohmann::json last_run_info() const override;

    const whisper_file_info& model_info() const noexcept;
    const params& options() const noexcept;
    bool dtw_active() const noexcept;
    // Detects the language on up to options().detect_chunks of `chunks` (must not be empty).
    language_guess detect_language(std::span<const float> audio, const std::vector<chunk>& chunks,
                                   const std::function<bool()>& should_stop = {});
    // Chunks decoded by whisper_full since the engine was created (tests: silence decodes none).
    long long chunks_decoded_total() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// Whisper's alignment-heads preset (enum whisper_alignment_heads_preset) for a model type
// ("tiny", "large-v3-turbo"…); WHISPER_AHEADS_NONE (0) for unknown types.
int alignment_heads_preset(std::string_view model_type);

}  // namespace cinesub::asr
