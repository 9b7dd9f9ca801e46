#include "asr/whisper_engine.hpp"

#include "asr/decode_probe.hpp"
#include "asr/whisper_log.hpp"
#include "asr/words.hpp"
#include "cinesub/error.hpp"
#include "util/path_json.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <whisper.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

namespace cinesub::asr {

using nlohmann::json;

// RAII owners of whisper.cpp's handles (members of whisper_engine::impl, so not in an anonymous namespace).
struct whisper_context_deleter {
    void operator()(whisper_context* c) const noexcept { whisper_free(c); }
};
struct whisper_state_deleter {
    void operator()(whisper_state* s) const noexcept { whisper_free_state(s); }
};
using context_ptr = std::unique_ptr<whisper_context, whisper_context_deleter>;
using state_ptr = std::unique_ptr<whisper_state, whisper_state_deleter>;

namespace {

constexpr int sample_rate = WHISPER_SAMPLE_RATE;

std::string format_eta(double seconds) {
    if (!(seconds >= 0) || !std::isfinite(seconds)) return "?";
    const auto s = static_cast<long long>(std::llround(seconds));
    return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
                     : fmt::format("{}:{:02}", s / 60, s % 60);
}

// The audio a chunk's decoder sees: its pieces in order, digital silence in the (shortened) gaps.
std::vector<float> chunk_samples(std::span<const float> audio, const chunk& c) {
    const auto n = audio.size();
    auto sample = [&](double t) {
        return std::min(n, static_cast<std::size_t>(std::max(0.0, std::round(t * sample_rate))));
    };
    std::vector<float> out;
    out.reserve(sample(c.audio_seconds()) + 1);
    for (const auto& p : c.pieces) {
        const std::size_t at = static_cast<std::size_t>(std::max(0.0, std::round(p.at * sample_rate)));
        if (out.size() < at) out.resize(at, 0.0f);
        const auto a = sample(p.start);
        const auto b = std::max(a, sample(p.end));
        out.insert(out.end(), audio.begin() + static_cast<std::ptrdiff_t>(a),
                   audio.begin() + static_cast<std::ptrdiff_t>(b));
    }
    return out;
}

// After chunk_samples: the chunk's stretches of the clip's audio are not read again (request::done_with).
void release_chunk(const request& req, const chunk& c) {
    if (!req.done_with) return;
    const auto n = req.audio.size();
    for (const auto& p : c.pieces) {
        const auto a = std::min(n, static_cast<std::size_t>(std::max(0.0, std::round(p.start * sample_rate))));
        const auto b = std::min(n, static_cast<std::size_t>(std::max(0.0, std::round(p.end * sample_rate))));
        if (b > a) req.done_with(req.audio.subspan(a, b - a));
    }
}

// Per-chunk bookkeeping shared with whisper.cpp's callbacks.
struct chunk_trace {
    std::atomic<bool>* stop = nullptr;
    const std::function<bool()>* should_stop = nullptr;
    whisper_state* state = nullptr;
    std::vector<int> window_first_segment;  // index of the first result segment of each 30 s window
    std::vector<int> window_attempts;       // decoding attempts (temperatures tried) per window
    decode_probe probe;                     // windows, decoder steps, encode / decode seconds

