// RTTM reading (SPEAKER lines only, several file ids, malformed lines) and atomic writing.
#include "speakers/rttm.hpp"

#include "cinesub/error.hpp"
#include "support.hpp"
#include "util/fs.hpp"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <utility>

namespace cinesub::test {
namespace {

namespace fs = std::filesystem;

// The error category and message of parse_rttm(text), or "" when it parses.
std::pair<errc, std::string> rttm_parse_error(const std::string& text) {
    try {
        speakers::parse_rttm(text, "ref.rttm");
    } catch (const error& e) {
        return {e.code(), e.what()};
    }
    return {errc::internal, ""};
}

TEST(Rttm, ReadsSpeakerLinesAndIgnoresTheRest) {
    const std::string text =
        ";; a comment\n"
        "SPKR-INFO meeting 1 <NA> <NA> <NA> unknown alice <NA> <NA>\n"
        "\n"
        "SPEAKER meeting 1 1.500 2.250 <NA> <NA> alice <NA> <NA>\n"
        "   \t  \r\n"
        "SPEAKER\tmeeting\t1\t4.0\t1\t<NA>\t<NA>\tbob\t<NA>\t<NA>\r\n"  // tabs and CRLF
        "SPEAKER other 1 0 3 <NA> <NA> carol <NA> <NA>\n"
        "SPEAKER meeting 1 7.000 0.000 <NA> <NA> alice <NA> <NA>\n"  // zero duration: skipped
        "SPEAKER meeting 1 9 0.5 <NA> <NA> alice\n"                  // 8 fields: enough
        "LEXEME meeting 1 1.5 0.3 hello lex alice <NA> <NA>\n";
    const auto files = speakers::parse_rttm(text, "ref.rttm");
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0].file_id, "meeting");
    ASSERT_EQ(files[0].turns.size(), 3u);
    EXPECT_DOUBLE_EQ(files[0].turns[0].start, 1.5);
    EXPECT_DOUBLE_EQ(files[0].turns[0].end, 3.75);
    EXPECT_EQ(files[0].turns[0].speaker, "alice");
    EXPECT_DOUBLE_EQ(files[0].turns[1].start, 4.0);
    EXPECT_DOUBLE_EQ(files[0].turns[1].end, 5.0);
    EXPECT_EQ(files[0].turns[1].speaker, "bob");
    EXPECT_DOUBLE_EQ(files[0].turns[2].start, 9.0);
    EXPECT_DOUBLE_EQ(files[0].turns[2].end, 9.5);
    EXPECT_EQ(files[1].file_id, "other");
    ASSERT_EQ(files[1].turns.size(), 1u);
    EXPECT_EQ(files[1].turns[0].speaker, "carol");
    EXPECT_TRUE(speakers::parse_rttm("", "empty.rttm").empty());
    EXPECT_TRUE(speakers::parse_rttm(";; nothing\n\n", "empty.rttm").empty());
}

TEST(Rttm, MalformedSpeakerLinesNameTheLine) {
    auto [code, msg] = rttm_parse_error("SPEAKER f 1 0 1 <NA> <NA> a <NA> <NA>\nSPEAKER f 1 2.0 1.0\n");
    EXPECT_EQ(code, errc::input_corrupt);
    EXPECT_NE(msg.find("ref.rttm line 2"), std::string::npos) << msg;
    EXPECT_NE(msg.find("5 fields"), std::string::npos) << msg;

    std::tie(code, msg) = rttm_parse_error(";;\n\nSPEAKER f 1 abc 1.0 <NA> <NA> a <NA> <NA>\n");
    EXPECT_EQ(code, errc::input_corrupt);
    EXPECT_NE(msg.find("ref.rttm line 3: onset 'abc'"), std::string::npos) << msg;

    std::tie(code, msg) = rttm_parse_error("SPEAKER f 1 1.0 1.0s <NA> <NA> a <NA> <NA>\n");
    EXPECT_EQ(code, errc::input_corrupt);
    EXPECT_NE(msg.find("line 1: duration '1.0s'"), std::string::npos) << msg;

    std::tie(code, msg) = rttm_parse_error("SPEAKER f 1 1.0 nan <NA> <NA> a <NA> <NA>\n");
    EXPECT_EQ(code, errc::input_corrupt);
    EXPECT_NE(msg.find("duration 'nan'"), std::string::npos) << msg;

    std::tie(code, msg) = rttm_parse_error("SPEAKER f 1 1.0 -0.5 <NA> <NA> a <NA> <NA>\n");
    EXPECT_EQ(code, errc::input_corrupt);
    EXPECT_NE(msg.find("line 1: negative duration -0.5"), std::string::npos) << msg;

    std::tie(code, msg) = rttm_parse_error("SPEAKER f 1 -1.0 0.5 <NA> <NA> a <NA> <NA>\n");
    EXPECT_EQ(code, errc::input_corrupt);
    EXPECT_NE(msg.find("negative onset"), std::string::npos) << msg;
}

