// Music and singing over time, from the signal alone (no neural model), before ASR.
//
// Every 10 ms a 64 ms FFTW spectrum gives: the frame's loudness, its energy in 94–4000 Hz, and its
// spectral peaks, each tracked from frame to frame (a peak that stays within ±1 bin keeps its age).
// Over 1 s windows (hop 0.5 s) these make four features:
//   stable      share of the band's energy in peaks held ≥ 200 ms (sustained notes: instruments, sung
//               vowels; speech harmonics glide and break every syllable),
//   modulation  depth (dB) of the 2–8 Hz modulation of the band's log energy (the syllable rhythm),
//   low_energy  share of 10 ms frames below half the window's mean RMS (pauses between syllables),
//   voice       the VAD's mean speech probability (Silero rejects instruments, not voices),
// and two scores from them: `music` (the sound is music, not speech with or without a bed under it)
// and `sung` (a voice holds the notes). A window is silence, speech, music or song-like; runs become
// segments; music shorter than min_music_s joins what surrounds it, a sung run shorter than min_song_s
// stays music (a sting, a jingle), and a song is a music run of at least min_song_s whose windows are
// sung for at least min_sung_fraction of its length.
//
// Transcript cues (♪ tokens, a chorus, held words) come later, after ASR: songs/transcript_cues.hpp
// adds the spans they make songs, and the subtitles stage marks lyric words from the segments and the
// ASR's own ♪ marks.
#pragma once

#include <cstddef>
#include "cinesub/transcript.hpp"

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::songs {

enum class sound { silence, speech, music, song };
std::string_view sound_name(sound s);
// "silence", "speech", "music", "song"; error(input_corrupt) for anything else.
sound parse_sound(std::string_view name);

struct sound_segment {
    double start = 0, end = 0;
    sound kind = sound::silence;
    double confidence = 0;  // 0.5 … 1: how far the mean score of its windows is from the decision threshold
};

struct detect_options {
    double min_music_s = 3;          // shorter music joins its neighbours
    double min_song_s = 20;          // shorter sung music is music (a sting is not a song)
    double min_sung_fraction = 0.4;  // of a song's windows that must sound sung
    double silence_db = -55;         // window RMS (dBFS) below this is silence
    // The VAD's speech probability per frame (speech.json), frame_s apart; empty: voice = 0.5 throughout.
    std::span<const float> speech_probability;
    double speech_frame_s = 0.032;
};

struct window_features {
    double start = 0;  // seconds; the window is [start, start + 1)
    double rms_db = -120, stable = 0, modulation = 0, low_energy = 0, voice = 0, held = 0;
    double music = 0, sung = 0;  // scores in [0, 1]
    sound kind = sound::silence;
};

struct sound_analysis {
    double window_s = 1.0, hop_s = 0.5;
    std::vector<window_features> windows;
    std::vector<sound_segment> segments;  // sorted, contiguous, covering [0, duration]
    double duration = 0;
};

// `audio`: 16 kHz mono. should_stop is polled every few seconds of audio (throws error(interrupted)).
sound_analysis detect_sounds(std::span<const float> audio, const detect_options& o,
                             const std::function<bool()>& should_stop = {});

// Frame-level scoring at `resolution_s`: each frame [k·r, (k+1)·r) takes the class at its centre in
// ref and in hyp (time outside every segment is silence). Positive: music or song (songs_only: song).
struct frame_score {
    std::size_t frames = 0, true_positive = 0, false_positive = 0, false_negative = 0;
    double precision() const;
    double recall() const;
    double f1() const;  // 1 when there is nothing to find and nothing was found
};
frame_score score_frames(std::span<const sound_segment> ref, std::span<const sound_segment> hyp, double duration,
                         double resolution_s = 1.0, bool songs_only = false);

// The class at time t (silence outside every segment).
sound sound_at(std::span<const sound_segment> segments, double t);

// `speech` without its parts inside sound segments of the given kinds: a speech segment is cut where
// one begins or ends inside it; pieces shorter than min_piece_s are dropped. Sorted in, sorted out.
std::vector<speech_segment> without_sounds(std::span<const speech_segment> speech,
                                           std::span<const sound_segment> sounds, std::span<const sound> kinds,
                                           double min_piece_s = 0.25);
// Seconds of `speech` inside sound segments of the given kinds.
double seconds_inside(std::span<const speech_segment> speech, std::span<const sound_segment> sounds,
                      std::span<const sound> kinds);

}  // namespace cinesub::songs
