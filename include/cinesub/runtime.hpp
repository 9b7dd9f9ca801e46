// cinesub — what a program around the library needs: Ctrl-C handling, log level, whether to draw
// progress, user time formats, and error text safe to print on one line.
#pragma once

#include <string>
#include <string_view>

namespace cinesub {

// SIGINT / SIGTERM set a flag that long work polls between units of work (it then stops cleanly,
// resumable); a second SIGINT exits at once (130).
void install_interrupt_handlers();
bool interrupted() noexcept;

// trace, debug, info, warn, error.
void set_log_level(const std::string& level);

// True when stderr is a terminal, CI is unset and CINESUB_NO_PROGRESS is unset.
bool progress_enabled_by_default();

// Seconds from "SS[.mmm]", "MM:SS[.mmm]" or "HH:MM:SS[.mmm]" (',' accepted for '.').
// Throws error(range_invalid) naming `what` on anything else.
double parse_time(std::string_view text, std::string_view what = "time");

// Readable UTF-8 for any bytes (e.g. a file name from an old Windows share): valid UTF-8 kept,
// other bytes read as Windows-1252. For JSON output, which escapes control characters itself.
std::string display_text(std::string_view bytes);

// Text made safe for one terminal line: invalid UTF-8 bytes shown as Windows-1252 characters,
// control characters (a newline in a file name…) as escapes like \n.
std::string one_line(std::string_view text);

}  // namespace cinesub
