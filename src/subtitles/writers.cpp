#include "subtitles/writers.hpp"

#include "cinesub/error.hpp"
#include "subtitles/text.hpp"
#include "subtitles/ttml.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace cinesub::subs {

using nlohmann::json;

namespace {

constexpr std::string_view bom_bytes = "\xEF\xBB\xBF";

struct hms {
    long long h, m, s, frac;
};

hms split_time(double seconds, long long units_per_second) {
    if (!(seconds > 0)) seconds = 0;
    auto total = static_cast<long long>(std::llround(seconds * static_cast<double>(units_per_second)));
    hms t{};
    t.frac = total % units_per_second;
    total /= units_per_second;
    t.s = total % 60;
    total /= 60;
    t.m = total % 60;
    t.h = total / 60;
    return t;
}

// Builds a new string (std::string::replace trips GCC 12's -Wrestrict false positive).
void replace_all(std::string& s, std::string_view from, std::string_view to) {
    if (from.empty()) return;
    std::string out;
    out.reserve(s.size());
    std::size_t last = 0;
    for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, last)) {
        out.append(s, last, pos - last);
        out.append(to);
        last = pos + from.size();
    }
    out.append(s, last, std::string::npos);
    s = std::move(out);
}

std::string vtt_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else
            out += c;
    }
    return out;
}

std::string voice_name(std::string_view speaker) {
    std::string out;
    for (char c : speaker) out += (c == '>' || c == '<' || c == '&' || c == '\n' || c == '\r') ? '_' : c;
    return std::string(util::trim(out));
}

std::string ass_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '{')
            out += '(';
        else if (c == '}')
            out += ')';
        else if (c == '\\')
            out += "\xE2\xA7\xB5";  // U+29F5 REVERSE SOLIDUS OPERATOR: looks like '\', is not an escape
        else
            out += c;
    }
    return out;
}

// Speaker colours for ASS (&HAABBGGRR): white, yellow, cyan, light green, pink, orange, light blue, lilac.
constexpr std::array<std::string_view, 8> speaker_colours{"&H00FFFFFF", "&H0000FFFF", "&H00FFFF00", "&H0080FF80",
                                                          "&H00C080FF", "&H000080FF", "&H00FFC080", "&H00FF80C0"};

std::string ass_style(std::string_view name, std::string_view font, std::string_view colour, bool italic) {
    return fmt::format(
        "Style: {},{},64,{},&H000000FF,&H00000000,&H80000000,0,{},0,0,100,100,0,0,1,3,1,2,"
        "120,120,60,1\n",
        name, font, colour, italic ? -1 : 0);
}

}  // namespace

std::vector<std::string> printable_lines(const cue& c) {
    std::vector<std::string> out;
    for (const auto& l : c.lines) {
        const auto t = util::trim(l);
        if (!t.empty()) out.push_back(util::sanitize_utf8(t));
    }
    return out;
}

std::string_view ass_font(std::string_view language) {
    // Devanagari needs its own face (Noto Sans has no Devanagari glyphs); romanized Hindi is Latin.
    return language == "hi" || language.starts_with("hi-Deva") ? "Noto Sans Devanagari" : "Noto Sans";
}

std::string shown_speaker(const write_options& o, std::string_view label) {
    if (label.empty()) return {};
    if (auto it = o.speaker_names.find(std::string(label)); it != o.speaker_names.end() && !it->second.empty())
        return it->second;
    return o.unnamed_voices ? std::string(label) : std::string{};
}

std::string format_srt_time(double seconds) {
    auto t = split_time(seconds, 1000);
    return fmt::format("{:02}:{:02}:{:02},{:03}", t.h, t.m, t.s, t.frac);
}

std::string format_vtt_time(double seconds) {
    auto t = split_time(seconds, 1000);
    return fmt::format("{:02}:{:02}:{:02}.{:03}", t.h, t.m, t.s, t.frac);
}

std::string format_ass_time(double seconds) {
    auto t = split_time(seconds, 100);
    return fmt::format("{}:{:02}:{:02}.{:02}", t.h, t.m, t.s, t.frac);
}

std::string to_srt(const std::vector<cue>& cues, const write_options& o) {
    const std::string_view nl = o.crlf ? "\r\n" : "\n";
    std::string out;
    if (o.bom) out += bom_bytes;
    int number = 0;
    for (const auto& c : cues) {
        auto lines = printable_lines(c);
        if (lines.empty()) continue;
        out += fmt::format("{}{}{} --> {}{}", ++number, nl, format_srt_time(c.start), format_srt_time(c.end), nl);
        for (auto line : lines) {
            replace_all(line, "-->", "->");
            if (c.song && o.italics) line = fmt::format("<i>{}</i>", line);
            out += line;
            out += nl;
        }
        out += nl;
    }
    return out;
}

