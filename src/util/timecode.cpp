#include "util/timecode.hpp"

#include "cinesub/error.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <vector>

namespace cinesub::util {

double parse_time(std::string_view text, std::string_view what) {
    auto fail = [&]() -> double {
        throw error(
            errc::range_invalid,
            fmt::format("{} '{}' is not a time: use seconds (90.5) or HH:MM:SS[.mmm] (00:01:30.500)", what, text));
    };
    if (text.empty()) return fail();
    std::vector<std::string_view> parts;
    std::size_t pos = 0;
    while (true) {
        auto colon = text.find(':', pos);
        parts.push_back(text.substr(pos, colon == std::string_view::npos ? std::string_view::npos : colon - pos));
        if (colon == std::string_view::npos) break;
        pos = colon + 1;
    }
    if (parts.size() > 3) return fail();
    double total = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        std::string part(parts[i]);
        bool last = i + 1 == parts.size();
        for (auto& c : part)
            if (c == ',') c = '.';
        if (part.empty()) return fail();
        for (char c : part)
            if (!(std::isdigit(static_cast<unsigned char>(c)) || (last && c == '.'))) return fail();
        double value = 0;
        auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
        if (ec != std::errc{} || ptr != part.data() + part.size()) return fail();
        if (i > 0 && value >= 60) return fail();
        total = total * 60 + value;
    }
    if (!std::isfinite(total)) return fail();
    return total;
}

std::string format_time(double seconds) {
    if (seconds < 0) seconds = 0;
    auto ms = static_cast<long long>(std::llround(seconds * 1000.0));
    return fmt::format("{:02}:{:02}:{:02}.{:03}", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
}

}  // namespace cinesub::util
