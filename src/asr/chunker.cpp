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

std::vector<chunk> make_chunks(const speech_map& speech, double max_s) {
    std::vector<chunk> chunks;
    for (const auto& seg : split_long_segments(speech, max_s)) {
        if (chunks.empty() || seg.end - chunks.back().start > max_s + eps) {
            chunk c;
            c.index = static_cast<int>(chunks.size());
            c.start = seg.start;
            c.end = seg.end;
            c.speech.push_back(seg);
            chunks.push_back(std::move(c));
        } else {
            chunks.back().end = std::max(chunks.back().end, seg.end);
            chunks.back().speech.push_back(seg);
        }
    }
    return chunks;
}

}  // namespace cinesub::asr
