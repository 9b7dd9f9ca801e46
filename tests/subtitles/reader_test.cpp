// The subtitle reader's strict side (what mux reads with) and the raw cue text it keeps with markup.
#include "cinesub/error.hpp"
#include "subtitles/readers.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace cinesub::subs {
namespace {

// The error a strict read of `content` throws (a test failure and errc::internal when none).
cinesub::error strict_error(std::string_view content) {
    try {
        parse_cues_strict(content, "in.srt");
    } catch (const cinesub::error& e) {
        return e;
    }
    ADD_FAILURE() << "expected an input_corrupt error for: " << content;
    return cinesub::error(errc::internal, "");
}

TEST(StrictReader, SrtAndVttParse) {
    auto srt = parse_cues_strict(
        "\xEF\xBB\xBF"
        "1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Hello</i>\r\nthere\r\n\r\n"
        "2\r\n00:01:00.250 --> 00:01:01,000\r\nनमस्ते\r\n");
    EXPECT_EQ(srt.format, "srt");
    ASSERT_EQ(srt.cues.size(), 2u);
    ASSERT_EQ(srt.raw.size(), 2u);
    EXPECT_DOUBLE_EQ(srt.cues[0].start, 1.0);
    EXPECT_DOUBLE_EQ(srt.cues[0].end, 2.5);
    EXPECT_EQ(srt.raw[0], "<i>Hello</i>\nthere");
    EXPECT_EQ(srt.cues[0].text(), "Hello\nthere");  // the stripped text beside it
    EXPECT_DOUBLE_EQ(srt.cues[1].start, 60.25);
    EXPECT_EQ(srt.raw[1], "नमस्ते");
    auto vtt = parse_cues_strict("WEBVTT\n\nNOTE x\n\nintro\n00:05.000 --> 00:06.000 align:start\n<v Bob>Hi\n");
    EXPECT_EQ(vtt.format, "vtt");
    ASSERT_EQ(vtt.cues.size(), 1u);
    EXPECT_DOUBLE_EQ(vtt.cues[0].start, 5.0);
    EXPECT_EQ(vtt.raw[0], "<v Bob>Hi");
    EXPECT_EQ(vtt.cues[0].speaker, "Bob");
    EXPECT_EQ(strict_error("1\n00:00:01 -> 00:00:02\nx\n").code(), errc::input_corrupt);
}

TEST(StrictReader, RawTextKeepsMarkupAndEntitiesTrimsLines) {
    const auto f = parse_cues_strict(
        "1\n00:00:01,000 --> 00:00:02,000\n  <b>Tom</b> &amp; <font color=\"red\">Jerry</font> \n"
        "{\\an8}<u>top</u>\n");
    ASSERT_EQ(f.raw.size(), 1u);
    EXPECT_EQ(f.raw[0], "<b>Tom</b> &amp; <font color=\"red\">Jerry</font>\n{\\an8}<u>top</u>");
    EXPECT_EQ(f.cues[0].text(), "Tom & Jerry\ntop");
    // The lenient readers fill it too, one per cue.
    const auto lenient = parse_srt("1\n00:00:01,000 --> 00:00:02,000\n<i>a</i>\n\n2\n00:00:03,000 --> xx\nb\n");
    EXPECT_EQ(lenient.raw, std::vector<std::string>{"<i>a</i>"});
    const auto ass = parse_ass(
        "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\\i1}one\\Ntwo\n");
    EXPECT_EQ(ass.raw, std::vector<std::string>{"{\\i1}one\ntwo"});
}

TEST(StrictReader, CuesStayInFileOrder) {
    const auto f =
        parse_cues_strict("1\n00:00:05,000 --> 00:00:06,000\nlater\n\n2\n00:00:01,000 --> 00:00:02,000\nearlier\n");
    ASSERT_EQ(f.raw.size(), 2u);
    EXPECT_EQ(f.raw[0], "later");
    EXPECT_EQ(f.lines, (std::vector<int>{2, 6}));
}

TEST(StrictReader, WhatIsLostIsAnErrorNamingTheLine) {
    // An unreadable timing line: the timing line itself.
    auto e = strict_error("1\n00:00:01,000 --> 00:00:02,000\nFine\n\n2\n00:00:03,000 --> 00:00:0x,000\nBad\n");
    EXPECT_EQ(e.code(), errc::input_corrupt);
    EXPECT_NE(std::string(e.what()).find("in.srt: line 6: unreadable timing line"), std::string::npos) << e.what();
    // Text outside any cue (no timing line at all).
    e = strict_error("this is not\na subtitle file\n");
    EXPECT_EQ(e.code(), errc::input_corrupt);
    EXPECT_NE(std::string(e.what()).find("in.srt: line 1: text outside a cue: 'this is not'"), std::string::npos)
        << e.what();
    // A cue that ends before it starts.
    e = strict_error("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:05,000 --> 00:00:04,000\nbackwards\n");
    EXPECT_EQ(e.code(), errc::input_corrupt);
    EXPECT_NE(std::string(e.what()).find("in.srt: line 6: cue ends before it starts"), std::string::npos) << e.what();
    // The first problem in the file wins.
    e = strict_error("1\n00:00:05,000 --> 00:00:04,000\nbackwards\n\nstray\n");
    EXPECT_NE(std::string(e.what()).find("line 2: cue ends before it starts"), std::string::npos) << e.what();
    // A long stray line (a binary file, say) keeps the message short.
    e = strict_error(std::string(5000, 'x'));
    EXPECT_LT(std::string(e.what()).size(), 300u) << e.what();
    // ASS is not SRT or WebVTT.
    e = strict_error("[Script Info]\nTitle: x\n");
    EXPECT_EQ(e.code(), errc::input_corrupt);
    EXPECT_NE(std::string(e.what()).find("not SRT or WebVTT"), std::string::npos) << e.what();
}

TEST(StrictReader, NothingLostIsNotAnError) {
    // Invalid UTF-8 is repaired (U+FFFD), reported as an issue, and read.
    const auto bad_utf8 = parse_cues_strict(
        "1\n00:00:01,000 --> 00:00:02,000\nab\xFF"
        "c\n");
    ASSERT_EQ(bad_utf8.raw.size(), 1u);
    EXPECT_EQ(bad_utf8.raw[0],
              "ab\xEF\xBF\xBD"
              "c");
    ASSERT_EQ(bad_utf8.issues.size(), 1u);
    EXPECT_EQ(bad_utf8.issues[0].rule, "utf8");
    // Cue numbers that are missing or not numbers, and no blank line between cues.
    const auto loose = parse_cues_strict(
        "00:00:01,000 --> 00:00:02,000\none\n2\n00:00:03,000 --> 00:00:04,000\ntwo\n\n"
        "label\n00:00:05,000 --> 00:00:06,000\nthree\n");
    EXPECT_EQ(loose.raw, (std::vector<std::string>{"one", "two", "three"}));
    EXPECT_TRUE(parse_cues_strict("").cues.empty());
}

TEST(StrictReader, ReadsAFileByContent) {
    test::temp_dir dir;
    EXPECT_THROW(
        {
            try {
                read_cues_strict(dir / "missing.srt");
            } catch (const cinesub::error& e) {
                EXPECT_EQ(e.code(), errc::input_missing);
                throw;
            }
        },
        cinesub::error);
    // WebVTT content under an .srt name still reads as WebVTT.
    const auto file = dir / "mislabelled.srt";
    std::ofstream(file) << "WEBVTT\n\n00:01.000 --> 00:02.000\n<i>hi</i>\n";
    const auto f = read_cues_strict(file);
    EXPECT_EQ(f.format, "vtt");
    EXPECT_EQ(f.raw, std::vector<std::string>{"<i>hi</i>"});
    std::ofstream(dir / "bad.vtt") << "WEBVTT\n\n00:01.000 --> later\nx\n";
    try {
        read_cues_strict(dir / "bad.vtt");
        ADD_FAILURE() << "expected input_corrupt";
    } catch (const cinesub::error& e) {
        EXPECT_EQ(e.code(), errc::input_corrupt);
        EXPECT_NE(std::string(e.what()).find((dir / "bad.vtt").string() + ": line 3:"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace cinesub::subs
