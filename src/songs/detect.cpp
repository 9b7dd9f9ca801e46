#include "songs/detect.hpp"

#include "cinesub/error.hpp"
#include "util/fft.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <cstdint>
#include <initializer_list>

namespace cinesub::songs {

namespace {

constexpr std::size_t rate = 16000;
constexpr std::size_t hop = 160;      // 10 ms
constexpr std::size_t n_fft = 1024;   // 64 ms, 15.6 Hz a bin
constexpr std::size_t band_lo = 6;    // 94 Hz
constexpr std::size_t band_hi = 256;  // 4000 Hz
constexpr int stable_age = 20;        // frames (200 ms) a peak must be held to count as a note
constexpr std::size_t max_peaks = 24;
constexpr double peak_over_median_db = 15;
constexpr std::size_t window_frames = 100;  // 1 s
constexpr std::size_t window_hop = 50;      // 0.5 s

// What each 10 ms frame contributes to the windows.
struct frame {
    float rms = 0;     // of the 10 ms hop
    float band = 0;    // energy in 94–4000 Hz
    float stable = 0;  // of it, in peaks held ≥ stable_age frames
    float f0 = 0;      // Hz; 0: unvoiced
};

// Pitch every 10 ms: the audio low-passed (63-tap windowed sinc, 1.8 kHz) and decimated to 4 kHz,
// then the normalised autocorrelation of 40 ms around the frame over 80–500 Hz; voiced when its peak
// reaches 0.75, the lag refined by a parabola through the peak.
class pitch_tracker {
public:
    static constexpr std::size_t factor = 4;  // 16 kHz → 4 kHz
    static constexpr double low_rate = static_cast<double>(rate) / factor;

    explicit pitch_tracker(std::span<const float> audio) {
        constexpr int taps = 63;
        std::array<float, taps> h{};
        double sum = 0;
        for (int i = 0; i < taps; ++i) {
            const double x = i - (taps - 1) / 2.0;
            const double fc = 1800.0 / rate;
            const double sinc = x == 0 ? 2 * fc : std::sin(2 * M_PI * fc * x) / (M_PI * x);
            const double win = 0.54 - 0.46 * std::cos(2 * M_PI * i / (taps - 1));
            h[static_cast<std::size_t>(i)] = static_cast<float>(sinc * win);
            sum += sinc * win;
        }
        for (auto& v : h) v = static_cast<float>(v / sum);
        low_.resize(audio.size() / factor);
        for (std::size_t j = 0; j < low_.size(); ++j) {
            const auto centre = static_cast<std::ptrdiff_t>(j * factor);
            double acc = 0;
            for (int i = 0; i < taps; ++i) {
                const auto s = centre + i - (taps - 1) / 2;
                if (s >= 0 && s < static_cast<std::ptrdiff_t>(audio.size()))
                    acc += h[static_cast<std::size_t>(i)] * audio[static_cast<std::size_t>(s)];
            }
            low_[j] = static_cast<float>(acc);
        }
    }

