// Parsing only (no file access): also compiled into the libFuzzer targets in tests/fuzz/.
#include "subtitles/readers.hpp"

#include "cinesub/error.hpp"

#include "subtitles/text.hpp"
#include "subtitles/ttml.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace cinesub::subs {

using util::lower_ascii;
using util::sanitize_utf8;
using util::trim;
using util::valid_utf8;

namespace {

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool blank(std::string_view line) { return trim(line).empty(); }
bool is_timing(std::string_view line) { return line.find("-->") != std::string_view::npos; }

bool starts_with_word(std::string_view line, std::string_view word) {
    if (!line.starts_with(word)) return false;
    return line.size() == word.size() || line[word.size()] == ' ' || line[word.size()] == '\t';
}

struct normalized {
    std::vector<std::string> lines;
    bool bom = false;
    bool crlf = false;
};

normalized split_lines(std::string_view content) {
    normalized out;
    if (content.starts_with("\xEF\xBB\xBF")) {
        out.bom = true;
        content.remove_prefix(3);
    }
    out.crlf = content.find("\r\n") != std::string_view::npos;
    std::string cur;
    for (std::size_t i = 0; i < content.size(); ++i) {
        char c = content[i];
        if (c == '\r') {
            if (i + 1 < content.size() && content[i + 1] == '\n') ++i;
            out.lines.push_back(std::move(cur));
            cur.clear();
        } else if (c == '\n') {
            out.lines.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.lines.push_back(std::move(cur));
    return out;
}

std::optional<long long> parse_digits(std::string_view s) {
    if (!all_digits(s) || s.size() > 9) return std::nullopt;
    long long v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}

struct timing {
    std::optional<double> start, end;
};

timing parse_timing_line(std::string_view line) {
    timing t;
    auto pos = line.find("-->");
    if (pos == std::string_view::npos) return t;
    t.start = parse_timestamp(trim(line.substr(0, pos)));
    auto rest = trim(line.substr(pos + 3));
    auto space = rest.find_first_of(" \t");
    t.end = parse_timestamp(rest.substr(0, space));
    return t;
}

// The name in the first <v Name> / <v.class Name> tag, "" when none.
std::string voice_of(std::string_view raw) {
    auto pos = raw.find("<v");
    while (pos != std::string_view::npos) {
        if (pos + 2 < raw.size() && (raw[pos + 2] == ' ' || raw[pos + 2] == '.' || raw[pos + 2] == '\t')) {
            auto close = raw.find('>', pos);
            if (close == std::string_view::npos) return {};
            auto inner = raw.substr(pos + 2, close - pos - 2);
            if (!inner.empty() && inner[0] == '.') {  // classes: <v.loud Name>
                auto sp = inner.find_first_of(" \t");
                inner = sp == std::string_view::npos ? std::string_view{} : inner.substr(sp);
            }
            return strip_markup(trim(inner));
        }
        pos = raw.find("<v", pos + 2);
    }
    return {};
}

bool italic_wrapped(std::string_view raw) {
    auto t = trim(raw);
    std::string lower = lower_ascii(t);
    // skip a leading voice tag
    if (lower.starts_with("<v")) {
        auto close = lower.find('>');
        if (close != std::string::npos) lower = trim(lower.substr(close + 1));
    }
    return lower.starts_with("<i>") && (lower.ends_with("</i>") || lower.find("</i>") == std::string::npos);
}

cue make_cue(double start, double end, const std::vector<std::string>& raw_lines, bool vtt) {
    cue c;
    c.start = start;
    c.end = end;
    bool all_italic = !raw_lines.empty();
    std::vector<std::string> voices;  // of each kept line
    for (const auto& raw : raw_lines) {
        auto clean = sanitize_utf8(raw);
        auto voice = vtt ? voice_of(clean) : std::string{};
        if (c.speaker.empty()) c.speaker = voice;
        all_italic = all_italic && italic_wrapped(clean);
        auto text = trim(strip_markup(clean));
        if (!text.empty()) {
            c.lines.push_back(std::move(text));
            voices.push_back(std::move(voice));
        }
    }
    // A dialogue cue: every line has its own voice, and not all the same.
    if (voices.size() > 1 && std::none_of(voices.begin(), voices.end(), [](const auto& v) { return v.empty(); }) &&
        std::any_of(voices.begin(), voices.end(), [&](const auto& v) { return v != voices.front(); }))
        c.line_speakers = std::move(voices);
    bool music = !c.lines.empty() &&
                 (c.lines.front().starts_with("\xE2\x99\xAA") || c.lines.front().starts_with("\xE2\x99\xAB"));
    c.song = (all_italic && !c.lines.empty()) || music;
    return c;
}

// A cue's text as written (subtitle_file::raw): lines trimmed, blank ones dropped, markup kept.
std::string raw_text(const std::vector<std::string>& raw_lines) {
    std::string out;
    for (const auto& raw : raw_lines) {
        const auto clean = sanitize_utf8(raw);
        const auto line = trim(clean);
        if (line.empty()) continue;
        if (!out.empty()) out += '\n';
        out += line;
    }
    return out;
}

subtitle_file parse_blocks(std::string_view content, bool vtt) {
    subtitle_file f;
    f.format = vtt ? "vtt" : "srt";
    auto norm = split_lines(content);
    f.bom = norm.bom;
    f.crlf = norm.crlf;
    const auto& lines = norm.lines;
    const std::size_t n = lines.size();
    std::size_t i = 0;
    if (vtt) {
        if (n > 0 && trim(lines[0]).starts_with("WEBVTT")) {
            i = 1;
            while (i < n && !blank(lines[i]) && !is_timing(lines[i])) ++i;
        } else {
            f.issues.push_back({1, 0, "header", "the file does not start with WEBVTT"});
        }
    }
    while (i < n) {
        if (blank(lines[i])) {
            ++i;
            continue;
        }
        if (vtt && (starts_with_word(lines[i], "NOTE") || starts_with_word(lines[i], "STYLE") ||
                    starts_with_word(lines[i], "REGION"))) {
            while (i < n && !blank(lines[i])) ++i;
            continue;
        }
        std::size_t timing_at;
        if (is_timing(lines[i])) {
            timing_at = i;
        } else if (i + 1 < n && is_timing(lines[i + 1])) {
            timing_at = i + 1;
        } else {
            f.issues.push_back({static_cast<int>(i + 1), f.blocks, "stray_text",
                                fmt::format("text outside a cue: '{}'", sanitize_utf8(trim(lines[i])))});
            ++i;
            continue;
        }
        ++f.blocks;
        auto t = parse_timing_line(lines[timing_at]);
        std::vector<std::string> text;
        std::size_t j = timing_at + 1;
        while (j < n && !blank(lines[j])) {
            if (is_timing(lines[j])) break;
            if (j + 1 < n && is_timing(lines[j + 1]) && (vtt || all_digits(trim(lines[j])))) break;
            text.push_back(lines[j]);
            ++j;
        }
        const int line_no = static_cast<int>(timing_at + 1);
        if (!t.start || !t.end) {
            f.issues.push_back({line_no, f.blocks, "bad_timestamp",
                                fmt::format("unreadable timing line '{}'", sanitize_utf8(trim(lines[timing_at])))});
        } else {
            for (std::size_t k = 0; k < text.size(); ++k)
                if (!valid_utf8(text[k]))
                    f.issues.push_back(
                        {static_cast<int>(timing_at + 2 + k), f.blocks, "utf8", "invalid UTF-8 in cue text"});
            f.cues.push_back(make_cue(*t.start, *t.end, text, vtt));
            f.raw.push_back(raw_text(text));
            f.numbers.push_back(f.blocks);
            f.lines.push_back(line_no);
        }
        i = j;
    }
    return f;
}

std::vector<std::string> split_fields(std::string_view s, std::size_t count) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (out.size() + 1 < count) {
        auto comma = s.find(',', pos);
        if (comma == std::string_view::npos) break;
        out.emplace_back(trim(s.substr(pos, comma - pos)));
        pos = comma + 1;
    }
    out.emplace_back(s.substr(std::min(pos, s.size())));
    return out;
}

}  // namespace

std::optional<double> parse_timestamp(std::string_view text) {
    auto t = trim(text);
    if (t.empty() || t.size() > 40) return std::nullopt;
    std::vector<std::string_view> parts;
    std::string_view rest = t;
    for (auto colon = rest.find(':'); colon != std::string_view::npos; colon = rest.find(':')) {
        parts.push_back(rest.substr(0, colon));
        rest.remove_prefix(colon + 1);
    }
    parts.push_back(rest);
    std::string_view fraction;
    if (parts.size() == 4) {  // 00:00:01:500 (a colon before the milliseconds)
        fraction = parts[3];
        parts.pop_back();
    } else {
        auto& last = parts.back();
        auto sep = last.find_first_of(",.");
        if (sep != std::string_view::npos) {
            fraction = last.substr(sep + 1);
            last = last.substr(0, sep);
        }
    }
    if (parts.size() < 2 || parts.size() > 3) return std::nullopt;
    long long h = 0, m = 0, s = 0;
    if (parts.size() == 3) {
        auto hh = parse_digits(parts[0]);
        if (!hh) return std::nullopt;
        h = *hh;
    }
    auto mm = parse_digits(parts[parts.size() - 2]);
    auto ss = parse_digits(parts.back());
    if (!mm || !ss || *ss >= 60 || (parts.size() == 3 && *mm >= 60)) return std::nullopt;
    m = *mm;
    s = *ss;
    double frac = 0;
    if (!fraction.empty()) {
        if (!all_digits(fraction) || fraction.size() > 9) return std::nullopt;
        double scale = 1;
        for (char c : fraction) {
            scale /= 10;
            frac += (c - '0') * scale;
        }
    }
    return static_cast<double>(h * 3600 + m * 60 + s) + frac;
}

subtitle_file parse_srt(std::string_view content) { return parse_blocks(content, false); }
subtitle_file parse_vtt(std::string_view content) { return parse_blocks(content, true); }

subtitle_file parse_ass(std::string_view content) {
    subtitle_file f;
    f.format = "ass";
    auto norm = split_lines(content);
    f.bom = norm.bom;
    f.crlf = norm.crlf;
    std::vector<std::string> fields{"layer",   "start",   "end",     "style",  "name",
                                    "marginl", "marginr", "marginv", "effect", "text"};
    bool events = false;
    for (std::size_t i = 0; i < norm.lines.size(); ++i) {
        auto line = trim(norm.lines[i]);
        if (line.starts_with("[")) {
            events = lower_ascii(line) == "[events]";
            continue;
        }
        if (!events) continue;
        if (lower_ascii(line).starts_with("format:")) {
            fields.clear();
            for (const auto& name : split_fields(std::string_view(line).substr(7), 64))
                fields.push_back(lower_ascii(trim(name)));
            continue;
        }
        if (!lower_ascii(line).starts_with("dialogue:")) continue;
        ++f.blocks;
        auto values = split_fields(std::string_view(line).substr(9), fields.size());
        auto field = [&](std::string_view name) -> std::string {
            for (std::size_t k = 0; k < fields.size() && k < values.size(); ++k)
                if (fields[k] == name) return values[k];
            return {};
        };
        auto start = parse_timestamp(field("start"));
        auto end = parse_timestamp(field("end"));
        if (!start || !end) {
            f.issues.push_back({static_cast<int>(i + 1), f.blocks, "bad_timestamp", "unreadable Dialogue times"});
            continue;
        }
        auto text = field("text");
        if (!valid_utf8(text))
            f.issues.push_back({static_cast<int>(i + 1), f.blocks, "utf8", "invalid UTF-8 in cue text"});
        bool italic = text.find("{\\i1}") != std::string::npos;
        std::string plain;
        for (std::size_t k = 0; k < text.size(); ++k) {
            if (text[k] == '\\' && k + 1 < text.size() && (text[k + 1] == 'N' || text[k + 1] == 'n')) {
                plain += '\n';
                ++k;
            } else if (text[k] == '\\' && k + 1 < text.size() && text[k + 1] == 'h') {
                plain += ' ';
                ++k;
            } else {
                plain += text[k];
            }
        }
        std::vector<std::string> raw;
        std::size_t pos = 0;
        for (auto nl = plain.find('\n');; nl = plain.find('\n', pos)) {
            raw.push_back(plain.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
            if (nl == std::string::npos) break;
            pos = nl + 1;
        }
        auto c = make_cue(*start, *end, raw, false);
        c.speaker = field("name");
        c.song = italic || lower_ascii(field("style")) == "song";
        f.cues.push_back(std::move(c));
        f.raw.push_back(raw_text(raw));
        f.numbers.push_back(f.blocks);
        f.lines.push_back(static_cast<int>(i + 1));
    }
    return f;
}

subtitle_file parse_subtitles(std::string_view content, std::string_view format) {
    if (format == "srt") return parse_srt(content);
    if (format == "vtt") return parse_vtt(content);
    if (format == "ass" || format == "ssa") return parse_ass(content);
    if (format == "ttml" || format == "dfxp" || format == "xml") return parse_ttml(content);
    if (looks_like_ttml(content)) return parse_ttml(content);
    auto head = content.substr(0, 512);
    if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
    auto t = trim(head);
    if (t.starts_with("WEBVTT")) return parse_vtt(content);
    if (t.starts_with("[Script Info]")) return parse_ass(content);
    return parse_srt(content);
}

ass_track parse_ass_track(std::string_view content, std::string_view what) {
    ass_track t;
    const auto norm = split_lines(content);
    auto fail = [&](std::size_t i, std::string_view why) {
        throw error(errc::input_corrupt, fmt::format("{}: line {}: {}", what, i + 1, why));
    };
    // The Matroska order of the packet's fields; the file's own Format line says where each one is.
    static const std::vector<std::string> packet_fields{"layer",   "style",   "name",   "marginl",
                                                        "marginr", "marginv", "effect", "text"};
    std::vector<std::string> event_fields, style_fields;
    std::string section;
    bool header_done = false;
    for (std::size_t i = 0; i < norm.lines.size(); ++i) {
        const auto line = trim(norm.lines[i]);
        const auto lower = lower_ascii(line);
        if (!header_done) t.header += std::string(line) + "\n";
        if (line.starts_with("[")) {
            section = lower;
            continue;
        }
        if (section == "[v4+ styles]" || section == "[v4 styles]") {
            if (lower.starts_with("format:")) {
                style_fields.clear();
                for (const auto& name : split_fields(std::string_view(line).substr(7), 64))
                    style_fields.push_back(lower_ascii(trim(name)));
            } else if (lower.starts_with("style:")) {
                const auto values = split_fields(std::string_view(line).substr(6), style_fields.size());
                ass_style_font f;
                for (std::size_t k = 0; k < style_fields.size() && k < values.size(); ++k) {
                    if (style_fields[k] == "name") f.style = trim(values[k]);
                    if (style_fields[k] == "fontname") f.font = trim(values[k]);
                    if (style_fields[k] == "bold") f.bold = trim(values[k]) != "0";
                    if (style_fields[k] == "italic") f.italic = trim(values[k]) != "0";
                }
                if (!f.font.empty()) t.fonts.push_back(std::move(f));
            }
        }
        if (section != "[events]") continue;
        if (lower.starts_with("format:")) {
            event_fields.clear();
            for (const auto& name : split_fields(std::string_view(line).substr(7), 64))
                event_fields.push_back(lower_ascii(trim(name)));
            header_done = true;
            continue;
        }
        if (!lower.starts_with("dialogue:")) continue;
        if (event_fields.empty()) fail(i, "Dialogue line before the [Events] Format line");
        const auto values = split_fields(std::string_view(line).substr(9), event_fields.size());
        auto field = [&](std::string_view name) -> std::string {
            for (std::size_t k = 0; k < event_fields.size() && k < values.size(); ++k)
                if (event_fields[k] == name) return values[k];
            return {};
        };
        const auto start = parse_timestamp(field("start"));
        const auto end = parse_timestamp(field("end"));
        if (!start || !end) fail(i, "unreadable Dialogue times");
        if (*end < *start) fail(i, "the Dialogue line ends before it starts");
        std::string packet = std::to_string(t.events.size());
        for (const auto& name : packet_fields) packet += "," + (name == "text" ? field(name) : trim(field(name)));
        t.events.push_back({*start, *end, util::sanitize_utf8(packet)});
    }
    if (!header_done)
        throw error(errc::input_corrupt, fmt::format("{}: no [Events] Format line: not an ASS file", what));
    return t;
}

}  // namespace cinesub::subs
