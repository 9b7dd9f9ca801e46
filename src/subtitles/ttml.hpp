// TTML out and in: IMSC 1.1 Text Profile documents (W3C TTML Profiles for Internet Media Subtitles and
// Captions), laid out as Netflix asks for timed text (media time base, frame rate and multiplier, clock
// times to the millisecond, a bottom and a top region, line padding and row alignment), and any TTML,
// DFXP or IMSC file read back with libxml2.
//
// Writer: one <p> per cue (lines joined by <br/>), song cues in an italic style (write_options::italics),
// the speakers shown (shown_speaker()) as ttm:agent entries in head/metadata named by ttm:name and
// referenced by each <p> (a dialogue cue also tags each line's span), tts:direction for right-to-left
// languages, a font family naming "Noto Sans Devanagari" for Devanagari text.
//
// Reader: clock times (HH:MM:SS.mmm, HH:MM:SS:FF[.sub] with ttp:frameRate, ttp:frameRateMultiplier and
// ttp:subFrameRate), offset times (12.5s, 300ms, 2m, 1h, 75f, 1000t with ttp:tickRate), begin/end/dur on
// body, div, p and span resolved against their parent (par and seq time containers), <br/> as a line break,
// whitespace collapsed (xml:space="preserve" keeps line feeds as breaks), italic text (tts:fontStyle inline,
// through referenced styles, inherited from div, body or region) as song cues when a whole cue is italic,
// ttm:agent as the speaker (the agent's ttm:name when it has one). Issues: "xml" for a document libxml2
// cannot read (with its line; the rest is recovered where libxml2 can), "bad_timestamp" for a <p> with
// unreadable or missing times, "utf8" for invalid UTF-8 (read as U+FFFD).
#pragma once

#include "subtitles/cue.hpp"
#include "subtitles/readers.hpp"
#include "subtitles/writers.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::subs {

// The IMSC 1.1 Text Profile designator, written as ttp:profile and ttp:contentProfiles.
inline constexpr std::string_view imsc11_text_profile = "http://www.w3.org/ns/ttml/profile/imsc1.1/text";

// An IMSC 1.1 Text Profile document (UTF-8, with an XML declaration; write_options::bom adds U+FEFF).
std::string to_ttml(const std::vector<cue>& cues, const write_options& o = {});

// TTML/DFXP/IMSC content (any XML encoding libxml2 reads) → cues; format "ttml". Never throws.
subtitle_file parse_ttml(std::string_view content);

// A frame rate as TTML writes it: an integer ttp:frameRate and a ttp:frameRateMultiplier
// (23.976 → 24 "1000 1001", 25 → 25 "1 1", 12.5 → 25 "1 2").
struct ttml_frame_rate {
    int rate = 25;
    int numerator = 1;
    int denominator = 1;
};
ttml_frame_rate ttml_frame_rate_of(double fps);

// True when `content` is a TTML document: after a BOM, whitespace, an XML declaration, comments and a
// DOCTYPE, its root element is <tt> (or <prefix:tt>).
bool looks_like_ttml(std::string_view content);

}  // namespace cinesub::subs
