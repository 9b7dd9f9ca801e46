// Voice activity detection: Silero VAD run through whisper.cpp's standalone VAD API, then
// segmented from the per-frame speech probabilities (Silero's own algorithm, as whisper.cpp
// implements it, with max-speech splitting).
//
// speech.json stores the segments and every frame's probability as is (frame = 512 samples =
// 32 ms, so a 2 h film is ~225k values, ~1.3 MB of JSON); the chunker uses them to split long
// segments at their quietest point.
#pragma once

#include "cinesub/transcript.hpp"
#include "settings/schema.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

struct whisper_vad_context;

namespace cinesub::vad {

inline constexpr int sample_rate = 16000;

// The VAD stage's settings ("vad.*"); the initialisers are the defaults.
struct params {
    std::filesystem::path model;  // ggml Silero file (set by prepare); "" → $CINESUB_VAD_MODEL
    float threshold = 0.5f;       // speech when p >= threshold; speech ends below threshold - 0.15
    int min_speech_ms = 250;      // shorter segments are dropped
    int min_silence_ms = 100;     // silence needed to end a segment
    int speech_pad_ms = 30;       // padding added on both sides
    double max_speech_s = 30;     // longer segments are split (at a ≥98 ms silence if any, else hard); <= 0: no limit

    static const settings::schema<params>& schema();
};

// Silero's segmentation of per-frame probabilities (frame_samples samples each) of an audio of
// n_samples samples. Pure function; segments are in seconds, sorted, non-overlapping, inside [0, duration].
std::vector<speech_segment> segments_from_probs(std::span<const float> probs, int frame_samples, std::size_t n_samples,
                                                const params& p);

// A loaded Silero model (one whisper_vad_context). Not thread-safe: one detector per thread.
class detector {
public:
    // Checks the file first (asr::inspect_vad_file): error(model_missing) / error(model_invalid).
    explicit detector(const std::filesystem::path& model, int n_threads = 1);
    ~detector();
    detector(const detector&) = delete;
    detector& operator=(const detector&) = delete;

    int frame_samples() const noexcept { return frame_samples_; }
    const std::string& model_version() const noexcept { return version_; }

    // One speech probability per frame (the last frame zero-padded). Works through the audio in
    // blocks of ~60 s (same result as one pass: the LSTM state carries over), reporting
    // progress(fraction) and polling should_stop between blocks; a stop throws error(interrupted).
    // done_with(block) is called after each block (asr::audio_file::release drops its pages).
    std::vector<float> probabilities(std::span<const float> audio, const std::function<void(double)>& progress = {},
                                     const std::function<bool()>& should_stop = {},
                                     const std::function<void(std::span<const float>)>& done_with = {});
    // Samples per block of probabilities() (320 frames, 10.24 s).
    std::size_t block_samples() const noexcept { return static_cast<std::size_t>(frame_samples_) * 320; }

private:
    struct context_deleter {
        void operator()(whisper_vad_context* c) const noexcept;
    };
    std::unique_ptr<whisper_vad_context, context_deleter> ctx_;
    int frame_samples_ = 512;
    std::string version_;
};

// Probabilities + segments as a speech map. Empty audio throws error(input_empty_audio).
speech_map detect(detector& d, std::span<const float> audio, const params& p,
                  const std::function<void(double)>& progress = {}, const std::function<bool()>& should_stop = {},
                  const std::function<void(std::span<const float>)>& done_with = {});

// The same on `parts` threads, each with its own detector: the audio is cut into `parts` runs of
// whole 10.24 s blocks; every run after the first starts one block early and drops that block's
// probabilities, so its LSTM state is warmed up on the real audio before its first kept frame.
// Probabilities differ from one pass only within a few frames after a cut (the state forgets in
// well under a block); segments come out the same in practice (tests/vad). Fewer parts are used
// when the audio is short (each run covers at least `min_part_blocks` blocks). progress and
// should_stop are called from the calling thread only.
inline constexpr std::size_t default_min_part_blocks = 6;
// `first` decodes the first run (and all of a short audio); the other runs load `model` again.
// done_with is called from the parts' threads (it must be thread-safe).
speech_map detect_parallel(detector& first, const std::filesystem::path& model, std::span<const float> audio,
                           const params& p, int parts, const std::function<void(double)>& progress = {},
                           const std::function<bool()>& should_stop = {},
                           std::size_t min_part_blocks = default_min_part_blocks,
                           const std::function<void(std::span<const float>)>& done_with = {});

}  // namespace cinesub::vad
