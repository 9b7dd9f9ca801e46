// whisper_baseline: the benchmark's baseline — exactly whisper-cli's default whisper_full parameters
// (examples/cli/cli.cpp of the same whisper.cpp source: beam 5, best-of 5, temperature fallback 0.2,
// thresholds 2.4 / -1.0 / 0.6, flash attention on, same VAD defaults with --vad) plus ONE addition that
// whisper-cli has no flag for: --max-tokens N (whisper_full_params.max_tokens), so that a random-weight
// synthetic model decodes the same bounded number of tokens per window here and in cinesub.
// --fixed-tokens N is the benchmark's fair mode, the same parameters as cinesub's asr.fixed_tokens:
// greedy, no temperature fallback, no timestamp tokens, end-of-text suppressed, so every 30 s window
// decodes exactly until N tokens (src/asr/decode_probe.hpp, shared with cinesub's engine, also
// measures windows, decoder steps, encode and decode seconds the same way on both sides).
// Reads a 16 kHz mono 16-bit WAV; prints nothing but timings. Links whisper.cpp only.
#include "asr/decode_probe.hpp"

#include <whisper.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct context_deleter {
    void operator()(whisper_context* c) const noexcept { whisper_free(c); }
};

void quiet_log(ggml_log_level, const char*, void*) {}

bool on_encoder_begin(whisper_context*, whisper_state*, void* probe) {
    static_cast<cinesub::asr::decode_probe*>(probe)->on_encoder_begin();
    return true;
}
void on_logits(whisper_context*, whisper_state*, const whisper_token_data*, int, float* logits, void* probe) {
    static_cast<cinesub::asr::decode_probe*>(probe)->on_logits(logits);
}

std::uint32_t le32(const char* p) {
    std::uint32_t v = 0;
    std::memcpy(&v, p, 4);
    return v;
}

