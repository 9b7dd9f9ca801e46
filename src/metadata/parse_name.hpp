// A film's title and year (and an episode's season and number) from its file name, for looking the
// film up by title and year: "Jaane.Tu.Ya.Jaane.Na.2008.1080p.BluRay.x264.mkv" gives
// "Jaane Tu Ya Jaane Na", 2008. Release tags (resolution, codecs, source, audio, languages, editions,
// release groups, site prefixes, brackets) are dropped and listed in `discarded`.
//
// The rules, in order:
// - Input: a path uses its last component ('/' and '\' both separate; trailing ones are ignored).
//   A media or subtitle extension (mkv mp4 avi … srt ass vtt …, any case) is stripped, and for a
//   subtitle a language code before it ("Film.en.srt"). Any other extension is kept as a word:
//   in a dotted name the last piece is often part of it ("2.States.2014.1080p", "Article.15").
// - Words: dots, underscores and whitespace separate; a hyphen between two word characters stays
//   ("Spider-Man", "WEB-DL"), a free-standing one (" - ") is dropped. Dots right before a space (or
//   '!', '?', ',') stay with their word ("Mr. India", "Dil Se..", "Koun..!"); single letters joined
//   by dots are one word ("M.S.Dhoni" → "M.S. Dhoni"). "H.264", "DD5.1", "5.1" stay whole. Bracketed text
//   ("[YTS.MX]", "(1080p)", "[Hindi]") is dropped, except a year, which is a year ("(2008)").
//   A release group after a final hyphen ("x264-RARBG") is split off and dropped.
// - The title part runs up to the first unambiguous release tag (1080p, BluRay, x264, AAC…) or
//   episode tag. The year is the last 4-digit number in [earliest_year, latest_year] in it that has
//   a word before it (or is bracketed) and is followed only by ambiguous tags (language, edition,
//   "HD"…), brackets or the end of the title part; failing that, the last such number anywhere in the
//   title part; failing that, the first year after it. So numbers in titles stay: "1920.2008.720p" →
//   "1920", 2008; "2001.A.Space.Odyssey.1968" → "2001 A Space Odyssey", 1968; "1917.1080p" → "1917"
//   and no year (a year needs a title before it); "Blade.Runner.2049" → no year (2049 > latest_year).
// - The title is the words before the year (all of them: "Hindi Medium", "Johnny English"). Without
//   a year it is the title part less trailing ambiguous tags ("Dil.Chahta.Hai.Hindi.720p" →
//   "Dil Chahta Hai"; the cost: "Johnny.English.720p" → "Johnny"). The first word is title whatever
//   it looks like ("Max.1080p" → "Max", "2.0.2018" → "2.0"), unless it is an episode tag. Everything
//   after the year is dropped. Capitalisation and scripts (Devanagari…) are kept as written.
// - Episodes: S01E03, S1E3, S01 (season only), 1x03, "Season 1 Episode 5", E05, Ep05, "Episode 5"
//   and "Ep 5" (these two only before a tag or the end: "Star Wars Episode 1 The Phantom Menace"
//   stays a title), and "[Group] Show - 03 (1080p)" (fansub style). The title is the show's name.
// Never throws; any bytes are accepted; the strings returned are valid UTF-8 (invalid sequences
// become U+FFFD). Empty or junk-only input gives an empty title.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::metadata {

// The years a file name may carry. The upper bound leaves room for new films while keeping titles
// such as "Blade Runner 2049", "2046" or "2067" from being taken for years.
inline constexpr int earliest_year = 1900;
inline constexpr int latest_year = 2039;

struct parsed_name {
    std::string title;                   // words joined by single spaces, as written; may be empty
    std::optional<int> year;             // earliest_year..latest_year
    std::optional<int> season, episode;  // for a file that is an episode
    std::vector<std::string> discarded;  // the tokens dropped, in order ("1080p", "BluRay", "[YTS.MX]", "mkv")
};

// Title, year, season and episode from a file name or path; see the rules above.
parsed_name parse_media_name(std::string_view file_name_or_path);

}  // namespace cinesub::metadata
