// What one whisper_full call did, measured from whisper.cpp's own callbacks: windows encoded, decoder
// steps, encoder and decoder seconds. Header-only and whisper.h-only so that the benchmark's bare
// whisper.cpp baseline (bench/whisper_baseline.cpp) measures itself exactly as cinesub's engine does.
//
// Also the benchmarks' fixed decode load: with `suppress_eot` the end-of-text token is never sampled, so
// every window decodes until max_tokens (greedy, no fallback, no timestamp tokens: the caller sets those
// parameters, whisper_full_params has them all).
#pragma once

#include <whisper.h>

#include <atomic>
#include <chrono>
#include <cmath>

namespace cinesub::asr {

struct decode_probe {
    using clock = std::chrono::steady_clock;

    int windows = 0;  // encoder runs (one per 30 s window)
    // Logits computed: decoder steps, summed over decoders. Atomic: with beam search whisper.cpp runs the
    // decoders' logits (and so this callback) on several threads; a window's first step is decoder 0's alone.
    std::atomic<long long> steps{0};
    double encode_s = 0;              // encoder_begin → the window's first logits (mel + encoder + the prompt's pass)
    double decode_s = 0;              // first logits → the next window (or the end): token by token decoding
    whisper_token suppress_eot = -1;  // >= 0: this token's logit is set to -inf at every step

    // whisper_full_params::encoder_begin_callback
    void on_encoder_begin() {
        close_decode();
        ++windows;
        encoding_ = true;
        mark_ = clock::now();
    }
    // whisper_full_params::logits_filter_callback
    void on_logits(float* logits) {
        steps.fetch_add(1, std::memory_order_relaxed);
        if (encoding_) {
            const auto now = clock::now();
            encode_s += seconds(mark_, now);
            encoding_ = false;
            decoding_ = true;
            mark_ = now;
        }
        if (suppress_eot >= 0 && logits != nullptr) logits[suppress_eot] = -INFINITY;
    }
    // After whisper_full returns.
    void finish() { close_decode(); }

private:
    static double seconds(clock::time_point a, clock::time_point b) {
        return std::chrono::duration<double>(b - a).count();
    }
    void close_decode() {
        if (!decoding_) return;
        decode_s += seconds(mark_, clock::now());
        decoding_ = false;
    }
    bool encoding_ = false;
    bool decoding_ = false;
    clock::time_point mark_{};
};

}  // namespace cinesub::asr
