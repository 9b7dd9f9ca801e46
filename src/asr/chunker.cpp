#include "asr/chunker.hpp"

#include "cinesub/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace cinesub::asr {

namespace {

constexpr double eps = 1e-9;

// Lowest-probability frame whose start lies in [lo, hi]; returns its start time (clamped to
// [lo, hi]), or a negative value when there are no probabilities there.
double quietest_point(const speech_map& speech, double lo, double hi) {
    if (speech.frame_seconds <= 0 || speech.probabilities.empty()) return -1;
    const double fs = speech.frame_seconds;
    const auto n = static_cast<long long>(speech.probabilities.size());
    const long long first = std::max(0LL, static_cast<long long>(std::ceil(lo / fs - eps)));
    const long long last = std::min(n - 1, static_cast<long long>(std::floor(hi / fs + eps)));
    if (first > last) return -1;
    long long best = first;
    for (long long i = first + 1; i <= last; ++i)
        if (speech.probabilities[static_cast<std::size_t>(i)] < speech.probabilities[static_cast<std::size_t>(best)])
            best = i;
    return std::clamp(static_cast<double>(best) * fs, lo, hi);
}

}  // namespace

std::vector<speech_segment> split_long_segments(const speech_map& speech, double max_s, double edge_s) {
    if (!(max_s > 0)) throw error(errc::job_invalid, fmt::format("asr.chunk_s must be > 0 (got {})", max_s));
    std::vector<speech_segment> out;
    for (const auto& seg : speech.segments) {
        double a = seg.start;
        const double b = seg.end;
        if (!(b > a)) continue;
        while (b - a > max_s + eps) {
            const double lo = a + max_s / 2;
            double hi = std::min(a + max_s, b - edge_s);
            if (hi < lo) hi = a + max_s;  // the segment ends within edge_s of the window: any point in the second half
            double t = quietest_point(speech, lo, hi);
            if (t < 0) {
                const double pieces = std::ceil((b - a) / max_s - eps);
                t = a + (b - a) / pieces;
            }
            if (!(t > a + eps)) t = a + max_s;  // never stall
            out.push_back({a, t});
            a = t;
        }
        out.push_back({a, b});
    }
    return out;
}

double chunk::audio_seconds() const {
    return pieces.empty() ? 0.0 : pieces.back().at + (pieces.back().end - pieces.back().start);
}

double chunk::to_clip_time(double t) const {
    if (pieces.empty()) return start + t;
    if (t <= pieces.front().at) return pieces.front().start;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        const auto& p = pieces[i];
        const double len = p.end - p.start;
        if (t <= p.at + len) return p.start + std::max(0.0, t - p.at);
        if (i + 1 < pieces.size() && t < pieces[i + 1].at) {
            const auto& next = pieces[i + 1];
            return t - (p.at + len) <= next.at - t ? p.end : next.start;
        }
    }
    return pieces.back().end;
}

std::vector<chunk> make_chunks(const speech_map& speech, double max_s, double max_gap) {
    if (!(max_gap >= 0)) throw error(errc::job_invalid, fmt::format("asr.max_gap_s must be >= 0 (got {})", max_gap));
    std::vector<chunk> chunks;
    for (const auto& seg : split_long_segments(speech, max_s)) {
        if (!chunks.empty()) {
            auto& c = chunks.back();
            const double gap = std::max(0.0, seg.start - c.end);
            const double kept = std::min(gap, max_gap);
            if (c.audio_seconds() + kept + (seg.end - seg.start) <= max_s + eps) {
                if (gap <= max_gap) {
                    c.pieces.back().end = std::max(c.pieces.back().end, seg.end);  // one stretch of audio
                } else {
                    c.pieces.push_back({seg.start, seg.end, c.audio_seconds() + kept});
                }
                c.end = std::max(c.end, seg.end);
                c.speech.push_back(seg);
                continue;
            }
        }
        chunk c;
        c.index = static_cast<int>(chunks.size());
        c.start = seg.start;
        c.end = seg.end;
        c.speech.push_back(seg);
        c.pieces.push_back({seg.start, seg.end, 0.0});
        chunks.push_back(std::move(c));
    }
    return chunks;
}

}  // namespace cinesub::asr
