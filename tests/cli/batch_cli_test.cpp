// `cinesub batch` end to end: a folder and a list of real media, resume and skip, failures that stay
// in their film, --index, bad input, two batches at once, Ctrl-C.
#include "cli_fixture.hpp"
#include "support.hpp"

#include "cinesub/error.hpp"
#include "util/fs.hpp"

#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>
#include <chrono>
#include <csignal>
#include <fstream>
#include <set>
#include <thread>

namespace cinesub {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::expect_error;
using test::run_cli;
using test::temp_dir;
using test::testdata;

const fs::path hindi_a = testdata("media/hi_commonvoice/hindi_000.wav");
const fs::path hindi_b = testdata("media/hi_commonvoice/hindi_001.wav");
const fs::path jfk = testdata("media/en/en_jfk.wav");

struct batch_cli : ::testing::Test {
    temp_dir work;
    fs::path films() const { return work / "films"; }
    fs::path out() const { return work / "out"; }
    void SetUp() override {
        for (const auto& p : {hindi_a, hindi_b, jfk, test::silero(), test::sintel_reference()})
            CINESUB_SKIP_IF_MISSING(p);
        fs::create_directories(films() / "more");
        fs::copy_file(hindi_a, films() / "a.wav");
        fs::copy_file(hindi_b, films() / "more" / "b.wav");
        util::write_file_atomic(films() / "notes.txt", "not a film\n");
    }
    std::vector<std::string> args(const std::vector<std::string>& extra) const {
        std::vector<std::string> a{"batch"};
        a.insert(a.end(), extra.begin(), extra.end());
        a.insert(a.end(), {"--out", out().string(), "--user", "tester", "--vad-model", test::silero().string(),
                           "--asr-engine", "replay:" + test::sintel_reference().string(), "--source-lang", "en",
                           "--workflow", "transcribe", "--json"});
        return a;
    }
    static std::map<std::string, json> by_name(const json& report) {
        std::map<std::string, json> m;
        for (const auto& f : report["films"]) m[fs::path(f["media"].get<std::string>()).filename().string()] = f;
        return m;
    }
};

// Every stage of the job done: the film really ran to the end.
void expect_finished(const fs::path& job_dir) {
    auto r = run_cli({"status", job_dir.string(), "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = json::parse(r.out);
    EXPECT_EQ(j["done"], j["total"]) << r.out;
    EXPECT_FALSE(j["outputs"]["subtitles"].empty());
}

TEST_F(batch_cli, FolderRunsEveryFilmOnceAndASecondBatchSkipsThem) {
    auto r = run_cli(args({films().string(), "--jobs", "2"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto report = json::parse(r.out);
    EXPECT_EQ(report["done"], 2);
    EXPECT_EQ(report["failed"], 0);
    EXPECT_EQ(report["ignored"], 1);  // notes.txt
    auto films_of = by_name(report);
    ASSERT_EQ(films_of.size(), 2U);
    std::set<std::string> dirs;
    for (const auto& [name, f] : films_of) {
        EXPECT_EQ(f["state"], "done") << name;
        EXPECT_GT(f["media_seconds"].get<double>(), 1.0);
        EXPECT_GT(f["rtf"].get<double>(), 0.0);
        expect_finished(f["dir"].get<std::string>());
        dirs.insert(f["dir"].get<std::string>());
        // Two films at a time split the cores: each job has its share, one decoder.
        const auto job = util::read_json(fs::path(f["dir"].get<std::string>()) / "job.json");
        EXPECT_EQ(job["settings"]["asr.workers"]["value"], 1);
    }
    EXPECT_EQ(dirs.size(), 2U);

    // Again: nothing to do, the same jobs.
    auto again = run_cli(args({films().string()}));
    ASSERT_EQ(again.exit_code, 0) << again.err;
    auto second = json::parse(again.out);
    EXPECT_EQ(second["skipped"], 2);
    EXPECT_EQ(second["done"], 0);
    for (const auto& [name, f] : by_name(second)) EXPECT_TRUE(dirs.contains(f["dir"].get<std::string>())) << name;

    // The same films with another setting are other jobs.
    auto other = args({films().string()});
    other.insert(other.end(), {"--set", "vad.threshold=0.45"});
    auto third = run_cli(other);
    ASSERT_EQ(third.exit_code, 0) << third.err;
    EXPECT_EQ(json::parse(third.out)["done"], 2);

    // The output root inside the folder: its muxed films are not taken as new films.
    auto inside = args({films().string()});
    for (auto& a : inside)
        if (a == out().string()) a = (films() / "out").string();
    auto r4 = run_cli(inside);
    ASSERT_EQ(r4.exit_code, 0) << r4.err;
    auto r5 = run_cli(inside);
    ASSERT_EQ(r5.exit_code, 0) << r5.err;
    EXPECT_EQ(json::parse(r5.out)["films"].size(), 2U);
    EXPECT_EQ(json::parse(r5.out)["skipped"], 2);
}

TEST_F(batch_cli, ListWithMissingAndCorruptFilmsFailsThoseAndARerunOfTheIndexWorks) {
    util::write_file_atomic(films() / "broken.mkv", std::string(4096, '\x5a'));
    const auto list = work / "films.txt";
    util::write_file_atomic(list,
                            "# films\nfilms/a.wav\n\nfilms/gone.mkv\n" + (films() / "broken.mkv").string() + "\n");
    auto r = run_cli(args({"--list", list.string()}));
    EXPECT_EQ(r.exit_code, exit_code(errc::stage_failed));
    EXPECT_EQ(test::line_count(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("2 of 3 films failed"), std::string::npos) << r.err;
    auto report = json::parse(r.out);
    auto f = by_name(report);
    EXPECT_EQ(f["a.wav"]["state"], "done");
    EXPECT_EQ(f["gone.mkv"]["state"], "failed");
    EXPECT_NE(f["gone.mkv"]["error"].get<std::string>().find("does not exist"), std::string::npos);
    EXPECT_EQ(f["broken.mkv"]["state"], "failed");
    EXPECT_NE(f["broken.mkv"]["error"].get<std::string>().find("not a media file"), std::string::npos);

    // The corrupt film replaced by a good one; only its index (2, counted from 0) again.
    fs::remove(films() / "broken.mkv");
    fs::copy_file(jfk, films() / "broken.mkv");
    auto again = run_cli(args({"--list", list.string(), "--index", "2"}));
    ASSERT_EQ(again.exit_code, 0) << again.err;
    auto one = json::parse(again.out);
    ASSERT_EQ(one["films"].size(), 1U);
    EXPECT_EQ(one["films"][0]["state"], "done");
    expect_finished(one["films"][0]["dir"].get<std::string>());

    auto past = run_cli(args({"--list", list.string(), "--index", "3"}));
    expect_error(past, errc::usage, "--index 3 is past the end");
}

TEST_F(batch_cli, BadInputIsOneClearError) {
    // No such folder or list.
    expect_error(run_cli(args({(work / "nowhere").string()})), errc::input_missing, "does not exist");
    // A folder with no media in it.
    fs::create_directories(work / "docs");
    util::write_file_atomic(work / "docs" / "readme.txt", "x");
    expect_error(run_cli(args({(work / "docs").string()})), errc::input_missing, "no media files");
    // An output folder that cannot be made (a file is in the way).
    util::write_file_atomic(work / "blocker", "x");
    auto a = args({films().string()});
    for (auto& s : a)
        if (s == out().string()) s = (work / "blocker" / "out").string();
    expect_error(run_cli(a), errc::io, "is not writable");
    // A model cache that is not mounted.
    expect_error(run_cli(args({films().string()}), {"CINESUB_MODEL_DIR=" + (work / "models-not-mounted").string()}),
                 errc::model_missing, "not mounted");
    // A setting every film shares that is wrong stops the batch (not one failure per film).
    auto bad = args({films().string()});
    bad.insert(bad.end(), {"--set", "vad.threshold=7"});
    expect_error(run_cli(bad), errc::usage, "vad.threshold");
    // A folder and --list at once.
    expect_error(run_cli(args({films().string(), "--list", "x.txt"})), errc::usage, "not both");
}

pid_t start_cli(const std::vector<std::string>& args, const fs::path& out_file, const fs::path& err_file,
                const std::vector<std::string>& env = {}) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        std::FILE* o = std::freopen(out_file.c_str(), "w", stdout);
        std::FILE* e = std::freopen(err_file.c_str(), "w", stderr);
        if (!o || !e) ::_exit(127);
        for (const auto& kv : env) ::putenv(const_cast<char*>(kv.c_str()));
        ::setenv("CINESUB_CONFIG", "/nonexistent/cinesub-test-config.json", 1);
        auto bin = test::cli_path().string();
        std::vector<std::string> copy = args;
        std::vector<char*> argv{bin.data()};
        for (auto& a : copy) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(bin.c_str(), argv.data());
        ::_exit(127);
    }
    return pid;
}

int wait_exit(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST_F(batch_cli, TwoBatchesAtOnceShareTheWorkThroughTheLock) {
    fs::copy_file(jfk, films() / "c.wav");
    const auto a = start_cli(args({films().string()}), work / "a.json", work / "a.err");
    const auto b = start_cli(args({films().string()}), work / "b.json", work / "b.err");
    ASSERT_EQ(wait_exit(a), 0) << util::read_file(work / "a.err");
    ASSERT_EQ(wait_exit(b), 0) << util::read_file(work / "b.err");
    const auto ra = by_name(json::parse(util::read_file(work / "a.json")));
    const auto rb = by_name(json::parse(util::read_file(work / "b.json")));
    ASSERT_EQ(ra.size(), 3U);
    ASSERT_EQ(rb.size(), 3U);
    for (const auto& [name, fa] : ra) {
        const auto& fb = rb.at(name);
        // One batch ran it, the other found it finished; both point at the one job.
        EXPECT_EQ(std::set<std::string>({fa["state"], fb["state"]}), std::set<std::string>({"done", "skipped"}))
            << name;
        EXPECT_EQ(fa["dir"], fb["dir"]) << name;
        expect_finished(fa["dir"].get<std::string>());
    }
    auto jobs = run_cli({"jobs", "--out", out().string(), "--json"});
    ASSERT_EQ(jobs.exit_code, 0);
    EXPECT_EQ(json::parse(jobs.out).size(), 3U);
}

TEST_F(batch_cli, CtrlCStopsTheRunningJobCleanlyAndARerunContinues) {
    // The first film's ASR stage is held until the batch is stopped (CINESUB_TEST_STALL), so Ctrl-C
    // arrives while a job runs.
    const auto pid = start_cli(args({films().string()}), work / "a.json", work / "a.err", {"CINESUB_TEST_STALL=asr"});
    bool running = false;
    for (int i = 0; i < 600 && !running; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        std::error_code ec;
        for (auto it = fs::recursive_directory_iterator(out(), ec); !ec && it != fs::recursive_directory_iterator();
             it.increment(ec))
            if (it->path().filename() == "pipeline.log" &&
                util::read_file(it->path()).find("asr: running") != std::string::npos)
                running = true;
    }
    ASSERT_TRUE(running) << "the first job never reached its ASR stage";
    ::kill(pid, SIGINT);
    EXPECT_EQ(wait_exit(pid), exit_code(errc::interrupted)) << util::read_file(work / "a.err");
    const auto stopped = by_name(json::parse(util::read_file(work / "a.json")));
    EXPECT_EQ(stopped.at("a.wav")["state"], "interrupted");
    EXPECT_EQ(stopped.at("b.wav")["state"], "not-run");
    EXPECT_NE(util::read_file(work / "a.err").find("run the same command again"), std::string::npos);

    auto again = run_cli(args({films().string()}));
    ASSERT_EQ(again.exit_code, 0) << again.err;
    const auto resumed = by_name(json::parse(again.out));
    EXPECT_EQ(resumed.at("a.wav")["state"], "done");
    EXPECT_EQ(resumed.at("a.wav")["dir"], stopped.at("a.wav")["dir"]);  // the same job, resumed
    EXPECT_EQ(resumed.at("b.wav")["state"], "done");
    // The resumed job reused what it had: its VAD stage did not run again.
    const auto log = util::read_file(fs::path(resumed.at("a.wav")["dir"].get<std::string>()) / "logs" / "pipeline.log");
    EXPECT_NE(log.find("vad: up to date, reused"), std::string::npos) << log;
}

}  // namespace
}  // namespace cinesub
