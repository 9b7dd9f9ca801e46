// A small SRT/WebVTT cue reader for muxing, and ISO 639 language tags.
#include "cinesub/error.hpp"
#include "media/media.hpp"
#include "util/fs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

namespace cinesub::media {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// "HH:MM:SS,mmm", "HH:MM:SS.mmm", "MM:SS.mmm" (VTT), fractional part of 1–3 digits.
std::optional<double> parse_timestamp(std::string_view s) {
    s = trim(s);
    std::array<long, 3> parts{};
    int n = 0;
    std::size_t i = 0;
    for (;;) {
        if (n == 3) return std::nullopt;
        std::size_t j = i;
        long v = 0;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) v = v * 10 + (s[j++] - '0');
        if (j == i || j - i > 6) return std::nullopt;
        parts[static_cast<std::size_t>(n++)] = v;
        i = j;
        if (i < s.size() && s[i] == ':') {
            ++i;
            continue;
        }
        break;
    }
    if (n < 2) return std::nullopt;
    double frac = 0;
    if (i < s.size() && (s[i] == ',' || s[i] == '.')) {
        ++i;
        double scale = 0.1;
        std::size_t digits = 0;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
            frac += (s[i++] - '0') * scale;
            scale /= 10;
            ++digits;
        }
        if (digits == 0) return std::nullopt;
    }
    if (i != s.size()) return std::nullopt;
    const long h = n == 3 ? parts[0] : 0, m = n == 3 ? parts[1] : parts[0], sec = n == 3 ? parts[2] : parts[1];
    if (m >= 60 || sec >= 60) return std::nullopt;
    return static_cast<double>(h * 3600 + m * 60 + sec) + frac;
}

// Timing line "A --> B[ settings]" → {A, B}.
std::optional<std::pair<double, double>> parse_timing(std::string_view line) {
    auto arrow = line.find("-->");
    if (arrow == std::string_view::npos) return std::nullopt;
    auto a = parse_timestamp(line.substr(0, arrow));
    auto rest = trim(line.substr(arrow + 3));
    auto sp = rest.find_first_of(" \t");
    auto b = parse_timestamp(sp == std::string_view::npos ? rest : rest.substr(0, sp));
    if (!a || !b) return std::nullopt;
    return std::pair{*a, *b};
}

bool is_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

}  // namespace

std::vector<cue> parse_cues(std::string_view text, const std::string& what) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    std::vector<std::string_view> lines;
    for (std::size_t at = 0; at <= text.size();) {
        auto nl = text.find('\n', at);
        if (nl == std::string_view::npos) nl = text.size();
        auto line = text.substr(at, nl - at);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        at = nl + 1;
    }
    const bool vtt = !lines.empty() && trim(lines[0]).starts_with("WEBVTT");
    std::vector<cue> cues;
    std::size_t i = vtt ? 1 : 0;
    if (vtt)  // header block runs to the first blank line
        while (i < lines.size() && !trim(lines[i]).empty()) ++i;
    while (i < lines.size()) {
        while (i < lines.size() && trim(lines[i]).empty()) ++i;
        if (i >= lines.size()) break;
        const std::size_t block = i;
        auto first = trim(lines[i]);
        if (vtt && (first.starts_with("NOTE") || first == "STYLE" || first == "REGION")) {
            while (i < lines.size() && !trim(lines[i]).empty()) ++i;
            continue;
        }
        auto timing = parse_timing(lines[i]);
        if (!timing && i + 1 < lines.size() && (is_digits(first) || vtt)) timing = parse_timing(lines[++i]);
        if (!timing)
            throw error(
                errc::input_corrupt,
                fmt::format("{}: line {}: expected a cue timing line like '00:00:12,000 --> 00:00:15,000', got '{}'",
                            what, block + 1, std::string(first.substr(0, 80))));
        if (timing->second < timing->first)
            throw error(errc::input_corrupt, fmt::format("{}: line {}: cue ends before it starts", what, i + 1));
        ++i;
        cue c{timing->first, timing->second, {}};
        while (i < lines.size() && !trim(lines[i]).empty()) {
            if (!c.text.empty()) c.text += '\n';
            c.text += std::string(trim(lines[i]));
            ++i;
        }
        cues.push_back(std::move(c));
    }
    std::stable_sort(cues.begin(), cues.end(), [](const cue& a, const cue& b) { return a.start < b.start; });
    return cues;
}

