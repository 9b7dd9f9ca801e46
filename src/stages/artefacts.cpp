#include "stages/artefacts.hpp"

#include "util/fs.hpp"

#include <fmt/format.h>

namespace cinesub::stages {

std::string asr_files::transcript_file_name(std::string_view language) {
    return fmt::format("transcript.{}.json", language);
}

std::string muxed_file_name(std::string_view title, bool synthetic, std::string_view format) {
    return fmt::format("{}.{}subtitled.{}", util::file_name_from_title(title), synthetic ? "SYNTHETIC." : "", format);
}

}  // namespace cinesub::stages
