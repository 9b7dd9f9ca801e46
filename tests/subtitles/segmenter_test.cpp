// subtitles/segmenter: style-guide segmentation.
#include "subtitles/segmenter.hpp"
#include "subtitle_fixtures.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cinesub::subs {
namespace {

using test::seg;
using test::testdata;

TEST(Segmenter, HindiPostpositionStaysWithItsWord) {
    EXPECT_TRUE(is_hindi_clitic("ने"));
    EXPECT_TRUE(is_hindi_clitic("में,"));
    EXPECT_FALSE(is_hindi_clitic("राम"));
    profile p = get_profile("netflix-other");
    p.max_cpl = 12;
    const auto lines = break_lines("राम ने सीता को किताब दी और घर में गया", p, "hi");
    for (const auto& l : lines) {
        const auto ws = split_words(l);
        ASSERT_FALSE(ws.empty());
        EXPECT_FALSE(is_hindi_clitic(ws.front())) << "line starts with a postposition: " << l;
    }
}

}  // namespace
}  // namespace cinesub::subs
