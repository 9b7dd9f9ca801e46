#include "util/path_json.hpp"

#include "cinesub/error.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <array>

namespace cinesub::util {

using nlohmann::json;

namespace {

// Windows-1252 0x80–0x9F (0 where the code page leaves the byte undefined: shown as U+FFFD).
constexpr std::array<char32_t, 32> cp1252_high = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                                  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                                  0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                                  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// Length of the valid UTF-8 character at s[i], 0 when the bytes there are not one.
std::size_t utf8_char_at(std::string_view s, std::size_t i) {
    for (std::size_t n = 1; n <= 4 && i + n <= s.size(); ++n)
        if (valid_utf8(s.substr(i, n))) return n;
    return 0;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

[[noreturn]] void bad_path(const json& j) {
    throw error(errc::job_invalid,
                fmt::format("{} is not a path (a string, or {{\"display\": …, \"bytes\": \"<hex>\"}})",
                            j.dump(-1, ' ', true, json::error_handler_t::replace)));
}

}  // namespace

std::string display_text(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    std::size_t i = 0;
    while (i < bytes.size()) {
        const auto n = utf8_char_at(bytes, i);
        if (n > 0) {
            out.append(bytes.substr(i, n));
            i += n;
            continue;
        }
        const auto b = static_cast<unsigned char>(bytes[i]);
        char32_t c = b;
        if (b >= 0x80 && b <= 0x9F) c = cp1252_high[b - 0x80] ? cp1252_high[b - 0x80] : char32_t{0xFFFD};
        append_utf8(out, c);
        ++i;
    }
    return out;
}

std::string display_path(const std::filesystem::path& path) { return display_text(path.native()); }

json path_to_json(const std::filesystem::path& path) {
    const auto& bytes = path.native();
    if (valid_utf8(bytes)) return bytes;
    std::string hex;
    hex.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) hex += fmt::format("{:02x}", c);
    return json{{"display", display_text(bytes)}, {"bytes", hex}};
}

bool is_path_json(const json& j) {
    if (j.is_string()) return true;
    if (!j.is_object() || !j.contains("bytes") || !j["bytes"].is_string()) return false;
    const auto& hex = j["bytes"].get_ref<const std::string&>();
    if (hex.size() % 2 != 0) return false;
    for (char c : hex)
        if (hex_value(c) < 0) return false;
    return true;
}

std::filesystem::path path_from_json(const json& j) {
    if (j.is_string()) return std::filesystem::path(j.get<std::string>());
    if (!is_path_json(j)) bad_path(j);
    const auto& hex = j["bytes"].get_ref<const std::string&>();
    std::string bytes;
    bytes.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2)
        bytes += static_cast<char>(hex_value(hex[i]) * 16 + hex_value(hex[i + 1]));
    return std::filesystem::path(bytes);
}

}  // namespace cinesub::util
