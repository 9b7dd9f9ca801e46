// Checks cues against a profile, one violation per finding, with the cue's number and time.
//
// Hard rules (fail `cinesub check`, exit 50): cpl, lines, max_duration, gap (< min_gap_frames),
// overlap, cue_order, empty, timestamp_order (end not after start), bad_timestamp, utf8 (and
// hyphenated_word from the segmenter). Soft rules (reported, do not fail): cps, min_duration,
// stray_text, header, split_unit.
#pragma once

#include "subtitles/cue.hpp"
#include "subtitles/profile.hpp"
#include "subtitles/readers.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::subs {

struct check_report {
    std::string profile;
    double fps = 25;
    int cues = 0;
    std::vector<violation> violations;  // in cue order

    int hard() const;
    int soft() const;
    bool passed() const { return hard() == 0; }
    std::map<std::string, int> counts() const;  // per rule
    nlohmann::json to_json() const;             // {profile, fps, cues, passed, hard, soft, counts, violations}
};

// Cues numbered 1..n in the given order.
check_report check_cues(const std::vector<cue>& cues, const profile& style, double fps);
// A file as read: its cue numbers, and its read issues as violations.
check_report check_file(const subtitle_file& file, const profile& style, double fps);

// Human-readable report: one line per violation, then a summary line.
std::string format_report(const check_report& report, std::string_view name);

}  // namespace cinesub::subs
