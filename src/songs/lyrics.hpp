// Lyrics in transcripts, after ASR: the words sung inside songs (the songs stage's segments) are
// marked as lyrics (word.song), and so are segments that Whisper itself wrapped in ♪; then each
// songs.mode makes its tracks from them (src/songs/params.hpp).
#pragma once

#include "cinesub/transcript.hpp"
#include "songs/detect.hpp"

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace cinesub::songs {

// The text carries a music note (♪ or ♫): Whisper's own mark of singing.
bool has_music_note(std::string_view text);

// Marks word.song on every word whose middle lies inside a song segment, and on every word of a
// segment whose text carries ♪ or ♫. A segment with text but no words gets its words first (spread
// over it, subs::segment_words). Returns the number of words marked.
std::size_t mark_lyrics(transcript& t, std::span<const sound_segment> sounds);

// Removes the lyric words (word.song) and the segments left without words; returns the words removed.
std::size_t drop_lyrics(transcript& t);

// The translation track with its lyrics as sung: its own lyric words go, and the source track's
// lyric words come in their place (each source segment's as one segment, each word's text through
// `display` — the romanizer for a Hindi film — when given). Segments sorted by start.
transcript lyrics_as_sung(const transcript& translation, const transcript& source,
                          const std::function<std::string(std::string_view)>& display = {});

}  // namespace cinesub::songs
