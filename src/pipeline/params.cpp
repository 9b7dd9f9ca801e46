#include "pipeline/params.hpp"

#include <array>
#include <string>
#include <utility>

namespace cinesub::pipeline {

namespace {

using member = std::optional<double> timeout_params::*;
constexpr std::array<std::pair<std::string_view, member>, 10> timeouts{{
    {"demux", &timeout_params::demux},
    {"metadata", &timeout_params::metadata},
    {"context", &timeout_params::context},
    {"vad", &timeout_params::vad},
    {"speakers", &timeout_params::speakers},
    {"songs", &timeout_params::songs},
    {"asr", &timeout_params::asr},
    {"correction", &timeout_params::correction},
    {"subtitles", &timeout_params::subtitles},
    {"mux", &timeout_params::mux},
}};

}  // namespace

std::optional<double> timeout_params::of(std::string_view stage) const {
    for (const auto& [name, m] : timeouts)
        if (name == stage) return this->*m;
    return std::nullopt;
}

const settings::schema<timeout_params>& timeout_params::schema() {
    static const auto s = [] {
        settings::schema<timeout_params> out;
        for (const auto& [name, m] : timeouts)
            out.add("timeout." + std::string(name), m,
                    "Longest the " + std::string(name) + " stage may run before it is stopped",
                    {.min = 0.01, .unit = "s", .null_means = "300 s + 20 × the clip's length"});
        return out;
    }();
    return s;
}

}  // namespace cinesub::pipeline
