// Crash safety and determinism: a run killed with SIGKILL at each stage in turn — when the stage
// starts, and after it wrote its outputs but before its manifest — and then run again gives the
// same bytes, file for file, as a clean run of the same inputs and settings (the muxed video too).
#include "cli_fixture.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

namespace cinesub::test {
namespace {

namespace fs = std::filesystem;

TEST(CrashSafety, KilledAtEachStageThenResumedEqualsACleanRun) {
    CINESUB_SKIP_IF_MISSING(sintel_clip());
    CINESUB_SKIP_IF_MISSING(silero());
    temp_dir out;
    const auto args = replay_prepare_args(sintel_clip(), out.path(), sintel_reference(), {"--title", "Sintel"});
    const auto clean = prepare_job(args);
    ASSERT_FALSE(clean.empty());
    const auto r = run_cli({"-q", "run", clean.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto expected = stage_outputs(clean);
    ASSERT_GE(expected.size(), 8u);  // audio, media, speech, transcript, tracks, summary, subtitles…, video

    for (const char* stage : {"demux", "metadata", "context", "vad", "asr", "correction", "subtitles", "mux"}) {
        for (const char* point : {"start", "outputs"}) {
            SCOPED_TRACE(std::string(stage) + ":" + point);
            const auto job = prepare_job(args);
            ASSERT_FALSE(job.empty());
            const auto killed =
                run_cli({"-q", "run", job.string()}, {"CINESUB_TEST_KILL=" + std::string(stage) + ":" + point});
            EXPECT_EQ(killed.exit_code, 128 + 9) << killed.err;  // SIGKILL
            const auto again = run_cli({"-q", "run", job.string()});
            ASSERT_EQ(again.exit_code, 0) << again.err;
            const auto got = stage_outputs(job);
            ASSERT_EQ(got.size(), expected.size());
            for (std::size_t i = 0; i < got.size(); ++i) {
                EXPECT_EQ(got[i].first, expected[i].first);
                EXPECT_TRUE(got[i].second == expected[i].second) << got[i].first << " differs from the clean run's";
            }
            EXPECT_TRUE(leftover_temporaries(job).empty());
        }
    }
}

}  // namespace
}  // namespace cinesub::test
