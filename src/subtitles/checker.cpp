#include "subtitles/checker.hpp"

#include "subtitles/text.hpp"
#include "subtitles/timing.hpp"
#include "util/text.hpp"
#include "util/timecode.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace cinesub::subs {

using nlohmann::json;

namespace {

constexpr double time_tolerance = 0.0005;  // files carry milliseconds

void check_into(check_report& r, const std::vector<cue>& cues, const std::vector<int>& numbers, const profile& p,
                double fps) {
    r.profile = p.name;
    r.fps = fps;
    r.cues = static_cast<int>(cues.size());
    const double min_gap = p.min_gap_frames / fps;
    for (std::size_t k = 0; k < cues.size(); ++k) {
        const auto& c = cues[k];
        const int no = k < numbers.size() ? numbers[k] : static_cast<int>(k) + 1;
        auto add = [&](std::string rule, bool hard, std::string message) {
            r.violations.push_back({std::move(rule), hard, no, c.start, c.end, std::move(message)});
        };
        bool empty =
            std::all_of(c.lines.begin(), c.lines.end(), [](const std::string& l) { return util::trim(l).empty(); });
        if (empty) add("empty", true, "cue has no text");
        const double d = c.end - c.start;
        if (d <= 0) {
            add("timestamp_order", true,
                fmt::format("end {} is not after start {}", util::format_time(c.end), util::format_time(c.start)));
        }
        for (std::size_t l = 0; l < c.lines.size(); ++l) {
            int w = display_width(c.lines[l]);
            if (w > p.max_cpl) add("cpl", true, fmt::format("line {} has {} characters (max {})", l + 1, w, p.max_cpl));
        }
        if (static_cast<int>(c.lines.size()) > p.max_lines)
            add("lines", true, fmt::format("{} lines (max {})", c.lines.size(), p.max_lines));
        if (d > p.max_duration + time_tolerance)
            add("max_duration", true, fmt::format("shown {:.3f} s (max {:.3f} s)", d, p.max_duration));
        if (d > 0 && d < p.min_duration - time_tolerance)
            add("min_duration", false, fmt::format("shown {:.3f} s (min {:.3f} s)", d, p.min_duration));
        if (d > 0 && !empty) {
            // Lyrics follow the singing: song cues have their own reading speed.
            const double max_cps = c.song ? p.song_max_cps : p.max_cps;
            double cps = cue_characters(c) / d;
            if (cps > max_cps + 0.005)
                add("cps", false,
                    fmt::format("{:.1f} characters per second (max {:g}{})", cps, max_cps, c.song ? " for songs" : ""));
        }
        if (k > 0) {
            const auto& prev = cues[k - 1];
            const int prev_no = k - 1 < numbers.size() ? numbers[k - 1] : static_cast<int>(k);
            if (c.start < prev.start - time_tolerance) {
                add("cue_order", true,
                    fmt::format("starts before cue {} ({})", prev_no, util::format_time(prev.start)));
            } else if (c.start < prev.end - time_tolerance) {
                add("overlap", true, fmt::format("starts {:.3f} s before cue {} ends", prev.end - c.start, prev_no));
            } else if ((c.start - prev.end) * fps < p.min_gap_frames - 0.05 && p.min_gap_frames > 0) {
                add("gap", true,
                    fmt::format("{:.3f} s after cue {} (min {} frames = {:.3f} s at {:g} fps)", c.start - prev.end,
                                prev_no, p.min_gap_frames, min_gap, fps));
            }
        }
    }
}

void sort_violations(check_report& r) {
    std::stable_sort(r.violations.begin(), r.violations.end(),
                     [](const violation& a, const violation& b) { return a.cue < b.cue; });
}

}  // namespace

int check_report::hard() const {
    return static_cast<int>(
        std::count_if(violations.begin(), violations.end(), [](const violation& v) { return v.hard; }));
}

int check_report::soft() const { return static_cast<int>(violations.size()) - hard(); }

std::map<std::string, int> check_report::counts() const {
    std::map<std::string, int> out;
    for (const auto& v : violations) ++out[v.rule];
    return out;
}

json check_report::to_json() const {
    return json{{"profile", profile}, {"fps", fps},     {"cues", cues},       {"passed", passed()},
                {"hard", hard()},     {"soft", soft()}, {"counts", counts()}, {"violations", violations}};
}

check_report check_cues(const std::vector<cue>& cues, const profile& style, double fps) {
    check_report r;
    check_into(r, cues, {}, style, fps > 0 ? fps : 25);
    return r;
}

check_report check_file(const subtitle_file& file, const profile& style, double fps) {
    check_report r;
    if (!(fps > 0)) fps = 25;
    check_into(r, file.cues, file.numbers, style, fps);
    for (const auto& issue : file.issues) {
        bool hard = issue.rule == "bad_timestamp" || issue.rule == "utf8" || issue.rule == "xml";
        r.violations.push_back(
            {issue.rule, hard, issue.cue, 0, 0,
             issue.line > 0 ? fmt::format("line {}: {}", issue.line, issue.message) : issue.message});
    }
    r.cues = file.blocks;
    sort_violations(r);
    return r;
}

std::string format_report(const check_report& report, std::string_view name) {
    std::string out = fmt::format("{}: {} cues, profile {}, {:g} fps\n", name, report.cues, report.profile, report.fps);
    for (const auto& v : report.violations) {
        std::string where = v.cue > 0 ? fmt::format("cue {:<4}", v.cue) : std::string("        ");
        std::string when = (v.start > 0 || v.end > 0) ? util::format_time(v.start) : std::string(12, ' ');
        out += fmt::format("  {} {}  {:<15} {:<4}  {}\n", where, when, v.rule, v.hard ? "hard" : "soft", v.message);
    }
    std::string counts;
    for (const auto& [rule, n] : report.counts()) counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", rule, n);
    out += fmt::format("summary: {} hard, {} soft{} — {}\n", report.hard(), report.soft(),
                       counts.empty() ? "" : " (" + counts + ")", report.passed() ? "PASS" : "FAIL");
    return out;
}

}  // namespace cinesub::subs
