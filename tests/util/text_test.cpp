#include "util/text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <type_traits>

namespace cinesub::util {
namespace {

using namespace std::string_literals;

const std::string fffd = "\xEF\xBF\xBD";  // U+FFFD
const std::string nbsp = "\xC2\xA0";      // U+00A0
const std::string bom = "\xEF\xBB\xBF";   // U+FEFF

// --- Whitespace ----------------------------------------------------------------------------------

TEST(Whitespace, OneRule) {
    for (char c : " \t\n\v\f\r"s) EXPECT_EQ(whitespace_at(std::string(1, c)), 1u) << int(c);
    EXPECT_EQ(whitespace_at(nbsp), 2u);
    EXPECT_EQ(whitespace_at(bom), 3u);
    EXPECT_EQ(whitespace_at("a b", 1), 1u);
    EXPECT_EQ(whitespace_at("a b", 0), 0u);
    EXPECT_EQ(whitespace_at("a", 5), 0u);  // past the end
    EXPECT_EQ(whitespace_at(""), 0u);
    EXPECT_EQ(whitespace_at("\xC2"), 0u);                // half a no-break space
    EXPECT_EQ(whitespace_at("\xE3\x80\x80"), 0u);        // U+3000 ideographic space: content
    EXPECT_EQ(whitespace_at("\xE2\x80\x83"), 0u);        // U+2003 em space: content
    EXPECT_EQ(whitespace_at("\xE2\x80\xAF"), 0u);        // U+202F narrow no-break space: content
    EXPECT_EQ(whitespace_at(std::string(1, '\0')), 0u);  // NUL is not whitespace
}

TEST(Trim, AsciiWhitespace) {
    EXPECT_EQ(trim("  hello \t"), "hello");
    EXPECT_EQ(trim("\r\n\v\fa b\f\v\n\r"), "a b");
    EXPECT_EQ(trim("a  b"), "a  b");  // inner whitespace stays
    EXPECT_EQ(trim("x"), "x");
    EXPECT_EQ(trim(""), "");
    EXPECT_EQ(trim(" \t\r\n "), "");
}

TEST(Trim, NoBreakSpaceAndByteOrderMark) {
    EXPECT_EQ(trim(nbsp + "hi" + nbsp), "hi");
    EXPECT_EQ(trim(nbsp + nbsp), "");  // a line of &nbsp; is blank
    EXPECT_EQ(trim(bom + "WEBVTT"), "WEBVTT");
    EXPECT_EQ(trim(" " + nbsp + " \t" + bom + nbsp + "नमस्ते" + nbsp + bom + " \r\n"), "नमस्ते");
    EXPECT_EQ(trim(bom + nbsp + "x"), "x");  // in any order
    EXPECT_EQ(trim("a" + nbsp + "b"), "a" + nbsp + "b");
    // Other Unicode spaces are text.
    EXPECT_EQ(trim("\xE3\x80\x80x\xE3\x80\x80"), "\xE3\x80\x80x\xE3\x80\x80");
}

TEST(Trim, InvalidUtf8PassesThrough) {
    EXPECT_EQ(trim(" \xE0\xA4 "), "\xE0\xA4");
    EXPECT_EQ(trim("\xC2 a \xC2"), "\xC2 a \xC2");  // a lone C2 is not half a space to strip
    EXPECT_EQ(trim("\xFF\xA0"), "\xFF\xA0");
    EXPECT_EQ(trim(" \x80"), "\x80");
}

TEST(Trim, ViewOfANamedStringOwnedCopyOfATemporary) {
    const std::string named = "  in place  ";
    const auto view = trim(named);
    static_assert(std::is_same_v<decltype(trim(named)), std::string_view>);
    EXPECT_EQ(view, "in place");
    EXPECT_EQ(view.data(), named.data() + 2);  // no copy
    static_assert(std::is_same_v<decltype(trim(std::string(" t "))), std::string>);
    static_assert(std::is_same_v<decltype(trim(" literal ")), std::string_view>);
    const auto owned = trim(std::string(" temporary ") + nbsp);
    EXPECT_EQ(owned, "temporary");
}

// --- ASCII case ----------------------------------------------------------------------------------

TEST(LowerAscii, OnlyAToZ) {
    EXPECT_EQ(lower_ascii("HeLLo, World! 123"), "hello, world! 123");
    EXPECT_EQ(lower_ascii("[Events]"), "[events]");
    EXPECT_EQ(lower_ascii(".SRT"), ".srt");
    EXPECT_EQ(lower_ascii("@[`{"), "@[`{");  // the neighbours of A–Z and a–z
    EXPECT_EQ(lower_ascii("\xC3\x84\xC3\x96 \xC3\x9C"), "\xC3\x84\xC3\x96 \xC3\x9C");  // ÄÖ Ü stay
    EXPECT_EQ(lower_ascii("नमस्ते DOST"), "नमस्ते dost");
    EXPECT_EQ(lower_ascii("\xFF\xC0Z"), "\xFF\xC0z");  // other bytes untouched, even invalid ones
    EXPECT_EQ(lower_ascii(""), "");
}

// --- UTF-8 ---------------------------------------------------------------------------------------

TEST(Utf8, Validation) {
    EXPECT_TRUE(valid_utf8(""));
    EXPECT_TRUE(valid_utf8("hello"));
    EXPECT_TRUE(valid_utf8("नमस्ते दुनिया"));
    EXPECT_TRUE(valid_utf8("\xF0\x9F\x8E\xB5"));   // 🎵
    EXPECT_FALSE(valid_utf8("\xE0\xA4"));          // cut Devanagari
    EXPECT_FALSE(valid_utf8("\xC0\xAF"));          // overlong
    EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));      // surrogate
    EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // > U+10FFFF
    EXPECT_FALSE(valid_utf8("a\x80z"));            // stray continuation
}

