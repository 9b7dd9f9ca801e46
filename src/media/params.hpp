// The mux stage's settings ("mux.*"); the initialisers are the defaults.
#pragma once

#include "settings/schema.hpp"

#include <string>

namespace cinesub::media {

struct mux_params {
    std::string format = "mkv";  // container of the subtitled video: mkv (SubRip tracks) or mp4 (mov_text)
    bool ass = false;            // mkv: mux the ASS files (speaker colours, song style) with their fonts attached

    static const settings::schema<mux_params>& schema();
};

}  // namespace cinesub::media
