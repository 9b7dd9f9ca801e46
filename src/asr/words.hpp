// From Whisper's byte-level BPE tokens to words with valid UTF-8 (Devanagari characters are often
// split across tokens: a word is emitted only with complete characters).
#pragma once

#include "cinesub/transcript.hpp"

#include <string>
#include <vector>

namespace cinesub::asr {

// One text token of a decoded segment (special tokens are not passed in).
struct token_piece {
    std::string bytes;  // the token's raw bytes (may be part of a UTF-8 character)
    double start = 0;   // seconds on the clip timeline
    double end = 0;
    float p = 1.0f;  // token probability
};

// Words from the tokens of one segment: bytes are joined, a word starts at a token whose bytes
// begin with whitespace (util::trim's rule); each word's text is trimmed, loses an incomplete
// character at its end (util::incomplete_utf8_tail: the next token starts a new word, so nothing can
// complete it) and is sanitised (util::sanitize_utf8: invalid sequences become U+FFFD); start = its
// first token's start, end = its last token's end, probability = mean token probability. Words that
// are empty after trimming are dropped.
std::vector<word> join_tokens(const std::vector<token_piece>& tokens);

// Moves an incomplete UTF-8 character at the end of one segment's tokens to the start of the
// next segment's first token when that token continues it (so no character is cut in two).
void rebalance_utf8(std::vector<std::vector<token_piece>>& segments);

// asr.word_times=tokens, after whisper.cpp's token timestamps: a word's edge that falls in a pause of
// the VAD's speech (between two of `speech`, sorted) moves to the speech beside it — its start to the
// next speech start, its end to the previous speech end — and a word wholly inside a pause moves to the
// nearer speech edge (start = end there; make_monotonic gives it a little time). Words outside every
// pause are unchanged; so is everything when `speech` is empty.
void keep_words_in_speech(std::vector<word>& words, const std::vector<speech_segment>& speech);

// asr.word_times=none: the words share [start, end] in proportion to their length in UTF-8 bytes
// (at least 1 each), in order.
void spread_words(std::vector<word>& words, double start, double end);

}  // namespace cinesub::asr
