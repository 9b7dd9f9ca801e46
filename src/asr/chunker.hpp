// Cut & merge (the WhisperX way): VAD segments longer than the window are split at their quietest
// frame, then neighbours are merged greedily into chunks of at most `max_s` seconds. Gaps inside a
// chunk stay in its audio. Pure functions.
#pragma once

#include "cinesub/transcript.hpp"

#include <vector>

namespace cinesub::asr {

struct chunk {
    int index = 0;
    double start = 0;  // seconds on the clip timeline
    double end = 0;
    std::vector<speech_segment> speech;  // the (split) VAD segments it holds, in order
    double duration() const { return end - start; }
};

// Splits every segment longer than max_s: the cut goes at the lowest speech probability between
// max_s/2 and max_s after the segment's start, and not within edge_s of its end, so every piece is
// at most max_s long. Without probabilities a long segment is cut into equal pieces.
std::vector<speech_segment> split_long_segments(const speech_map& speech, double max_s, double edge_s = 3.0);

// Split, then merge neighbours while a chunk stays within max_s (from its first segment's start to
// its last segment's end). Chunks are numbered 0.. in time order. No segments → no chunks.
std::vector<chunk> make_chunks(const speech_map& speech, double max_s);

}  // namespace cinesub::asr
