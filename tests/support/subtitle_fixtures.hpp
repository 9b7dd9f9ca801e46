// Small transcripts and cues shared by the subtitle tests.
#pragma once

#include "cinesub/transcript.hpp"
#include "subtitles/cue.hpp"
#include "subtitles/text.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace cinesub::test {

// A segment whose words are spread evenly over [start, end] with probability 0.9.
inline cinesub::segment seg(double start, double end, const std::string& text, float no_speech = 0,
                            float logprob = -0.2f) {
    cinesub::segment s;
    s.start = start;
    s.end = end;
    s.text = text;
    const auto ws = subs::split_words(text);
    const double step = (end - start) / static_cast<double>(std::max<std::size_t>(1, ws.size()));
    for (std::size_t i = 0; i < ws.size(); ++i)
        s.words.push_back(
            {ws[i], start + step * static_cast<double>(i), start + step * static_cast<double>(i + 1), 0.9f});
    s.no_speech_prob = no_speech;
    s.avg_logprob = logprob;
    return s;
}

// Two cues: a spoken line with a speaker, a two-line song cue.
inline std::vector<subs::cue> sample_cues() {
    subs::cue a;
    a.start = 1;
    a.end = 2.5;
    a.lines = {"Hello?"};
    a.speaker = "Diane";
    subs::cue b;
    b.start = 3;
    b.end = 5;
    b.lines = {"Tere bina", "zindagi se koi"};
    b.song = true;
    b.speaker = "Sheila";
    return {a, b};
}

}  // namespace cinesub::test
