#include "songs/params.hpp"

namespace cinesub::songs {

const settings::schema<params>& params::schema() {
    static const auto s =
        settings::schema<params>()
            .add("songs.enabled", &params::enabled, "Find music and songs before ASR (songs.json)")
            .add_enum("songs.mode", &params::mode, lyrics_mode_names,
                      "Lyrics: mark (♪ cues; the English track shows them as sung), translate (the English track "
                      "translates them), skip (songs are not decoded; no lyric cues)")
            .add("songs.min_song_s", &params::min_song_s, "Sung music shorter than this is music, not a song",
                 {.min = 1, .max = 600, .unit = "s"})
            .add("songs.min_music_s", &params::min_music_s, "Music shorter than this joins what surrounds it",
                 {.min = 0.5, .max = 60, .unit = "s"})
            .add("songs.skip_music", &params::skip_music,
                 "Instrumental music is not sent to Whisper (fewer windows, no hallucinated lines over the score)")
            .add("songs.transcript_cues", &params::transcript_cues,
                 "After ASR, spans of the transcript that sound sung (a chorus of recurring 3-grams, held words, "
                 "music under them, Whisper's own ♪) become songs too");
    return s;
}

}  // namespace cinesub::songs
