// Cue timing: from speech spans (first word start … last word end) to display times.
//
// In order of priority: cues never overlap and keep profile.min_gap_frames between them; a cue
// covers its speech (ends are pulled back before starts are pushed); starts/ends move to a VAD
// speech edge within ± profile.snap_window (when a speech map is given); ends linger to meet the
// minimum duration and the reading speed (up to the next cue); starts take a lead-in of up to
// profile.lead_in when the time is free; gaps shorter than profile.chain_gap are closed to the
// minimum gap; no cue is longer than profile.max_duration. Results lie on the frame grid of `fps`.
#pragma once

#include "cinesub/transcript.hpp"
#include "subtitles/cue.hpp"
#include "subtitles/profile.hpp"

#include <vector>

namespace cinesub::subs {

// Reading-speed characters of a cue: grapheme clusters of its lines (spaces count, breaks do not).
int cue_characters(const cue& c);

// The speech onset (silence→speech edge) nearest to t within ±window; t when there is none.
// Uses the per-frame probabilities when present, else the speech segments.
double snap_to_onset(const speech_map& speech, double t, double window, float threshold = 0.5f);
// The speech offset (speech→silence edge) nearest to t within ±window; t when there is none.
double snap_to_offset(const speech_map& speech, double t, double window, float threshold = 0.5f);

// Mean speech probability over [start, end] (from probabilities, else the fraction covered by speech
// segments); -1 when the map has neither or does not cover the span.
double mean_speech_probability(const speech_map& speech, double start, double end);

// Sets every cue's start/end; cues must be in time order with start/end = their speech span.
void apply_timing(std::vector<cue>& cues, const profile& style, double fps, const speech_map* speech = nullptr);

}  // namespace cinesub::subs
