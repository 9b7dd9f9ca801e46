#include "cinesub/runtime.hpp"

#include "util/interrupt.hpp"
#include "util/log.hpp"
#include "util/path_json.hpp"
#include "util/progress.hpp"
#include "util/timecode.hpp"

#include <fmt/format.h>

namespace cinesub {

void install_interrupt_handlers() { util::install_interrupt_handlers(); }
bool interrupted() noexcept { return util::interrupted(); }
void set_log_level(const std::string& level) { util::set_log_level(level); }
bool progress_enabled_by_default() { return util::progress_enabled_by_default(); }
double parse_time(std::string_view text, std::string_view what) { return util::parse_time(text, what); }

std::string display_text(std::string_view bytes) { return util::display_text(bytes); }

std::string one_line(std::string_view text) {
    std::string out;
    for (unsigned char c : util::display_text(text)) {
        if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\t')
            out += "\\t";
        else if (c < 0x20 || c == 0x7F)
            out += fmt::format("\\x{:02x}", c);
        else
            out += static_cast<char>(c);
    }
    return out;
}

}  // namespace cinesub
