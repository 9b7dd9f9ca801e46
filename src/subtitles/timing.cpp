#include "subtitles/timing.hpp"

#include "subtitles/text.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cinesub::subs {

namespace {

enum class edge { onset, offset };

double nearest_edge(const speech_map& speech, double t, double window, float threshold, edge kind) {
    double best = t, best_dist = std::numeric_limits<double>::infinity();
    auto consider = [&](double candidate) {
        double d = std::abs(candidate - t);
        if (d <= window + 1e-9 && d < best_dist) best = candidate, best_dist = d;
    };
    if (speech.frame_seconds > 0 && !speech.probabilities.empty()) {
        const double fs = speech.frame_seconds;
        const auto& p = speech.probabilities;
        auto lo = static_cast<long long>(std::floor((t - window) / fs));
        auto hi = static_cast<long long>(std::ceil((t + window) / fs));
        lo = std::max<long long>(lo, 1);
        hi = std::min<long long>(hi, static_cast<long long>(p.size()) - 1);
        for (long long k = lo; k <= hi; ++k) {
            float a = p[static_cast<std::size_t>(k - 1)], b = p[static_cast<std::size_t>(k)];
            bool hit = kind == edge::onset ? (a < threshold && b >= threshold) : (a >= threshold && b < threshold);
            if (hit) consider(static_cast<double>(k) * fs);
        }
        return best;
    }
    for (const auto& s : speech.segments) consider(kind == edge::onset ? s.start : s.end);
    return best;
}

}  // namespace

int cue_characters(const cue& c) {
    int n = 0;
    for (const auto& l : c.lines) n += display_width(l);
    return n;
}

double snap_to_onset(const speech_map& speech, double t, double window, float threshold) {
    return nearest_edge(speech, t, window, threshold, edge::onset);
}

double snap_to_offset(const speech_map& speech, double t, double window, float threshold) {
    return nearest_edge(speech, t, window, threshold, edge::offset);
}

double mean_speech_probability(const speech_map& speech, double start, double end) {
    if (end < start) std::swap(start, end);
    if (speech.frame_seconds > 0 && !speech.probabilities.empty()) {
        const double fs = speech.frame_seconds;
        auto first = static_cast<std::size_t>(std::max(0.0, std::floor(start / fs)));
        auto last = static_cast<std::size_t>(std::max(0.0, std::floor(end / fs)));
        if (first >= speech.probabilities.size()) return -1;
        last = std::min(last, speech.probabilities.size() - 1);
        double sum = 0;
        for (std::size_t k = first; k <= last; ++k) sum += speech.probabilities[k];
        return sum / static_cast<double>(last - first + 1);
    }
    if (speech.segments.empty() && speech.duration <= 0) return -1;
    if (speech.duration > 0 && start >= speech.duration) return -1;
    double span = std::max(end - start, 1e-3);
    double covered = 0;
    for (const auto& s : speech.segments) covered += std::max(0.0, std::min(end, s.end) - std::max(start, s.start));
    if (end - start < 1e-3) {
        for (const auto& s : speech.segments)
            if (start >= s.start && start <= s.end) return 1.0;
        return 0.0;
    }
    return std::min(1.0, covered / span);
}

void apply_timing(std::vector<cue>& cues, const profile& style, double fps, const speech_map* speech) {
    if (cues.empty()) return;
    if (!(fps > 0)) fps = 25;
    std::stable_sort(cues.begin(), cues.end(), [](const cue& a, const cue& b) { return a.start < b.start; });
    const std::size_t n = cues.size();
    const long long gap = style.min_gap_frames;
    const auto max_frames = std::max<long long>(1, static_cast<long long>(std::floor(style.max_duration * fps + 1e-6)));
    const auto chain_frames = static_cast<long long>(std::floor(style.chain_gap * fps + 1e-6));
    auto frame = [&](double t) { return static_cast<long long>(std::llround(t * fps)); };

    std::vector<long long> start_f(n), end_f(n), lead(n), want(n);
    for (std::size_t k = 0; k < n; ++k) {
        double s = std::max(0.0, cues[k].start), e = std::max(s, cues[k].end);
        if (speech && style.snap_window > 0) {
            double s2 = snap_to_onset(*speech, s, style.snap_window);
            double e2 = snap_to_offset(*speech, e, style.snap_window);
            if (s2 < e - 1.0 / fps) s = std::max(0.0, s2);
            if (e2 > s + 1.0 / fps) e = e2;
        }
        start_f[k] = frame(s);
        end_f[k] = std::max(frame(e), start_f[k] + 1);
        lead[k] = std::max(0LL, std::min(start_f[k], frame(s - style.lead_in)));
        const double max_cps = cues[k].song ? style.song_max_cps : style.max_cps;
        double need = std::max(style.min_duration, cue_characters(cues[k]) / max_cps);
        want[k] = start_f[k] + static_cast<long long>(std::ceil(need * fps - 1e-6));
    }
    // 1. Speech spans: no overlap, minimum gap (ends pulled back first, then starts pushed).
    for (std::size_t k = 0; k + 1 < n; ++k) {
        if (end_f[k] + gap > start_f[k + 1]) {
            end_f[k] = std::max(start_f[k] + 1, start_f[k + 1] - gap);
            if (end_f[k] + gap > start_f[k + 1]) {
                start_f[k + 1] = end_f[k] + gap;
                end_f[k + 1] = std::max(end_f[k + 1], start_f[k + 1] + 1);
                lead[k + 1] = std::min(lead[k + 1], start_f[k + 1]);
            }
        }
    }
    // 2. Linger for minimum duration and reading speed, up to the next cue.
    for (std::size_t k = 0; k < n; ++k) {
        long long bound = start_f[k] + max_frames;
        if (k + 1 < n) bound = std::min(bound, start_f[k + 1] - gap);
        end_f[k] = std::max(end_f[k], std::min(want[k], bound));
    }
    // 3. Lead-in where the time is free.
    for (std::size_t k = 0; k < n; ++k) {
        long long free_from = k > 0 ? end_f[k - 1] + gap : 0;
        long long s = std::max(lead[k], free_from);
        s = std::max(s, end_f[k] - max_frames);
        if (s < start_f[k]) start_f[k] = s;
    }
    // 4. Close short gaps (chaining).
    for (std::size_t k = 0; k + 1 < n; ++k) {
        long long g = start_f[k + 1] - end_f[k];
        if (g > gap && g < chain_frames && start_f[k + 1] - gap - start_f[k] <= max_frames)
            end_f[k] = start_f[k + 1] - gap;
    }
    // 5. Maximum duration.
    for (std::size_t k = 0; k < n; ++k) end_f[k] = std::min(end_f[k], start_f[k] + max_frames);

    for (std::size_t k = 0; k < n; ++k) {
        cues[k].start = static_cast<double>(start_f[k]) / fps;
        cues[k].end = static_cast<double>(end_f[k]) / fps;
    }
}

}  // namespace cinesub::subs
