// Subtitle files in, leniently: a UTF-8 BOM, CRLF or CR line ends, missing blank lines between
// cues, missing or non-numeric cue numbers, ',' or '.' before the milliseconds, 1–3 fraction
// digits, WebVTT headers, NOTE/STYLE/REGION blocks, cue identifiers and cue settings, ASS events;
// TTML/DFXP/IMSC documents through libxml2 (parse_ttml in subtitles/ttml.hpp).
// What cannot be read is reported (issues), never fatal: the checker turns issues into violations.
// Callers that must not lose a cue (mux) use the strict entry points below, which turn the issues
// that lost part of the file into an error.
#pragma once

#include "subtitles/cue.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::subs {

struct read_issue {
    int line = 0;         // 1-based line in the file (0 when unknown)
    int cue = 0;          // 1-based cue block (0 when not in a cue)
    std::string rule;     // "bad_timestamp", "utf8", "stray_text", "header", "xml" (TTML not well-formed)
    std::string message;  // one line
};

struct subtitle_file {
    std::string format;        // "srt", "vtt", "ass", "json", "ttml"
    std::vector<cue> cues;     // cue text without markup; <v Name> → speaker; all-italic → song
    std::vector<int> numbers;  // per cue: its 1-based position among the file's cue blocks
    std::vector<int> lines;    // per cue: the line of its timing line
    // per cue: its text as written (lines trimmed, joined by '\n') with inline markup and entities kept
    // (<i>, <v Bob>, {\an8}, &amp;…); invalid UTF-8 replaced by U+FFFD
    std::vector<std::string> raw;
    std::vector<read_issue> issues;
    int blocks = 0;  // cue blocks seen, unreadable ones included
    bool bom = false;
    bool crlf = false;
};

// "01:02:03,456", "1:02:03.456", "02:03.4", "00:00:01:500"… → seconds; nullopt when not a time.
std::optional<double> parse_timestamp(std::string_view text);

subtitle_file parse_srt(std::string_view content);
subtitle_file parse_vtt(std::string_view content);
subtitle_file parse_ass(std::string_view content);
// format "srt" | "vtt" | "ass" | "ttml"; empty: sniffed ("WEBVTT" header, "[Script Info]", a <tt> root
// element after any XML declaration, else SRT).
subtitle_file parse_subtitles(std::string_view content, std::string_view format = "");
// By extension (.srt .vtt .ass .ssa .json .ttml .dfxp .xml), else sniffed. Throws input_missing/input_unreadable.
subtitle_file read_subtitles(const std::filesystem::path& path);

// Strict reading. Throws errc::input_corrupt "<what>: line N: <why>" for the first issue that lost
// part of the file (an unreadable timing line, text outside any cue) or the first cue that ends
// before it starts. A missing WEBVTT header and invalid UTF-8 are not fatal: nothing is lost.
void require_intact(const subtitle_file& file, std::string_view what);
// SRT or WebVTT told apart by content (a "WEBVTT" header, else SRT; ASS and TTML are refused), then
// require_intact(). Cues stay in file order.
subtitle_file parse_cues_strict(std::string_view content, std::string_view what = "subtitles");
// The same from a file (whatever its extension); also throws input_missing / input_unreadable.
subtitle_file read_cues_strict(const std::filesystem::path& path);

// An ASS file as Matroska carries it: the header as CodecPrivate, one block per Dialogue line holding
// "ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text" (the Matroska/FFmpeg ASS packet).
struct ass_event {
    double start = 0, end = 0;  // seconds
    std::string fields;         // the packet, ReadOrder = the event's position in the file (0-based)
};
struct ass_style_font {
    std::string style, font;
    bool bold = false, italic = false;
};
struct ass_track {
    std::string header;             // [Script Info] … [V4+ Styles] … [Events] and its Format line, '\n' line ends
    std::vector<ass_event> events;  // file order
    std::vector<ass_style_font> fonts;  // the Style lines' Fontname, Bold and Italic
};
// Throws errc::input_corrupt "<what>: line N: <why>" for a file without an [Events] Format line, a
// Dialogue line with unreadable times or one that ends before it starts.
ass_track parse_ass_track(std::string_view content, std::string_view what = "subtitles");
// The same from a file; also throws input_missing / input_unreadable.
ass_track read_ass_track(const std::filesystem::path& path);

}  // namespace cinesub::subs
