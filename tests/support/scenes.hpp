// Audio scenes with exact music / song / speech labels, for the songs tests and benchmark: blocks
// laid end to end — conversations from the Hindi clips (tests/support/mixtures), the Sintel trailer's
// music without its spoken lines, the synthetic music bed, sung vowels made with espeak-ng (notes
// of a seeded melody, each a held vowel at its own pitch), silence — each block with its label.
#pragma once

#include "songs/detect.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace cinesub::test {

struct scene_block {
    enum class source { silence, conversation, sintel_music, music_bed, sung };
    source what = source::silence;
    double seconds = 5;  // sintel_music, music_bed, sung, silence (a conversation takes its own length)
    int turns = 6;       // conversation
    // Under the block (conversation, sung): the music bed or the Sintel music this many dB below the
    // speech level; −100 or below: none.
    double bed_db = -100;
    bool bed_is_sintel = false;
    songs::sound label = songs::sound::silence;  // the truth for the block
};

struct scene {
    std::vector<float> audio;                 // 16 kHz mono
    std::vector<songs::sound_segment> truth;  // one per block, contiguous
    double duration() const { return static_cast<double>(audio.size()) / 16000.0; }
};

// Deterministic for a seed. Throws error(input_missing) when the Sintel clip or the Hindi clips are
// absent, error(internal) when espeak-ng cannot run.
scene make_scene(const std::vector<scene_block>& blocks, unsigned seed);

// The Sintel trailer's audio, 16 kHz mono, without the spoken lines: music only (about 19 s).
const std::vector<float>& sintel_music();
// `seconds` of sung vowels: espeak-ng held syllables ("Laaa", "Looo", "Naaa", ~0.85 s each, the
// voice's intonation flattened so each note holds its pitch) on the notes of a seeded melody (a walk
// over seven pitches, 120–280 Hz), legato, levelled to the mixtures' speech RMS.
std::vector<float> sung_vowels(double seconds, unsigned seed);
// True when espeak-ng runs here.
bool have_espeak();

// The scenes the tests and the benchmark score: a film-like mix of speech, speech over music, music,
// stings and songs (accompanied and a cappella), per seed.
std::vector<scene_block> film_like_blocks(unsigned seed);

}  // namespace cinesub::test
