#include "media/params.hpp"

namespace cinesub::media {

const settings::schema<mux_params>& mux_params::schema() {
    static const auto s =
        settings::schema<mux_params>()
            .add("mux.format", &mux_params::format,
                 "Container of the subtitled video: mkv (SubRip tracks) or mp4 (mov_text)", {.choices = {"mkv", "mp4"}})
            .add("mux.ass", &mux_params::ass,
                 "MKV: mux the ASS tracks (speaker colours, song style) instead of SRT, with the fonts they name "
                 "attached (Noto Sans, Noto Sans Devanagari from the system's font folders)");
    return s;
}

}  // namespace cinesub::media