TEST(Rttm, MissingFileIsInputMissing) {
    temp_dir dir;
    try {
        speakers::read_rttm(dir / "none.rttm");
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::input_missing);
        EXPECT_NE(std::string(e.what()).find("none.rttm"), std::string::npos) << e.what();
    }
}

TEST(Rttm, WritesSortedWithThreeDecimalsAtomically) {
    temp_dir dir;
    const auto path = dir / "hyp.rttm";
    speakers::write_rttm(path, "film",
                         {{12.3456, 14.0004, "SPEAKER_01"},
                          {0.5, 2.25, "SPEAKER_00"},
                          {3.0, 3.0004, "SPEAKER_00"},  // shorter than a millisecond once rounded: left out
                          {0.5, 1.0, "SPEAKER_01"}});
    EXPECT_EQ(util::read_file(path),
              "SPEAKER film 1 0.500 0.500 <NA> <NA> SPEAKER_01 <NA> <NA>\n"
              "SPEAKER film 1 0.500 1.750 <NA> <NA> SPEAKER_00 <NA> <NA>\n"
              "SPEAKER film 1 12.346 1.654 <NA> <NA> SPEAKER_01 <NA> <NA>\n");
    EXPECT_TRUE(leftover_temporaries(dir.path()).empty());

    // Round trip: the rounded times come back.
    const auto files = speakers::read_rttm(path);
    ASSERT_EQ(files.size(), 1u);
    ASSERT_EQ(files[0].turns.size(), 3u);
    EXPECT_NEAR(files[0].turns[2].start, 12.346, 1e-9);
    EXPECT_NEAR(files[0].turns[2].end, 14.0, 1e-9);

    // Invalid turns are a bug in the caller.
    EXPECT_THROW(speakers::write_rttm(dir / "bad.rttm", "film", {{2.0, 1.0, "a"}}), error);
    EXPECT_THROW(speakers::write_rttm(dir / "bad.rttm", "my film", {{1.0, 2.0, "a"}}), error);
    EXPECT_THROW(speakers::write_rttm(dir / "bad.rttm", "film", {{1.0, 2.0, ""}}), error);
    EXPECT_FALSE(fs::exists(dir / "bad.rttm"));

    speakers::write_rttm(dir / "empty.rttm", "film", {});
    EXPECT_EQ(util::read_file(dir / "empty.rttm"), "");
}

TEST(Rttm, ReadsTheSharedReference) {
    const auto path = testdata("media/diarization/en_pyannote_sample.rttm");
    CINESUB_SKIP_IF_MISSING(path);
    const auto files = speakers::read_rttm(path);
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].file_id, "sample");
    ASSERT_EQ(files[0].turns.size(), 10u);
    EXPECT_DOUBLE_EQ(files[0].turns[0].start, 6.69);
    EXPECT_NEAR(files[0].turns[0].end, 7.12, 1e-9);
    EXPECT_EQ(files[0].turns[0].speaker, "speaker90");
    EXPECT_EQ(files[0].turns[1].speaker, "speaker91");
    EXPECT_NEAR(files[0].turns[9].end, 30.0, 1e-9);
}

}  // namespace
}  // namespace cinesub::test
