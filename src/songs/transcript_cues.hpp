// Songs from the transcript, after ASR: the songs stage hears music and held notes before Whisper
// runs; the words Whisper decodes add what the signal alone misses. A span of the transcript (lines
// no more than max_gap_s apart, all over music or all over anything else by the songs stage's
// segments, at least min_song_s long) is sung when at least two of three cues
// agree — or when half its lines carry Whisper's own ♪:
//   repetition  a chorus: at least min_repeat of its word 3-grams occur twice or more in the span,
//   held words  its median word lasts at least long_word_s (sung syllables are held; speech runs
//               at 3–5 syllables a second),
//   music       the songs stage called at least half of its time music or song.
// Dialogue repeats a phrase now and then, not a third of its 3-grams; speech over a music bed is
// music only by the third cue.
#pragma once

#include "cinesub/transcript.hpp"
#include "songs/detect.hpp"

#include <span>
#include <vector>

namespace cinesub::songs {

struct transcript_cue_options {
    double min_song_s = 20;     // shorter spans are not songs (songs.min_song_s)
    double max_gap_s = 4;       // lines further apart start a new span
    int min_words = 12;         // fewer words say too little
    double min_repeat = 0.3;    // share of 3-gram occurrences that recur
    double long_word_s = 0.45;  // median word duration of singing
};

struct song_evidence {
    double start = 0, end = 0;  // the span (its first line's start, its last line's end)
    int lines = 0, words = 0;
    double notes = 0;          // share of lines carrying ♪ or ♫
    double repetition = 0;     // share of 3-gram occurrences whose 3-gram occurs twice or more
    double median_word_s = 0;  // of the words with a duration
    double music = 0;          // share of the span the songs stage called music or song
    bool song = false;
    double confidence = 0;  // 0.5 … 1 when song: the share of cues that agree
};

// Each span's evidence, in time order (spans shorter than min_song_s or with fewer than min_words
// words are left out). Words are compared as subs::normalize_for_match gives them (case folded,
// without punctuation).
std::vector<song_evidence> transcript_song_evidence(const transcript& t, std::span<const sound_segment> sounds,
                                                    const transcript_cue_options& o);

// `sounds` with every span judged sung (song_evidence::song) laid over it as a song segment (what
// it covered is cut back or split around it); still sorted and contiguous. A span that the songs
// stage already called song throughout changes nothing.
std::vector<sound_segment> with_transcript_songs(std::span<const sound_segment> sounds,
                                                 std::span<const song_evidence> evidence);

}  // namespace cinesub::songs
