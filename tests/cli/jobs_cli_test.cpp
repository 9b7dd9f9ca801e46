// The CLI end to end on real media: prepare/run/status/jobs, resume, bad input and exit codes.
#include "cli_fixture.hpp"
#include "support.hpp"

#include "cinesub/error.hpp"
#include "util/fs.hpp"

#include <nlohmann/json.hpp>

namespace cinesub {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::expect_error;
using test::line_count;
using test::run_cli;
using test::temp_dir;
using test::testdata;

const std::string sintel = testdata("media/video/sintel_trailer_first27s.webm").string();
const std::string sintel_srt = testdata("media/video/sintel_trailer_first27s_en.reference.srt").string();
const std::string silero = testdata("models/ggml-silero-v6.2.0.bin").string();

struct cli : ::testing::Test {
    temp_dir out;
    std::vector<std::string> prepare_args(const std::string& media) {
        return {"prepare",       media,         "--out",      out.path().string(), "--user",
                "tester",        "--vad-model", silero,       "--asr-engine",      "replay:" + sintel_srt,
                "--source-lang", "en",          "--workflow", "transcribe"};
    }
    void SetUp() override {
        CINESUB_SKIP_IF_MISSING(sintel);
        CINESUB_SKIP_IF_MISSING(silero);
    }
};

TEST_F(cli, VersionAndHelp) {
    auto v = run_cli({"--version"});
    EXPECT_EQ(v.exit_code, 0);
    EXPECT_NE(v.out.find("cinesub 0."), std::string::npos);
    auto h = run_cli({"prepare", "--help"});
    EXPECT_EQ(h.exit_code, 0);
    EXPECT_NE(h.out.find("--workflow"), std::string::npos);
    EXPECT_NE(h.out.find("default"), std::string::npos);
    auto bad = run_cli({"prepare"});
    EXPECT_EQ(bad.exit_code, exit_code(errc::usage));
}

TEST_F(cli, PrepareWritesJobWithEverySettingAndItsSource) {
    auto args = prepare_args(sintel);
    args.insert(args.end(), {"--start", "00:00:10", "--end", "25.5", "--title", "Sintel", "--json"});
    auto r = run_cli(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = json::parse(r.out);
    auto dir = fs::path(j["dir"].get<std::string>());
    EXPECT_EQ(dir.parent_path().filename(), "tester");
    EXPECT_TRUE(fs::exists(dir / "job.json"));
    auto s = j["settings"];
    EXPECT_EQ(s["range.start"]["value"], 10.0);
    EXPECT_EQ(s["range.start"]["source"], "flag");
    EXPECT_EQ(s["range.end"]["value"], 25.5);
    EXPECT_EQ(s["title"]["value"], "Sintel");
    EXPECT_EQ(s["workflow"]["source"], "flag");
    EXPECT_EQ(s["asr.threads"]["source"], "hardware");
    EXPECT_TRUE(s.contains("vad.threshold"));
    EXPECT_EQ(s["vad.threshold"]["source"], "default");
    EXPECT_NEAR(j["media"]["info"]["duration"].get<double>(), 27.0, 0.1);
    EXPECT_TRUE(test::leftover_temporaries(out.path()).empty());
}

TEST_F(cli, PrepareBadInputGivesOneLineAndDistinctCodes) {
    temp_dir tmp;
    util::write_file_atomic(tmp / "notes.txt", "this is not a film\n");
    expect_error(run_cli(prepare_args((tmp / "missing.mkv").string())), errc::input_missing, "missing.mkv");
    expect_error(run_cli(prepare_args((tmp / "notes.txt").string())), errc::input_not_media, "notes.txt");
    auto a = prepare_args(sintel);
    a.insert(a.end(), {"--start", "20", "--end", "10"});
    expect_error(run_cli(a), errc::range_invalid, "--start");
    auto b = prepare_args(sintel);
    b.insert(b.end(), {"--start", "10", "--end", "99"});
    expect_error(run_cli(b), errc::range_outside, "27");
    auto c = prepare_args(sintel);
    c.insert(c.end(), {"--start", "1:2:3:4"});
    expect_error(run_cli(c), errc::range_invalid, "1:2:3:4");
    // Nothing was created for any of them.
    EXPECT_TRUE(test::leftover_temporaries(out.path()).empty());
    auto jobs = run_cli({"jobs", "--out", out.path().string(), "--json"});
    EXPECT_EQ(json::parse(jobs.out).size(), 0u);
}

TEST_F(cli, UnknownJobAndJobFromNewerSchema) {
    expect_error(run_cli({"run", "20990101-0001", "--out", out.path().string()}), errc::job_not_found, "20990101-0001");
    auto r = run_cli(prepare_args(sintel));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto dir = test::run_cli({"jobs", "--out", out.path().string(), "--json"});
    auto job_dir = fs::path(json::parse(dir.out)[0]["dir"].get<std::string>());
    auto j = util::read_json(job_dir / "job.json");
    j["schema"] = 99;
    util::write_json_atomic(job_dir / "job.json", j);
    expect_error(run_cli({"run", job_dir.string()}), errc::job_schema_newer, "newer cinesub");
}

TEST_F(cli, RunProducesSubtitledVideoThenResumesWithoutRedoingWork) {
    auto p = run_cli(prepare_args(sintel));
    ASSERT_EQ(p.exit_code, 0) << p.err;
    auto jobs = json::parse(run_cli({"jobs", "--out", out.path().string(), "--json"}).out);
    ASSERT_EQ(jobs.size(), 1u);
    auto id = jobs[0]["job"].get<std::string>();

    auto r1 = run_cli({"--json", "run", id, "--out", out.path().string()});
    ASSERT_EQ(r1.exit_code, 0) << r1.err;
    auto report = json::parse(r1.out);
    for (const auto& s : report["stages"]) EXPECT_EQ(s["state"], "ran") << s.dump();
    ASSERT_TRUE(report["outputs"].contains("mux"));
    auto video = report["outputs"]["mux"][0].get<std::string>();
    EXPECT_TRUE(fs::exists(video)) << video;
    EXPECT_NE(video.find(".subtitled.mkv"), std::string::npos);

    auto r2 = run_cli({"--json", "run", id, "--out", out.path().string()});
    ASSERT_EQ(r2.exit_code, 0) << r2.err;
    // Named: a range-for over a member of a temporary (json::parse(...)["stages"]) would dangle.
    const auto report2 = json::parse(r2.out);
    for (const auto& s : report2["stages"]) EXPECT_EQ(s["state"], "reused") << s.dump();

    auto st = run_cli({"--json", "status", id, "--out", out.path().string()});
    ASSERT_EQ(st.exit_code, 0) << st.err;
    auto status = json::parse(st.out);
    EXPECT_EQ(status["done"], status["total"]);

    auto list = run_cli({"run", id, "--out", out.path().string(), "--list-stages"});
    EXPECT_EQ(list.exit_code, 0);
    EXPECT_NE(list.out.find("demux"), std::string::npos);
    EXPECT_NE(list.out.find("done"), std::string::npos);
    EXPECT_TRUE(test::leftover_temporaries(out.path()).empty());
}

TEST_F(cli, DiskFullDuringRunLeavesNoHalfWrittenOutput) {
    auto p = run_cli(prepare_args(sintel));
    ASSERT_EQ(p.exit_code, 0) << p.err;
    auto id = json::parse(run_cli({"jobs", "--out", out.path().string(), "--json"}).out)[0]["job"].get<std::string>();
    // 27 s of 16 kHz float audio is ~1.7 MB: a 256 KiB file-size limit makes the demux write fail.
    auto r = run_cli({"run", id, "--out", out.path().string()}, {}, 256 * 1024);
    EXPECT_EQ(r.exit_code, exit_code(errc::io)) << r.err;
    EXPECT_EQ(line_count(r.err), 1) << r.err;
    EXPECT_TRUE(test::leftover_temporaries(out.path()).empty());
    auto dir = fs::path(
        json::parse(run_cli({"jobs", "--out", out.path().string(), "--json"}).out)[0]["dir"].get<std::string>());
    EXPECT_FALSE(fs::exists(dir / "stages" / "01_demux" / "audio.wav"));
    // With room again, the same job runs to the end.
    auto again = run_cli({"run", id, "--out", out.path().string()});
    EXPECT_EQ(again.exit_code, 0) << again.err;
}

}  // namespace
}  // namespace cinesub
