#include "pipeline/runner.hpp"

#include "cinesub/error.hpp"
#include "jobs/lock.hpp"
#include "jobs/params.hpp"
#include "pipeline/manifest.hpp"
#include "pipeline/params.hpp"
#include "util/fs.hpp"
#include "util/interrupt.hpp"
#include "util/log.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace cinesub::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;
using clock = std::chrono::steady_clock;

namespace {

std::string utc_now() {
    auto now = std::chrono::system_clock::now();
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", std::chrono::floor<std::chrono::seconds>(now));
}

// Hashes of a stage's inputs. A file whose path, size and mtime (ns) match a fact already known —
// the stage's own previous inputs, or an earlier stage's outputs in this run (hashed when that
// stage finished) — keeps that hash instead of being read again: a film's audio.wav is hashed once.
std::vector<file_fact> describe_inputs(const stage& s, const cinesub::job& job, const std::vector<file_fact>* previous,
                                       const std::vector<file_fact>& produced) {
    std::vector<file_fact> known = produced;
    if (previous) known.insert(known.end(), previous->begin(), previous->end());
    std::vector<file_fact> out;
    for (const auto& p : s.inputs(job)) out.push_back(describe_file(p, &known));
    return out;
}

// A finished stage's outputs with absolute paths, as inputs of later stages are described.
void remember_outputs(const manifest& m, const fs::path& folder, std::vector<file_fact>& produced) {
    for (auto f : m.outputs) {
        f.path = (folder / f.path).string();
        produced.push_back(std::move(f));
    }
}

std::string settings_hash_of(const json& settings) { return util::sha256_hex(settings.dump()); }

// Why a stage cannot be reused, or "" when its manifest proves it up to date.
std::string staleness(const stage& s, const cinesub::job& job, const fs::path& folder,
                      const std::optional<manifest>& prev, const std::vector<file_fact>& produced) {
    if (!prev) return "never ran";
    if (prev->status != "done")
        return prev->status == "skipped" ? "skipped last time: " + prev->reason : "failed last time";
    std::vector<file_fact> inputs;
    try {
        inputs = describe_inputs(s, job, &prev->inputs, produced);
    } catch (const error& e) {
        return e.what();
    }
    const auto hash = settings_hash_of(stage_settings(s, job));
    if (hash != prev->settings_hash) return "settings changed";
    if (compute_fingerprint(inputs, hash, tool_versions()) != prev->fingerprint) return "inputs or tools changed";
    for (const auto& o : prev->outputs) {
        std::error_code ec;
        auto size = fs::file_size(folder / o.path, ec);
        if (ec || size != o.size) return "output " + o.path + " missing or changed";
    }
    return "";
}

// Exits the process when a stage ignores its timeout (a hung library call cannot be cancelled).
class watchdog {
public:
    watchdog(std::string stage, clock::time_point deadline, double grace, std::shared_ptr<spdlog::logger> log)
        : thread_([this, stage = std::move(stage), deadline, grace, log = std::move(log)] {
              std::unique_lock lock(mutex_);
              auto hard = deadline + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(grace));
              if (cv_.wait_until(lock, hard, [this] { return done_; })) return;
              log->error("stage {} ran past its timeout and did not stop within {:.0f} s; exiting", stage, grace);
              log->flush();
              std::fprintf(stderr, "cinesub: error: stage %s timed out and did not stop; exiting (re-run to retry)\n",
                           stage.c_str());
              std::fflush(stderr);
              std::_Exit(exit_code(errc::stage_timeout));
          }) {}
    ~watchdog() {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }
    watchdog(const watchdog&) = delete;
    watchdog& operator=(const watchdog&) = delete;

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool done_ = false;
    std::thread thread_;  // last: starts after the members it uses
};

// Categories a failing critical stage passes on to the exit code; every other one is stage_failed.
bool keeps_own_category(errc code) {
    switch (code) {
        case errc::interrupted:
        case errc::stage_timeout:
        case errc::model_missing:
        case errc::model_invalid:
        case errc::io:
        case errc::input_missing:
        case errc::input_unreadable:
        case errc::input_not_media:
        case errc::input_no_audio:
        case errc::input_empty_audio:
        case errc::input_corrupt:
        case errc::range_invalid:
        case errc::range_outside:
            return true;
        default:
            return false;
    }
}

struct failure {
    errc code = errc::internal;
    std::string message;
};

