// A subtitle cue: what is shown, when, and the words behind it.
#pragma once

#include "cinesub/transcript.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace cinesub::subs {

struct cue {
    double start = 0;                // seconds
    double end = 0;                  // seconds
    std::vector<std::string> lines;  // display lines, plain UTF-8 (no markup)
    std::string speaker;             // the speaker's label ("SPEAKER_00", or a name read from a file); "" when unknown
    // A dialogue cue (two speakers, each line starting with the profile's dialogue dash): the speaker
    // of each line. Empty for a one-speaker cue.
    std::vector<std::string> line_speakers;
    bool song = false;        // lyrics: italic style in ASS, <i> in SRT/VTT
    std::vector<word> words;  // the words shown, with ASR times (a word split by a hyphen shows its piece)
    float confidence = 1.0f;  // mean word probability

    std::string text() const;  // lines joined by '\n'
    double duration() const { return end - start; }
};

// A finding about one cue, from the segmenter (what it could not avoid) or the checker.
struct violation {
    std::string rule;  // "cpl", "lines", "cps", "min_duration", "max_duration", "gap", "overlap", "empty",
                       // "timestamp_order", "cue_order", "bad_timestamp", "utf8", "xml", "hyphenated_word",
                       // "split_unit"
    bool hard = true;  // hard rules fail `cinesub check`; soft ones are reading-comfort warnings
    int cue = 0;       // 1-based cue number (0 when not tied to a cue)
    double start = 0;
    double end = 0;
    std::string message;  // one line
};

void to_json(nlohmann::json& j, const cue& c);
void from_json(const nlohmann::json& j, cue& c);
void to_json(nlohmann::json& j, const violation& v);

}  // namespace cinesub::subs
