#include "mixtures.hpp"

#include "asr/wav.hpp"
#include "cinesub/error.hpp"
#include "media/media.hpp"
#include "speakers/rttm.hpp"
#include "support.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <numbers>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace cinesub::test {

namespace fs = std::filesystem;

namespace {

// Draws from std::mt19937's raw output only (its sequence is fixed by the standard; the library's
// distributions are not), so a seed gives the same conversation with any standard library.
class mix_rng {
public:
    explicit mix_rng(std::uint32_t seed) : gen_(seed) {}
    std::uint32_t next() { return static_cast<std::uint32_t>(gen_()); }
    // Uniform in [lo, hi].
    double uniform(double lo, double hi) { return lo + (hi - lo) * (static_cast<double>(next()) / 4294967295.0); }
    // Uniform in [0, n), n > 0.
    std::size_t index(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    template <class T>
    void shuffle(std::vector<T>& v) {
        for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[index(i)]);
    }

private:
    std::mt19937 gen_;
};

constexpr std::size_t mix_frame = mixture_frame_samples;

std::size_t mix_samples(double seconds) {
    return static_cast<std::size_t>(std::llround(seconds * mixture_sample_rate));
}

// A clip scaled to the speech level, with its speech frames.
struct mix_clip {
    std::string speaker;
    std::vector<float> samples;
    clip_speech speech;
};

mix_clip mix_prepare(const fs::path& path) {
    mix_clip c;
    c.speaker = path.stem().string();
    c.samples = clip_16k(path);
    c.speech = find_speech(c.samples);
    if (c.speech.first == c.speech.end)
        throw error(errc::input_corrupt, "mixture clip " + path.string() + " has no speech: replace the file");
    const double gain = mixture_speech_rms / c.speech.speech_rms;
    for (float& x : c.samples) x = static_cast<float>(x * gain);
    for (double& r : c.speech.rms) r *= gain;
    c.speech.speech_rms = mixture_speech_rms;
    return c;
}

// Samples [a, b) of the clip: the speech inside frames [from, to) with silent frames at both ends trimmed.
std::pair<std::size_t, std::size_t> mix_trim(const mix_clip& c, std::size_t from, std::size_t to) {
    while (from < to && !c.speech.speech[from]) ++from;
    while (to > from && !c.speech.speech[to - 1]) --to;
    if (from == to) return {0, 0};
    return {from * mix_frame, std::min(to * mix_frame, c.samples.size())};
}

// The frame in [at - radius, at + radius] (clamped to [min_f, max_f]) with the least energy, the one
// nearest `at` on ties; the frame just past the clip's end counts as silent.
std::size_t mix_quietest(const mix_clip& c, std::size_t at, std::size_t radius, std::size_t min_f, std::size_t max_f) {
    const auto energy = [&](std::size_t f) { return f < c.speech.rms.size() ? c.speech.rms[f] : 0.0; };
    const std::size_t lo = std::max(min_f, at > radius ? at - radius : 0);
    const std::size_t hi = std::min(max_f, at + radius);
    std::size_t best = std::clamp(at, lo, hi);
    for (std::size_t d = 0; d <= radius; ++d) {
        for (const std::size_t f : {at + d, at >= d ? at - d : hi + 1}) {
            if (f < lo || f > hi) continue;
            if (energy(f) < energy(best)) best = f;
        }
    }
    return best;
}

double mix_rms(const mix_clip& c, std::pair<std::size_t, std::size_t> piece) {
    double s = 0;
    for (std::size_t i = piece.first; i < piece.second; ++i) s += static_cast<double>(c.samples[i]) * c.samples[i];
    return std::sqrt(s / static_cast<double>(std::max<std::size_t>(1, piece.second - piece.first)));
}

// A 1.5–4 s piece of the clip cut at quiet frames, trimmed; the whole speech when the clip is shorter.
std::pair<std::size_t, std::size_t> mix_piece(const mix_clip& c, mix_rng& rng) {
    const std::size_t f0 = c.speech.first, f1 = c.speech.end;
    const std::size_t snap = mix_samples(0.24) / mix_frame;
    for (int attempt = 0; attempt < 8; ++attempt) {
        const std::size_t length = mix_samples(rng.uniform(1.5, 4.0)) / mix_frame;
        if (f1 - f0 <= length) break;
        const std::size_t at = f0 + rng.index(f1 - f0 - length + 1);
        const std::size_t start = mix_quietest(c, at, snap, f0, f1 - 1);
        const std::size_t end = mix_quietest(c, std::min(start + length, f1), snap, start + 1, f1);
        const auto piece = mix_trim(c, start, end);
        // At least 1 s, and mostly speech (not a stretch of hiss around a breath).
        if (piece.second - piece.first >= mix_samples(1.0) && mix_rms(c, piece) >= 0.5 * mixture_speech_rms)
            return piece;
    }
    return mix_trim(c, f0, f1);
}

void mix_add(std::vector<float>& out, std::size_t at, const std::vector<float>& src, std::size_t a, std::size_t b) {
    // 2 ms raised-cosine fades so that a cut inside speech does not click.
    const std::size_t fade = std::min<std::size_t>(32, (b - a) / 2);
    for (std::size_t i = a; i < b; ++i) {
        const std::size_t from_edge = std::min(i - a, b - 1 - i);
        double g = 1.0;
        if (from_edge < fade)
            g = 0.5 -
                0.5 * std::cos(std::numbers::pi * (static_cast<double>(from_edge) + 0.5) / static_cast<double>(fade));
        out[at + (i - a)] += static_cast<float>(src[i] * g);
    }
}

void mix_check(const mixture_options& o) {
    auto bad = [](const std::string& what) { throw error(errc::usage, "mixture_options: " + what); };
    if (o.speakers < 2 || o.speakers > 8) bad("speakers must be 2..8, got " + std::to_string(o.speakers));
    if (o.turns < o.speakers) bad("turns (" + std::to_string(o.turns) + ") must be at least speakers");
    if (!(std::isfinite(o.pause_min_s) && std::isfinite(o.pause_max_s) && o.pause_min_s >= 0 &&
          o.pause_max_s >= o.pause_min_s))
        bad("need 0 <= pause_min_s <= pause_max_s");
    if (!(o.overlap_fraction >= 0 && o.overlap_fraction <= 1)) bad("overlap_fraction must be in [0, 1]");
    if (std::isnan(o.music_db) || o.music_db > 40) bad("music_db must be a number <= 40");
}

}  // namespace