    bool stopped() const {
        if (stop->load(std::memory_order_relaxed)) return true;
        if (*should_stop && (*should_stop)()) {
            stop->store(true);
            return true;
        }
        return false;
    }
};

bool abort_callback(void* user_data) { return static_cast<chunk_trace*>(user_data)->stopped(); }

bool encoder_begin_callback(whisper_context* /*ctx*/, whisper_state* state, void* user_data) {
    auto* t = static_cast<chunk_trace*>(user_data);
    if (t->stopped()) return false;
    t->window_first_segment.push_back(whisper_full_n_segments_from_state(state));
    t->window_attempts.push_back(0);
    t->probe.on_encoder_begin();
    return true;
}

// Called for every decoder step (with beam search, for several decoders at once on several threads);
// with no tokens yet it is the first step of a new attempt (one per temperature of the fallback
// ladder), run for decoder 0 only, on one thread.
void logits_filter_callback(whisper_context* /*ctx*/, whisper_state* /*state*/, const whisper_token_data* /*tokens*/,
                            int n_tokens, float* logits, void* user_data) {
    auto* t = static_cast<chunk_trace*>(user_data);
    t->probe.on_logits(logits);
    if (n_tokens == 0 && !t->window_attempts.empty()) ++t->window_attempts.back();
}

struct chunk_result {
    std::vector<segment> segments;
    bool done = false;
    bool sampled = false;  // decoder 0's random generator was used: the state must be replaced
    int fallbacks = 0;     // windows decoded at a temperature above the first
    double seconds = 0;
    int windows = 0;  // from the chunk's decode_probe
    long long steps = 0;
    double encode_s = 0;
    double decode_s = 0;
};

void make_monotonic(std::vector<segment>& segs, double lo, double hi) {
    double prev_end = lo;
    for (auto& s : segs) {
        s.start = std::clamp(s.start, prev_end, hi);
        s.end = std::clamp(s.end, s.start, hi);
        double w_prev = s.start;
        for (auto& w : s.words) {
            w.start = std::clamp(w.start, w_prev, s.end);
            w.end = std::clamp(w.end, w.start, s.end);
            // A word squeezed to (almost) no time (DTW put its token at the segment's end) takes
            // up to 0.2 s of the gap before it, so later stages never see an instant word.
            if (w.end - w.start < 0.05) w.start = std::max(w_prev, w.end - 0.2);
            w_prev = w.end;
        }
        prev_end = s.end;
    }
}

}  // namespace

int alignment_heads_preset(std::string_view type) {
    static const std::pair<std::string_view, whisper_alignment_heads_preset> presets[] = {
        {"tiny.en", WHISPER_AHEADS_TINY_EN},     {"tiny", WHISPER_AHEADS_TINY},
        {"base.en", WHISPER_AHEADS_BASE_EN},     {"base", WHISPER_AHEADS_BASE},
        {"small.en", WHISPER_AHEADS_SMALL_EN},   {"small", WHISPER_AHEADS_SMALL},
        {"medium.en", WHISPER_AHEADS_MEDIUM_EN}, {"medium", WHISPER_AHEADS_MEDIUM},
        {"large-v1", WHISPER_AHEADS_LARGE_V1},   {"large-v2", WHISPER_AHEADS_LARGE_V2},
        {"large-v3", WHISPER_AHEADS_LARGE_V3},   {"large-v3-turbo", WHISPER_AHEADS_LARGE_V3_TURBO},
    };
    for (const auto& [name, preset] : presets)
        if (name == type) return preset;
    return WHISPER_AHEADS_NONE;
}

struct whisper_engine::impl {
    params opt;
    whisper_file_info info;
    context_ptr ctx;
    bool dtw = false;
    std::vector<float> temperatures;
    std::vector<state_ptr> states;  // one per worker, kept between runs
    std::vector<char> dirty;        // state's sampler was used: replace before the next chunk
    std::atomic<long long> decoded_total{0};
    json last_info = json::object();
    // Bytes the vocabulary holds as one-byte tokens. whisper.cpp's tokenizer matches the longest
    // vocabulary entry and drops a byte nothing matches ("unknown token"), so a text is written
    // exactly when each of its bytes has a token of its own (every byte does in a model converted from
    // OpenAI's tiktoken file; whisper.cpp's test vocabulary lost the partial UTF-8 bytes).
    std::array<bool, 256> byte_token{};

    state_ptr new_state() {
        state_ptr s;
        {
            std::lock_guard lock(whisper_init_mutex());
            s.reset(whisper_init_state(ctx.get()));
        }
        if (!s) throw error(errc::stage_failed, "whisper.cpp could not allocate a decoding state (out of memory?)");
        return s;
    }

    whisper_state* state_for(std::size_t worker, int& recreated) {
        if (!states[worker] || dirty[worker]) {
            if (states[worker]) ++recreated;
            states[worker].reset();
            states[worker] = new_state();
            dirty[worker] = 0;
        }
        return states[worker].get();
    }

