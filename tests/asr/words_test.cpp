#include "asr/words.hpp"

#include "util/text.hpp"

#include <gtest/gtest.h>

namespace cinesub::asr {
namespace {

token_piece tok(std::string bytes, double start, double end, float p = 0.5f) {
    return {std::move(bytes), start, end, p};
}

// "नमस्ते" = न म स ् त े, 3 bytes each (E0 A4 xx / E0 A5 xx): byte-level BPE cuts them anywhere.
TEST(Words, DevanagariSplitAcrossTokens) {
    const std::string w1 = "नमस्ते";
    const std::string w2 = "दुनिया";
    std::vector<token_piece> tokens;
    tokens.push_back(tok(std::string(" ").append(w1, 0, 4), 1.0, 1.1, 0.2f));  // space + न + first byte of म
    tokens.push_back(tok(w1.substr(4, 7), 1.1, 1.3, 0.4f));                    // rest of म, स, first byte of ्
    tokens.push_back(tok(w1.substr(11), 1.3, 1.5, 0.6f));                      // rest
    tokens.push_back(tok(std::string(" ").append(w2, 0, 2), 1.6, 1.7, 1.0f));  // space + 2 bytes of द
    tokens.push_back(tok(w2.substr(2), 1.7, 2.0, 0.0f));
    tokens.push_back(tok("।", 2.0, 2.1, 0.5f));  // danda attaches to the word
    const auto words = join_tokens(tokens);
    ASSERT_EQ(words.size(), 2u);
    EXPECT_EQ(words[0].text, w1);
    EXPECT_DOUBLE_EQ(words[0].start, 1.0);
    EXPECT_DOUBLE_EQ(words[0].end, 1.5);
    EXPECT_NEAR(words[0].probability, 0.4f, 1e-6);
    EXPECT_EQ(words[1].text, w2 + "।");
    EXPECT_DOUBLE_EQ(words[1].start, 1.6);
    EXPECT_DOUBLE_EQ(words[1].end, 2.1);
    for (const auto& w : words) EXPECT_TRUE(util::valid_utf8(w.text));
}

TEST(Words, IncompleteCharacterBeforeASpaceIsNotEmitted) {
    // A character cut by a space-led token can never be completed: the word keeps what is valid.
    const auto words = join_tokens({tok(" ab\xE0\xA4", 0, 1), tok(" cd", 1, 2)});
    ASSERT_EQ(words.size(), 2u);
    EXPECT_EQ(words[0].text, "ab");
    EXPECT_EQ(words[1].text, "cd");
    // Nothing valid at all: no word.
    EXPECT_TRUE(join_tokens({tok(" \xE0\xA4", 0, 1)}).empty());
}

TEST(Words, IncompleteCharacterAtTheEndIsLeftOutNotReplaced) {
    // The tail util::sanitize_utf8 alone would turn into U+FFFD: the joiner cuts it off first.
    const auto words = join_tokens({tok(" ab", 0, 1), tok("\xE0\xA4", 1, 2)});
    ASSERT_EQ(words.size(), 1u);
    EXPECT_EQ(words[0].text, "ab");
    EXPECT_DOUBLE_EQ(words[0].end, 2.0);
    // An invalid byte inside a word is replaced (one U+FFFD per maximal subpart), not dropped.
    const auto broken = join_tokens({tok(" a\x80", 0, 1), tok("\xE0\xA4z", 1, 2)});
    ASSERT_EQ(broken.size(), 1u);
    EXPECT_EQ(broken[0].text, "a\xEF\xBF\xBD\xEF\xBF\xBDz");
}

TEST(Words, NoBreakSpaceIsWhitespace) {
    // util::trim's rule: a token led by U+00A0 starts a word, and U+00A0 at a word's edges goes.
    const auto words = join_tokens({tok(" so", 0, 1), tok("\xC2\xA0"
                                                          "far\xC2\xA0",
                                                          1, 2)});
    ASSERT_EQ(words.size(), 2u);
    EXPECT_EQ(words[0].text, "so");
    EXPECT_EQ(words[1].text, "far");
}

TEST(Words, EnglishAndPunctuation) {
    const auto words = join_tokens({tok(" And", 0, 0.2), tok(" so", 0.2, 0.4), tok(",", 0.4, 0.45),
                                    tok(" my", 0.5, 0.6), tok(" fel", 0.6, 0.7), tok("low", 0.7, 0.9)});
    ASSERT_EQ(words.size(), 4u);
    EXPECT_EQ(words[1].text, "so,");
    EXPECT_EQ(words[3].text, "fellow");
    EXPECT_DOUBLE_EQ(words[3].start, 0.6);
    EXPECT_DOUBLE_EQ(words[3].end, 0.9);
}

TEST(Words, LeadingTokenWithoutSpaceAndBlankTokens) {
    const auto words = join_tokens({tok("Hi", 0, 0.1), tok(" ", 0.1, 0.2), tok(" there", 0.2, 0.4)});
    ASSERT_EQ(words.size(), 2u);
    EXPECT_EQ(words[0].text, "Hi");
    EXPECT_EQ(words[1].text, "there");
    EXPECT_TRUE(join_tokens({}).empty());
}

TEST(Words, RebalanceMovesACutCharacterToTheNextSegment) {
    const std::string na = "न";  // E0 A4 A8
    std::vector<std::vector<token_piece>> segs = {
        {tok(" ab", 0, 1), tok(na.substr(0, 2), 1, 2)},
        {tok(na.substr(2) + "x", 2, 3)},
    };
    rebalance_utf8(segs);
    ASSERT_EQ(segs[0].size(), 1u);
    EXPECT_EQ(segs[0][0].bytes, " ab");
    EXPECT_EQ(segs[1][0].bytes, na + "x");
    // A tail that the next segment does not continue stays (and join_tokens leaves it out).
    std::vector<std::vector<token_piece>> other = {{tok("a\xE0", 0, 1)}, {tok(" b", 1, 2)}};
    rebalance_utf8(other);
    EXPECT_EQ(other[0][0].bytes, "a\xE0");
}

word timed_word(double start, double end, std::string text = "w") { return {std::move(text), start, end, 1.0f}; }

// Speech 1–2 s and 3–5 s: pauses before 1, 2–3 and after 5.
TEST(WordTimes, EdgesInAPauseMoveToTheSpeechBesideThem) {
    const std::vector<speech_segment> speech{{1.0, 2.0}, {3.0, 5.0}};
    std::vector<word> ws{timed_word(0.5, 1.5), timed_word(1.6, 1.9), timed_word(1.8, 2.6), timed_word(2.4, 3.5),
                         timed_word(4.5, 5.8)};
    keep_words_in_speech(ws, speech);
    EXPECT_DOUBLE_EQ(ws[0].start, 1.0);  // start in the leading pause → first speech start
    EXPECT_DOUBLE_EQ(ws[0].end, 1.5);
    EXPECT_DOUBLE_EQ(ws[1].start, 1.6);  // inside speech: unchanged
    EXPECT_DOUBLE_EQ(ws[1].end, 1.9);
    EXPECT_DOUBLE_EQ(ws[2].start, 1.8);  // end in the 2–3 pause → 2.0
    EXPECT_DOUBLE_EQ(ws[2].end, 2.0);
    EXPECT_DOUBLE_EQ(ws[3].start, 3.0);  // start in the pause → 3.0
    EXPECT_DOUBLE_EQ(ws[3].end, 3.5);
    EXPECT_DOUBLE_EQ(ws[4].start, 4.5);  // end after the last speech → 5.0
    EXPECT_DOUBLE_EQ(ws[4].end, 5.0);
}

TEST(WordTimes, AWordWhollyInAPauseGoesToTheNearerEdge) {
    const std::vector<speech_segment> speech{{1.0, 2.0}, {3.0, 5.0}};
    std::vector<word> ws{timed_word(2.1, 2.3), timed_word(2.6, 2.9), timed_word(0.1, 0.2), timed_word(6.0, 7.0)};
    keep_words_in_speech(ws, speech);
    EXPECT_DOUBLE_EQ(ws[0].start, 2.0);
    EXPECT_DOUBLE_EQ(ws[0].end, 2.0);
    EXPECT_DOUBLE_EQ(ws[1].start, 3.0);
    EXPECT_DOUBLE_EQ(ws[1].end, 3.0);
    EXPECT_DOUBLE_EQ(ws[2].start, 1.0);  // before all speech: its start
    EXPECT_DOUBLE_EQ(ws[3].end, 5.0);    // after all speech: its end
    // Edges exactly on speech boundaries are inside speech.
    std::vector<word> on{timed_word(1.0, 2.0), timed_word(3.0, 3.0)};
    keep_words_in_speech(on, speech);
    EXPECT_DOUBLE_EQ(on[0].start, 1.0);
    EXPECT_DOUBLE_EQ(on[0].end, 2.0);
    EXPECT_DOUBLE_EQ(on[1].start, 3.0);
    // No speech map: nothing moves.
    std::vector<word> unmapped{timed_word(0.1, 0.2)};
    keep_words_in_speech(unmapped, {});
    EXPECT_DOUBLE_EQ(unmapped[0].start, 0.1);
}

TEST(WordTimes, SpreadSharesTheSegmentByLength) {
    std::vector<word> ws{timed_word(0, 0, "ab"), timed_word(0, 0, "abcdef"), timed_word(0, 0, "")};
    spread_words(ws, 10.0, 19.0);  // lengths 2, 6, 1 (at least 1) of 9 → 2 s, 6 s, 1 s
    EXPECT_DOUBLE_EQ(ws[0].start, 10.0);
    EXPECT_NEAR(ws[0].end, 12.0, 1e-9);
    EXPECT_NEAR(ws[1].start, 12.0, 1e-9);
    EXPECT_NEAR(ws[1].end, 18.0, 1e-9);
    EXPECT_NEAR(ws[2].start, 18.0, 1e-9);
    EXPECT_DOUBLE_EQ(ws[2].end, 19.0);
}

}  // namespace
}  // namespace cinesub::asr
