#include "speakers/assign.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace cinesub::speakers {

namespace {

struct turn_index {
    std::vector<turn> turns;    // sorted by start
    std::vector<double> reach;  // reach[i] = max end of turns[0..i]

    explicit turn_index(std::span<const turn> in) : turns(in.begin(), in.end()) {
        std::erase_if(turns, [](const turn& t) { return !(t.end > t.start) || t.speaker.empty(); });
        std::sort(turns.begin(), turns.end(), [](const turn& a, const turn& b) { return a.start < b.start; });
        reach.resize(turns.size());
        double r = -std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < turns.size(); ++i) reach[i] = r = std::max(r, turns[i].end);
    }

    // The speaker covering most of [a, b]; else the nearest within max_distance; else "".
    std::string speaker_of(double a, double b, double max_distance) const {
        if (turns.empty()) return {};
        if (b < a) std::swap(a, b);
        // Turns that may overlap [a - d, b + d] start before b + d and reach past a - d.
        auto hi = std::upper_bound(turns.begin(), turns.end(), b + max_distance,
                                   [](double t, const turn& x) { return t < x.start; });
        std::size_t end = static_cast<std::size_t>(hi - turns.begin());
        // The first index whose prefix reach passes a - d (reach is non-decreasing).
        std::size_t begin = static_cast<std::size_t>(
            std::lower_bound(reach.begin(), reach.begin() + static_cast<std::ptrdiff_t>(end), a - max_distance) -
            reach.begin());
        std::map<std::string, double> share;
        const turn* nearest = nullptr;
        double nearest_gap = max_distance;
        for (std::size_t i = begin; i < end; ++i) {
            const auto& t = turns[i];
            const double overlap = std::min(b, t.end) - std::max(a, t.start);
            if (overlap > 0 || (b == a && t.start <= a && a < t.end)) {
                share[t.speaker] += std::max(overlap, 1e-9);
                continue;
            }
            const double gap = t.start >= b ? t.start - b : a - t.end;
            if (gap <= nearest_gap) nearest_gap = gap, nearest = &t;
        }
        if (!share.empty())
            return std::max_element(share.begin(), share.end(),
                                    [](const auto& x, const auto& y) { return x.second < y.second; })
                ->first;
        return nearest ? nearest->speaker : std::string{};
    }
};

}  // namespace

void assign_speakers(transcript& t, std::span<const turn> turns, const assign_options& o) {
    const turn_index index(turns);
    for (auto& seg : t.segments) {
        std::map<std::string, double> time;
        for (auto& w : seg.words) {
            w.speaker = index.speaker_of(w.start, w.end, o.max_distance_s);
            if (!w.speaker.empty()) time[w.speaker] += std::max(w.end - w.start, 1e-3);
        }
        if (seg.words.empty()) {
            seg.speaker = index.speaker_of(seg.start, seg.end, o.max_distance_s);
        } else if (time.empty()) {
            seg.speaker.clear();
        } else {
            seg.speaker = std::max_element(time.begin(), time.end(), [](const auto& x, const auto& y) {
                              return x.second < y.second;
                          })->first;
        }
    }
}

}  // namespace cinesub::speakers