// Minimal RIFF reader: PCM 16-bit, mono, 16 kHz only (the benchmark's track is written so by ffmpeg).
std::vector<float> read_wav_16k_mono(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    const std::string data{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (data.size() < 12 || data.compare(0, 4, "RIFF") != 0 || data.compare(8, 4, "WAVE") != 0)
        throw std::runtime_error(path + ": not a RIFF/WAVE file");
    bool fmt_ok = false;
    for (std::size_t pos = 12; pos + 8 <= data.size();) {
        const std::string id = data.substr(pos, 4);
        const std::size_t len = le32(data.data() + pos + 4);
        const std::size_t body = pos + 8;
        if (id == "fmt " && len >= 16) {
            std::uint16_t format = 0;
            std::uint16_t channels = 0;
            std::uint16_t bits = 0;
            std::memcpy(&format, data.data() + body, 2);
            std::memcpy(&channels, data.data() + body + 2, 2);
            std::memcpy(&bits, data.data() + body + 14, 2);
            fmt_ok = format == 1 && channels == 1 && bits == 16 && le32(data.data() + body + 4) == 16000;
        } else if (id == "data") {
            if (!fmt_ok) throw std::runtime_error(path + ": need PCM 16-bit mono 16 kHz");
            const std::size_t n = std::min(len, data.size() - body) / 2;
            std::vector<float> pcm(n);
            for (std::size_t i = 0; i < n; ++i) {
                std::int16_t v = 0;
                std::memcpy(&v, data.data() + body + 2 * i, 2);
                pcm[i] = static_cast<float>(v) / 32768.0f;
            }
            return pcm;
        }
        pos = body + len + (len & 1);
    }
    throw std::runtime_error(path + ": no data chunk");
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"whisper-cli's default decoding plus a max-tokens cap (benchmark baseline)"};
    std::string model;
    std::string wav;
    std::string language = "hi";
    std::string vad_model;
    int threads = 2;
    int max_tokens = 0;
    int fixed_tokens = 0;
    bool vad = false;
    int encode_windows = 0;
    app.add_option("-m,--model", model, "ggml Whisper model")->required();
    app.add_option("-f,--file", wav, "16 kHz mono WAV")->required();
    app.add_option("-l,--language", language, "language")->default_val("hi");
    app.add_option("-t,--threads", threads, "threads")->default_val(2);
    app.add_option("--max-tokens", max_tokens, "max tokens per segment (0 = no limit)")->default_val(0);
    app.add_option("--fixed-tokens", fixed_tokens,
                   "fair mode: greedy, no fallback, no timestamps, end-of-text suppressed: N tokens a window")
        ->check(CLI::Range(1, 200));
    app.add_flag("--vad", vad, "enable whisper.cpp's VAD (as whisper-cli --vad)");
    app.add_option("--vad-model", vad_model, "Silero ggml model for --vad");
    app.add_option("--encode-only", encode_windows,
                   "instead of decoding, time the encoder alone on this many 30 s windows (mel + encode)");
    CLI11_PARSE(app, argc, argv);

    whisper_log_set(quiet_log, nullptr);
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<float> pcm;
    try {
        pcm = read_wav_16k_mono(wav);
    } catch (const std::exception& e) {
        fmt::print(stderr, "whisper_baseline: {}\n", e.what());
        return 2;
    }

    whisper_context_params cparams = whisper_context_default_params();
    cparams.use_gpu = true;
    cparams.flash_attn = true;
    std::unique_ptr<whisper_context, context_deleter> ctx{whisper_init_from_file_with_params(model.c_str(), cparams)};
    if (!ctx) {
        fmt::print(stderr, "whisper_baseline: cannot load model {}\n", model);
        return 3;
    }

    if (encode_windows > 0) {
        constexpr std::size_t window = 30 * 16000;
        if (pcm.size() < window) {
            fmt::print(stderr, "whisper_baseline: --encode-only needs at least 30 s of audio\n");
            return 2;
        }
        double total = 0;
        for (int w = 0; w < encode_windows; ++w) {
            const std::size_t off = (static_cast<std::size_t>(w) * window) % (pcm.size() - window + 1);
            const auto e0 = std::chrono::steady_clock::now();
            if (whisper_pcm_to_mel(ctx.get(), pcm.data() + off, static_cast<int>(window), threads) != 0 ||
                whisper_encode(ctx.get(), 0, threads) != 0) {
                fmt::print(stderr, "whisper_baseline: encode failed\n");
                return 4;
            }
            total += std::chrono::duration<double>(std::chrono::steady_clock::now() - e0).count();
        }
        fmt::print("whisper_baseline: encoder-only {:.3f} s per 30 s window (mean of {}, {} threads)\n",
                   total / encode_windows, encode_windows, threads);
        return 0;
    }

    const bool fixed = fixed_tokens > 0;
    whisper_full_params p = whisper_full_default_params(fixed ? WHISPER_SAMPLING_GREEDY : WHISPER_SAMPLING_BEAM_SEARCH);
    p.print_realtime = false;
    p.print_progress = false;
    p.print_timestamps = false;
    p.print_special = false;
    p.translate = false;
    p.language = language.c_str();
    p.n_threads = threads;
    p.token_timestamps = false;
    p.thold_pt = 0.01f;
    p.max_len = 0;
    p.greedy.best_of = whisper_full_default_params(WHISPER_SAMPLING_GREEDY).greedy.best_of;
    p.beam_search.beam_size = whisper_full_default_params(WHISPER_SAMPLING_BEAM_SEARCH).beam_search.beam_size;
    p.temperature = 0.0f;
    p.temperature_inc = 0.2f;
    p.entropy_thold = 2.40f;
    p.logprob_thold = -1.00f;
    p.no_speech_thold = 0.6f;
    p.max_tokens = max_tokens;
    cinesub::asr::decode_probe probe;
    if (fixed) {
        p.greedy.best_of = 1;
        p.temperature_inc = 0.0f;
        p.no_timestamps = true;
        p.max_tokens = fixed_tokens;
        probe.suppress_eot = whisper_token_eot(ctx.get());
    }
    p.encoder_begin_callback = on_encoder_begin;
    p.encoder_begin_callback_user_data = &probe;
    p.logits_filter_callback = on_logits;
    p.logits_filter_callback_user_data = &probe;
    p.vad = vad;
    p.vad_model_path = vad_model.c_str();
    p.vad_params.threshold = 0.5f;
    p.vad_params.min_speech_duration_ms = 250;
    p.vad_params.min_silence_duration_ms = 100;
    p.vad_params.max_speech_duration_s = FLT_MAX;
    p.vad_params.speech_pad_ms = 30;
    p.vad_params.samples_overlap = 0.1f;

    if (whisper_full(ctx.get(), p, pcm.data(), static_cast<int>(pcm.size())) != 0) {
        fmt::print(stderr, "whisper_baseline: whisper_full failed\n");
        return 4;
    }
    probe.finish();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const int n = whisper_full_n_segments(ctx.get());
    int tokens = 0;
    for (int i = 0; i < n; ++i) tokens += whisper_full_n_tokens(ctx.get(), i);
    fmt::print("whisper_baseline: {:.1f} s audio, {} segments, {} tokens, {:.2f} s\n",
               static_cast<double>(pcm.size()) / 16000.0, n, tokens, s);
    // For bench/asr_vs_whispercli.sh (cinesub's ASR manifest has the same four numbers).
    fmt::print("probe windows={} steps={} encode_s={:.3f} decode_s={:.3f}\n", probe.windows, probe.steps.load(),
               probe.encode_s, probe.decode_s);
    return 0;
}
