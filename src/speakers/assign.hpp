// Words get speakers by overlap: each word takes the speaker whose turns cover most of it; a word in
// no turn (the diarization only labels the VAD's speech) takes the nearest turn within
// `max_distance_s`, else stays unknown. A segment's speaker is the one that speaks most of its words'
// time. Overlapped speech goes to the speaker with the larger share of the word.
#pragma once

#include "cinesub/transcript.hpp"
#include "speakers/rttm.hpp"

#include <span>

namespace cinesub::speakers {

struct assign_options {
    double max_distance_s = 1.0;
};

// Sets word.speaker and segment.speaker in `t` (every word and segment: those without a speaker are
// cleared). `turns` in any order. Words are O(log n) each.
void assign_speakers(transcript& t, std::span<const turn> turns, const assign_options& o = {});

}  // namespace cinesub::speakers
