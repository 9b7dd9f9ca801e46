// subtitles/text: display width in grapheme clusters.
#include "subtitles/text.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cinesub::subs {
namespace {

using test::testdata;

TEST(Text, DevanagariConjunctsCountOneGrapheme) {
    EXPECT_EQ(display_width("क्ष"), 1);    // conjunct: ka + virama + ssa
    EXPECT_EQ(display_width("हिंदी"), 2);  // हिं + दी: vowel signs and anusvara join their consonant
    EXPECT_EQ(display_width("नमस्ते"), 3);
    EXPECT_EQ(display_width("e\xCC\x81"), 1);  // e + combining acute
    EXPECT_EQ(display_width("abc"), 3);
}

}  // namespace
}  // namespace cinesub::subs
