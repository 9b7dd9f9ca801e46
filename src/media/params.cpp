#include "media/params.hpp"

namespace cinesub::media {

const settings::schema<mux_params>& mux_params::schema() {
    static const auto s = settings::schema<mux_params>().add(
        "mux.format", &mux_params::format, "Container of the subtitled video: mkv (SubRip tracks) or mp4 (mov_text)",
        {.choices = {"mkv", "mp4"}});
    return s;
}

}  // namespace cinesub::media