// What went wrong, from whatever a stage threw. A stop (error(interrupted)) is a timeout when the
// stage's deadline passed and the user did not press Ctrl-C: the one place that tells them apart.
failure failure_of(std::exception_ptr e, bool timed_out) {
    try {
        std::rethrow_exception(std::move(e));
    } catch (const error& err) {
        if (err.code() == errc::interrupted && timed_out && !util::interrupted())
            return {errc::stage_timeout, "stage timed out"};
        return {err.code(), err.what()};
    } catch (const std::exception& err) {
        return {errc::internal, err.what()};
    } catch (...) {
        return {errc::internal, "unknown exception"};
    }
}

// Fault injection for the crash-safety test (tests/pipeline/crash_test.cpp):
// CINESUB_TEST_KILL=<stage>:start|outputs kills the process with SIGKILL when that stage starts,
// or after it wrote its outputs and before its manifest — the two moments a crash can leave.
void maybe_kill(std::string_view stage, std::string_view point) {
    static const char* spec = std::getenv("CINESUB_TEST_KILL");
    if (spec && std::string_view(spec) == fmt::format("{}:{}", stage, point)) std::raise(SIGKILL);
}

// CINESUB_TEST_STALL=<stage> holds that stage at its start until the process is interrupted, as a
// long stage would be (tests/cli/batch_cli_test.cpp stops a batch while a job is running).
void maybe_stall(std::string_view stage) {
    static const char* spec = std::getenv("CINESUB_TEST_STALL");
    if (!spec || std::string_view(spec) != stage) return;
    while (!util::interrupted()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    throw error(errc::interrupted, fmt::format("{}: interrupted", stage));
}

}  // namespace

double stage_timeout_seconds(const cinesub::job& job, std::string_view stage) {
    if (auto t = settings::read<timeout_params>(job.settings).of(stage)) return *t;
    return 300.0 + 20.0 * jobs::clip_seconds(job, settings::read<jobs::job_params>(job.settings));
}

std::vector<stage_status> list_stages(const cinesub::job& job, const stage_list& stages) {
    std::vector<stage_status> out;
    std::vector<file_fact> produced;
    for (const auto& s : stages) {
        stage_status st;
        st.name = std::string(s->name());
        st.folder = stage_folder(st.name);
        st.critical = s->critical();
        auto folder = job.stage_dir(st.folder);
        auto prev = load_manifest(folder);
        auto why = staleness(*s, job, folder, prev, produced);
        if (prev) remember_outputs(*prev, folder, produced);
        if (why.empty()) {
            st.state = "done";
            st.seconds = prev->seconds;
        } else if (!prev) {
            st.state = "pending";
        } else if (prev->status == "done") {
            st.state = "stale";
            st.reason = why;
        } else {
            st.state = prev->status;
            st.reason = prev->reason;
        }
        out.push_back(std::move(st));
    }
    return out;
}

