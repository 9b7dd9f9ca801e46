// subtitles/checker: each violation kind, the shared references, `cinesub check` exit codes.
#include "subtitles/checker.hpp"
#include "subtitles/readers.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cinesub::subs {
namespace {

using test::testdata;

void write(const std::filesystem::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

TEST(Checker, EachViolationKind) {
    const auto style = get_profile("netflix-en");
    struct bad {
        std::string rule, srt;
    };
    const std::vector<bad> cases{
        {"cpl", "1\n00:00:01,000 --> 00:00:03,000\nThis line is much much longer than forty-two characters wide\n"},
        {"lines", "1\n00:00:01,000 --> 00:00:05,000\none\ntwo\nthree\n"},
        {"max_duration", "1\n00:00:01,000 --> 00:00:09,000\nlong\n"},
        {"overlap", "1\n00:00:01,000 --> 00:00:03,000\na\n\n2\n00:00:02,000 --> 00:00:04,000\nb\n"},
        {"gap", "1\n00:00:01,000 --> 00:00:03,000\na\n\n2\n00:00:03,040 --> 00:00:05,000\nb\n"},
        {"timestamp_order", "1\n00:00:03,000 --> 00:00:02,000\na\n"},
        {"bad_timestamp", "1\n00:00:xx,000 --> 00:00:02,000\na\n"},
        {"empty", "1\n00:00:01,000 --> 00:00:03,000\n\n2\n00:00:04,000 --> 00:00:06,000\nb\n"},
        {"utf8", "1\n00:00:01,000 --> 00:00:03,000\nbad \xC3\x28 byte\n"},
    };
    for (const auto& c : cases) {
        const auto report = check_file(parse_srt(c.srt), style, 25);
        EXPECT_FALSE(report.passed()) << c.rule;
        EXPECT_GE(report.counts()[c.rule], 1) << c.rule << "\n" << format_report(report, c.rule);
    }
    // Soft only: fast reading speed fails nothing.
    const auto fast = check_file(
        parse_srt("1\n00:00:01,000 --> 00:00:02,000\nThis is rather a lot to read in a second\n"), style, 25);
    EXPECT_TRUE(fast.passed());
    EXPECT_GE(fast.counts()["cps"], 1);
}

TEST(Checker, SharedReferencesRead) {
    for (const auto* name : {"media/video/sintel_trailer_first27s_en.reference.srt",
                             "media/video/sintel_trailer_first27s_en.reference.vtt",
                             "media/diarization/en_pyannote_sample.reference.srt"}) {
        const auto p = testdata(name);
        if (!std::filesystem::exists(p)) continue;
        const auto f = read_subtitles(p);
        EXPECT_FALSE(f.cues.empty()) << name;
        const auto report = check_file(f, get_profile("relaxed"), 25);
        for (const auto& v : report.violations) EXPECT_NE(v.rule, "bad_timestamp") << name << ": " << v.message;
        std::printf("[ measure ] %s: %d cues, %d hard, %d soft (relaxed)\n", name, report.cues, report.hard(),
                    report.soft());
    }
}

TEST(CheckCommand, ExitCodes) {
    test::temp_dir dir;
    write(dir / "good.srt",
          "1\n00:00:01,000 --> 00:00:03,000\nHello there.\n\n2\n00:00:04,000 --> 00:00:06,000\nBye.\n");
    write(dir / "bad.srt", "1\n00:00:01,000 --> 00:00:03,000\na\n\n2\n00:00:02,000 --> 00:00:04,000\nb\n");
    auto good = test::run_cli({"check", (dir / "good.srt").string()});
    EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
    auto bad = test::run_cli({"check", (dir / "bad.srt").string(), "--profile", "netflix-other", "--json"});
    EXPECT_EQ(bad.exit_code, 50) << bad.out << bad.err;
    const auto j = nlohmann::json::parse(bad.out);
    EXPECT_FALSE(j.at("passed").get<bool>());
    auto missing = test::run_cli({"check", (dir / "none.srt").string()});
    EXPECT_EQ(missing.exit_code, 10);
    auto usage = test::run_cli({"check", (dir / "good.srt").string(), "--profile", "nope"});
    EXPECT_EQ(usage.exit_code, 2);
}

}  // namespace
}  // namespace cinesub::subs