    // f0 (Hz) of the 40 ms around sample `centre` of the 16 kHz audio; 0 when unvoiced.
    float at(std::size_t centre) const {
        constexpr std::size_t len = 160;  // 40 ms at 4 kHz
        constexpr std::size_t min_lag = 8, max_lag = 50;
        const std::size_t c = centre / factor;
        if (c < len / 2 + max_lag / 2 || c + len / 2 + max_lag >= low_.size()) return 0;
        const std::size_t a = c - len / 2 - max_lag / 2;
        std::array<double, max_lag + 2> r{};
        double e0 = 0;
        for (std::size_t i = 0; i < len; ++i) e0 += static_cast<double>(low_[a + i]) * low_[a + i];
        if (e0 < 1e-7 * len) return 0;  // below about −70 dBFS
        double best = 0;
        std::size_t best_lag = 0;
        for (std::size_t lag = min_lag - 1; lag <= max_lag + 1; ++lag) {
            double xy = 0, e1 = 0;
            for (std::size_t i = 0; i < len; ++i) {
                xy += static_cast<double>(low_[a + i]) * low_[a + i + lag];
                e1 += static_cast<double>(low_[a + i + lag]) * low_[a + i + lag];
            }
            r[lag] = xy / std::sqrt(e0 * e1 + 1e-20);
            if (lag >= min_lag && lag <= max_lag && r[lag] > best) best = r[lag], best_lag = lag;
        }
        if (best < 0.75) return 0;
        // The shortest lag nearly as good (octave errors go to the longer lag).
        for (std::size_t lag = min_lag; lag < best_lag; ++lag)
            if (r[lag] >= 0.93 * best && r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1]) {
                best_lag = lag;
                break;
            }
        const double y0 = r[best_lag - 1], y1 = r[best_lag], y2 = r[best_lag + 1];
        const double d = y0 - 2 * y1 + y2;
        const double shift = d < 0 ? std::clamp(0.5 * (y0 - y2) / d, -0.5, 0.5) : 0.0;
        return static_cast<float>(low_rate / (static_cast<double>(best_lag) + shift));
    }

private:
    std::vector<float> low_;
};

double logistic(double z) { return 1.0 / (1.0 + std::exp(-z)); }

class frame_analyser {
public:
    frame_analyser() : fft_(n_fft), power_(fft_.bins()), age_(fft_.bins(), 0), next_age_(fft_.bins(), 0) {
        for (std::size_t i = 0; i < n_fft; ++i)
            window_[i] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * M_PI * static_cast<double>(i) / n_fft));
    }

    // The frame centred on sample `centre` (zero outside the audio).
    frame analyse(std::span<const float> audio, std::size_t centre) {
        frame f;
        double sq = 0;
        const std::size_t h0 = centre >= hop / 2 ? centre - hop / 2 : 0;
        const std::size_t h1 = std::min(audio.size(), h0 + hop);
        for (std::size_t i = h0; i < h1; ++i) sq += static_cast<double>(audio[i]) * audio[i];
        f.rms = static_cast<float>(std::sqrt(sq / static_cast<double>(hop)));
        auto in = fft_.input();
        const auto half = static_cast<std::ptrdiff_t>(n_fft / 2);
        for (std::size_t i = 0; i < n_fft; ++i) {
            const auto s = static_cast<std::ptrdiff_t>(centre) - half + static_cast<std::ptrdiff_t>(i);
            in[i] = s >= 0 && s < static_cast<std::ptrdiff_t>(audio.size())
                        ? audio[static_cast<std::size_t>(s)] * window_[i]
                        : 0.0f;
        }
        fft_.compute(power_);
        double band = 0;
        for (std::size_t k = band_lo; k <= band_hi; ++k) band += power_[k];
        f.band = static_cast<float>(band);
        // Peaks: local maxima over ±2 bins, 15 dB above the band's median.
        std::array<float, band_hi - band_lo + 1> sorted{};
        std::copy(power_.begin() + band_lo, power_.begin() + band_hi + 1, sorted.begin());
        std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
        const double floor = sorted[sorted.size() / 2] * std::pow(10.0, peak_over_median_db / 10) + 1e-12;
        peaks_.clear();
        for (std::size_t k = band_lo; k <= band_hi; ++k) {
            const float p = power_[k];
            if (p <= floor || p <= power_[k - 1] || p < power_[k + 1] || p < power_[k - 2] || p < power_[k + 2])
                continue;
            peaks_.push_back(k);
        }
        if (peaks_.size() > max_peaks) {
            std::nth_element(peaks_.begin(), peaks_.begin() + max_peaks, peaks_.end(),
                             [&](std::size_t a, std::size_t b) { return power_[a] > power_[b]; });
            peaks_.resize(max_peaks);
        }
        double stable = 0;
        for (const auto k : peaks_) {
            const int held = 1 + std::max({age_[k - 1], age_[k], age_[k + 1]});
            next_age_[k] = held;
            if (held >= stable_age) stable += power_[k - 1] + power_[k] + power_[k + 1];
        }
        for (const auto k : last_peaks_) age_[k] = 0;
        for (const auto k : peaks_) age_[k] = next_age_[k], next_age_[k] = 0;
        last_peaks_ = peaks_;
        f.stable = static_cast<float>(std::min(stable, band));
        return f;
    }

