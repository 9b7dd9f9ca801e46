#include "vad/vad.hpp"

#include "asr/model_file.hpp"
#include "asr/whisper_log.hpp"
#include "cinesub/error.hpp"

#include <fmt/format.h>
#include <whisper.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cmath>
#include <future>

namespace cinesub::vad {

const settings::schema<params>& params::schema() {
    static const auto s =
        settings::schema<params>()
            .add("vad.model", &params::model,
                 "Silero VAD ggml file (prepare resolves --vad-model, $CINESUB_VAD_MODEL or the model cache); the "
                 "file itself is an input of the stage (hashed)")
            .add("vad.threshold", &params::threshold,
                 "Speech when a frame's probability is at least this; speech ends below it minus 0.15",
                 {.min = 0,
                  .max = 1,
                  .rule = [](const nlohmann::json& v) -> std::string {
                      const double t = v.get<double>();
                      return t > 0 && t < 1 ? "" : "must be strictly between 0 and 1";
                  }})
            .add("vad.min_speech_ms", &params::min_speech_ms, "Shorter speech segments are dropped",
                 {.min = 0, .max = 60000, .unit = "ms"})
            .add("vad.min_silence_ms", &params::min_silence_ms, "Silence needed to end a speech segment",
                 {.min = 0, .max = 60000, .unit = "ms"})
            .add("vad.speech_pad_ms", &params::speech_pad_ms, "Padding added on both sides of each speech segment",
                 {.min = 0, .max = 10000, .unit = "ms"})
            .add("vad.max_speech_s", &params::max_speech_s,
                 "Longer segments are split (at a silence of at least 98 ms when there is one); 0: no limit",
                 {.min = 0, .unit = "s"});
    return s;
}

std::vector<speech_segment> segments_from_probs(std::span<const float> probs, int frame_samples, std::size_t n_samples,
                                                const params& p) {
    using i64 = std::int64_t;
    const i64 sr = sample_rate;
    const i64 window = frame_samples;
    const i64 audio_len = static_cast<i64>(n_samples);
    const i64 min_silence = sr * p.min_silence_ms / 1000;
    const i64 min_speech = sr * p.min_speech_ms / 1000;
    const i64 pad = sr * p.speech_pad_ms / 1000;
    i64 max_speech = LLONG_MAX / 4;
    if (p.max_speech_s > 0) {
        max_speech = static_cast<i64>(static_cast<double>(sr) * p.max_speech_s) - window - 2 * pad;
        if (max_speech <= 0) max_speech = window;
    }
    // A silence this long is a place where an over-long segment may be cut (Silero's 98 ms).
    const i64 min_silence_at_max_speech = sr * 98 / 1000;
    const float neg_threshold = std::max(0.01f, p.threshold - 0.15f);

    struct span_t {
        i64 start, end;
    };
    std::vector<span_t> speeches;
    bool triggered = false;
    i64 temp_end = 0, prev_end = 0, next_start = 0, cur_start = 0;

    for (std::size_t i = 0; i < probs.size(); ++i) {
        const float prob = probs[i];
        const i64 sample = window * static_cast<i64>(i);

        if (prob >= p.threshold && temp_end) {
            temp_end = 0;
            if (next_start < prev_end) next_start = sample;
        }
        if (prob >= p.threshold && !triggered) {
            triggered = true;
            cur_start = sample;
            continue;
        }
        if (triggered && sample - cur_start > max_speech) {
            if (prev_end) {
                speeches.push_back({cur_start, prev_end});
                if (next_start < prev_end) {
                    triggered = false;
                } else {
                    cur_start = next_start;
                }
                prev_end = next_start = temp_end = 0;
            } else {
                speeches.push_back({cur_start, sample});
                prev_end = next_start = temp_end = 0;
                triggered = false;
                continue;
            }
        }
        if (prob < neg_threshold && triggered) {
            if (!temp_end) temp_end = sample;
            if (sample - temp_end > min_silence_at_max_speech) prev_end = temp_end;
            if (sample - temp_end < min_silence) continue;
            if (temp_end - cur_start > min_speech) speeches.push_back({cur_start, temp_end});
            prev_end = next_start = temp_end = 0;
            triggered = false;
            continue;
        }
    }
    const i64 probs_len = std::min<i64>(audio_len, window * static_cast<i64>(probs.size()));
    if (triggered && probs_len - cur_start > min_speech) speeches.push_back({cur_start, probs_len});

    // Merge segments separated by less than 200 ms (unless that undoes a max-speech split), then
    // drop the ones still too short.
    const i64 max_merged =
        p.max_speech_s > 0 ? static_cast<i64>(static_cast<double>(sr) * p.max_speech_s) - 2 * pad : LLONG_MAX / 4;
    for (std::size_t i = 0; i + 1 < speeches.size();) {
        if (speeches[i + 1].start - speeches[i].end < sr * 200 / 1000 &&
            speeches[i + 1].end - speeches[i].start <= max_merged) {
            speeches[i].end = speeches[i + 1].end;
            speeches.erase(speeches.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        } else {
            ++i;
        }
    }
    std::erase_if(speeches, [&](const span_t& s) { return s.end - s.start < min_speech; });

    // Padding: full padding where there is room, half the gap where segments are close.
    for (std::size_t i = 0; i < speeches.size(); ++i) {
        if (i == 0) speeches[i].start = std::max<i64>(0, speeches[i].start - pad);
        if (i + 1 < speeches.size()) {
            const i64 silence = speeches[i + 1].start - speeches[i].end;
            if (silence < 2 * pad) {
                speeches[i].end += silence / 2;
                speeches[i + 1].start = std::max<i64>(0, speeches[i + 1].start - silence / 2);
            } else {
                speeches[i].end = std::min(audio_len, speeches[i].end + pad);
                speeches[i + 1].start = std::max<i64>(0, speeches[i + 1].start - pad);
            }
        } else {
            speeches[i].end = std::min(audio_len, speeches[i].end + pad);
        }
    }

    std::vector<speech_segment> out;
    out.reserve(speeches.size());
    for (const auto& s : speeches) {
        const double a = static_cast<double>(std::clamp<i64>(s.start, 0, audio_len)) / sr;
        const double b = static_cast<double>(std::clamp<i64>(s.end, 0, audio_len)) / sr;
        if (b > a) out.push_back({a, b});
    }
    return out;
}

void detector::context_deleter::operator()(whisper_vad_context* c) const noexcept { whisper_vad_free(c); }

detector::detector(const std::filesystem::path& model, int n_threads) {
    asr::route_whisper_logs();
    const auto info = asr::inspect_vad_file(model);
    auto cparams = whisper_vad_default_context_params();
    cparams.n_threads = std::max(1, n_threads);
    cparams.use_gpu = false;  // a 512-sample LSTM step is faster on the CPU than a GPU round trip
    {
        std::lock_guard lock(asr::whisper_init_mutex());
        ctx_.reset(whisper_vad_init_from_file_with_params(model.c_str(), cparams));
    }
    if (!ctx_)
        throw error(errc::model_invalid, fmt::format("whisper.cpp could not load the VAD model {}", model.string()));
    frame_samples_ = info.n_window;
    version_ = info.type + " " + info.version;
}

detector::~detector() = default;

std::vector<float> detector::probabilities(std::span<const float> audio, const std::function<void(double)>& progress,
                                           const std::function<bool()>& should_stop,
                                           const std::function<void(std::span<const float>)>& done_with) {
    std::vector<float> out;
    if (audio.empty()) return out;
    const std::size_t frame = static_cast<std::size_t>(frame_samples_);
    out.reserve((audio.size() + frame - 1) / frame);
    // Blocks of 320 frames (10.24 s). A block of digital silence (every sample below ~1 LSB of
    // 16-bit audio) gets probability 0 without running the model, and the LSTM state is reset
    // before the next block with sound: an hour of silence takes milliseconds, not seconds.
    const std::size_t block = block_samples();
    constexpr float silence_level = 3.1e-5f;
    bool need_reset = true;
    for (std::size_t pos = 0; pos < audio.size(); pos += block) {
        if (should_stop && should_stop()) throw error(errc::interrupted, "voice activity detection interrupted");
        const std::size_t n = std::min(block, audio.size() - pos);
        const auto samples = audio.subspan(pos, n);
        const bool silent =
            std::all_of(samples.begin(), samples.end(), [](float x) { return std::fabs(x) < silence_level; });
        if (silent) {
            out.insert(out.end(), (n + frame - 1) / frame, 0.0f);
            need_reset = true;
        } else {
            if (need_reset) whisper_vad_reset_state(ctx_.get());
            need_reset = false;
            if (!whisper_vad_detect_speech_no_reset(ctx_.get(), samples.data(), static_cast<int>(n)))
                throw error(errc::internal, "whisper.cpp VAD failed to compute speech probabilities");
            const int np = whisper_vad_n_probs(ctx_.get());
            const float* probs = whisper_vad_probs(ctx_.get());
            out.insert(out.end(), probs, probs + np);
        }
        if (done_with) done_with(samples);
        if (progress) progress(static_cast<double>(pos + n) / static_cast<double>(audio.size()));
    }
    return out;
}

namespace {

void require_audio(std::span<const float> audio) {
    if (audio.empty()) throw error(errc::input_empty_audio, "the audio has no samples: nothing to detect speech in");
}

speech_map speech_map_of(std::vector<float> probabilities, int frame_samples, std::size_t n_samples, const params& p) {
    speech_map m;
    m.probabilities = std::move(probabilities);
    m.frame_seconds = static_cast<double>(frame_samples) / sample_rate;
    m.duration = static_cast<double>(n_samples) / sample_rate;
    m.segments = segments_from_probs(m.probabilities, frame_samples, n_samples, p);
    return m;
}

}  // namespace

speech_map detect(detector& d, std::span<const float> audio, const params& p,
                  const std::function<void(double)>& progress, const std::function<bool()>& should_stop,
                  const std::function<void(std::span<const float>)>& done_with) {
    require_audio(audio);
    return speech_map_of(d.probabilities(audio, progress, should_stop, done_with), d.frame_samples(), audio.size(), p);
}

speech_map detect_parallel(detector& first, const std::filesystem::path& model, std::span<const float> audio,
                           const params& p, int parts, const std::function<void(double)>& progress,
                           const std::function<bool()>& should_stop, std::size_t min_part_blocks,
                           const std::function<void(std::span<const float>)>& done_with) {
    require_audio(audio);
    const std::size_t block = first.block_samples();
    const std::size_t frame = static_cast<std::size_t>(first.frame_samples());
    const std::size_t blocks = (audio.size() + block - 1) / block;
    const std::size_t n = std::clamp<std::size_t>(blocks / std::max<std::size_t>(1, min_part_blocks), 1,
                                                  static_cast<std::size_t>(std::max(1, parts)));
    if (n == 1) return detect(first, audio, p, progress, should_stop, done_with);

    // Part k keeps blocks [k*blocks/n, (k+1)*blocks/n) and starts one block early (warm-up).
    std::vector<std::unique_ptr<detector>> others;  // parts 1..n-1 (part 0 runs on `first`)
    std::vector<std::atomic<std::size_t>> done(n);
    std::atomic<bool> stop{false};
    std::vector<std::future<std::vector<float>>> results;
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t keep_begin = k * blocks / n * block;
        const std::size_t end = std::min(audio.size(), (k + 1) * blocks / n * block);
        const std::size_t begin = k == 0 ? 0 : keep_begin - block;
        detector& d = k == 0 ? first : *others.emplace_back(std::make_unique<detector>(model, 1));
        results.push_back(std::async(std::launch::async, [&, k, begin, keep_begin, end] {
            auto probs = d.probabilities(
                audio.subspan(begin, end - begin),
                [&, k](double f) { done[k] = static_cast<std::size_t>(f * static_cast<double>(end - begin)); },
                [&] { return stop.load(); }, done_with);
            probs.erase(probs.begin(), probs.begin() + static_cast<std::ptrdiff_t>((keep_begin - begin) / frame));
            return probs;
        }));
    }
    // The calling thread reports progress and relays a stop request until every part is done.
    for (auto& r : results) {
        while (r.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
            if (should_stop && should_stop()) stop = true;
            if (progress) {
                std::size_t sum = 0;
                for (const auto& d : done) sum += d.load();
                progress(std::min(1.0, static_cast<double>(sum) / static_cast<double>(audio.size() + (n - 1) * block)));
            }
        }
    }
    std::vector<float> probabilities;
    probabilities.reserve((audio.size() + frame - 1) / frame);
    for (auto& r : results) {
        auto part = r.get();  // rethrows a part's error (interrupted, whisper.cpp failure)
        probabilities.insert(probabilities.end(), part.begin(), part.end());
    }
    if (should_stop && should_stop()) throw error(errc::interrupted, "voice activity detection interrupted");
    if (progress) progress(1.0);
    return speech_map_of(std::move(probabilities), first.frame_samples(), audio.size(), p);
}

}  // namespace cinesub::vad