    chunk_result decode_chunk(whisper_state* st, int n_threads, const chunk& c, std::span<const float> samples,
                              const std::string& language, bool translate, const std::vector<whisper_token>& prompt,
                              std::atomic<bool>& stop, const std::function<bool()>& should_stop) const {
        chunk_result r;
        const auto t_start = std::chrono::steady_clock::now();
        const bool fixed = opt.fixed_tokens > 0;  // the benchmarks' fixed decode load (decode_probe.hpp)
        const bool beam = opt.beam_size > 1 && !fixed;
        auto p = whisper_full_default_params(beam ? WHISPER_SAMPLING_BEAM_SEARCH : WHISPER_SAMPLING_GREEDY);
        p.n_threads = n_threads;
        p.no_context = true;
        p.no_timestamps = fixed;
        p.single_segment = false;
        p.print_special = false;
        p.print_progress = false;
        p.print_realtime = false;
        p.print_timestamps = false;
        p.token_timestamps = opt.word_times != word_time_method::none;
        p.max_len = 0;
        p.max_tokens = fixed ? opt.fixed_tokens : opt.max_tokens;
        p.translate = translate;
        p.language = language.c_str();
        p.detect_language = false;
        p.suppress_blank = true;
        p.suppress_nst = opt.suppress_nst;
        p.temperature = fixed ? 0.0f : opt.temperature;
        p.temperature_inc = fixed ? 0.0f : opt.temperature_inc;
        p.entropy_thold = opt.entropy_thold;
        p.logprob_thold = opt.logprob_thold;
        p.no_speech_thold = opt.no_speech_thold;
        p.greedy.best_of = fixed ? 1 : opt.best_of;
        p.beam_search.beam_size = std::max(1, opt.beam_size);
        p.initial_prompt = nullptr;
        p.prompt_tokens = prompt.empty() ? nullptr : prompt.data();
        p.prompt_n_tokens = static_cast<int>(prompt.size());
        p.carry_initial_prompt = !prompt.empty();  // every window of the chunk gets the prompt
        p.vad = false;                             // chunks come from our own VAD (see header)

        chunk_trace trace;
        trace.stop = &stop;
        trace.should_stop = &should_stop;
        trace.state = st;
        if (fixed) trace.probe.suppress_eot = whisper_token_eot(ctx.get());
        p.abort_callback = abort_callback;
        p.abort_callback_user_data = &trace;
        p.encoder_begin_callback = encoder_begin_callback;
        p.encoder_begin_callback_user_data = &trace;
        p.logits_filter_callback = logits_filter_callback;
        p.logits_filter_callback_user_data = &trace;

        const int rc = whisper_full_with_state(ctx.get(), st, p, samples.data(), static_cast<int>(samples.size()));
        trace.probe.finish();
        r.windows = trace.probe.windows;
        r.steps = trace.probe.steps.load();
        r.encode_s = trace.probe.encode_s;
        r.decode_s = trace.probe.decode_s;
        int max_attempts = 0;
        for (int a : trace.window_attempts) max_attempts = std::max(max_attempts, a);
        r.sampled = beam || p.temperature > 0 || max_attempts > 1;
        if (stop.load()) return r;  // interrupted: the chunk's result is incomplete
        if (rc != 0)
            throw error(errc::stage_failed,
                        fmt::format("whisper.cpp failed on chunk {} ({:.2f}–{:.2f} s): whisper_full returned {}",
                                    c.index, c.start, c.end, rc));
        for (int a : trace.window_attempts) r.fallbacks += a > 1 ? 1 : 0;

        const whisper_token eot = whisper_token_eot(ctx.get());
        const int n_seg = whisper_full_n_segments_from_state(st);
        // whisper.cpp's times are centiseconds into the chunk's audio; the chunk maps them back.
        auto cs = [&](std::int64_t t) { return c.to_clip_time(static_cast<double>(t) / 100.0); };

        std::vector<std::vector<token_piece>> pieces(static_cast<std::size_t>(n_seg));
        std::vector<segment> segs(static_cast<std::size_t>(n_seg));
        for (int s = 0; s < n_seg; ++s) {
            auto& seg = segs[static_cast<std::size_t>(s)];
            seg.start = cs(whisper_full_get_segment_t0_from_state(st, s));
            seg.end = cs(whisper_full_get_segment_t1_from_state(st, s));
            seg.no_speech_prob = whisper_full_get_segment_no_speech_prob_from_state(st, s);
            seg.chunk = c.index;
            // temperature of the window this segment came from (-1 when it cannot be told)
            seg.temperature = -1.0f;
            for (std::size_t w = trace.window_first_segment.size(); w-- > 0;) {
                if (trace.window_first_segment[w] <= s) {
                    const int a = trace.window_attempts[w];
                    if (a >= 1 && a <= static_cast<int>(temperatures.size()))
                        seg.temperature = temperatures[static_cast<std::size_t>(a - 1)];
                    break;
                }
            }
            const int nt = whisper_full_n_tokens_from_state(st, s);
            double lp = 0;
            int n_lp = 0;
            auto& toks = pieces[static_cast<std::size_t>(s)];
            for (int k = 0; k < nt; ++k) {
                const auto td = whisper_full_get_token_data_from_state(st, s, k);
                lp += td.plog;
                ++n_lp;
                if (td.id >= eot) continue;  // special and timestamp tokens
                token_piece tp;
                const char* text = whisper_full_get_token_text_from_state(ctx.get(), st, s, k);
                tp.bytes = text ? text : "";
                tp.p = td.p;
                if (dtw && td.t_dtw >= 0) {
                    tp.start = cs(td.t_dtw);
                    tp.end = tp.start;  // set from the next token below
                } else {
                    tp.start = td.t0 >= 0 ? cs(td.t0) : seg.start;
                    tp.end = td.t1 >= 0 ? cs(td.t1) : seg.end;
                }
                toks.push_back(std::move(tp));
            }
            seg.avg_logprob = n_lp ? static_cast<float>(lp / n_lp) : 0.0f;
            if (dtw) {
                // A DTW time marks when a token is emitted: a token lasts until the next one.
                for (std::size_t k = 0; k < toks.size(); ++k)
                    toks[k].end = k + 1 < toks.size() ? toks[k + 1].start : seg.end;
            }
        }
        rebalance_utf8(pieces);
        for (int s = 0; s < n_seg; ++s) {
            auto& seg = segs[static_cast<std::size_t>(s)];
            std::string bytes;
            for (const auto& tp : pieces[static_cast<std::size_t>(s)]) bytes += tp.bytes;
            // An incomplete character at the end (not continued by the next segment) is left out.
            std::string_view complete = bytes;
            complete.remove_suffix(util::incomplete_utf8_tail(complete));
            seg.text = util::trim(util::sanitize_utf8(complete));
            seg.words = join_tokens(pieces[static_cast<std::size_t>(s)]);
            if (opt.word_times == word_time_method::none) spread_words(seg.words, seg.start, seg.end);
            if (opt.word_times == word_time_method::tokens) keep_words_in_speech(seg.words, c.speech);
        }
        std::erase_if(segs, [](const segment& s) { return s.text.empty(); });
        make_monotonic(segs, c.start, c.end);
        r.segments = std::move(segs);
        r.done = true;
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
        return r;
    }
};

whisper_engine::whisper_engine(params options) : impl_(std::make_unique<impl>()) {
    route_whisper_logs();
    auto& m = *impl_;
    m.opt = std::move(options);
    if (m.opt.model.empty()) throw error(errc::model_missing, "no Whisper model given (asr.model is empty)");
    m.info = inspect_whisper_file(m.opt.model);

    auto cparams = whisper_context_default_params();
    cparams.use_gpu = m.opt.gpu;
    const int preset = alignment_heads_preset(m.info.type);
    const bool want_dtw = m.opt.word_times == word_time_method::dtw;
    m.dtw = want_dtw && preset != WHISPER_AHEADS_NONE;
    if (want_dtw && !m.dtw)
        spdlog::info("ASR: no alignment heads known for model type '{}': DTW word timestamps off", m.info.type);
    cparams.dtw_token_timestamps = m.dtw;
    cparams.dtw_aheads_preset = static_cast<whisper_alignment_heads_preset>(preset);
    cparams.flash_attn = !m.dtw;  // whisper.cpp cannot compute DTW with flash attention
    {
        std::lock_guard lock(whisper_init_mutex());
        m.ctx.reset(whisper_init_from_file_with_params_no_state(m.opt.model.c_str(), cparams));
    }
    if (!m.ctx)
        throw error(errc::model_invalid,
                    fmt::format("whisper.cpp could not load the Whisper model {}", m.opt.model.string()));

    for (int id = 0; id < whisper_n_vocab(m.ctx.get()); ++id) {
        const char* piece = whisper_token_to_str(m.ctx.get(), id);
        if (piece && piece[0] && !piece[1]) m.byte_token[static_cast<unsigned char>(piece[0])] = true;
    }

    if (m.opt.temperature_inc > 0.0f) {
        for (float t = m.opt.temperature; t < 1.0f + 1e-6f; t += m.opt.temperature_inc) m.temperatures.push_back(t);
    } else {
        m.temperatures.push_back(m.opt.temperature);
    }
    m.states.resize(static_cast<std::size_t>(m.opt.workers));
    m.dirty.assign(static_cast<std::size_t>(m.opt.workers), 0);
    spdlog::debug("ASR: loaded {} ({}{}, {} workers × {} threads, DTW {})", m.opt.model.string(), m.info.type,
                  m.info.synthetic ? ", synthetic" : "", m.opt.workers, m.opt.threads, m.dtw ? "on" : "off");
}

whisper_engine::~whisper_engine() = default;

const whisper_file_info& whisper_engine::model_info() const noexcept { return impl_->info; }
const params& whisper_engine::options() const noexcept { return impl_->opt; }
bool whisper_engine::dtw_active() const noexcept { return impl_->dtw; }
long long whisper_engine::chunks_decoded_total() const noexcept { return impl_->decoded_total.load(); }
json whisper_engine::last_run_info() const { return impl_->last_info; }

language_guess whisper_engine::detect_language(std::span<const float> audio, const std::vector<chunk>& chunks,
                                               const std::function<bool()>& should_stop) {
    auto& m = *impl_;
    if (!m.info.multilingual) return {"en", 1.0f};
    if (chunks.empty()) throw error(errc::internal, "language detection needs at least one chunk");
    int recreated = 0;
    whisper_state* st = m.state_for(0, recreated);
    const int n_ids = whisper_lang_max_id() + 1;
    // 51865-token models know 99 languages, large-v3 (51866) 100.
    const int n_langs = std::min(n_ids, m.info.hparams.n_vocab - 51765 - 1);
    std::vector<double> acc(static_cast<std::size_t>(n_ids), 0.0);
    std::vector<float> probs(static_cast<std::size_t>(n_ids), 0.0f);
    int used = 0;
    // Nothing else runs during detection: every worker's threads.
    const int n_threads = std::max(1, m.opt.workers * m.opt.threads);
    for (const auto& c : chunks) {
        if (used >= m.opt.detect_chunks) break;
        if (should_stop && should_stop()) throw error(errc::interrupted, "language detection interrupted");
        const auto samples = chunk_samples(audio, c);
        if (samples.size() < static_cast<std::size_t>(sample_rate / 10)) continue;
        if (whisper_pcm_to_mel_with_state(m.ctx.get(), st, samples.data(), static_cast<int>(samples.size()),
                                          n_threads) != 0)
            throw error(errc::stage_failed, "whisper.cpp could not compute the mel spectrogram for language detection");
        std::fill(probs.begin(), probs.end(), 0.0f);
        if (whisper_lang_auto_detect_with_state(m.ctx.get(), st, 0, n_threads, probs.data()) < 0)
            throw error(errc::stage_failed, "whisper.cpp language detection failed");
        for (int i = 0; i < n_langs; ++i) acc[static_cast<std::size_t>(i)] += probs[static_cast<std::size_t>(i)];
        ++used;
    }
    if (used == 0) return {"en", 0.0f};
    int best = 0;
    double sum = 0;
    for (int i = 0; i < n_langs; ++i) {
        sum += acc[static_cast<std::size_t>(i)];
        if (acc[static_cast<std::size_t>(i)] > acc[static_cast<std::size_t>(best)]) best = i;
    }
    return {whisper_lang_str(best), sum > 0 ? static_cast<float>(acc[static_cast<std::size_t>(best)] / sum) : 0.0f};
}

transcript whisper_engine::run(const request& req) {
    auto& m = *impl_;
    const auto t_start = std::chrono::steady_clock::now();
    if (req.audio.empty()) throw error(errc::input_empty_audio, "the audio has no samples: nothing to transcribe");
    if (req.task != "transcribe" && req.task != "translate")
        throw error(errc::usage, fmt::format("unknown ASR task '{}' (transcribe, translate)", req.task));
    const bool translate = req.task == "translate";
    if (translate && !m.info.multilingual)
        throw error(errc::usage, fmt::format("{} is an English-only model: it cannot translate", m.opt.model.string()));

    const double duration = static_cast<double>(req.audio.size()) / sample_rate;
    speech_map whole;
    if (!req.speech) {
        whole.duration = duration;
        whole.segments.push_back({0.0, duration});
    }
    auto chunks = make_chunks(req.speech ? *req.speech : whole, m.opt.chunk_s, m.opt.max_gap_s);
    for (auto& c : chunks) {
        c.end = std::min(c.end, duration);
        std::erase_if(c.pieces, [&](const piece& p) { return p.start >= duration; });
        for (auto& p : c.pieces) p.end = std::min(p.end, duration);
    }
    std::erase_if(chunks, [&](const chunk& c) { return c.start >= duration || c.end - c.start <= 0; });
    for (std::size_t i = 0; i < chunks.size(); ++i) chunks[i].index = static_cast<int>(i);

    // Language: fixed, or detected once on the first speech chunk(s).
    std::string language = req.language.empty() ? "auto" : req.language;
    float language_probability = 1.0f;
    bool detected = false;
    if (!m.info.multilingual) {
        if (language != "auto" && language != "en")
            spdlog::warn("ASR: {} is English-only; decoding as English, not '{}'", m.opt.model.string(), language);
        language = "en";
    } else if (language == "auto") {
        if (!chunks.empty()) {
            const auto g = detect_language(req.audio, chunks, req.should_stop);
            language = g.language;
            language_probability = g.probability;
            detected = true;
        } else {
            language = "und";  // no speech: nothing to detect
            language_probability = 0.0f;
        }
    } else if (whisper_lang_id(language.c_str()) < 0) {
        throw error(errc::job_invalid, fmt::format("Whisper does not know the language '{}'", language));
    }

    transcript t;
    t.language = translate ? "en" : language;
    t.language_probability = translate ? 1.0f : language_probability;
    t.task = req.task;
    t.engine = "whisper";
    t.model = util::display_path(m.opt.model.filename());
    t.synthetic = m.info.synthetic;

    // Prompts: at most n_text_ctx / 2 tokens reach the decoder, <|startofprev|> included (224 for
    // every Whisper model); a longer prompt keeps its last tokens, as whisper.cpp would.
    const int max_prompt_tokens = whisper_n_text_ctx(m.ctx.get()) / 2 - 1;
    auto tokenize = [&](const std::string& text) {
        std::vector<whisper_token> tokens;
        if (text.empty()) return tokens;
        // A byte-level BPE never makes more tokens than bytes (+1 for safety): no size query needed.
        tokens.resize(text.size() + 1);
        const int n = whisper_tokenize(m.ctx.get(), text.c_str(), tokens.data(), static_cast<int>(tokens.size()));
        tokens.resize(static_cast<std::size_t>(std::max(n, 0)));
        return tokens;
    };
    auto fit = [&](std::vector<whisper_token> tokens) {
        if (tokens.size() > static_cast<std::size_t>(max_prompt_tokens))
            tokens.erase(tokens.begin(), tokens.end() - max_prompt_tokens);
        return tokens;
    };
    const std::vector<whisper_token> fixed_prompt = fit(tokenize(req.prompt.empty() ? m.opt.prompt : req.prompt));
    const bool per_chunk_prompt = static_cast<bool>(req.prompt_for);
    const std::function<int(std::string_view)> count_tokens = [&](std::string_view text) {
        for (const char c : text)
            if (!m.byte_token[static_cast<unsigned char>(c)]) return -1;  // whisper.cpp would drop it
        return static_cast<int>(tokenize(std::string(text)).size());
    };

    double speech_seconds = 0;
    for (const auto& c : chunks) speech_seconds += c.audio_seconds();
    std::vector<chunk_result> results(chunks.size());
    // The tail: the last chunks.size() % workers chunks (all of them when there are no more than workers).
    // Where a chunk's result does not depend on its thread count, the tail runs after the other chunks and
    // shares the whole thread budget, so no core idles while a chunk remains; otherwise all chunks go
    // through one pool (EngineTest.ParallelEqualsSequentialAndDeterministic checks both).
    const std::size_t n_chunks = chunks.size();
    const auto workers = static_cast<std::size_t>(m.opt.workers);
    const std::size_t budget = workers * static_cast<std::size_t>(m.opt.threads);
    const std::size_t n_tail = workers <= 1 ? 0 : (n_chunks <= workers ? n_chunks : n_chunks % workers);
    const std::size_t head_end = n_chunks - n_tail;
    // Only without flash attention: ggml's flash-attention decode splits the cross-attention's 1500
    // frames by thread count and sums the parts in that order (ggml-cpu/ops.cpp, use_split_kv_path), so a
    // re-threaded chunk would differ in the last bits from the same chunk decoded sequentially.
    // Rolling prompts (request::prompt_streams): S contiguous streams of chunks, each decoded in time
    // order, so chunk i's prompt sees exactly the chunks before it in its stream. No re-threaded tail
    // then: a stream's last chunk cannot start early.
    const std::size_t n_streams =
        per_chunk_prompt && req.prompt_streams > 0 ? std::min<std::size_t>(req.prompt_streams, n_chunks) : 0;
    std::vector<std::size_t> stream_begin(n_streams), stream_next(n_streams), stream_end(n_streams);
    std::vector<char> stream_busy(n_streams, 0);
    for (std::size_t s = 0; s < n_streams; ++s) {
        stream_begin[s] = stream_next[s] = s * n_chunks / n_streams;
        stream_end[s] = (s + 1) * n_chunks / n_streams;
    }
    auto stream_of = [&](std::size_t i) {
        std::size_t s = 0;
        while (s + 1 < n_streams && i >= stream_end[s]) ++s;
        return s;
    };
    std::condition_variable stream_ready;
    const bool rethread = m.dtw && n_streams == 0;  // flash attention is off exactly when DTW is on
    const int tail_threads =
        n_tail && rethread ? static_cast<int>(std::max<std::size_t>(1, budget / n_tail)) : m.opt.threads;
    const std::size_t n_workers = std::min(workers, std::max<std::size_t>(1, n_streams ? n_streams : n_chunks));
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};       // no more chunks: should_stop() turned true, or an error
    std::atomic<bool> abort_all{false};  // an error: chunks in flight are abandoned
    const std::function<bool()> no_stop;
    std::mutex mutex;  // guards: first_error, progress, counters below, the streams
    std::exception_ptr first_error;
    std::size_t done = 0;
    double done_audio = 0;
    const std::function<bool()> should_stop = req.should_stop;

