#include "cinesub/check.hpp"

#include "cinesub/error.hpp"
#include "subtitles/checker.hpp"
#include "subtitles/profile.hpp"
#include "subtitles/readers.hpp"
#include "util/path_json.hpp"

#include <fmt/format.h>

namespace cinesub {

std::vector<std::string> style_profile_names() { return subs::profile_names(); }

std::string default_style_profile(std::string_view language, std::string_view audience) {
    return subs::default_profile_name(language, audience);
}

check_result check_subtitles(const check_request& r) {
    if (!(r.fps > 1 && r.fps < 1000)) throw error(errc::usage, fmt::format("--fps {} is not a frame rate", r.fps));
    const auto style =
        subs::get_profile(r.profile.empty() ? subs::default_profile_name(r.language, r.audience) : r.profile);
    const auto file = subs::read_subtitles(r.file);
    const auto report = subs::check_file(file, style, r.fps);
    check_result out;
    out.passed = report.passed();
    out.format = file.format;
    out.report = report.to_json();
    out.text = subs::format_report(report, util::display_path(r.file));
    return out;
}

}  // namespace cinesub
