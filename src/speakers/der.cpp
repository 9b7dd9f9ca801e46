#include "speakers/der.hpp"

#include "cinesub/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <tuple>

namespace cinesub::speakers {

namespace {

// Times in whole microseconds: exact sums, no dependence on the order of additions.
using der_ticks = std::int64_t;
constexpr double der_ticks_per_second = 1e6;

der_ticks der_to_ticks(double seconds) { return static_cast<der_ticks>(std::llround(seconds * der_ticks_per_second)); }
double der_to_seconds(der_ticks ticks) { return static_cast<double>(ticks) / der_ticks_per_second; }

struct der_tick_turn {
    der_ticks start = 0;
    der_ticks end = 0;
    std::string speaker;
};

// Sorts by speaker then start and merges each speaker's overlapping turns (touching ones kept).
template <class T>
std::vector<T> der_merge(std::vector<T> turns) {
    std::sort(turns.begin(), turns.end(), [](const T& a, const T& b) {
        return std::tie(a.speaker, a.start, a.end) < std::tie(b.speaker, b.start, b.end);
    });
    std::vector<T> out;
    for (auto& t : turns) {
        if (!(t.end > t.start)) continue;
        if (!out.empty() && out.back().speaker == t.speaker && t.start < out.back().end) {
            out.back().end = std::max(out.back().end, t.end);
            continue;
        }
        out.push_back(std::move(t));
    }
    return out;
}

struct der_counts {
    der_ticks total = 0, missed = 0, false_alarm = 0, confusion = 0;
    std::vector<speaker_mapping> mapping;
    int ref_speakers = 0, hyp_speakers = 0;

