// Generic text helpers, one rule each, for every part of cinesub: whitespace (trim), ASCII case,
// UTF-8 validation and repair, and times rounded to the millisecond. Unicode-aware text (grapheme
// clusters, display width, matching, scripts) needs ICU and lives in subtitles/text.hpp.
#pragma once

#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>

namespace cinesub::util {

// --- Whitespace --------------------------------------------------------------------------------
// Whitespace, everywhere in cinesub, is: the six ASCII whitespace characters (space, \t, \n, \v,
// \f, \r), U+00A0 NO-BREAK SPACE and U+FEFF ZERO WIDTH NO-BREAK SPACE (the byte-order mark).
// U+00A0 counts: subtitle files pad and blank lines with it (&nbsp;, ASS \h), so a line holding
// only no-break spaces is blank; a stray U+FEFF is a byte-order mark, never text. Other Unicode
// spaces (U+2000–U+200A, U+202F, U+3000…) are content and are kept. The test is on bytes, so it
// works on text that is not valid UTF-8.

// Byte length of the whitespace character that starts at s[i] (1, 2 or 3); 0 when there is none
// (or i is past the end).
std::size_t whitespace_at(std::string_view s, std::size_t i = 0);

// `s` without leading and trailing whitespace: a view into `s`.
std::string_view trim(std::string_view s);
// A temporary std::string is trimmed into a string of its own (a view of it would dangle).
template <std::same_as<std::string> S>
std::string trim(S&& s) {
    return std::string(trim(std::string_view(s)));
}

// --- ASCII case --------------------------------------------------------------------------------

// `s` with A–Z turned into a–z; every other byte (UTF-8 included) as it is. Independent of the
// C locale, unlike std::tolower.
std::string lower_ascii(std::string_view s);

// --- UTF-8 -------------------------------------------------------------------------------------
// One rule (Unicode §3.9, RFC 3629): a character is 1–4 bytes, in its shortest form, not a
// surrogate (U+D800–U+DFFF) and not above U+10FFFF. Invalid: overlong forms (C0, C1, E0 80–9F,
// F0 80–8F), surrogates (ED A0–BF), code points above U+10FFFF (F4 90–BF, F5–FF), continuation
// bytes (80–BF) without a lead byte, and sequences cut short, in the middle or at the end.

// True when all of `s` is valid UTF-8 (the empty string is).
bool valid_utf8(std::string_view s);

// `s` with each invalid sequence replaced by U+FFFD, one per maximal subpart (Unicode §3.9
// "U+FFFD substitution of maximal subparts", as ICU and the WHATWG decoder do): a lead byte with
// some but not all of its continuation bytes is one U+FFFD ("\xE0\xA4" cut Devanagari, also at
// the very end); every other invalid byte is one U+FFFD of its own ("\xC0\xAF" gives two). Valid
// input comes back unchanged; the result is always valid UTF-8.
std::string sanitize_utf8(std::string_view s);

// Number of bytes at the end of `s` that begin a UTF-8 character without completing it (0–3): a
// valid lead byte followed by valid continuation bytes up to the end. sanitize_utf8 would make
// them one U+FFFD; a caller that gets text in pieces (the ASR token joiner) cuts them off first and
// holds them back for the next piece.
std::size_t incomplete_utf8_tail(std::string_view s);

// --- Times -------------------------------------------------------------------------------------

// `seconds` rounded to the nearest millisecond (halves away from zero), as times are written out.
double round_ms(double seconds);

}  // namespace cinesub::util
