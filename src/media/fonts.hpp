// Font files for the fonts an ASS track names, to attach to an MKV (players without the font would
// draw Devanagari as boxes): found by file name in the system's font folders, no fontconfig.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::media {

// /usr/share/fonts, /usr/local/share/fonts, $XDG_DATA_HOME/fonts (or ~/.local/share/fonts), ~/.fonts.
std::vector<std::filesystem::path> default_font_dirs();

// The TrueType/OpenType file of `family` in the given style, searched under `dirs` (recursively),
// by the naming every font package in Debian uses: the family without spaces, '-', the style —
// "Noto Sans Devanagari" bold → NotoSansDevanagari-Bold.ttf (or .otf); case-insensitive. Falls back
// to the Regular file for a style the family lacks (the player then slants or emboldens it). Empty
// when no file is found.
std::filesystem::path find_font_file(std::string_view family, bool bold, bool italic,
                                     const std::vector<std::filesystem::path>& dirs = default_font_dirs());

struct ass_fonts {
    std::vector<std::filesystem::path> files;  // one per font file, in the order the styles name them
    std::vector<std::string> missing;          // "Noto Sans Devanagari (bold)": named, no file found
};
// The font files the styles of these ASS files name (subs::read_ass_track: Fontname, Bold, Italic).
// Throws what read_ass_track throws.
ass_fonts fonts_of_ass(const std::vector<std::filesystem::path>& ass_files,
                       const std::vector<std::filesystem::path>& dirs = default_font_dirs());

}  // namespace cinesub::media