    // The next chunk a worker may decode; `end` when none is left (or the run stops).
    auto take = [&](std::size_t end) -> std::size_t {
        if (n_streams == 0) {
            const std::size_t i = next.fetch_add(1);
            if (i < end) return i;
            next.store(end);  // the next phase starts at `end`
            return end;
        }
        std::unique_lock lock(mutex);
        for (;;) {
            if (stop.load()) return end;
            std::size_t best = end, best_stream = 0;
            bool left = false;
            for (std::size_t s = 0; s < n_streams; ++s) {
                if (stream_next[s] >= stream_end[s]) continue;
                left = true;
                if (!stream_busy[s] && stream_next[s] < best) {
                    best = stream_next[s];
                    best_stream = s;
                }
            }
            if (!left) {
                next.store(end);
                return end;
            }
            if (best < end) {
                stream_busy[best_stream] = 1;
                ++stream_next[best_stream];
                return best;
            }
            stream_ready.wait_for(lock, std::chrono::milliseconds(50));
            if (should_stop && should_stop()) stop.store(true);
        }
    };
    auto prompt_of = [&](std::size_t i) {
        prompt_query q;
        q.index = static_cast<int>(i);
        q.start = chunks[i].start;
        q.end = chunks[i].end;
        q.language = language;
        q.translate = translate;
        const int first = n_streams ? static_cast<int>(stream_begin[stream_of(i)]) : q.index;
        q.first = first;
        q.segments_of = [&results, first, index = q.index](int j) -> const std::vector<segment>& {
            if (j < first || j >= index)
                throw error(errc::internal, fmt::format("prompt of chunk {} asked for chunk {}", index, j));
            return results[static_cast<std::size_t>(j)].segments;
        };
        q.count_tokens = count_tokens;
        q.max_tokens = max_prompt_tokens;
        return fit(tokenize(req.prompt_for(q)));
    };

