// Bad input through the CLI (prepare + run --only demux): one clear line, its own exit code, and no
// half-written output — including a full disk while demuxing.
#include "media_fixtures.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cinesub::test {
namespace {

namespace fs = std::filesystem;

fs::path vad_model() { return testdata("models/ggml-silero-v6.2.0.bin"); }

run_result prepare(const temp_dir& dir, const std::string& media, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"prepare",      media,
                                  "--out",        (dir / "out").string(),
                                  "--user",       "t",
                                  "--vad-model",  vad_model().string(),
                                  "--asr-engine", "replay:" + sintel_srt().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
}

fs::path only_job(const temp_dir& dir) {
    for (const auto& e : fs::recursive_directory_iterator(dir / "out"))
        if (e.path().filename() == "job.json") return e.path().parent_path();
    return {};
}

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

TEST(MediaCli, PrepareRejectsBadMediaWithDistinctCodes) {
    CINESUB_SKIP_IF_MISSING(sintel());
    CINESUB_SKIP_IF_MISSING(vad_model());
    if (!fs::exists(cli_path())) GTEST_SKIP() << "cinesub binary not built: " << cli_path();
    temp_dir dir;
    std::ofstream(dir / "notes.mkv") << "not a film\n";
    write_sine_wav(dir / "empty.wav", 16000, 1, 0);
    struct expectation {
        std::string media;
        std::vector<std::string> extra;
        int code;
    };
    const std::vector<expectation> cases{
        {(dir / "missing.mkv").string(), {}, 10},
        {(dir / "notes.mkv").string(), {}, 12},
        {(dir / "empty.wav").string(), {}, 14},
        {sintel().string(), {"--start", "15", "--end", "12"}, 16},
        {sintel().string(), {"--start", "20", "--end", "40"}, 17},
        {sintel().string(), {"--audio-stream", "0"}, 13},
    };
    for (const auto& c : cases) {
        const auto r = prepare(dir, c.media, c.extra);
        EXPECT_EQ(r.exit_code, c.code) << c.media << ": " << r.err;
        EXPECT_EQ(lines(r.err), 1) << r.err;
    }
    EXPECT_FALSE(fs::exists(dir / "out") && !only_job(dir).empty()) << "a failed prepare left a job";
}

TEST(MediaCli, TruncatedFileFailsDemuxWithCode15) {
    CINESUB_SKIP_IF_MISSING(sintel());
    CINESUB_SKIP_IF_MISSING(vad_model());
    if (!fs::exists(cli_path())) GTEST_SKIP() << "cinesub binary not built: " << cli_path();
    temp_dir dir;
    const auto cut = dir / "truncated.webm";
    {
        std::ifstream in(sintel(), std::ios::binary);
        std::vector<char> head(400 * 1024);
        in.read(head.data(), static_cast<std::streamsize>(head.size()));
        std::ofstream(cut, std::ios::binary).write(head.data(), in.gcount());
    }
    ASSERT_EQ(prepare(dir, cut.string()).exit_code, 0);  // the header is intact: prepare cannot tell
    const auto job = only_job(dir);
    ASSERT_FALSE(job.empty());
    const auto r = run_cli({"run", job.string(), "--only", "demux"});
    EXPECT_EQ(r.exit_code, 15) << r.err;
    EXPECT_NE(r.err.find("truncated"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(job / "stages" / "01_demux" / "audio.wav"));
    EXPECT_TRUE(leftover_temporaries(job).empty());
}

TEST(MediaCli, DiskFullDuringDemuxLeavesNoHalfFile) {
    CINESUB_SKIP_IF_MISSING(sintel());
    CINESUB_SKIP_IF_MISSING(vad_model());
    if (!fs::exists(cli_path())) GTEST_SKIP() << "cinesub binary not built: " << cli_path();
    temp_dir dir;
    ASSERT_EQ(prepare(dir, sintel().string()).exit_code, 0);
    const auto job = only_job(dir);
    ASSERT_FALSE(job.empty());
    const auto r = run_cli({"run", job.string(), "--only", "demux"}, {}, 64 * 1024);  // audio.wav needs 1.7 MB
    EXPECT_EQ(r.exit_code, 24) << r.err;
    EXPECT_FALSE(fs::exists(job / "stages" / "01_demux" / "audio.wav"));
    EXPECT_TRUE(leftover_temporaries(job).empty());
    // With room again the same job runs.
    const auto ok = run_cli({"run", job.string(), "--only", "demux"});
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_NEAR(static_cast<double>(fs::file_size(job / "stages" / "01_demux" / "audio.wav") - 68) / 4, 27.0 * 16000,
                1024);
}

}  // namespace
}  // namespace cinesub::test
