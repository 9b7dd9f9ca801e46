// Settings of the songs stage ("songs.*"). The initialisers are the defaults.
#pragma once

#include "settings/schema.hpp"

#include <array>
#include <string_view>

namespace cinesub::songs {

// What becomes of lyrics (prepare --songs):
//   mark       decoded; lyric cues marked ♪ in every track — the English track shows them as sung
//              (romanized for a Hindi film), not translated;
//   translate  decoded; the English track carries their translation, marked ♪;
//   skip       not decoded at all: no lyric cues (the songs stay marked in songs.json).
enum class lyrics_mode { mark, translate, skip };
inline constexpr std::array<std::string_view, 3> lyrics_mode_names = {"mark", "translate", "skip"};

struct params {
    bool enabled = true;  // false: the stage is skipped (no songs.json; nothing is marked)
    lyrics_mode mode = lyrics_mode::mark;
    double min_song_s = 20;       // shorter sung music is music (a sting, a jingle)
    double min_music_s = 3;       // shorter music joins what surrounds it
    bool skip_music = true;       // instrumental music is not sent to Whisper
    bool transcript_cues = true;  // after ASR, sung spans of the transcript become songs too (transcript_cues.hpp)

    static const settings::schema<params>& schema();
};

}  // namespace cinesub::songs
