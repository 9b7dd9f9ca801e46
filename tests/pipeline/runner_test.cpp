// The pipeline runner with small fake stages: resume, cascade, soft failure, timeouts, lock.
#include "support.hpp"

#include "cinesub/error.hpp"
#include "jobs/lock.hpp"
#include "pipeline/manifest.hpp"
#include "pipeline/runner.hpp"
#include "settings/schema.hpp"
#include "util/fs.hpp"
#include "util/interrupt.hpp"

#include <atomic>
#include <fstream>
#include <thread>

namespace cinesub::pipeline {
namespace {

namespace fs = std::filesystem;

using nlohmann::json;
using test::temp_dir;

// Reads its input file (the previous stage's out.txt, or the job's media), appends its name,
// writes out.txt. Behaviour knobs for failure tests.
// A fake stage's one setting, "<stage>.knob" (its schema belongs to the stage object).
struct knob_params {
    int knob = 1;
};

class fake_stage final : public stage {
public:
    enum class mode { ok, throws, hangs_cooperative, hangs_forever, interrupts };
    fake_stage(std::string name, std::string prev, bool critical, std::atomic<int>& runs, mode m = mode::ok)
        : name_(std::move(name)), prev_(std::move(prev)), critical_(critical), runs_(runs), mode_(m) {
        schema_.add(name_ + ".knob", &knob_params::knob, "a knob", {.min = 0, .max = 10});
    }
    std::string_view name() const override { return name_; }
    bool critical() const override { return critical_; }
    std::vector<fs::path> inputs(const cinesub::job& job) const override { return {input(job)}; }
    std::vector<setting_use> settings_read() const override { return setting_uses().all(schema_); }
    std::vector<fs::path> run(stage_context& ctx) override {
        ++runs_;
        switch (mode_) {
            case mode::throws:
                throw error(errc::input_corrupt, name_ + " cannot read its input");
            case mode::hangs_cooperative:
                while (!ctx.should_stop()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
                ctx.check_stop();
                break;
            case mode::hangs_forever:
                for (;;) std::this_thread::sleep_for(std::chrono::milliseconds(50));
            case mode::interrupts:
                util::request_interrupt();
                ctx.check_stop();
                break;
            case mode::ok:
                break;
        }
        auto text = util::read_file(input(ctx.job)) + "+" + name_;
        util::write_file_atomic(ctx.dir / "out.txt", text);
        return {"out.txt"};
    }

private:
    fs::path input(const cinesub::job& job) const {
        return prev_.empty() ? job.media_path() : artefact_path(job, {prev_, "out.txt"});
    }
    settings::schema<knob_params> schema_;
    std::string name_, prev_;
    bool critical_;
    std::atomic<int>& runs_;
    mode mode_;
};

struct fixture : ::testing::Test {
    temp_dir dir;
    cinesub::job job;
    std::atomic<int> runs_demux{0}, runs_vad{0}, runs_asr{0};
    std::vector<std::unique_ptr<stage>> stages;