private:
    util::power_spectrum fft_;
    std::array<float, n_fft> window_{};
    std::vector<float> power_;
    std::vector<int> age_, next_age_;
    std::vector<std::size_t> peaks_, last_peaks_;
};

// Depth (dB) of the 2–8 Hz modulation of a window's log band energy: the RMS of those DFT components.
double modulation_depth(std::span<const frame> frames) {
    const std::size_t n = frames.size();
    std::vector<double> env(n);
    double mean = 0;
    for (std::size_t i = 0; i < n; ++i) {
        env[i] = 10.0 * std::log10(static_cast<double>(frames[i].band) + 1e-10);
        mean += env[i];
    }
    mean /= static_cast<double>(n);
    double power = 0;
    const double frames_per_s = static_cast<double>(rate) / hop;
    for (int hz = 2; hz <= 8; ++hz) {
        std::complex<double> x{0, 0};
        for (std::size_t i = 0; i < n; ++i)
            x += (env[i] - mean) * std::polar(1.0, -2.0 * M_PI * hz * static_cast<double>(i) / frames_per_s);
        power += 2.0 * std::norm(x) / (static_cast<double>(n) * static_cast<double>(n));
    }
    return std::sqrt(power);
}

double mean_probability(const detect_options& o, double start, double end) {
    if (o.speech_probability.empty() || o.speech_frame_s <= 0) return 0.5;
    const auto a = static_cast<std::size_t>(std::max(0.0, start / o.speech_frame_s));
    const auto b = std::min(o.speech_probability.size(), static_cast<std::size_t>(std::ceil(end / o.speech_frame_s)));
    if (a >= b) return 0;
    double s = 0;
    for (std::size_t i = a; i < b; ++i) s += o.speech_probability[i];
    return s / static_cast<double>(b - a);
}

// Speech or not: the log-odds of a logistic regression on the window's features — the syllable
// rhythm (modulation), pauses between syllables (low_energy), the VAD's voice (a low probability says
// a lot, a high one less: Silero hears singers too), sustained spectral peaks and held pitch (speech
// intonation never holds a note). Fitted (scripts/fit-songs-weights.py: Newton's method, L2 1e-4, classes balanced)
// on the windows of the test scenes of seeds 1–6 and the Sintel clip (weighted ×10: real film sound);
// the scenes of seeds 7–12 are held out.
double speech_evidence(const window_features& w) {
    const double rhythm = std::clamp(w.modulation - 2.5, -2.0, 3.0);
    const double pauses = std::clamp(w.low_energy - 0.15, -0.15, 0.25);
    const double voice = w.voice - 0.5, no_voice = std::max(0.0, 0.12 - w.voice);
    const double notes = std::max(0.0, w.stable - 0.5), stable = w.stable - 0.35;
    const double held = std::max(0.0, w.held - 0.05);
    return -0.79 + 0.47 * rhythm + 8.34 * pauses + 4.70 * voice - 12.71 * no_voice - 0.21 * notes - 4.92 * stable -
           12.60 * held;
}
// A voice in music: Silero's probability, which stays near 0 on instruments.
double sung_evidence(const window_features& w) { return (w.voice - 0.15) / 0.05; }

struct run {
    std::size_t first = 0, end = 0;  // windows [first, end)
    sound kind = sound::silence;
};

std::vector<run> runs_of(const std::vector<window_features>& w) {
    std::vector<run> out;
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (out.empty() || out.back().kind != w[i].kind)
            out.push_back({i, i + 1, w[i].kind});
        else
            out.back().end = i + 1;
    }
    return out;
}

