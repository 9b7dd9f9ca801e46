// Words → cues: where cues break, how each cue's text is laid out in lines.
//
// Words are first grouped into units that are never split: a word with its trailing punctuation,
// an opening bracket/quote/currency sign with its word, a Hindi postposition or auxiliary with the
// word before it (ने को से का के की में पर तक है हैं था…), a number with its digit groups
// ("10 000"), and multi-word glossary names. Cue breaks are then chosen by dynamic programming over
// unit boundaries: sentence ends are preferred, then clause punctuation, then pauses ≥ 0.5 s, then
// ASR segment ends; song/speech changes and pauses ≥ profile.max_pause always break. A speaker
// change (words carry the diarization's speaker, else their segment's) breaks too, except in a
// dialogue cue: two speakers, one line each, each line starting with profile.dialogue_dash ("-Hello?"
// / "-Hello?"); it is chosen only where cues of their own would be too short or too fast to read, and
// never when the profile's dash is "". A cue must fit the profile's lines × characters and its duration; reading speed
// and minimum duration are costs. Nothing is ever dropped: text that does not fit goes to more cues, and a single word
// longer than a line is hyphenated at a grapheme boundary (reported).
#pragma once

#include "cinesub/transcript.hpp"
#include "subtitles/cue.hpp"
#include "subtitles/profile.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::subs {

struct segment_options {
    profile style = get_profile("netflix-en");
    double fps = 25;
    // Language of the words' text: selects the attachment rules ("hi" also covers Hinglish written
    // in Latin letters). Empty: taken from the transcript.
    std::string language;
    std::vector<std::string> glossary;  // names that are never split across lines or cues
    // Maps a word's text to what is shown (e.g. Devanagari → romanized Hindi). The rules above look
    // at the original text; widths and lines use the shown text. Empty: shown as is.
    std::function<std::string(std::string_view)> display;
};

struct segment_result {
    std::vector<cue> cues;              // start/end = first word start / last word end (see apply_timing)
    std::vector<violation> violations;  // what could not be avoided (hyphenated words, split units)
};

segment_result segment(const transcript& t, const segment_options& options);

// Lays one cue's text out in at most style.max_lines lines of at most style.max_cpl characters:
// no break inside a unit (as above, language-aware), balanced lines (bottom-heavy preferred), breaks
// after punctuation and before conjunctions preferred. Used for text that already forms one cue.
// Returns more lines than max_lines only when the text cannot fit.
std::vector<std::string> break_lines(std::string_view text, const profile& style, std::string_view language = "");

// True when `word` (original text, punctuation ignored) is a Hindi postposition or auxiliary that
// must stay with the word before it.
bool is_hindi_clitic(std::string_view word);

}  // namespace cinesub::subs
