// The runner's settings: a timeout per stage ("timeout.<stage>"). Unset (the default): 300 s plus
// 20 × the clip's length.
#pragma once

#include "settings/schema.hpp"

#include <optional>
#include <string_view>

namespace cinesub::pipeline {

struct timeout_params {
    std::optional<double> demux, metadata, context, vad, speakers, songs, asr, correction, subtitles, mux;

    // The timeout set for a stage; nullopt when unset or for a stage without a key.
    std::optional<double> of(std::string_view stage) const;

    static const settings::schema<timeout_params>& schema();
};

}  // namespace cinesub::pipeline
