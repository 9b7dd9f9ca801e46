// Subtitle files out: SRT, WebVTT, ASS, JSON and TTML (IMSC 1.1 Text Profile, subtitles/ttml.hpp). UTF-8;
// CRLF line ends (SRT) and a BOM are options.
#pragma once

#include "subtitles/cue.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::subs {

struct write_options {
    bool crlf = false;                                // SRT only: "\r\n" line ends
    bool bom = false;                                 // SRT, VTT, ASS, TTML: start with U+FEFF
    std::string title;                                // ASS [Script Info] Title, JSON "title", TTML ttm:title
    std::string language;                             // JSON "language", TTML xml:lang (and its direction, font)
    double fps = 25;                                  // TTML ttp:frameRate / ttp:frameRateMultiplier
    nlohmann::json extra = nlohmann::json::object();  // JSON: more top-level fields (profile, fps…)
    // Speakers: a cue's speaker (its label) is shown as its confirmed name from this map (VTT
    // <v Name>, ASS style and Name, JSON "speaker_name", TTML ttm:agent); a speaker without a name
    // is shown by its label when unnamed_voices is set, else not at all (JSON keeps the label either way).
    std::map<std::string, std::string> speaker_names;
    bool unnamed_voices = true;
    // Lyrics (song cues) in italics: SRT/VTT <i>, an italic ASS Song style, a TTML italic style (the
    // profile's "italics").
    bool italics = true;
};

// The cue's lines as every writer shows them: trimmed, blank ones dropped, invalid UTF-8 replaced.
std::vector<std::string> printable_lines(const cue& c);

// The font an ASS track of `language` names: "Noto Sans Devanagari" for Hindi in Devanagari, else
// "Noto Sans" (Debian: fonts-noto-core). The mux stage attaches it to an MKV that carries ASS.
std::string_view ass_font(std::string_view language);

// What write_options make of a speaker label: its name, its label, or "" (not shown).
std::string shown_speaker(const write_options& o, std::string_view label);

std::string format_srt_time(double seconds);  // 00:01:02,345
std::string format_vtt_time(double seconds);  // 00:01:02.345
std::string format_ass_time(double seconds);  // 0:01:02.35 (centiseconds)

std::string to_srt(const std::vector<cue>& cues, const write_options& o = {});
std::string to_vtt(const std::vector<cue>& cues, const write_options& o = {});
std::string to_ass(const std::vector<cue>& cues, const write_options& o = {});
nlohmann::json to_json_document(const std::vector<cue>& cues, const write_options& o = {});

// "srt", "vtt", "ass", "json", "ttml" (to_ttml()) → the content above. Throws cinesub::error(usage) for
// another format.
std::string render(std::string_view format, const std::vector<cue>& cues, const write_options& o = {});
// Writes render(...) atomically.
void write_subtitles(const std::filesystem::path& path, std::string_view format, const std::vector<cue>& cues,
                     const write_options& o = {});

// "<title>.<lang>.<ext>", the title made safe by util::file_name_from_title.
std::string subtitle_file_name(std::string_view title, std::string_view language, std::string_view extension);

}  // namespace cinesub::subs