// Relabels each run of `kind` shorter than `min_windows` as its longer neighbour (of a kind in `into`);
// repeated until nothing changes.
void absorb_short(std::vector<window_features>& w, sound kind, std::size_t min_windows,
                  std::initializer_list<sound> into, bool both_sides_same = false) {
    for (bool changed = true; changed;) {
        changed = false;
        const auto runs = runs_of(w);
        for (std::size_t r = 0; r < runs.size(); ++r) {
            if (runs[r].kind != kind || runs[r].end - runs[r].first >= min_windows) continue;
            const run* prev = r > 0 ? &runs[r - 1] : nullptr;
            const run* next = r + 1 < runs.size() ? &runs[r + 1] : nullptr;
            const auto ok = [&](const run* x) {
                return x && std::find(into.begin(), into.end(), x->kind) != into.end();
            };
            const run* pick = nullptr;
            if (both_sides_same) {
                if (ok(prev) && ok(next) && prev->kind == next->kind) pick = prev;
            } else if (ok(prev) && ok(next)) {
                pick = prev->end - prev->first >= next->end - next->first ? prev : next;
            } else {
                pick = ok(prev) ? prev : ok(next) ? next : nullptr;
            }
            if (!pick) continue;
            for (std::size_t i = runs[r].first; i < runs[r].end; ++i) w[i].kind = pick->kind;
            changed = true;
            break;
        }
    }
}

// Scores per window, then kinds, then segments.
void classify(sound_analysis& a, const detect_options& o) {
    auto& w = a.windows;
    if (w.empty()) return;
    const auto per_s = 1.0 / a.hop_s;
    // Viterbi over silence / speech / music: each window's cost is −log of its probability (silence
    // by loudness alone), and a change of state costs switch_cost (less to and from silence).
    constexpr double switch_cost = 1.5, silence_switch = 1.0, impossible = 1e9;
    const std::size_t n = w.size();
    std::vector<std::array<double, 3>> cost(n);
    std::vector<std::array<std::uint8_t, 3>> from(n);
    const auto softplus = [](double z) { return z > 30 ? z : std::log1p(std::exp(z)); };
    for (std::size_t i = 0; i < n; ++i) {
        const double z = speech_evidence(w[i]);
        w[i].music = 1.0 - logistic(z);
        w[i].sung = logistic(sung_evidence(w[i]));
        const bool quiet = w[i].rms_db < o.silence_db;
        const std::array<double, 3> emit{quiet ? 0.0 : impossible, quiet ? impossible : softplus(-z),
                                         quiet ? impossible : softplus(z)};
        for (std::size_t s1 = 0; s1 < 3; ++s1) {
            double best = impossible * 4;
            std::uint8_t arg = 0;
            for (std::size_t s0 = 0; s0 < 3 && i > 0; ++s0) {
                const double step = s0 == s1 ? 0.0 : (s0 == 0 || s1 == 0) ? silence_switch : switch_cost;
                if (cost[i - 1][s0] + step < best) best = cost[i - 1][s0] + step, arg = static_cast<std::uint8_t>(s0);
            }
            cost[i][s1] = (i > 0 ? best : 0.0) + emit[s1];
            from[i][s1] = arg;
        }
    }
    std::size_t state =
        static_cast<std::size_t>(std::min_element(cost[n - 1].begin(), cost[n - 1].end()) - cost[n - 1].begin());
    for (std::size_t i = n; i-- > 0;) {
        w[i].kind = state == 0 ? sound::silence : state == 1 ? sound::speech : sound::music;
        state = from[i][state];
    }
    const auto windows_for = [&](double seconds) { return static_cast<std::size_t>(std::ceil(seconds * per_s)); };
    // A breath inside a song or a bar's rest is not silence between two things.
    absorb_short(w, sound::silence, windows_for(2.0), {sound::music}, true);
    // A word shouted over a song is not a scene of dialogue; a short sting is not a music scene.
    absorb_short(w, sound::speech, windows_for(1.0), {sound::music});
    absorb_short(w, sound::music, windows_for(o.min_music_s), {sound::speech, sound::silence});
    // Songs: long music runs with a voice through much of them.
    for (const auto& r : runs_of(w)) {
        if (r.kind != sound::music) continue;
        const double seconds = static_cast<double>(r.end - r.first) * a.hop_s;
        std::size_t sung = 0;
        for (std::size_t i = r.first; i < r.end; ++i) sung += w[i].sung >= 0.5 ? 1 : 0;
        const double fraction = static_cast<double>(sung) / static_cast<double>(r.end - r.first);
        if (seconds >= o.min_song_s && fraction >= o.min_sung_fraction)
            for (std::size_t i = r.first; i < r.end; ++i) w[i].kind = sound::song;
    }
    // Segments: window i stands for [centre − hop/2, centre + hop/2), the first from 0, the last to the end.
    for (const auto& r : runs_of(w)) {
        const double c0 = w[r.first].start + a.window_s / 2, c1 = w[r.end - 1].start + a.window_s / 2;
        sound_segment seg;
        seg.start = r.first == 0 ? 0.0 : c0 - a.hop_s / 2;
        seg.end = r.end == w.size() ? a.duration : std::min(a.duration, c1 + a.hop_s / 2);
        seg.kind = r.kind;
        double margin = 0;
        for (std::size_t i = r.first; i < r.end; ++i) {
            const double p = r.kind == sound::song     ? std::min(w[i].music, std::max(w[i].sung, 0.5))
                             : r.kind == sound::music  ? w[i].music
                             : r.kind == sound::speech ? 1 - w[i].music
                                                       : 1.0;
            margin += std::abs(p - 0.5);
        }
        seg.confidence = std::clamp(0.5 + margin / static_cast<double>(r.end - r.first), 0.5, 1.0);
        if (seg.end > seg.start) a.segments.push_back(seg);
    }
}

}  // namespace

