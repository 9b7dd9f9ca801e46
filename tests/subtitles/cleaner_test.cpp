// subtitles/cleaner: hallucinations, loops, no-speech and text over silence.
#include "subtitles/cleaner.hpp"
#include "subtitle_fixtures.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cinesub::subs {
namespace {

using test::seg;
using test::testdata;

TEST(Cleaner, RemovesHallucinationLoopsNoSpeechAndSilence) {
    transcript t;
    t.language = "en";
    t.segments.push_back(seg(1, 3, "Hello there, how are you?"));
    t.segments.push_back(seg(4, 6, "Thanks for watching!"));
    t.segments.push_back(seg(7, 9, "the end of the world", 0.95f, -1.6f));
    t.segments.push_back(seg(10, 14, "go go go go go go go go go go go go"));
    t.segments.push_back(seg(20, 22, "Nobody speaks here"));
    speech_map speech;
    speech.segments = {{0.9, 3.1}, {3.9, 6.1}, {6.9, 9.1}, {9.9, 14.1}};
    speech.duration = 30;
    clean_options o;
    o.speech = &speech;
    const auto r = clean(t, o);
    std::map<std::string, int> reasons;
    for (const auto& x : r.removed) ++reasons[x.reason];
    EXPECT_EQ(reasons["hallucination"], 1);
    EXPECT_EQ(reasons["no_speech"], 1);
    EXPECT_GE(reasons["repetition"] + reasons["compression_ratio"], 1);
    EXPECT_EQ(reasons["silence"], 1);
    ASSERT_FALSE(r.kept.segments.empty());
    EXPECT_EQ(r.kept.segments.front().text, "Hello there, how are you?");
    nlohmann::json j = r.removed.front();
    EXPECT_TRUE(j.contains("reason"));
    EXPECT_TRUE(j.contains("start"));
}

}  // namespace
}  // namespace cinesub::subs
