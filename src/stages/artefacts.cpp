#include "stages/artefacts.hpp"

#include "cinesub/error.hpp"
#include "util/fs.hpp"

#include <fmt/format.h>

namespace cinesub::stages {

namespace fs = std::filesystem;

std::vector<fs::path> listed_transcripts(const fs::path& tracks_json) {
    std::vector<fs::path> out;
    std::error_code ec;
    if (!fs::exists(tracks_json, ec)) return out;
    try {
        const auto doc = util::read_json(tracks_json);  // kept alive: .at() on a temporary would dangle
        for (const auto& t : doc.at("tracks"))
            out.push_back(tracks_json.parent_path() / t.at("file").get<std::string>());
    } catch (const std::exception& e) {
        throw error(errc::job_invalid, fmt::format("{} is not a tracks list: {}", tracks_json.string(), e.what()));
    }
    return out;
}

fs::path transcript_tracks(const cinesub::job& job) {
    const auto corrected = pipeline::artefact_path(job, correction_files::tracks);
    std::error_code ec;
    return fs::exists(corrected, ec) ? corrected : pipeline::artefact_path(job, asr_files::tracks);
}

std::string asr_files::transcript_file_name(std::string_view language) {
    return fmt::format("transcript.{}.json", language);
}

std::string muxed_file_name(std::string_view title, bool synthetic, std::string_view format) {
    return fmt::format("{}.{}subtitled.{}", util::file_name_from_title(title), synthetic ? "SYNTHETIC." : "", format);
}

std::vector<songs::sound_segment> load_sound_segments(const std::filesystem::path& songs_json) {
    const auto doc = util::read_json(songs_json);
    std::vector<songs::sound_segment> out;
    for (const auto& s : doc.value("segments", nlohmann::json::array()))
        out.push_back({s.value("start", 0.0), s.value("end", 0.0), songs::parse_sound(s.value("kind", std::string{})),
                       s.value("confidence", 0.0)});
    return out;
}

}  // namespace cinesub::stages
