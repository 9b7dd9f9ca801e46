// The subtitles stage's settings ("subtitles.*"). The initialisers are the defaults; the style
// overrides are unset (null) by default, which keeps the chosen profile's value.
#pragma once

#include "settings/schema.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cinesub::subs {

struct params {
    std::string profile;             // "" → by track language and audience (netflix-en, netflix-hi, netflix-other)
    std::string audience = "adult";  // adult | children | sdh: picks the default profile's reading speed
    // ttml: IMSC 1.1 Text Profile (not muxed: tracks.json names the SRT, else the VTT or ASS).
    std::vector<std::string> formats{"srt", "vtt", "ass", "json", "ttml"};
    bool crlf = false;     // CRLF line ends
    bool bom = false;      // UTF-8 byte order mark
    bool romanize = true;  // a Hindi source also gets a romanized hi-Latn track
    bool clean = true;     // remove hallucinations, loops, no-speech and text over silence
    // Style overrides (null: the profile's value).
    std::optional<int> max_cpl;
    std::optional<int> max_lines;
    std::optional<double> max_cps;
    std::optional<double> min_duration;
    std::optional<double> max_duration;
    std::optional<int> min_gap_frames;
    std::optional<double> lead_in;
    std::optional<double> snap_window;
    std::optional<double> chain_gap;
    std::optional<double> max_pause;
    std::optional<double> song_max_cps;
    std::optional<std::string> dialogue_dash;
    std::optional<std::string> song_mark;
    std::optional<bool> italics;
    // VTT voices and ASS styles name the speakers the user confirmed (prepare --speaker-map); with
    // this, speakers without a name are tagged by their label (SPEAKER_00).
    bool speaker_labels = false;

    static const settings::schema<params>& schema();
};

// The subtitle formats the writers know, in the order files are written.
inline const std::vector<std::string>& all_formats() {
    static const std::vector<std::string> formats = params{}.formats;
    return formats;
}

}  // namespace cinesub::subs
