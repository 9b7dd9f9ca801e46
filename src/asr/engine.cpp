#include "asr/engine.hpp"

#include "asr/whisper_engine.hpp"
#include "cinesub/error.hpp"

#include <fmt/format.h>

namespace cinesub::asr {

std::unique_ptr<engine> make_engine(std::string_view spec, const nlohmann::json& options) {
    if (spec.empty() || spec == "whisper") return std::make_unique<whisper_engine>(whisper_options::from_json(options));
    constexpr std::string_view replay = "replay:";
    if (spec.substr(0, replay.size()) == replay) {
        const auto file = spec.substr(replay.size());
        if (file.empty()) throw error(errc::usage, "asr.engine 'replay:' needs a file (replay:FILE)");
        return make_replay_engine(file);
    }
    throw error(errc::usage, fmt::format("unknown ASR engine '{}' (whisper, replay:FILE)", spec));
}

}  // namespace cinesub::asr