    void add(der_counts other) {
        total += other.total;
        missed += other.missed;
        false_alarm += other.false_alarm;
        confusion += other.confusion;
        ref_speakers += other.ref_speakers;
        hyp_speakers += other.hyp_speakers;
        for (auto& m : other.mapping) mapping.push_back(std::move(m));
    }
};

der_result der_from_counts(der_counts c) {
    der_result r;
    r.total = der_to_seconds(c.total);
    r.missed = der_to_seconds(c.missed);
    r.false_alarm = der_to_seconds(c.false_alarm);
    r.confusion = der_to_seconds(c.confusion);
    r.der = error_rate(static_cast<double>(c.missed + c.false_alarm + c.confusion), static_cast<double>(c.total));
    r.mapping = std::move(c.mapping);
    r.ref_speakers = c.ref_speakers;
    r.hyp_speakers = c.hyp_speakers;
    return r;
}

// Speakers (sorted, distinct) and their merged turns in ticks.
struct der_side {
    std::vector<std::string> names;
    std::vector<der_tick_turn> turns;
    std::vector<int> speaker_of;  // turns[i] belongs to names[speaker_of[i]]
};

der_side der_prepare(const std::vector<turn>& turns) {
    std::vector<der_tick_turn> ticks;
    ticks.reserve(turns.size());
    for (const auto& t : turns) ticks.push_back({der_to_ticks(t.start), der_to_ticks(t.end), t.speaker});
    der_side side;
    side.turns = der_merge(std::move(ticks));
    for (const auto& t : side.turns) {
        if (side.names.empty() || side.names.back() != t.speaker) side.names.push_back(t.speaker);
        side.speaker_of.push_back(static_cast<int>(side.names.size()) - 1);
    }
    return side;
}

// One piece of the scored timeline: its duration and who speaks in it.
struct der_piece {
    der_ticks duration = 0;
    std::vector<int> ref, hyp;
};

struct der_event {
    der_ticks t = 0;
    int kind = 0;  // 0 reference turn, 1 hypothesis turn, 2 no-score zone
    int index = 0;
    int delta = 0;
};

der_counts der_score_file(const std::vector<turn>& ref_turns, const std::vector<turn>& hyp_turns,
                          const der_options& options, const std::string& file_id) {
    const auto ref = der_prepare(ref_turns);
    const auto hyp = der_prepare(hyp_turns);
    const der_ticks collar = der_to_ticks(options.collar);

    std::vector<der_event> events;
    events.reserve(2 * hyp.turns.size() + (collar > 0 ? 6 : 2) * ref.turns.size());
    for (std::size_t i = 0; i < ref.turns.size(); ++i) {
        const auto& t = ref.turns[i];
        events.push_back({t.start, 0, ref.speaker_of[i], +1});
        events.push_back({t.end, 0, ref.speaker_of[i], -1});
        if (collar > 0) {
            for (const der_ticks b : {t.start, t.end}) {
                events.push_back({b - collar, 2, 0, +1});
                events.push_back({b + collar, 2, 0, -1});
            }
        }
    }
    for (std::size_t i = 0; i < hyp.turns.size(); ++i) {
        events.push_back({hyp.turns[i].start, 1, hyp.speaker_of[i], +1});
        events.push_back({hyp.turns[i].end, 1, hyp.speaker_of[i], -1});
    }
    std::sort(events.begin(), events.end(), [](const der_event& a, const der_event& b) { return a.t < b.t; });

    // Sweep: after all events at one time, the pieces up to the next time have constant speakers.
    std::vector<int> ref_active(ref.names.size(), 0), hyp_active(hyp.names.size(), 0);
    int zones = 0;
    std::vector<der_piece> pieces;
    for (std::size_t i = 0; i < events.size();) {
        const der_ticks t = events[i].t;
        for (; i < events.size() && events[i].t == t; ++i) {
            const auto& e = events[i];
            if (e.kind == 0) ref_active[static_cast<std::size_t>(e.index)] += e.delta;
            if (e.kind == 1) hyp_active[static_cast<std::size_t>(e.index)] += e.delta;
            if (e.kind == 2) zones += e.delta;
        }
        if (i == events.size() || zones > 0) continue;
        der_piece p;
        p.duration = events[i].t - t;
        for (std::size_t s = 0; s < ref_active.size(); ++s)
            if (ref_active[s] > 0) p.ref.push_back(static_cast<int>(s));
        for (std::size_t s = 0; s < hyp_active.size(); ++s)
            if (hyp_active[s] > 0) p.hyp.push_back(static_cast<int>(s));
        if (p.ref.empty() && p.hyp.empty()) continue;
        if (options.skip_overlap && p.ref.size() >= 2) continue;
        pieces.push_back(std::move(p));
    }

    // The mapping maximises the scored time each pair speaks together.
    std::vector<std::vector<double>> overlap(ref.names.size(), std::vector<double>(hyp.names.size(), 0.0));
    for (const auto& p : pieces)
        for (const int r : p.ref)
            for (const int h : p.hyp)
                overlap[static_cast<std::size_t>(r)][static_cast<std::size_t>(h)] += static_cast<double>(p.duration);
    auto mapped = max_weight_assignment(overlap);

    der_counts c;
    c.ref_speakers = static_cast<int>(ref.names.size());
    c.hyp_speakers = static_cast<int>(hyp.names.size());
    for (std::size_t r = 0; r < mapped.size(); ++r) {
        if (mapped[r] < 0) continue;
        const double both = overlap[r][static_cast<std::size_t>(mapped[r])];
        if (both <= 0) {
            mapped[r] = -1;  // no common time: not a mapping
            continue;
        }
        c.mapping.push_back(
            {file_id, ref.names[r], hyp.names[static_cast<std::size_t>(mapped[r])], der_to_seconds(der_ticks(both))});
    }

    for (const auto& p : pieces) {
        const auto n_ref = static_cast<der_ticks>(p.ref.size());
        const auto n_hyp = static_cast<der_ticks>(p.hyp.size());
        der_ticks correct = 0;
        for (const int r : p.ref) {
            const int h = mapped[static_cast<std::size_t>(r)];
            if (h >= 0 && std::find(p.hyp.begin(), p.hyp.end(), h) != p.hyp.end()) ++correct;
        }
        c.total += p.duration * n_ref;
        c.missed += p.duration * std::max<der_ticks>(0, n_ref - n_hyp);
        c.false_alarm += p.duration * std::max<der_ticks>(0, n_hyp - n_ref);
        c.confusion += p.duration * (std::min(n_ref, n_hyp) - correct);
    }
    return c;
}

// Minimum-cost assignment of every row to a distinct column, rows <= columns (the potentials
// form of the Hungarian algorithm, O(n²·m)). Returns each row's column.
std::vector<int> der_min_cost_assignment(const std::vector<std::vector<double>>& cost, std::size_t n, std::size_t m) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    // 1-based: row/column 0 is the algorithm's sentinel.
    std::vector<double> u(n + 1, 0.0), v(m + 1, 0.0);
    std::vector<std::size_t> p(m + 1, 0), way(m + 1, 0);
    for (std::size_t i = 1; i <= n; ++i) {
        p[0] = i;
        std::size_t j0 = 0;
        std::vector<double> minv(m + 1, inf);
        std::vector<char> used(m + 1, 0);
        do {
            used[j0] = 1;
            const std::size_t i0 = p[j0];
            double delta = inf;
            std::size_t j1 = 0;
            for (std::size_t j = 1; j <= m; ++j) {
                if (used[j]) continue;
                const double cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
                if (cur < minv[j]) {
                    minv[j] = cur;
                    way[j] = j0;
                }
                if (minv[j] < delta) {
                    delta = minv[j];
                    j1 = j;
                }
            }
            for (std::size_t j = 0; j <= m; ++j) {
                if (used[j]) {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
        } while (p[j0] != 0);
        do {
            const std::size_t j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0 != 0);
    }
    std::vector<int> row_to_col(n, -1);
    for (std::size_t j = 1; j <= m; ++j)
        if (p[j] != 0) row_to_col[p[j] - 1] = static_cast<int>(j - 1);
    return row_to_col;
}

}  // namespace

void check_der_options(const der_options& options) {
    if (!std::isfinite(options.collar) || options.collar < 0)
        throw error(errc::usage, fmt::format("collar must be a number of seconds >= 0 (0.25 is the standard), not {}",
                                             options.collar));
}

double error_rate(double error, double total) {
    if (total > 0) return error / total;
    return error > 0 ? 1.0 : 0.0;
}

std::vector<turn> merge_speaker_turns(std::vector<turn> turns) { return der_merge(std::move(turns)); }

std::vector<int> max_weight_assignment(const std::vector<std::vector<double>>& weight) {
    const std::size_t rows = weight.size();
    if (rows == 0) return {};
    const std::size_t cols = weight[0].size();
    for (const auto& row : weight)
        if (row.size() != cols) throw error(errc::internal, "max_weight_assignment: rows of different lengths");
    if (cols == 0) return std::vector<int>(rows, -1);
    if (rows <= cols) {
        std::vector<std::vector<double>> cost(rows, std::vector<double>(cols));
        for (std::size_t i = 0; i < rows; ++i)
            for (std::size_t j = 0; j < cols; ++j) cost[i][j] = -weight[i][j];
        return der_min_cost_assignment(cost, rows, cols);
    }
    // More rows than columns: assign the columns to rows on the transpose.
    std::vector<std::vector<double>> cost(cols, std::vector<double>(rows));
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) cost[j][i] = -weight[i][j];
    const auto col_to_row = der_min_cost_assignment(cost, cols, rows);
    std::vector<int> out(rows, -1);
    for (std::size_t j = 0; j < cols; ++j) out[static_cast<std::size_t>(col_to_row[j])] = static_cast<int>(j);
    return out;
}

der_result score_der(const std::vector<turn>& ref, const std::vector<turn>& hyp, const der_options& options,
                     const std::string& file_id) {
    check_der_options(options);
    return der_from_counts(der_score_file(ref, hyp, options, file_id));
}

der_result score_der(const std::vector<rttm_file>& ref, const std::vector<rttm_file>& hyp, const der_options& options) {
    check_der_options(options);
    if (ref.size() == 1 && hyp.size() == 1)
        return der_from_counts(der_score_file(ref[0].turns, hyp[0].turns, options, ref[0].file_id));
    const std::vector<turn> none;
    der_counts sum;
    for (const auto& r : ref) {
        const auto h = std::find_if(hyp.begin(), hyp.end(), [&](const rttm_file& f) { return f.file_id == r.file_id; });
        sum.add(der_score_file(r.turns, h == hyp.end() ? none : h->turns, options, r.file_id));
    }
    for (const auto& h : hyp) {
        const bool in_ref =
            std::any_of(ref.begin(), ref.end(), [&](const rttm_file& f) { return f.file_id == h.file_id; });
        if (!in_ref) sum.add(der_score_file(none, h.turns, options, h.file_id));
    }
    return der_from_counts(std::move(sum));
}

}  // namespace cinesub::speakers
