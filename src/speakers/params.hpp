// Settings of the speakers stage ("speakers.*"). The initialisers are the defaults.
#pragma once

#include "settings/schema.hpp"

namespace cinesub::speakers {

struct params {
    bool enabled = true;      // false: the stage is skipped (no speakers.rttm; cues carry no speaker)
    int min_speakers = 1;     // prepare --min-speakers
    int max_speakers = 8;     // prepare --max-speakers
    double min_turn_s = 0.5;  // shorter turns join a neighbour

    static const settings::schema<params>& schema();
};

}  // namespace cinesub::speakers