std::string_view sound_name(sound s) {
    switch (s) {
        case sound::silence:
            return "silence";
        case sound::speech:
            return "speech";
        case sound::music:
            return "music";
        case sound::song:
            return "song";
    }
    return "silence";
}

sound parse_sound(std::string_view name) {
    for (auto s : {sound::silence, sound::speech, sound::music, sound::song})
        if (sound_name(s) == name) return s;
    throw error(errc::input_corrupt, fmt::format("'{}' is not a sound (silence, speech, music, song)", name));
}

sound sound_at(std::span<const sound_segment> segments, double t) {
    const auto it = std::upper_bound(segments.begin(), segments.end(), t,
                                     [](double v, const sound_segment& s) { return v < s.start; });
    if (it == segments.begin()) return sound::silence;
    const auto& s = *std::prev(it);
    return t < s.end ? s.kind : sound::silence;
}

double frame_score::precision() const {
    const auto d = true_positive + false_positive;
    return d == 0 ? 1.0 : static_cast<double>(true_positive) / static_cast<double>(d);
}
double frame_score::recall() const {
    const auto d = true_positive + false_negative;
    return d == 0 ? 1.0 : static_cast<double>(true_positive) / static_cast<double>(d);
}
double frame_score::f1() const {
    const auto d = 2 * true_positive + false_positive + false_negative;
    return d == 0 ? 1.0 : 2.0 * static_cast<double>(true_positive) / static_cast<double>(d);
}

frame_score score_frames(std::span<const sound_segment> ref, std::span<const sound_segment> hyp, double duration,
                         double resolution_s, bool songs_only) {
    if (resolution_s <= 0) throw error(errc::usage, "score_frames: the resolution must be positive");
    const auto positive = [songs_only](sound s) { return s == sound::song || (!songs_only && s == sound::music); };
    frame_score out;
    for (std::size_t k = 0; (static_cast<double>(k) + 0.5) * resolution_s <= duration; ++k) {
        const double t = (static_cast<double>(k) + 0.5) * resolution_s;
        const bool r = positive(sound_at(ref, t)), h = positive(sound_at(hyp, t));
        ++out.frames;
        if (r && h) ++out.true_positive;
        if (!r && h) ++out.false_positive;
        if (r && !h) ++out.false_negative;
    }
    return out;
}

namespace {
bool among(sound s, std::span<const sound> kinds) { return std::find(kinds.begin(), kinds.end(), s) != kinds.end(); }
}  // namespace