clip_speech find_speech(const std::vector<float>& samples) {
    clip_speech out;
    const std::size_t frames = (samples.size() + mix_frame - 1) / mix_frame;
    out.rms.assign(frames, 0.0);
    for (std::size_t f = 0; f < frames; ++f) {
        const std::size_t a = f * mix_frame;
        const std::size_t b = std::min(a + mix_frame, samples.size());
        double s = 0;
        for (std::size_t i = a; i < b; ++i) s += static_cast<double>(samples[i]) * samples[i];
        out.rms[f] = std::sqrt(s / static_cast<double>(b - a));
    }
    out.speech.assign(frames, false);
    const double peak = frames ? *std::max_element(out.rms.begin(), out.rms.end()) : 0.0;
    if (!(peak > 0)) return out;
    std::vector<double> sorted = out.rms;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(frames / 10), sorted.end());
    const double noise_floor = sorted[frames / 10];
    out.threshold =
        std::clamp(noise_floor * std::pow(10.0, mixture_noise_margin_db / 20.0),
                   peak * std::pow(10.0, mixture_trim_db / 20.0), peak * std::pow(10.0, mixture_trim_max_db / 20.0));
    for (std::size_t f = 0; f < frames; ++f) out.speech[f] = out.rms[f] >= out.threshold;
    for (std::size_t f = 0; f < frames;) {  // runs shorter than mixture_min_speech_frames are clicks
        std::size_t run = f;
        while (run < frames && out.speech[run]) ++run;
        if (run - f < mixture_min_speech_frames)
            for (std::size_t g = f; g < run; ++g) out.speech[g] = false;
        f = run + 1;
    }
    double energy = 0;
    std::size_t count = 0;
    for (std::size_t f = 0; f < frames; ++f) {
        if (!out.speech[f]) continue;
        const std::size_t n = std::min(mix_frame, samples.size() - f * mix_frame);
        energy += out.rms[f] * out.rms[f] * static_cast<double>(n);
        count += n;
    }
    if (count == 0) return out;
    out.speech_rms = std::sqrt(energy / static_cast<double>(count));
    out.first = static_cast<std::size_t>(std::find(out.speech.begin(), out.speech.end(), true) - out.speech.begin());
    out.end = frames -
              static_cast<std::size_t>(std::find(out.speech.rbegin(), out.speech.rend(), true) - out.speech.rbegin());
    return out;
}

