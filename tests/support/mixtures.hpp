// Synthetic conversations with exact speaker ground truth, for the diarization tests: turns cut from
// the shared Hindi read-speech clips (../shared/testdata/media/hi_commonvoice/hindi_NNN.wav, one
// speaker per clip), levelled to one speech RMS, laid out with pauses or overlaps, optionally over a
// synthetic music bed. The truth is where each placed piece's speech really is (leading and trailing
// silence trimmed by energy), to the sample.
#pragma once

#include "speakers/rttm.hpp"

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace cinesub::test {

inline constexpr int mixture_sample_rate = 16000;
// Every clip is scaled so that its speech (its speech frames, below) has this RMS.
inline constexpr double mixture_speech_rms = 0.05;  // −26 dBFS
// A 20 ms frame is speech when its RMS is at least mixture_noise_margin_db above the clip's noise floor
// (its quietest tenth of frames) and within mixture_trim_db of its loudest frame, the threshold kept at
// or below mixture_trim_max_db (so hissy clips keep their soft speech), in a run of at least
// mixture_min_speech_frames such frames (a click is not speech). Turns start and end on such frames.
inline constexpr std::size_t mixture_frame_samples = 320;  // 20 ms
inline constexpr double mixture_frame_s = 0.02;
inline constexpr double mixture_trim_db = -40;
inline constexpr double mixture_trim_max_db = -15;
inline constexpr double mixture_noise_margin_db = 10;
inline constexpr std::size_t mixture_min_speech_frames = 3;
// A pause inside a turn that is this long or longer is not speech in mixture::speech.
inline constexpr double mixture_min_pause_s = 0.3;
// Silence before the first turn and after the last one.
inline constexpr double mixture_margin_s = 0.5;

// One speaker's turn in seconds (exact ground truth: the speech extent of the placed piece).
// The same type the RTTM reader, writer and DER scorer take (speakers::turn).
using mixture_turn = speakers::turn;

struct mixture {
    std::vector<float> audio;         // 16 kHz mono
    std::vector<mixture_turn> truth;  // sorted by start (then end); overlapping turns allowed
    // The truth with each turn's pauses of mixture_min_pause_s or more (runs of non-speech frames, by
    // find_speech) left out: where the speakers speak, the reference DER is scored against. NIST RT's
    // convention for speaker segments: shorter pauses are bridged.
    std::vector<mixture_turn> speech;
    int speakers = 0;                          // distinct speakers in truth
    std::vector<std::filesystem::path> clips;  // the clip of each speaker; speaker name = the clip's stem
};

struct mixture_options {
    int speakers = 2;                             // distinct clip speakers, 2..8
    int turns = 12;                               // total turns (at least `speakers`: each one speaks)
    double pause_min_s = 0.2, pause_max_s = 0.8;  // silence between turns that do not overlap
    // Fraction of the turns after the first that start before the previous one ends, by 0.3–1.0 s
    // (at most half of either turn, so no more than two speakers ever talk at once).
    double overlap_fraction = 0.0;
    // A synthetic music bed (sustained harmonic chords + a ~2 Hz percussive beat) under everything, its
    // RMS this many dB relative to mixture_speech_rms; −100 or below: none. It does not change the
    // speech or the truth: the same seed gives the same turns with or without it.
    double music_db = -100;
    unsigned seed = 1;
    // true: each turn is a whole clip (trimmed); false: a 1.5–4 s piece of its speaker's clip, cut
    // at low-energy frames and then trimmed (at least 1 s and mostly speech; the clip's whole speech
    // when that is shorter).
    bool whole_clips = false;
};

// Where a clip's speech is, by 20 ms frames (see mixture_trim_db above).
struct clip_speech {
    std::vector<double> rms;         // of each frame (the last one may be short)
    std::vector<bool> speech;        // which frames are speech
    double threshold = 0;            // the RMS a frame needed
    double speech_rms = 0;           // RMS over the speech frames (the clip's speech level); 0 when none
    std::size_t first = 0, end = 0;  // frames [first, end) span the speech; first == end: none
    // The speech in samples [start_sample(), end_sample(clip length)).
    std::size_t start_sample() const { return first * mixture_frame_samples; }
    std::size_t end_sample(std::size_t samples) const { return std::min(end * mixture_frame_samples, samples); }
};
clip_speech find_speech(const std::vector<float>& samples);

// The clips present, in name order (hindi_000.wav … hindi_039.wav; one number is missing).
std::vector<std::filesystem::path> hindi_clips();

// The 16 kHz mono samples of a clip (decoded and resampled by media::demux_audio), cached per process.
const std::vector<float>& clip_16k(const std::filesystem::path& clip);

// Deterministic for a seed; different seeds pick different clips. Throws error(input_missing) when
// fewer than o.speakers clips are present, error(usage) for options out of range.
mixture make_conversation(const mixture_options& o);

// The music bed alone: `samples` samples at 16 kHz, RMS 1 (scale it yourself). Deterministic.
std::vector<float> make_music_bed(std::size_t samples, unsigned seed);

// NIST RTTM SPEAKER lines for `turns` (speakers::write_rttm: sorted, 3 decimals, written atomically).
void write_rttm_truth(const std::filesystem::path& path, const std::string& file_id,
                      const std::vector<mixture_turn>& turns);

}  // namespace cinesub::test