std::vector<speech_segment> without_sounds(std::span<const speech_segment> speech,
                                           std::span<const sound_segment> sounds, std::span<const sound> kinds,
                                           double min_piece_s) {
    std::vector<speech_segment> out;
    for (const auto& sp : speech) {
        double from = sp.start;
        for (const auto& so : sounds) {
            if (so.end <= from || !among(so.kind, kinds)) continue;
            if (so.start >= sp.end) break;
            if (so.start - from >= min_piece_s) out.push_back({from, so.start});
            from = std::max(from, so.end);
            if (from >= sp.end) break;
        }
        if (sp.end - from >= min_piece_s) out.push_back({from, sp.end});
    }
    return out;
}

double seconds_inside(std::span<const speech_segment> speech, std::span<const sound_segment> sounds,
                      std::span<const sound> kinds) {
    double total = 0;
    for (const auto& sp : speech)
        for (const auto& so : sounds)
            if (among(so.kind, kinds)) total += std::max(0.0, std::min(sp.end, so.end) - std::max(sp.start, so.start));
    return total;
}

sound_analysis detect_sounds(std::span<const float> audio, const detect_options& o,
                             const std::function<bool()>& should_stop) {
    sound_analysis out;
    out.duration = static_cast<double>(audio.size()) / rate;
    const std::size_t n_frames = (audio.size() + hop - 1) / hop;
    std::vector<frame> frames(n_frames);
    frame_analyser fa;
    const pitch_tracker pitch(audio);
    for (std::size_t i = 0; i < n_frames; ++i) {
        if (i % 1000 == 0 && should_stop && should_stop())
            throw error(errc::interrupted, "music detection interrupted");
        frames[i] = fa.analyse(audio, i * hop + hop / 2);
        frames[i].f0 = pitch.at(i * hop + hop / 2);
    }
    // A held note: voiced, and within ±0.4 semitone 80 ms before and after.
    constexpr std::size_t reach = 8;
    std::vector<std::uint8_t> held(n_frames, 0);
    for (std::size_t i = reach; i + reach < n_frames; ++i) {
        const float a = frames[i - reach].f0, b = frames[i].f0, c = frames[i + reach].f0;
        if (a <= 0 || b <= 0 || c <= 0) continue;
        const auto close = [](float x, float y) { return std::abs(std::log2(x / y)) < 0.4 / 12; };
        held[i] = close(a, b) && close(b, c) ? 1 : 0;
    }
    // Windows.
    for (std::size_t w0 = 0; w0 < n_frames; w0 += window_hop) {
        const std::size_t w1 = std::min(n_frames, w0 + window_frames);
        if (w1 - w0 < window_frames / 2 && w0 > 0) break;
        const std::span<const frame> f(frames.data() + w0, w1 - w0);
        window_features w;
        w.start = static_cast<double>(w0) * hop / rate;
        double sq = 0, rms_sum = 0, band = 0, stable = 0;
        for (const auto& x : f) {
            sq += static_cast<double>(x.rms) * x.rms;
            rms_sum += x.rms;
            band += x.band;
            stable += x.stable;
        }
        const double n = static_cast<double>(f.size());
        w.rms_db = 10.0 * std::log10(sq / n + 1e-12);
        const double mean_rms = rms_sum / n;
        w.low_energy = static_cast<double>(
                           std::count_if(f.begin(), f.end(), [&](const frame& x) { return x.rms < 0.5 * mean_rms; })) /
                       n;
        w.stable = band > 0 ? stable / band : 0;
        w.modulation = modulation_depth(f);
        w.voice = mean_probability(o, w.start, w.start + out.window_s);
        w.held = static_cast<double>(std::count(held.begin() + static_cast<std::ptrdiff_t>(w0),
                                                held.begin() + static_cast<std::ptrdiff_t>(w1), std::uint8_t{1})) /
                 n;
        out.windows.push_back(w);
    }
    classify(out, o);
    return out;
}

}  // namespace cinesub::songs
