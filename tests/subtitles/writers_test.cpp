// subtitles/writers: SRT, WebVTT, ASS and JSON output.
#include "subtitles/writers.hpp"
#include "subtitle_fixtures.hpp"
#include "subtitles/readers.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cinesub::subs {
namespace {

using test::sample_cues;
using test::testdata;

TEST(Writers, SrtCrlfAndBom) {
    write_options o;
    o.crlf = true;
    o.bom = true;
    const auto s = to_srt(sample_cues(), o);
    EXPECT_EQ(s.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_NE(s.find("1\r\n00:00:01,000 --> 00:00:02,500\r\n"), std::string::npos);
    EXPECT_EQ(s.find("\n\n"), std::string::npos);  // every line end is CRLF
    const auto back = parse_srt(s);
    EXPECT_TRUE(back.bom);
    EXPECT_TRUE(back.crlf);
    ASSERT_EQ(back.cues.size(), 2u);
    EXPECT_TRUE(back.cues[1].song);
}

TEST(Writers, VttVoiceTags) {
    const auto v = to_vtt(sample_cues());
    EXPECT_EQ(v.rfind("WEBVTT", 0), 0u);
    EXPECT_NE(v.find("00:00:01.000 --> 00:00:02.500"), std::string::npos);
    EXPECT_NE(v.find("<v Diane>"), std::string::npos);
    const auto back = parse_vtt(v);
    ASSERT_EQ(back.cues.size(), 2u);
    EXPECT_EQ(back.cues[0].speaker, "Diane");
}

TEST(Writers, AssSongStyleAndSpeakerColours) {
    const auto a = to_ass(sample_cues());
    EXPECT_NE(a.find("[Script Info]"), std::string::npos);
    EXPECT_NE(a.find("Dialogue: 0,0:00:01.00,0:00:02.50"), std::string::npos);
    EXPECT_NE(a.find("Style: Song"), std::string::npos);
    EXPECT_NE(a.find(",Song,"), std::string::npos);
    EXPECT_NE(a.find("\\N"), std::string::npos);
}

TEST(Writers, JsonDocumentAndFileName) {
    write_options o;
    o.language = "hi";
    o.title = "Sholay";
    const auto j = to_json_document(sample_cues(), o);
    EXPECT_EQ(j.at("language"), "hi");
    EXPECT_EQ(j.at("cues").size(), 2u);
    EXPECT_EQ(subtitle_file_name("Sholay: 1975/x", "hi", "srt").find('/'), std::string::npos);
}

}  // namespace
}  // namespace cinesub::subs
