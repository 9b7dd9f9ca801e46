// Text helpers for subtitles: display width in grapheme clusters (ICU), normalisation for phrase
// matching, punctuation classes and markup stripping. The generic ones (trim, ASCII case, UTF-8
// validation and repair) are in util/text.hpp.
#pragma once

#include "cinesub/transcript.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace cinesub::subs {

// Display width of a line: the number of grapheme clusters (ICU character BreakIterator), so a
// Devanagari consonant with its matra, or a base letter with combining marks, counts as one.
int display_width(std::string_view utf8);
// The grapheme clusters of `utf8`, in order (concatenated they give back the input).
std::vector<std::string> graphemes(std::string_view utf8);

// Case-folded, punctuation and symbols removed, whitespace collapsed to single spaces, trimmed:
// "Thanks for watching!!" -> "thanks for watching".
std::string normalize_for_match(std::string_view utf8);

// Splits on whitespace (util::trim's rule: ASCII whitespace, U+00A0, U+FEFF); empty pieces dropped.
std::vector<std::string> split_words(std::string_view s);
std::string join(const std::vector<std::string>& parts, std::string_view sep);

// True when the text contains at least one Devanagari letter (U+0900–U+097F).
bool has_devanagari(std::string_view utf8);

// Removes markup that subtitle files carry in cue text: <i>, </b>, <v Name>, <c.cls>, <00:01.000>,
// {\an8}, and decodes &amp; &lt; &gt; &nbsp;.
std::string strip_markup(std::string_view text);

// Punctuation classes of a word's ending (trailing closing quotes/brackets are skipped).
bool ends_sentence(std::string_view word);  // . ? ! … । ॥ (not "Mr." style abbreviations)
bool ends_clause(std::string_view word);    // , ; : — – (and sentence ends)
// True when the word has no letter or digit (",", "—", "?!", "♪"…).
bool is_punctuation_only(std::string_view word);
// Opening punctuation or prefix symbols that belong with the next word: ( [ « “ ‘ ¿ ¡ $ ₹ € £ #.
bool is_opening_only(std::string_view word);
// Digits only (ASCII or Devanagari), optionally with inner . , separators: "10", "3.5", "२०२४".
bool is_number(std::string_view word);

// A segment's words: its own, or — when it has text but no word times (SRT/STM references,
// engines without word timestamps) — its text split on spaces, spread over the segment in
// proportion to each word's display width (probability 1).
std::vector<cinesub::word> segment_words(const cinesub::segment& s);

}  // namespace cinesub::subs