    if (req.on_progress) req.on_progress(0.0, fmt::format("{} chunks", chunks.size()));
    auto worker = [&](std::size_t w, std::size_t end, int n_threads) {
        try {
            for (;;) {
                if (stop.load()) return;
                // Ctrl-C / timeout: the chunks in flight finish, no new one starts.
                if (should_stop && should_stop()) {
                    stop.store(true);
                    return;
                }
                const std::size_t i = take(end);
                if (i >= end) return;
                const auto chunk_prompt = per_chunk_prompt ? prompt_of(i) : std::vector<whisper_token>{};
                int rec = 0;
                whisper_state* st = m.state_for(w, rec);
                const auto samples = chunk_samples(req.audio, chunks[i]);
                release_chunk(req, chunks[i]);
                auto r = m.decode_chunk(st, n_threads, chunks[i], samples, language, translate,
                                        per_chunk_prompt ? chunk_prompt : fixed_prompt, abort_all, no_stop);
                // Every chunk gets a fresh state: besides the sampler, whisper.cpp v1.9.1 carries values
                // such as the no-speech probability from one whisper_full call to the next, so a reused
                // state would make a chunk's result depend on which chunk its worker decoded before.
                // (Allocating a state costs milliseconds next to a chunk's decoding.)
                m.dirty[w] = 1;
                if (!r.done) return;
                m.decoded_total.fetch_add(1);
                std::lock_guard lock(mutex);
                results[i] = std::move(r);
                ++done;
                done_audio += chunks[i].audio_seconds();
                if (n_streams) {
                    stream_busy[stream_of(i)] = 0;
                    stream_ready.notify_all();
                }
                if (req.on_progress) {
                    const double elapsed =
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
                    const double speed = elapsed > 0 ? done_audio / elapsed : 0;
                    const double eta = speed > 0 ? (speech_seconds - done_audio) / speed : -1;
                    req.on_progress(speech_seconds > 0 ? done_audio / speech_seconds : 1.0,
                                    fmt::format("chunk {}/{}, {:.1f}x realtime, ETA {}", done, chunks.size(), speed,
                                                format_eta(eta)));
                }
            }
        } catch (...) {
            std::lock_guard lock(mutex);
            if (!first_error) first_error = std::current_exception();
            abort_all.store(true);
            stop.store(true);
            stream_ready.notify_all();
        }
    };
    auto phase = [&](std::size_t pool_size, std::size_t end, int n_threads) {
        if (next.load() >= end || stop.load()) return;
        if (pool_size <= 1) {
            worker(0, end, n_threads);
            return;
        }
        std::vector<std::jthread> pool;
        pool.reserve(pool_size);
        for (std::size_t w = 0; w < pool_size; ++w) pool.emplace_back(worker, w, end, n_threads);
    };
    // Without re-threading one phase: no barrier before the tail (a free worker takes the next chunk).
    phase(n_workers, rethread ? head_end : n_chunks, m.opt.threads);
    phase(n_tail, n_chunks, tail_threads);
    if (first_error) std::rethrow_exception(first_error);
    if (done < chunks.size())
        throw error(errc::interrupted,
                    fmt::format("transcription interrupted after {} of {} chunks", done, chunks.size()));