TEST(Utf8, ValidBoundaries) {
    EXPECT_TRUE(valid_utf8(std::string(1, '\0')));
    EXPECT_TRUE(valid_utf8("\x7F"));              // U+007F
    EXPECT_TRUE(valid_utf8("\xC2\x80"));          // U+0080
    EXPECT_TRUE(valid_utf8("\xDF\xBF"));          // U+07FF
    EXPECT_TRUE(valid_utf8("\xE0\xA0\x80"));      // U+0800
    EXPECT_TRUE(valid_utf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
    EXPECT_TRUE(valid_utf8("\xEE\x80\x80"));      // U+E000, just above them
    EXPECT_TRUE(valid_utf8("\xEF\xBF\xBF"));      // U+FFFF (a noncharacter, but valid UTF-8)
    EXPECT_TRUE(valid_utf8("\xF0\x90\x80\x80"));  // U+10000
    EXPECT_TRUE(valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
    EXPECT_TRUE(valid_utf8(fffd + nbsp + bom));
}

TEST(Utf8, EveryInvalidClass) {
    // Overlong forms.
    EXPECT_FALSE(valid_utf8("\xC0\x80"));          // U+0000 in two bytes
    EXPECT_FALSE(valid_utf8("\xC1\xBF"));          // U+007F in two bytes
    EXPECT_FALSE(valid_utf8("\xE0\x80\xAF"));      // '/' in three bytes
    EXPECT_FALSE(valid_utf8("\xE0\x9F\xBF"));      // U+07FF in three bytes
    EXPECT_FALSE(valid_utf8("\xF0\x80\x80\xAF"));  // '/' in four bytes
    EXPECT_FALSE(valid_utf8("\xF0\x8F\xBF\xBF"));  // U+FFFF in four bytes
    // Surrogates.
    EXPECT_FALSE(valid_utf8("\xED\xBF\xBF"));              // U+DFFF
    EXPECT_FALSE(valid_utf8("\xED\xA0\xBD\xED\xB2\xA9"));  // a CESU-8 pair
    // Above U+10FFFF, and bytes that are never UTF-8.
    EXPECT_FALSE(valid_utf8("\xF4\xBF\xBF\xBF"));
    EXPECT_FALSE(valid_utf8("\xF5\x80\x80\x80"));
    EXPECT_FALSE(valid_utf8("\xF8\x88\x80\x80\x80"));  // old 5-byte form
    EXPECT_FALSE(valid_utf8("\xFE"));
    EXPECT_FALSE(valid_utf8("\xFF"));
    // Lone continuation bytes.
    EXPECT_FALSE(valid_utf8("\x80"));
    EXPECT_FALSE(valid_utf8("\xBF"));
    EXPECT_FALSE(valid_utf8("\xE0\xA4\xA8\xA8"));  // one too many after a whole character
    // Truncated sequences: at the end and in the middle.
    EXPECT_FALSE(valid_utf8("\xC2"));
    EXPECT_FALSE(valid_utf8("\xF0\x9F\x8E"));
    EXPECT_FALSE(valid_utf8("\xE0\xA4z"));
    EXPECT_FALSE(valid_utf8("\xF0\x9F \xB5"));
    // Mixed: one bad byte in good text.
    EXPECT_FALSE(valid_utf8("नमस्ते\xFFदुनिया"));
}

TEST(Utf8, IncompleteTail) {
    EXPECT_EQ(incomplete_utf8_tail("abc"), 0u);
    EXPECT_EQ(incomplete_utf8_tail("न"), 0u);
    EXPECT_EQ(incomplete_utf8_tail("a\xE0"), 1u);
    EXPECT_EQ(incomplete_utf8_tail("a\xE0\xA4"), 2u);
    EXPECT_EQ(incomplete_utf8_tail("\xF0\x9F\x8E"), 3u);
    EXPECT_EQ(incomplete_utf8_tail("a\x80"), 0u);  // invalid, not incomplete
    EXPECT_EQ(incomplete_utf8_tail(""), 0u);
    EXPECT_EQ(incomplete_utf8_tail("\xC2"), 1u);
    EXPECT_EQ(incomplete_utf8_tail("\xF0\x9F"), 2u);
    EXPECT_EQ(incomplete_utf8_tail("x\xF0\x9F\x8E\xB5"), 0u);  // complete
    // A start that can never become a character is invalid, not incomplete.
    EXPECT_EQ(incomplete_utf8_tail("\xE0\x80"), 0u);  // overlong
    EXPECT_EQ(incomplete_utf8_tail("\xED\xA0"), 0u);  // surrogate
    EXPECT_EQ(incomplete_utf8_tail("\xF4\x90"), 0u);  // > U+10FFFF
    EXPECT_EQ(incomplete_utf8_tail("\xC0"), 0u);
    EXPECT_EQ(incomplete_utf8_tail("\xF5"), 0u);
    EXPECT_EQ(incomplete_utf8_tail("\x80\x80\x80"), 0u);
    EXPECT_EQ(incomplete_utf8_tail("\xE0\xA4z"), 0u);  // cut in the middle, not at the end
}

TEST(Utf8, Sanitize) {
    EXPECT_EQ(sanitize_utf8("नमस्ते"), "नमस्ते");
    // An incomplete tail: a caller that gets text in pieces (asr::join_tokens) cuts it off first,
    // which drops it; sanitize_utf8 alone makes it one U+FFFD like any other truncated sequence.
    const std::string_view cut = "ab\xE0\xA4";
    EXPECT_EQ(sanitize_utf8(cut.substr(0, cut.size() - incomplete_utf8_tail(cut))), "ab");  // incomplete tail dropped
    EXPECT_EQ(sanitize_utf8(cut), "ab" + fffd);
    EXPECT_EQ(sanitize_utf8("a\x80z"), "a" + fffd + "z");      // stray byte replaced
    EXPECT_EQ(sanitize_utf8("a\xE0\xA4z"), "a" + fffd + "z");  // broken sequence replaced once
    EXPECT_TRUE(valid_utf8(sanitize_utf8("\xFF\xFE\xC3")));
    EXPECT_EQ(sanitize_utf8(""), "");
}

TEST(Utf8, SanitizeOneReplacementPerMaximalSubpart) {
    // Overlong: the lead byte can never start it, so each byte is one U+FFFD.
    EXPECT_EQ(sanitize_utf8("\xC0\xAF"), fffd + fffd);
    EXPECT_EQ(sanitize_utf8("\xE0\x80\xAF"), fffd + fffd + fffd);
    EXPECT_EQ(sanitize_utf8("\xF0\x80\x80\xAF"), fffd + fffd + fffd + fffd);
    // Surrogate and > U+10FFFF: the same.
    EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), fffd + fffd + fffd);
    EXPECT_EQ(sanitize_utf8("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);
    EXPECT_EQ(sanitize_utf8("\xF5\x80"), fffd + fffd);
    // Lone continuation bytes: one each.
    EXPECT_EQ(sanitize_utf8("\x80\xBF"), fffd + fffd);
    EXPECT_EQ(sanitize_utf8("न\xA8"), "न" + fffd);
    // Truncated: the lead with the continuation bytes it had is one U+FFFD, in the middle or at the end.
    EXPECT_EQ(sanitize_utf8("\xF0\x9F\x8E"), fffd);
    EXPECT_EQ(sanitize_utf8("\xF0\x9F\x8E!"), fffd + "!");
    EXPECT_EQ(sanitize_utf8("\xE0\xA4\xE0\xA4\xA8"), fffd + "न");  // cut character, then a whole one
    EXPECT_EQ(sanitize_utf8("\xC2\xC2\xA0"), fffd + nbsp);
    // Mixed valid and invalid.
    EXPECT_EQ(sanitize_utf8("नम\xFFस्ते \xC3\x28 ok"), "नम" + fffd + "स्ते " + fffd + "( ok");
    EXPECT_EQ(sanitize_utf8("\xEF\xBF\xBD"), fffd);  // a real U+FFFD stays one
}

TEST(Utf8, SanitizeKeepsValidTextAndAlwaysGivesValidText) {
    // Every string of one or two bytes, and three-byte strings from a set of interesting bytes.
    for (int a = 0; a < 256; ++a) {
        for (int b = -1; b < 256; ++b) {
            std::string s(1, static_cast<char>(a));
            if (b >= 0) s += static_cast<char>(b);
            const auto clean = sanitize_utf8(s);
            ASSERT_TRUE(valid_utf8(clean)) << a << " " << b;
            if (valid_utf8(s)) {
                ASSERT_EQ(clean, s);
            }
            ASSERT_EQ(sanitize_utf8(clean), clean);
        }
    }
    const unsigned char pick[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1,
                                  0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3,
                                  0xF4, 0xF5, 0xF7, 0xF8, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF};
    for (auto a : pick)
        for (auto b : pick)
            for (auto c : pick)
                for (auto d : pick) {
                    const std::string s{static_cast<char>(a), static_cast<char>(b), static_cast<char>(c),
                                        static_cast<char>(d)};
                    const auto clean = sanitize_utf8(s);
                    ASSERT_TRUE(valid_utf8(clean));
                    if (valid_utf8(s)) {
                        ASSERT_EQ(clean, s);
                    }
                    // Held back by a caller, an incomplete tail never reaches the output.
                    const auto held = sanitize_utf8(std::string_view(s).substr(0, s.size() - incomplete_utf8_tail(s)));
                    ASSERT_TRUE(valid_utf8(held));
                }
}

// --- Times ---------------------------------------------------------------------------------------

TEST(RoundMs, NearestMillisecond) {
    EXPECT_DOUBLE_EQ(round_ms(0.0), 0.0);
    EXPECT_DOUBLE_EQ(round_ms(1.2344), 1.234);
    EXPECT_DOUBLE_EQ(round_ms(1.2346), 1.235);
    EXPECT_DOUBLE_EQ(round_ms(2.9996), 3.0);
    EXPECT_DOUBLE_EQ(round_ms(0.0625), 0.063);    // an exact half: away from zero
    EXPECT_DOUBLE_EQ(round_ms(-0.0625), -0.063);  // the same below zero
    EXPECT_DOUBLE_EQ(round_ms(-1.2344), -1.234);
    EXPECT_DOUBLE_EQ(round_ms(7200.1234567), 7200.123);  // two hours in
    EXPECT_DOUBLE_EQ(round_ms(1.5), 1.5);
}

}  // namespace
}  // namespace cinesub::util
