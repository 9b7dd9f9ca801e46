#include "speakers/params.hpp"

#include "cinesub/error.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <sstream>

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
                 {.min = 0, .max = 10, .unit = "s"})
            .add("speakers.map", &params::map,
                 "Speaker names the user confirmed (TSV: SPEAKER_00 <TAB> name; prepare --speaker-map); they are "
                 "shown on cues and weigh on the Whisper prompts");
    return s;
}

std::map<std::string, std::string> read_speaker_map(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
        throw error(errc::input_missing, fmt::format("speaker map {} not found", file.string()));
    const auto text = util::read_file(file);
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const auto where = [&] { return fmt::format("{} line {}", file.string(), n); };
        if (!util::valid_utf8(line)) throw error(errc::input_corrupt, where() + ": not UTF-8");
        const auto t = util::trim(std::string_view(line));
        if (t.empty() || t.front() == '#') continue;
        const auto tab = line.find('\t');
        const auto label =
            tab == std::string::npos ? std::string_view{} : util::trim(std::string_view(line).substr(0, tab));
        const auto name =
            tab == std::string::npos ? std::string_view{} : util::trim(std::string_view(line).substr(tab + 1));
        if (label.empty() || name.empty())
            throw error(errc::input_corrupt, where() + ": expected SPEAKER_NN <TAB> name");
        if (!out.emplace(std::string(label), std::string(name)).second)
            throw error(errc::input_corrupt, where() + fmt::format(": {} is named twice", label));
    }
    return out;
}

}  // namespace cinesub::speakers
