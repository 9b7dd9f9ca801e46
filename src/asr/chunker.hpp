// Cut & merge (the WhisperX way): VAD segments longer than the window are split at their quietest
// frame, then neighbours are merged greedily into chunks of at most `max_s` seconds of decoder audio.
// A gap between merged segments stays in the chunk's audio up to `max_gap` seconds; a longer gap
// (music, silence) is shortened to `max_gap`, so one 30 s window holds more speech and the film
// needs fewer windows. Each chunk keeps the table that maps its audio back to the clip timeline
// (not whisper.cpp's own VAD mapping, which v1.9.1 gets wrong). Pure functions.
#pragma once

#include "cinesub/transcript.hpp"

#include <vector>

namespace cinesub::asr {

// A stretch of the clip that a chunk's audio holds, placed `at` seconds into that audio.
struct piece {
    double start = 0;  // clip timeline
    double end = 0;
    double at = 0;
};

struct chunk {
    int index = 0;
    double start = 0;  // seconds on the clip timeline
    double end = 0;
    std::vector<speech_segment> speech;  // the (split) VAD segments it holds, in order
    std::vector<piece> pieces;           // its audio: these stretches in order, silence between them
    double duration() const { return end - start; }
    // Length of the audio the decoder sees (the pieces plus the shortened gaps between them).
    double audio_seconds() const;
    // A time t seconds into the chunk's audio, on the clip timeline. Inside a piece: exact. In a
    // shortened gap: the nearer edge of the two pieces. Before/after all pieces: clamped.
    double to_clip_time(double t) const;
};

// Splits every segment longer than max_s: the cut goes at the lowest speech probability between
// max_s/2 and max_s after the segment's start, and not within edge_s of its end, so every piece is
// at most max_s long. Without probabilities a long segment is cut into equal pieces.
std::vector<speech_segment> split_long_segments(const speech_map& speech, double max_s, double edge_s = 3.0);

// Split, then merge neighbours while a chunk's audio stays within max_s (its pieces plus gaps,
// each gap at most max_gap; max_gap = infinity keeps every gap: the chunk is one piece from its
// first segment's start to its last segment's end). Chunks are numbered 0.. in time order. No
// segments → no chunks.
inline constexpr double keep_all_gaps = 1e300;
std::vector<chunk> make_chunks(const speech_map& speech, double max_s, double max_gap = keep_all_gaps);

}  // namespace cinesub::asr