    void SetUp() override {
        util::clear_interrupt();
        util::write_file_atomic(dir / "media.txt", "media");
        job.id = "20261124-0001";
        job.dir = dir / "job";
        fs::create_directories(job.dir);
        job.set_media_path(dir / "media.txt");
        job.media["info"] = {{"duration", 10.0}};
        job.set("workflow", "subtitle", setting_source::default_value);
        job.save();
    }
    void TearDown() override { util::clear_interrupt(); }
    void make(fake_stage::mode vad_mode = fake_stage::mode::ok, bool vad_critical = true) {
        stages.clear();
        stages.push_back(std::make_unique<fake_stage>("demux", "", true, runs_demux));
        stages.push_back(std::make_unique<fake_stage>("vad", "demux", vad_critical, runs_vad, vad_mode));
        stages.push_back(std::make_unique<fake_stage>("asr", "vad", true, runs_asr));
    }
    std::string final_text() { return util::read_file(artefact_path(job, {"asr", "out.txt"})); }
};

std::vector<std::string> states(const run_report& r) {
    std::vector<std::string> out;
    for (const auto& s : r.stages) out.push_back(s.state);
    return out;
}

TEST_F(fixture, FirstRunRunsAllThenSecondRunReusesAll) {
    make();
    auto r1 = run(job, stages, {});
    EXPECT_EQ(states(r1), (std::vector<std::string>{"ran", "ran", "ran"}));
    EXPECT_EQ(final_text(), "media+demux+vad+asr");
    auto r2 = run(job, stages, {});
    EXPECT_EQ(states(r2), (std::vector<std::string>{"reused", "reused", "reused"}));
    EXPECT_EQ(runs_demux + runs_vad + runs_asr, 3);
    for (const auto& s : list_stages(job, stages)) EXPECT_EQ(s.state, "done") << s.name;
}

TEST_F(fixture, ManifestRecordsInputsSettingsOutputsAndTools) {
    make();
    run(job, stages, {});
    auto m = load_manifest(job.stage_dir("04_vad"));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->status, "done");
    ASSERT_EQ(m->inputs.size(), 1u);
    EXPECT_EQ(m->inputs[0].sha256, util::sha256_file(artefact_path(job, {"demux", "out.txt"})));
    EXPECT_EQ(m->settings, (json{{"vad.knob", 1}}));
    ASSERT_EQ(m->outputs.size(), 1u);
    EXPECT_EQ(m->outputs[0].path, "out.txt");
    EXPECT_EQ(m->outputs[0].sha256, util::sha256_hex("media+demux+vad"));
    EXPECT_EQ(m->tools["whisper.cpp"], "1.9.1");
    EXPECT_FALSE(m->fingerprint.empty());
    EXPECT_TRUE(fs::exists(job.logs_dir() / "pipeline.log"));
    EXPECT_TRUE(fs::exists(job.logs_dir() / "04_vad.log"));
}

// Reads demux's out.txt, but first rewrites it with other bytes of the same size and puts its
// mtime back: only a runner that took the hash from demux's manifest misses the change.
class same_size_tamper_stage final : public stage {
public:
    std::string_view name() const override { return "vad"; }
    bool critical() const override { return true; }
    std::vector<fs::path> inputs(const cinesub::job& job) const override {
        const auto path = artefact_path(job, {"demux", "out.txt"});
        const auto mtime = fs::last_write_time(path);
        auto text = util::read_file(path);
        for (auto& c : text) c = c == 'x' ? 'y' : 'x';
        { std::ofstream(path, std::ios::binary | std::ios::trunc) << text; }
        fs::last_write_time(path, mtime);
        return {path};
    }
    std::vector<setting_use> settings_read() const override { return {}; }
    std::vector<fs::path> run(stage_context& ctx) override {
        util::write_file_atomic(ctx.dir / "out.txt", "vad");
        return {"out.txt"};
    }
};

TEST_F(fixture, AnEarlierStagesOutputIsHashedOnceNotReadAgain) {
    stages.clear();
    stages.push_back(std::make_unique<fake_stage>("demux", "", true, runs_demux));
    stages.push_back(std::make_unique<same_size_tamper_stage>());
    run(job, stages, {});
    const auto demux = load_manifest(job.stage_dir("01_demux"));
    const auto vad = load_manifest(job.stage_dir("04_vad"));
    ASSERT_TRUE(demux && vad);
    ASSERT_EQ(vad->inputs.size(), 1u);
    EXPECT_EQ(vad->inputs[0].sha256, demux->outputs[0].sha256);
    EXPECT_EQ(demux->outputs[0].sha256, util::sha256_hex("media+demux"));
    EXPECT_NE(vad->inputs[0].sha256, util::sha256_file(artefact_path(job, {"demux", "out.txt"})));
}

TEST_F(fixture, ChangedSettingRerunsThatStageAndEverythingAfter) {
    make();
    run(job, stages, {});
    job.set("vad.knob", 2, setting_source::user);
    auto r = run(job, stages, {});
    EXPECT_EQ(states(r), (std::vector<std::string>{"reused", "ran", "ran"}));
}

TEST_F(fixture, ChangedInputContentRerunsEverything) {
    make();
    run(job, stages, {});
    util::write_file_atomic(dir / "media.txt", "other media");
    auto r = run(job, stages, {});
    EXPECT_EQ(states(r), (std::vector<std::string>{"ran", "ran", "ran"}));
    EXPECT_EQ(final_text(), "other media+demux+vad+asr");
}

TEST_F(fixture, DeletedOutputMakesTheStageRunAgain) {
    make();
    run(job, stages, {});
    fs::remove(artefact_path(job, {"asr", "out.txt"}));
    auto r = run(job, stages, {});
    EXPECT_EQ(states(r), (std::vector<std::string>{"reused", "reused", "ran"}));
}

TEST_F(fixture, FromOnlyAndForce) {
    make();
    run(job, stages, {});
    run_options from;
    from.from = "vad";
    EXPECT_EQ(states(run(job, stages, from)), (std::vector<std::string>{"reused", "ran", "ran"}));
    run_options only;
    only.only = "vad";
    EXPECT_EQ(states(run(job, stages, only)), (std::vector<std::string>{"untouched", "ran", "untouched"}));
    run_options force;
    force.force = true;
    EXPECT_EQ(states(run(job, stages, force)), (std::vector<std::string>{"ran", "ran", "ran"}));
    run_options bad;
    bad.only = "nonsense";
    try {
        run(job, stages, bad);
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::usage);
    }
}

TEST_F(fixture, OptionalStageFailsSoftAndIsRetriedNextRun) {
    make(fake_stage::mode::throws, /*vad_critical=*/false);
    // asr reads vad's output, which is missing: asr is critical, so the run fails there…
    try {
        run(job, stages, {});
        FAIL();
    } catch (const error& e) {
        EXPECT_NE(std::string(e.what()).find("asr"), std::string::npos);
    }
    auto m = load_manifest(job.stage_dir("04_vad"));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->status, "skipped");
    EXPECT_NE(m->reason.find("cannot read"), std::string::npos);
    // …and a fixed optional stage is retried on the next run.
    make(fake_stage::mode::ok, false);
    auto r = run(job, stages, {});
    EXPECT_EQ(states(r), (std::vector<std::string>{"reused", "ran", "ran"}));
}