std::string to_vtt(const std::vector<cue>& cues, const write_options& o) {
    std::string out;
    if (o.bom) out += bom_bytes;
    out += "WEBVTT\n\n";
    for (const auto& c : cues) {
        auto lines = printable_lines(c);
        if (lines.empty()) continue;
        out += fmt::format("{} --> {}\n", format_vtt_time(c.start), format_vtt_time(c.end));
        // A dialogue cue names each line's speaker; another cue names its speaker on the first line.
        const bool dialogue = c.line_speakers.size() == lines.size() && lines.size() > 1;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            std::string line = vtt_escape(lines[i]);
            if (c.song && o.italics) line = fmt::format("<i>{}</i>", line);
            const auto voice = dialogue ? voice_name(shown_speaker(o, c.line_speakers[i]))
                               : i == 0 ? voice_name(shown_speaker(o, c.speaker))
                                        : std::string{};
            if (!voice.empty()) line = fmt::format("<v {}>{}", voice, line);
            out += line;
            out += '\n';
        }
        out += '\n';
    }
    return out;
}

std::string to_ass(const std::vector<cue>& cues, const write_options& o) {
    // Speakers shown, in order of first appearance, get a style each with the palette's colours.
    std::vector<std::pair<std::string, std::string>> ordered;  // shown name, style
    auto style_of = [&](std::string_view label) -> std::string {
        const auto shown = shown_speaker(o, label);
        if (shown.empty()) return {};
        for (const auto& [name, style] : ordered)
            if (name == shown) return style;
        return {};
    };
    for (const auto& c : cues) {
        std::vector<std::string> labels{c.speaker};
        labels.insert(labels.end(), c.line_speakers.begin(), c.line_speakers.end());
        for (const auto& label : labels) {
            const auto shown = shown_speaker(o, label);
            if (!shown.empty() && style_of(label).empty())
                ordered.emplace_back(shown, fmt::format("Speaker{}", ordered.size() + 1));
        }
    }

    const auto font = ass_font(o.language);
    std::string out;
    if (o.bom) out += bom_bytes;
    out += "[Script Info]\n; Written by cinesub\n";
    out += fmt::format("Title: {}\n", o.title.empty() ? "cinesub" : ass_escape(o.title));
    out +=
        "ScriptType: v4.00+\nWrapStyle: 2\nScaledBorderAndShadow: yes\nPlayResX: 1920\nPlayResY: 1080\n"
        "YCbCr Matrix: None\n\n";
    out +=
        "[V4+ Styles]\n"
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, "
        "Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, "
        "MarginR, MarginV, Encoding\n";
    out += ass_style("Default", font, speaker_colours[0], false);
    out += ass_style("Song", font, speaker_colours[0], o.italics);
    for (std::size_t i = 0; i < ordered.size(); ++i)
        out += ass_style(ordered[i].second, font, speaker_colours[i % speaker_colours.size()], false);
    out += "\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n";
    for (const auto& c : cues) {
        auto lines = printable_lines(c);
        if (lines.empty()) continue;
        const bool dialogue = c.line_speakers.size() == lines.size() && lines.size() > 1;
        const std::string first = dialogue ? c.line_speakers.front() : c.speaker;
        std::string style = style_of(first);
        if (c.song || style.empty()) style = c.song ? "Song" : "Default";
        std::string text;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (i) text += "\\N";
            // A dialogue cue's other speakers switch to their own style ({\r<Style>}) for their line.
            if (dialogue && i > 0 && !c.song) {
                auto line_style = style_of(c.line_speakers[i]);
                if (line_style.empty()) line_style = "Default";
                if (line_style != style || i > 1) text += fmt::format("{{\\r{}}}", line_style);
            }
            text += ass_escape(lines[i]);
        }
        std::string name;
        for (const auto& label : dialogue ? c.line_speakers : std::vector<std::string>{c.speaker}) {
            const auto shown = shown_speaker(o, label);
            if (!shown.empty()) name += (name.empty() ? "" : " / ") + shown;
        }
        name = ass_escape(name);
        replace_all(name, ",", ";");
        out += fmt::format("Dialogue: 0,{},{},{},{},0,0,0,,{}\n", format_ass_time(c.start), format_ass_time(c.end),
                           style, name, text);
    }
    return out;
}

json to_json_document(const std::vector<cue>& cues, const write_options& o) {
    json doc{{"schema", 1}, {"title", o.title}, {"language", o.language}};
    for (const auto& [k, v] : o.extra.items()) doc[k] = v;
    doc["cues"] = cues;
    if (!o.speaker_names.empty()) {
        doc["speaker_names"] = o.speaker_names;
        for (auto& c : doc["cues"])
            if (auto it = o.speaker_names.find(c.value("speaker", std::string{})); it != o.speaker_names.end())
                c["speaker_name"] = it->second;
    }
    return doc;
}

std::string render(std::string_view format, const std::vector<cue>& cues, const write_options& o) {
    if (format == "srt") return to_srt(cues, o);
    if (format == "vtt") return to_vtt(cues, o);
    if (format == "ass") return to_ass(cues, o);
    if (format == "json") return to_json_document(cues, o).dump(2) + "\n";
    if (format == "ttml") return to_ttml(cues, o);
    throw error(errc::usage, fmt::format("unknown subtitle format '{}' (srt, vtt, ass, json, ttml)", format));
}

void write_subtitles(const std::filesystem::path& path, std::string_view format, const std::vector<cue>& cues,
                     const write_options& o) {
    util::write_file_atomic(path, render(format, cues, o));
}

std::string subtitle_file_name(std::string_view title, std::string_view language, std::string_view extension) {
    return fmt::format("{}.{}.{}", util::file_name_from_title(title), language, extension);
}

}  // namespace cinesub::subs
