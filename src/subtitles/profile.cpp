#include "subtitles/profile.hpp"

#include "cinesub/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace cinesub::subs {

using nlohmann::json;

namespace {

// The profiles, as data. Netflix Timed Text Style Guide values (as Subtitle Edit's Netflix checker
// encodes them): 42 characters per line, 2 lines; reading speed English 20 cps (children 17, SDH
// 20), Hindi 22 (children 18, SDH 25), 17 for most other languages; 5/6 s minimum and 7 s maximum
// duration, 2 frames between cues, gaps under 0.5 s closed; two speakers in one cue get a hyphen
// without a space on each line. Song cues follow the singing: they are checked against a reading
// speed 5 cps above the dialogue's (Netflix sets none for lyrics), and start and end with "♪".
// Italics: the English profiles set lyrics in italics; the Hindi ones do not (Devanagari has no
// italic tradition and fonts only slant it — our reading of Netflix's Hindi guide, which puts no text
// in italics).
constexpr double min_d = 5.0 / 6;
const std::array<profile, 8> profiles{{
    {"netflix-en", 42, 2, 20, min_d, 7, 2, 0.1, 0.25, 0.5, 2.0, 25, "-"},
    {"netflix-en-children", 42, 2, 17, min_d, 7, 2, 0.1, 0.25, 0.5, 2.0, 22, "-"},
    {"netflix-en-sdh", 42, 2, 20, min_d, 7, 2, 0.1, 0.25, 0.5, 2.0, 25, "-"},
    {"netflix-hi", 42, 2, 22, min_d, 7, 2, 0.1, 0.25, 0.5, 2.0, 27, "-", "♪", false},
    {"netflix-hi-children", 42, 2, 18, min_d, 7, 2, 0.1, 0.25, 0.5, 2.0, 23, "-", "♪", false},
    {"netflix-hi-sdh", 42, 2, 25, min_d, 7, 2, 0.1, 0.25, 0.5, 2.0, 30, "-", "♪", false},
    {"netflix-other", 42, 2, 17, min_d, 7, 2, 0.1, 0.25, 0.5, 2.0, 22, "-"},
    {"relaxed", 50, 2, 25, 0.5, 10, 1, 0.1, 0.25, 0.0, 3.0, 30, "-"},
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
                {"max_pause", max_pause},
                {"song_max_cps", song_max_cps},
                {"dialogue_dash", dialogue_dash},
                {"song_mark", song_mark},
                {"italics", italics}};
}

profile get_profile(std::string_view name) {
    for (const auto& p : profiles)
        if (p.name == name) return p;
    std::string known;
    for (const auto& p : profiles) known += (known.empty() ? "" : ", ") + p.name;
    throw error(errc::usage, fmt::format("unknown subtitle profile '{}' ({})", name, known));
}

std::vector<std::string> profile_names() {
    std::vector<std::string> out;
    out.reserve(profiles.size());
    for (const auto& p : profiles) out.push_back(p.name);
    return out;
}

std::string default_profile_name(std::string_view language, std::string_view audience) {
    const auto& known = audiences();
    if (std::find(known.begin(), known.end(), audience) == known.end())
        throw error(errc::usage, fmt::format("unknown audience '{}' (adult, children, sdh)", audience));
    const std::string suffix = audience == "adult" ? "" : fmt::format("-{}", audience);
    auto is = [&](std::string_view code) {
        return language == code || (language.size() > code.size() && language.starts_with(code) &&
                                    (language[code.size()] == '-' || language[code.size()] == '_'));
    };
    if (is("en")) return "netflix-en" + suffix;
    if (is("hi")) return "netflix-hi" + suffix;
    return "netflix-other";
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
    take(p.song_max_cps, o.song_max_cps);
    take(p.dialogue_dash, o.dialogue_dash);
    take(p.song_mark, o.song_mark);
    take(p.italics, o.italics);
    if (p.min_duration > p.max_duration)
        throw error(errc::job_invalid, fmt::format("subtitles.min_duration {} exceeds subtitles.max_duration {}",
                                                   p.min_duration, p.max_duration));
}

const settings::schema<params>& params::schema() {
    static const auto s =
        settings::schema<params>()
            .add("subtitles.profile", &params::profile,
                 "Style profile; \"\": by track language and subtitles.audience (netflix-en, netflix-hi for Hindi "
                 "and hi-Latn, netflix-other for the others)",
                 {.choices =
                      [] {
                          std::vector<std::string> c{""};
                          for (const auto& n : profile_names()) c.push_back(n);
                          return c;
                      }()})
            .add("subtitles.audience", &params::audience,
                 "Who the subtitles are for: picks the default profile's reading speed (Hindi 22/18/25 cps, "
                 "English 20/17/20)",
                 {.choices = audiences()})
            .add(
                "subtitles.formats", &params::formats,
                "Subtitle files written per track (ttml: IMSC 1.1 Text Profile, not muxed)",
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
                 {.min = 0.1, .max = 600, .unit = "s", .null_means = "the profile's value"})
            .add("subtitles.song_max_cps", &params::song_max_cps,
                 "Reading speed that song (lyrics) cues are checked against",
                 {.min = 1, .max = 100, .null_means = "the profile's value"})
            .add("subtitles.dialogue_dash", &params::dialogue_dash,
                 "Starts each line of a two-speaker cue; \"\" keeps every speaker in cues of their own",
                 {.null_means = "the profile's value",
                  .rule = [](const json& v) -> std::string {
                      return v.is_string() && v.get<std::string>().size() > 8 ? "at most 8 bytes" : "";
                  }})
            .add("subtitles.song_mark", &params::song_mark, "Starts and ends each lyric cue (\"♪ … ♪\"); \"\" for none",
                 {.null_means = "the profile's value",
                  .rule = [](const json& v) -> std::string {
                      return v.is_string() && v.get<std::string>().size() > 8 ? "at most 8 bytes" : "";
                  }})
            .add("subtitles.italics", &params::italics,
                 "Lyrics in italics (SRT/VTT <i>, the ASS Song style, a TTML italic style)",
                 {.null_means = "the profile's value (English yes, Hindi no)"})
            .add("subtitles.speaker_labels", &params::speaker_labels,
                 "VTT voices and ASS styles also tag speakers without a confirmed name, by their label (SPEAKER_00)");
    return s;
}

}  // namespace cinesub::subs