std::vector<fs::path> hindi_clips() {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(testdata("media/hi_commonvoice"), ec)) {
        const std::string name = entry.path().filename().string();
        if (name.size() == 13 && name.starts_with("hindi_") && name.ends_with(".wav") &&
            std::all_of(name.begin() + 6, name.begin() + 9, [](char ch) { return ch >= '0' && ch <= '9'; }))
            out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

const std::vector<float>& clip_16k(const fs::path& clip) {
    static std::mutex m;
    static std::map<fs::path, std::vector<float>> cache;
    std::lock_guard lock(m);
    if (const auto it = cache.find(clip); it != cache.end()) return it->second;
    temp_dir tmp;
    const auto wav = tmp / "clip.wav";
    media::demux_audio(clip, wav, {});
    return cache.emplace(clip, asr::read_wav_16k_mono(wav)).first->second;
}

std::vector<float> make_music_bed(std::size_t samples, unsigned seed) {
    std::vector<float> out(samples, 0.0f);
    if (samples == 0) return out;
    constexpr double rate = mixture_sample_rate;
    constexpr double two_pi = 2 * std::numbers::pi;
    // Am – F – C – G, 2 s each, 0.3 s cross-fades, a slow swell on top.
    static const std::vector<std::vector<double>> chords = {
        {220.00, 261.63, 329.63}, {174.61, 220.00, 261.63}, {130.81, 164.81, 196.00}, {196.00, 246.94, 293.66}};
    const double chord_s = 2.0, fade_s = 0.3;
    const std::size_t first_chord = seed % chords.size();
    for (std::size_t i = 0; i < samples; ++i) {
        const double t = static_cast<double>(i) / rate;
        const auto k = static_cast<std::size_t>(t / chord_s);
        double v = 0;
        for (const std::size_t c : {k, k + 1}) {                       // this chord, and the next one fading in
            const double into = t - static_cast<double>(c) * chord_s;  // seconds since chord c began
            double env = 0;
            if (into >= -fade_s && into < 0)
                env = 0.5 - 0.5 * std::cos(std::numbers::pi * (into + fade_s) / fade_s);
            else if (into >= 0 && into < chord_s - fade_s)
                env = 1;
            else if (into >= chord_s - fade_s && into < chord_s)
                env = 0.5 + 0.5 * std::cos(std::numbers::pi * (into - (chord_s - fade_s)) / fade_s);
            if (env == 0) continue;
            for (const double f : chords[(first_chord + c) % chords.size()])
                for (int h = 1; h <= 6; ++h) v += env * std::sin(two_pi * f * h * t) / std::pow(h, 1.5);
        }
        v *= 0.75 + 0.25 * std::sin(two_pi * 0.25 * t);
        out[i] = static_cast<float>(v / 3);
    }
    // A kick on every beat (2 Hz) and a hi-hat between beats.
    const auto beat = static_cast<std::size_t>(rate / 2);
    std::uint32_t noise = 0x9e3779b9u ^ seed;
    for (std::size_t b = 0; b < samples; b += beat) {
        double phase = 0;
        for (std::size_t j = 0; j < mix_samples(0.25) && b + j < samples; ++j) {
            const double tau = static_cast<double>(j) / rate;
            phase += two_pi * (50 + 100 * std::exp(-tau / 0.03)) / rate;
            out[b + j] += static_cast<float>(1.2 * std::sin(phase) * std::exp(-tau / 0.08));
        }
        for (std::size_t j = 0, at = b + beat / 2; j < mix_samples(0.06) && at + j < samples; ++j) {
            noise = noise * 1664525u + 1013904223u;
            const double white = static_cast<double>(noise >> 8) / 8388608.0 - 1.0;
            out[at + j] += static_cast<float>(0.35 * white * std::exp(-static_cast<double>(j) / rate / 0.015));
        }
    }
    double energy = 0;
    for (const float x : out) energy += static_cast<double>(x) * x;
    const double gain = 1 / std::sqrt(energy / static_cast<double>(samples));
    for (float& x : out) x = static_cast<float>(x * gain);
    return out;
}

mixture make_conversation(const mixture_options& o) {
    mix_check(o);
    const auto all = hindi_clips();
    if (all.size() < static_cast<std::size_t>(o.speakers))
        throw error(errc::input_missing, "mixtures need " + std::to_string(o.speakers) + " clips in " +
                                             testdata("media/hi_commonvoice").string() + ", found " +
                                             std::to_string(all.size()));
    mix_rng rng(o.seed);

    // The speakers: a seed's own choice of clips.
    std::vector<std::size_t> order(all.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    rng.shuffle(order);
    mixture m;
    std::vector<mix_clip> clips;
    for (int s = 0; s < o.speakers; ++s) {
        m.clips.push_back(all[order[static_cast<std::size_t>(s)]]);
        clips.push_back(mix_prepare(m.clips.back()));
    }
    m.speakers = o.speakers;

    // Who speaks: everyone once first (in a shuffled order), then anyone but the previous speaker.
    const auto turns = static_cast<std::size_t>(o.turns);
    const auto n_speakers = static_cast<std::size_t>(o.speakers);
    std::vector<std::size_t> who(n_speakers);
    for (std::size_t i = 0; i < n_speakers; ++i) who[i] = i;
    rng.shuffle(who);
    while (who.size() < turns) {
        const std::size_t pick = rng.index(n_speakers - 1);
        who.push_back(pick >= who.back() ? pick + 1 : pick);
    }

    // Which turns overlap the previous one.
    std::vector<bool> overlaps(turns, false);
    if (o.overlap_fraction > 0 && turns > 1) {
        auto count = static_cast<std::size_t>(std::llround(o.overlap_fraction * static_cast<double>(turns - 1)));
        count = std::clamp<std::size_t>(count, 1, turns - 1);
        std::vector<std::size_t> later(turns - 1);
        for (std::size_t i = 0; i < later.size(); ++i) later[i] = i + 1;
        rng.shuffle(later);
        for (std::size_t i = 0; i < count; ++i) overlaps[later[i]] = true;
    }

    // The pieces and where they go (in samples, so the truth is exact).
    struct placed {
        std::size_t speaker, a, b, at;
    };
    std::vector<placed> layout;
    std::size_t end_prev = mix_samples(mixture_margin_s);
    for (std::size_t t = 0; t < turns; ++t) {
        const mix_clip& c = clips[who[t]];
        const auto [a, b] = o.whole_clips ? mix_trim(c, c.speech.first, c.speech.end) : mix_piece(c, rng);
        std::size_t at = end_prev;
        if (t > 0 && overlaps[t]) {
            const std::size_t prev_len = layout.back().b - layout.back().a;
            const std::size_t by = std::min(mix_samples(rng.uniform(0.3, 1.0)), std::min(prev_len, b - a) / 2);
            at = end_prev - by;
        } else if (t > 0) {
            at = end_prev + mix_samples(rng.uniform(o.pause_min_s, o.pause_max_s));
        }
        layout.push_back({who[t], a, b, at});
        end_prev = at + (b - a);
    }

    m.audio.assign(end_prev + mix_samples(mixture_margin_s), 0.0f);
    for (const placed& p : layout) {
        mix_add(m.audio, p.at, clips[p.speaker].samples, p.a, p.b);
        m.truth.push_back({static_cast<double>(p.at) / mixture_sample_rate,
                           static_cast<double>(p.at + (p.b - p.a)) / mixture_sample_rate, clips[p.speaker].speaker});
    }
    const auto min_pause = static_cast<std::size_t>(std::llround(mixture_min_pause_s / mixture_frame_s));
    for (const placed& p : layout) {
        const auto& speech = clips[p.speaker].speech.speech;
        const auto time = [&](std::size_t sample) {
            return static_cast<double>(p.at + (std::clamp(sample, p.a, p.b) - p.a)) / mixture_sample_rate;
        };
        std::size_t from = p.a / mix_frame;  // the current run of speech starts at this frame
        const std::size_t end = (p.b + mix_frame - 1) / mix_frame;
        for (std::size_t f = from; f < end;) {
            if (speech[f]) {
                ++f;
                continue;
            }
            std::size_t g = f;
            while (g < end && !speech[g]) ++g;
            if (g - f >= min_pause && g < end) {
                m.speech.push_back({time(from * mix_frame), time(f * mix_frame), clips[p.speaker].speaker});
                from = g;
            }
            f = g;
        }
        m.speech.push_back({time(from * mix_frame), time(p.b), clips[p.speaker].speaker});
    }
    for (auto* turns : {&m.truth, &m.speech})
        std::sort(turns->begin(), turns->end(), [](const mixture_turn& x, const mixture_turn& y) {
            return x.start != y.start ? x.start < y.start : x.end < y.end;
        });

    if (o.music_db > -100) {
        const auto bed = make_music_bed(m.audio.size(), o.seed);
        const double level = mixture_speech_rms * std::pow(10.0, o.music_db / 20.0);
        for (std::size_t i = 0; i < bed.size(); ++i) m.audio[i] += static_cast<float>(bed[i] * level);
    }
    return m;
}

void write_rttm_truth(const fs::path& path, const std::string& file_id, const std::vector<mixture_turn>& turns) {
    speakers::write_rttm(path, file_id, turns);
}

}  // namespace cinesub::test
