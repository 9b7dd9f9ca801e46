#include "util/text.hpp"

#include <cmath>

namespace cinesub::util {

namespace {

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view no_break_space = "\xC2\xA0";             // U+00A0
constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";        // U+FEFF

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

// Byte length of the whitespace character that ends `s`; 0 when there is none.
std::size_t trailing_whitespace(std::string_view s) {
    if (s.empty()) return 0;
    if (is_ascii_space(s.back())) return 1;
    if (s.ends_with(no_break_space)) return no_break_space.size();
    if (s.ends_with(byte_order_mark)) return byte_order_mark.size();
    return 0;
}

// The UTF-8 sequence that starts at s[i]: `length` bytes, `valid` when that is a whole character;
// otherwise `length` is its maximal subpart (the lead byte and the continuation bytes that fit it,
// at least 1), and `at_end` says it was cut short by the end of `s`.
struct sequence {
    std::size_t length = 1;
    bool valid = false;
    bool at_end = false;
};

sequence sequence_at(std::string_view s, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) return {1, true, false};
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the range allowed for the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
    } else if (b0 == 0xE0) {
        len = 3, lo = 0xA0;  // no overlongs
    } else if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) {
        len = 3;
    } else if (b0 == 0xED) {
        len = 3, hi = 0x9F;  // no surrogates
    } else if (b0 == 0xF0) {
        len = 4, lo = 0x90;  // no overlongs
    } else if (b0 >= 0xF1 && b0 <= 0xF3) {
        len = 4;
    } else if (b0 == 0xF4) {
        len = 4, hi = 0x8F;  // nothing above U+10FFFF
    } else {
        return {1, false, false};  // a continuation byte, C0, C1 or F5–FF: never a lead
    }
    for (std::size_t k = 1; k < len; ++k) {
        if (i + k >= s.size()) return {k, false, true};
        const auto b = static_cast<unsigned char>(s[i + k]);
        if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return {k, false, false};
    }
    return {len, true, false};
}

}  // namespace

std::size_t whitespace_at(std::string_view s, std::size_t i) {
    if (i >= s.size()) return 0;
    if (is_ascii_space(s[i])) return 1;
    const auto rest = s.substr(i);
    if (rest.starts_with(no_break_space)) return no_break_space.size();
    if (rest.starts_with(byte_order_mark)) return byte_order_mark.size();
    return 0;
}

std::string_view trim(std::string_view s) {
    while (const auto n = whitespace_at(s)) s.remove_prefix(n);
    while (const auto n = trailing_whitespace(s)) s.remove_suffix(n);
    return s;
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto seq = sequence_at(s, i);
        if (!seq.valid) return false;
        i += seq.length;
    }
    return true;
}

std::string sanitize_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto seq = sequence_at(s, i);
        if (seq.valid)
            out.append(s.substr(i, seq.length));
        else
            out.append(replacement_character);
        i += seq.length;
    }
    return out;
}

std::size_t incomplete_utf8_tail(std::string_view s) {
    // The last lead byte, within the last 3 bytes, whose sequence runs past the end.
    for (std::size_t back = 1; back <= 3 && back <= s.size(); ++back) {
        const std::size_t i = s.size() - back;
        const auto b = static_cast<unsigned char>(s[i]);
        if (b >= 0x80 && b <= 0xBF) continue;  // a continuation byte: look further back for its lead
        const auto seq = sequence_at(s, i);
        return seq.at_end && i + seq.length == s.size() ? back : 0;
    }
    return 0;
}

double round_ms(double seconds) { return std::round(seconds * 1000.0) / 1000.0; }

}  // namespace cinesub::util