TEST_F(fixture, OptionalStageSkipLetsIndependentLaterStagesRun) {
    stages.clear();
    stages.push_back(std::make_unique<fake_stage>("demux", "", true, runs_demux));
    stages.push_back(std::make_unique<fake_stage>("vad", "demux", false, runs_vad, fake_stage::mode::throws));
    stages.push_back(std::make_unique<fake_stage>("asr", "demux", true, runs_asr));
    auto r = run(job, stages, {});
    EXPECT_EQ(states(r), (std::vector<std::string>{"ran", "skipped", "ran"}));
    EXPECT_EQ(list_stages(job, stages)[1].state, "skipped");
}

TEST_F(fixture, CriticalFailureStopsTheRunKeepsItsCategoryAndLeavesNoDoneManifest) {
    make(fake_stage::mode::throws, true);
    try {
        run(job, stages, {});
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::input_corrupt);
        EXPECT_NE(std::string(e.what()).find("stage vad failed"), std::string::npos);
    }
    EXPECT_EQ(runs_asr, 0);
    EXPECT_EQ(load_manifest(job.stage_dir("04_vad"))->status, "failed");
    EXPECT_FALSE(load_manifest(job.stage_dir("07_asr")));
}

TEST_F(fixture, CooperativeStageIsStoppedByItsTimeout) {
    make(fake_stage::mode::hangs_cooperative);
    job.set("timeout.vad", 0.2, setting_source::user);
    auto t0 = std::chrono::steady_clock::now();
    try {
        run(job, stages, {});
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::stage_timeout);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
    EXPECT_EQ(load_manifest(job.stage_dir("04_vad"))->status, "failed");
}

TEST_F(fixture, StageThatIgnoresItsTimeoutEndsTheProcessWithTheTimeoutCode) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    make(fake_stage::mode::hangs_forever);
    job.set("timeout.vad", 0.2, setting_source::user);
    run_options o;
    o.grace_seconds = 0.3;
    EXPECT_EXIT(run(job, stages, o), ::testing::ExitedWithCode(exit_code(errc::stage_timeout)), "timed out");
}

TEST_F(fixture, InterruptStopsCleanlyAndTheNextRunResumes) {
    make(fake_stage::mode::interrupts);
    try {
        run(job, stages, {});
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::interrupted);
    }
    util::clear_interrupt();
    make();
    auto r = run(job, stages, {});
    EXPECT_EQ(states(r), (std::vector<std::string>{"reused", "ran", "ran"}));
}

TEST_F(fixture, SecondConcurrentRunIsRefused) {
    make();
    jobs::job_lock held(job.dir);
    try {
        run(job, stages, {});
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::job_locked);
    }
}

TEST(StageTimeout, DefaultScalesWithClipDuration) {
    cinesub::job j;
    j.media = {{"info", {{"duration", 100.0}}}};
    EXPECT_DOUBLE_EQ(stage_timeout_seconds(j, "asr"), 300.0 + 20.0 * 100.0);
    j.set("range.start", 10.0, setting_source::flag);
    j.set("range.end", 20.0, setting_source::flag);
    EXPECT_DOUBLE_EQ(stage_timeout_seconds(j, "asr"), 300.0 + 20.0 * 10.0);
    j.set("timeout.asr", 5.0, setting_source::user);
    EXPECT_DOUBLE_EQ(stage_timeout_seconds(j, "asr"), 5.0);
}

}  // namespace
}  // namespace cinesub::pipeline
