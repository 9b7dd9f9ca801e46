#include "speakers/params.hpp"

namespace cinesub::speakers {

const settings::schema<params>& params::schema() {
    static const auto s =
        settings::schema<params>()
            .add("speakers.enabled", &params::enabled, "Find who speaks when (speakers.rttm, speakers.json)")
            .add("speakers.min_speakers", &params::min_speakers, "Fewest speakers the clustering may find",
                 {.min = 1, .max = 64})
            .add("speakers.max_speakers", &params::max_speakers,
                 "Most speakers the clustering may find (at least speakers.min_speakers)", {.min = 1, .max = 64})
            .add("speakers.min_turn_s", &params::min_turn_s, "Shorter speaker turns join a neighbour",
                 {.min = 0, .max = 10, .unit = "s"});
    return s;
}

}  // namespace cinesub::speakers