std::vector<cue> read_cues(const fs::path& path) {
    util::require_readable_file(path, "subtitle file");
    return parse_cues(util::read_file(path), path.string());
}

// ---------------------------------------------------------------------------------------------

language_tag language_from_code(const std::string& code_in) {
    struct entry {
        const char* one;
        const char* two;  // ISO 639-2/B (what Matroska expects; FFmpeg's mp4 writer maps it)
        const char* name;
    };
    static constexpr std::array<entry, 49> table{{
        {"hi", "hin", "Hindi"},     {"en", "eng", "English"},    {"ur", "urd", "Urdu"},
        {"bn", "ben", "Bengali"},   {"ta", "tam", "Tamil"},      {"te", "tel", "Telugu"},
        {"mr", "mar", "Marathi"},   {"gu", "guj", "Gujarati"},   {"kn", "kan", "Kannada"},
        {"ml", "mal", "Malayalam"}, {"pa", "pan", "Punjabi"},    {"or", "ori", "Odia"},
        {"as", "asm", "Assamese"},  {"ne", "nep", "Nepali"},     {"sa", "san", "Sanskrit"},
        {"si", "sin", "Sinhala"},   {"fr", "fre", "French"},     {"de", "ger", "German"},
        {"es", "spa", "Spanish"},   {"it", "ita", "Italian"},    {"pt", "por", "Portuguese"},
        {"ru", "rus", "Russian"},   {"ja", "jpn", "Japanese"},   {"ko", "kor", "Korean"},
        {"zh", "chi", "Chinese"},   {"ar", "ara", "Arabic"},     {"fa", "per", "Persian"},
        {"tr", "tur", "Turkish"},   {"nl", "dut", "Dutch"},      {"sv", "swe", "Swedish"},
        {"pl", "pol", "Polish"},    {"id", "ind", "Indonesian"}, {"ms", "may", "Malay"},
        {"th", "tha", "Thai"},      {"vi", "vie", "Vietnamese"}, {"he", "heb", "Hebrew"},
        {"el", "gre", "Greek"},     {"uk", "ukr", "Ukrainian"},  {"ro", "rum", "Romanian"},
        {"cs", "cze", "Czech"},     {"hu", "hun", "Hungarian"},  {"fi", "fin", "Finnish"},
        {"da", "dan", "Danish"},    {"no", "nor", "Norwegian"},  {"my", "bur", "Burmese"},
        {"km", "khm", "Khmer"},     {"sw", "swa", "Swahili"},    {"tl", "tgl", "Tagalog"},
        {"ca", "cat", "Catalan"},
    }};
    std::string code;
    for (char c : code_in) code += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string script;
    if (auto dash = code.find_first_of("-_"); dash != std::string::npos) {
        script = code.substr(dash + 1);
        code.resize(dash);
    }
    std::string suffix;
    if (script == "latn")
        suffix = " (Latin)";
    else if (script == "deva")
        suffix = " (Devanagari)";
    else if (script == "arab")
        suffix = " (Arabic)";
    else if (!script.empty())
        suffix = " (" + script + ")";
    for (const auto& e : table)
        if (code == e.one || code == e.two) return {e.two, std::string(e.name) + suffix};
    // Other ISO 639-2/T codes some tools write.
    if (code == "deu") return {"ger", "German" + suffix};
    if (code == "fra") return {"fre", "French" + suffix};
    if (code == "zho") return {"chi", "Chinese" + suffix};
    if (code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        return {code, code + suffix};
    return {"und", code_in.empty() ? "Unknown" : code_in};
}

}  // namespace cinesub::media
