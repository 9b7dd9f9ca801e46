#include "subtitles/profile.hpp"

#include "cinesub/error.hpp"

#include <fmt/format.h>

#include <array>

namespace cinesub::subs {

using nlohmann::json;

namespace {

// The profiles, as data. Netflix Timed Text Style Guide values: 42 characters per line, 2 lines,
// 20 cps (adult English) / 17 cps (most other languages, Hindi included), 5/6 s minimum and 7 s
// maximum duration, 2 frames between cues, and gaps under 0.5 s closed.
const std::array<profile, 3> profiles{{
    {"netflix-en", 42, 2, 20, 5.0 / 6, 7, 2, 0.1, 0.25, 0.5, 2.0},
    {"netflix-other", 42, 2, 17, 5.0 / 6, 7, 2, 0.1, 0.25, 0.5, 2.0},
    {"relaxed", 50, 2, 25, 0.5, 10, 1, 0.1, 0.25, 0.0, 3.0},
}};

}  // namespace

json profile::to_json() const {
    return json{{"name", name},
                {"max_cpl", max_cpl},
                {"max_lines", max_lines},
                {"max_cps", max_cps},
                {"min_duration", min_duration},
                {"max_duration", max_duration},
                {"min_gap_frames", min_gap_frames},
                {"lead_in", lead_in},
                {"snap_window", snap_window},
                {"chain_gap", chain_gap},
                {"max_pause", max_pause}};
}

profile get_profile(std::string_view name) {
    for (const auto& p : profiles)
        if (p.name == name) return p;
    throw error(errc::usage, fmt::format("unknown subtitle profile '{}' (netflix-en, netflix-other, relaxed)", name));
}

std::vector<std::string> profile_names() {
    std::vector<std::string> out;
    out.reserve(profiles.size());
    for (const auto& p : profiles) out.push_back(p.name);
    return out;
}

std::string default_profile_name(std::string_view language) {
    return language == "en" || language.starts_with("en-") ? "netflix-en" : "netflix-other";
}

void apply_overrides(profile& p, const params& o) {
    auto take = [](auto& field, const auto& value) {
        if (value) field = *value;
    };
    take(p.max_cpl, o.max_cpl);
    take(p.max_lines, o.max_lines);
    take(p.max_cps, o.max_cps);
    take(p.min_duration, o.min_duration);
    take(p.max_duration, o.max_duration);
    take(p.min_gap_frames, o.min_gap_frames);
    take(p.lead_in, o.lead_in);
    take(p.snap_window, o.snap_window);
    take(p.chain_gap, o.chain_gap);
    take(p.max_pause, o.max_pause);
    if (p.min_duration > p.max_duration)
        throw error(errc::job_invalid, fmt::format("subtitles.min_duration {} exceeds subtitles.max_duration {}",
                                                   p.min_duration, p.max_duration));
}

const settings::schema<params>& params::schema() {
    static const auto s =
        settings::schema<params>()
            .add("subtitles.profile", &params::profile,
                 "Style profile; \"\": netflix-en for English tracks, netflix-other for the others",
                 {.choices =
                      [] {
                          std::vector<std::string> c{""};
                          for (const auto& n : profile_names()) c.push_back(n);
                          return c;
                      }()})
            .add(
                "subtitles.formats", &params::formats, "Subtitle files written per track",
                {.choices = params{}.formats,
                 .rule = [](const json& v) -> std::string { return v.empty() ? "must name at least one format" : ""; }})
            .add("subtitles.crlf", &params::crlf, "CRLF line ends (some players on Windows want them)")
            .add("subtitles.bom", &params::bom, "Start each file with a UTF-8 byte order mark")
            .add("subtitles.romanize", &params::romanize,
                 "A Hindi source also gets a romanized hi-Latn track (Hinglish spelling, English words in English, "
                 "glossary names as credited)")
            .add("subtitles.clean", &params::clean,
                 "Remove hallucinations, repetition loops, no-speech segments and text over VAD silence")
            .add("subtitles.max_cpl", &params::max_cpl, "Characters (grapheme clusters) per line",
                 {.min = 4, .max = 200, .null_means = "the profile's value"})
            .add("subtitles.max_lines", &params::max_lines, "Lines per cue",
                 {.min = 1, .max = 10, .null_means = "the profile's value"})
            .add("subtitles.max_cps", &params::max_cps, "Reading speed: characters per second",
                 {.min = 1, .max = 100, .null_means = "the profile's value"})
            .add("subtitles.min_duration", &params::min_duration, "Shortest cue",
                 {.min = 0, .max = 60, .unit = "s", .null_means = "the profile's value"})
            .add("subtitles.max_duration", &params::max_duration, "Longest cue",
                 {.min = 0.1, .max = 600, .unit = "s", .null_means = "the profile's value"})
            .add("subtitles.min_gap_frames", &params::min_gap_frames, "Smallest gap between two cues",
                 {.min = 0, .max = 100, .unit = "frames", .null_means = "the profile's value"})
            .add("subtitles.lead_in", &params::lead_in, "A cue starts up to this much before its first word",
                 {.min = 0, .max = 2, .unit = "s", .null_means = "the profile's value"})
            .add("subtitles.snap_window", &params::snap_window, "Cue edges move to a VAD speech edge within ±this",
                 {.min = 0, .max = 2, .unit = "s", .null_means = "the profile's value"})
            .add("subtitles.chain_gap", &params::chain_gap, "Gaps shorter than this close to min_gap_frames",
                 {.min = 0, .max = 10, .unit = "s", .null_means = "the profile's value"})
            .add("subtitles.max_pause", &params::max_pause, "A silence this long always ends a cue",
                 {.min = 0.1, .max = 600, .unit = "s", .null_means = "the profile's value"});
    return s;
}

}  // namespace cinesub::subs
