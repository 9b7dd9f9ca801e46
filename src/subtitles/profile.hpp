// Subtitle style profiles: the limits the segmenter builds to and the checker checks against.
// Profiles are data (a table in profile.cpp); every value can be overridden from job settings.
#pragma once

#include "subtitles/params.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cinesub::subs {

struct profile {
    std::string name;
    int max_cpl = 42;               // characters (grapheme clusters) per line
    int max_lines = 2;              // lines per cue
    double max_cps = 20;            // reading speed, characters per second (spaces count, line breaks do not)
    double min_duration = 5.0 / 6;  // seconds
    double max_duration = 7;        // seconds
    int min_gap_frames = 2;         // minimum gap between consecutive cues, in frames of the media
    double lead_in = 0.1;           // cue starts up to this much before the first word when free
    double snap_window = 0.25;      // starts/ends move to a VAD speech edge within ± this
    double chain_gap = 0.5;         // gaps shorter than this are closed to min_gap_frames
    double max_pause = 2.0;         // a silence this long always ends a cue
    // Lyrics are timed to the singing, not to reading: song cues are checked against this speed.
    double song_max_cps = 25;
    // Two speakers in one cue: each line starts with this ("-", no space, for Hindi and English).
    // "" never puts two speakers in one cue.
    std::string dialogue_dash = "-";
    // Lyric cues start and end with this mark ("♪ … ♪", Netflix's convention); "" for none.
    std::string song_mark = "♪";
    // Whether the profile's language sets text in italics (lyrics, off-screen voices): Netflix's
    // English guide does; its Hindi guide does not use italics.
    bool italics = true;

    nlohmann::json to_json() const;
};

// "netflix-en", "netflix-en-children", "netflix-en-sdh", "netflix-hi", "netflix-hi-children",
// "netflix-hi-sdh", "netflix-other", "relaxed". Throws cinesub::error(usage) for an unknown name.
profile get_profile(std::string_view name);
std::vector<std::string> profile_names();
// Who the subtitles are for: Netflix sets a reading speed per language and audience.
inline const std::vector<std::string>& audiences() {
    static const std::vector<std::string> a{"adult", "children", "sdh"};
    return a;
}
// The default for a track language and audience: netflix-en[-children|-sdh] for English,
// netflix-hi[-…] for Hindi and romanized Hindi (hi-Latn), netflix-other otherwise. An unknown
// audience throws cinesub::error(usage).
std::string default_profile_name(std::string_view language, std::string_view audience = "adult");

// The stage's style overrides (subtitles.max_cpl…) that are set, applied to `p`. min_duration
// above max_duration throws cinesub::error(job_invalid).
void apply_overrides(profile& p, const params& overrides);

}  // namespace cinesub::subs
