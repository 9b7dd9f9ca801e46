// cinesub — style-guide conformance of a subtitle file (SRT, VTT, ASS, cinesub JSON), read
// leniently and checked strictly against a profile (netflix-en, netflix-other, relaxed).
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub {

// The profiles cinesub knows, and the one a track language gets by default for an audience
// ("adult", "children", "sdh"; another throws cinesub::error(usage)).
std::vector<std::string> style_profile_names();
std::string default_style_profile(std::string_view language, std::string_view audience = "adult");

struct check_request {
    std::filesystem::path file;
    std::string profile;          // "" → default_style_profile(language, audience)
    std::string language = "en";  // the text's language
    std::string audience = "adult";
    double fps = 25;  // frame rate for the minimum gap in frames
};

struct check_result {
    bool passed = false;  // no hard rule failed
    std::string format;   // "srt", "vtt", "ass", "json"
    // {profile, fps, cues, passed, hard, soft, counts, violations: [{cue, line, rule, hard, message…}]}
    nlohmann::json report;
    std::string text;  // one line per violation, then a summary line
};

// Throws error(usage) for a bad profile or fps, input_missing / input_unreadable for the file.
check_result check_subtitles(const check_request& request);

}  // namespace cinesub