    int fallbacks = 0;
    int windows = 0;
    long long steps = 0;
    double encode_s = 0;
    double decode_s = 0;
    for (auto& r : results) {
        fallbacks += r.fallbacks;
        windows += r.windows;
        steps += r.steps;
        encode_s += r.encode_s;
        decode_s += r.decode_s;
        for (auto& s : r.segments) t.segments.push_back(std::move(s));
    }
    make_monotonic(t.segments, 0.0, duration);

    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
    m.last_info = json{{"engine", "whisper"},
                       {"model", t.model},
                       {"model_type", m.info.type},
                       {"synthetic", m.info.synthetic},
                       {"task", t.task},
                       {"language", language},
                       {"language_probability", language_probability},
                       {"language_detected", detected},
                       {"chunks", chunks.size()},
                       {"chunks_decoded", done},
                       {"segments", t.segments.size()},
                       {"audio_seconds", duration},
                       {"speech_seconds", speech_seconds},
                       {"wall_seconds", wall},
                       {"realtime_factor", duration > 0 ? wall / duration : 0.0},
                       {"x_realtime", wall > 0 ? duration / wall : 0.0},
                       {"workers", n_workers},
                       {"threads", m.opt.threads},
                       {"tail_chunks", n_tail},
                       {"tail_threads", tail_threads},
                       {"dtw", m.dtw},
                       {"word_times", word_time_names[static_cast<std::size_t>(m.opt.word_times)]},
                       {"fixed_tokens", m.opt.fixed_tokens},
                       {"temperature_fallbacks", fallbacks},
                       // decode_probe.hpp, summed over chunks (and so over workers: CPU-side seconds)
                       {"windows", windows},
                       {"decoder_steps", steps},
                       {"encode_seconds", encode_s},
                       {"decode_seconds", decode_s}};
    if (req.on_progress)
        req.on_progress(1.0,
                        fmt::format("{} chunks, {:.1f}x realtime", chunks.size(), wall > 0 ? duration / wall : 0.0));
    return t;
}

}  // namespace cinesub::asr
