// Hallucination and junk removal on a transcript, before segmentation. Every removal is returned
// (the subtitles stage logs them in removed.json).
//
// Reasons: "empty" (no text), "no_speech" (no_speech_prob > threshold and avg_logprob < threshold,
// Whisper's own rule), "silence" (mean VAD speech probability over the segment below threshold),
// "hallucination" (a known phrase from data/hallucinations.txt), "repetition" (a phrase said ≥ 3×
// in a row inside a segment, or ≥ 3 identical segments in a row: collapsed to one), and
// "compression_ratio" (zlib ratio of the text above the threshold after collapsing).
#pragma once

#include "cinesub/transcript.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cinesub::subs {

struct clean_options {
    double no_speech_threshold = 0.6;
    double logprob_threshold = -1.0;
    double compression_ratio_threshold = 2.4;
    double silence_threshold = 0.15;     // mean speech probability
    int repeat_min = 3;                  // repeats that make a loop
    const speech_map* speech = nullptr;  // optional
};

struct removal {
    std::string reason;  // see above
    std::string action;  // "dropped" (whole segment), "trimmed" (words cut), "collapsed" (repeats removed)
    double start = 0;
    double end = 0;
    std::string text;    // what was removed
    std::string detail;  // the measure that triggered it ("no_speech_prob 0.91, avg_logprob -1.40")
};

void to_json(nlohmann::json& j, const removal& r);

struct clean_result {
    transcript kept;
    std::vector<removal> removed;
};

clean_result clean(const transcript& t, const clean_options& options);

// len(text) / len(zlib(text)), as Whisper computes it.
double compression_ratio(std::string_view text);

struct hallucination_phrase {
    std::string text;     // normalized
    bool prefix = false;  // "PHRASE *"
    bool weak = false;    // "weak: PHRASE"
};
// The embedded list (data/hallucinations.txt), parsed once.
const std::vector<hallucination_phrase>& known_hallucinations();
std::vector<hallucination_phrase> parse_hallucinations(std::string_view file_text);

}  // namespace cinesub::subs