run_report run(const cinesub::job& job, const stage_list& stages, const run_options& options) {
    auto is_known = [&](const std::optional<std::string>& name) {
        if (!name) return true;
        for (const auto& s : stages)
            if (s->name() == *name) return true;
        return false;
    };
    if (!is_known(options.from) || !is_known(options.only)) {
        std::string names;
        for (const auto& s : stages) names += (names.empty() ? "" : ", ") + std::string(s->name());
        throw error(errc::usage, fmt::format("unknown stage '{}' for this job's workflow (stages: {})",
                                             options.from ? *options.from : *options.only, names));
    }

    jobs::job_lock lock(job.dir);
    auto pipeline_log = util::make_file_logger("pipeline", job.logs_dir() / "pipeline.log");
    pipeline_log->info("run of job {} ({} stages){}{}{}", job.id, stages.size(), options.force ? ", --force" : "",
                       options.from ? ", --from " + *options.from : "",
                       options.only ? ", --only " + *options.only : "");

    run_report report;
    auto run_start = clock::now();
    bool cascade = options.force;
    bool reached_from = false;
    std::vector<file_fact> produced;  // outputs of the stages before this one, hashed
    for (std::size_t i = 0; i < stages.size(); ++i) {
        auto& s = *stages[i];
        stage_status st;
        st.name = std::string(s.name());
        st.folder = stage_folder(st.name);
        st.critical = s.critical();
        if (options.from && *options.from == st.name) reached_from = true;
        if (options.only && *options.only != st.name) {
            st.state = "untouched";
            report.stages.push_back(std::move(st));
            continue;
        }
        if (util::interrupted())
            throw error(errc::interrupted, "interrupted before stage " + st.name + "; run again to resume");

        auto folder = job.stage_dir(st.folder);
        auto prev = load_manifest(folder);
        const bool refresh = options.refresh && s.uses_service();
        bool must_run = cascade || reached_from || options.only.has_value() || refresh;
        std::string why = refresh ? "--refresh" : must_run ? "forced" : staleness(s, job, folder, prev, produced);
        if (!must_run && why.empty()) {
            pipeline_log->info("[{}/{}] {}: up to date, reused", i + 1, stages.size(), st.name);
            st.state = "reused";
            st.seconds = prev->seconds;
            remember_outputs(*prev, folder, produced);
            report.stages.push_back(std::move(st));
            continue;
        }
        const bool cascade_before = cascade;
        cascade = true;  // this stage runs, so everything after it runs too
        pipeline_log->info("[{}/{}] {}: running ({})", i + 1, stages.size(), st.name, why);

        // Start clean: no manifest (so a crash leaves the stage "not done"), no stale outputs.
        std::error_code ec;
        fs::remove_all(folder, ec);
        fs::create_directories(folder, ec);
        if (ec) throw error(errc::io, fmt::format("cannot create {}: {}", folder.string(), ec.message()));
        maybe_kill(st.name, "start");

        manifest m;
        m.stage = st.name;
        m.started = utc_now();
        m.tools = tool_versions();
        const auto log_file = job.logs_dir() / (st.folder + ".log");
        auto log = util::make_child_logger(st.name, log_file, pipeline_log);
        auto t0 = clock::now();
        double timeout = stage_timeout_seconds(job, st.name);
        auto deadline = t0 + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(timeout));
        std::exception_ptr thrown;
        try {
            m.settings = stage_settings(s, job);
            m.settings_hash = settings_hash_of(m.settings);
            m.inputs = describe_inputs(s, job, prev ? &prev->inputs : nullptr, produced);
            m.fingerprint = compute_fingerprint(m.inputs, m.settings_hash, m.tools);
            util::progress bar(fmt::format("{}/{} {}", i + 1, stages.size(), st.name), options.progress);
            stage_context ctx(job, st.name, folder, log, bar, deadline);
            ctx.refresh = options.refresh;
            std::vector<fs::path> written;
            maybe_stall(st.name);
            {
                watchdog dog(st.name, deadline, options.grace_seconds, log);
                written = s.run(ctx);
            }
            bar.finish();
            for (const auto& w : written) {
                auto abs = w.is_absolute() ? w : folder / w;
                auto fact = describe_file(abs);
                fact.path = fs::relative(abs, folder).string();
                m.outputs.push_back(std::move(fact));
            }
            m.metrics = ctx.metrics();
            m.status = "done";
        } catch (...) {
            thrown = std::current_exception();
        }
        m.seconds = std::chrono::duration<double>(clock::now() - t0).count();
        m.finished = utc_now();
        if (thrown) {
            const auto f = failure_of(thrown, clock::now() > deadline);
            m.reason = f.message;
            const bool hard = s.critical() || f.code == errc::interrupted;
            m.status = hard ? "failed" : "skipped";
            save_manifest(folder, m);
            if (!hard) {
                // A skipped optional stage wrote nothing: later stages do not re-run for it (they list
                // its files among their inputs, so a file it no longer gives makes them stale).
                cascade = cascade_before;
                log->warn("optional stage {} skipped: {} (it will be retried on the next run)", st.name, f.message);
                st.state = "skipped";
                st.reason = f.message;
                st.seconds = m.seconds;
                report.stages.push_back(std::move(st));
                continue;
            }
            log->error("stage {} failed: {}", st.name, f.message);
            if (f.code == errc::interrupted)
                throw error(errc::interrupted,
                            fmt::format("interrupted during stage {}; run again to resume", st.name));
            throw error(keeps_own_category(f.code) ? f.code : errc::stage_failed,
                        fmt::format("stage {} failed: {} (log: {})", st.name, f.message, log_file.string()));
        }
        maybe_kill(st.name, "outputs");
        save_manifest(folder, m);
        remember_outputs(m, folder, produced);
        log->info("stage {} done in {:.2f} s, {} output file(s)", st.name, m.seconds, m.outputs.size());
        st.state = "ran";
        st.seconds = m.seconds;
        report.stages.push_back(std::move(st));
    }
    report.seconds = std::chrono::duration<double>(clock::now() - run_start).count();
    pipeline_log->info("run finished in {:.2f} s", report.seconds);
    return report;
}

}  // namespace cinesub::pipeline
