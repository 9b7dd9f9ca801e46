// Parsing and formatting of times given by users: "90", "90.5", "1:30", "00:01:30.500".
#pragma once

#include <string>
#include <string_view>

namespace cinesub::util {

// Seconds from "SS[.mmm]", "MM:SS[.mmm]" or "HH:MM:SS[.mmm]" (',' accepted for '.').
// Throws cinesub::error(errc::range_invalid) naming `what` on anything else.
double parse_time(std::string_view text, std::string_view what = "time");
// "HH:MM:SS.mmm"
std::string format_time(double seconds);

}  // namespace cinesub::util
