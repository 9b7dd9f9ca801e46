// run_batch: one job per media file, N `cinesub run` processes at a time (cinesub/batch.hpp).
#include "cinesub/batch.hpp"

#include "cinesub/error.hpp"
#include "cinesub/hardware.hpp"
#include "cinesub/runtime.hpp"
#include "jobs/lock.hpp"
#include "jobs/params.hpp"
#include "settings/schema.hpp"
#include "util/fs.hpp"
#include "util/interrupt.hpp"
#include "util/path_json.hpp"
#include "util/process.hpp"
#include "util/progress.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <fnmatch.h>
#include <unistd.h>
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <string_view>
#include <thread>

namespace cinesub {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::array<std::string_view, 32> batch_media_extensions = {
    "mkv", "mp4",  "m4v", "avi",  "mov", "wmv", "flv",  "webm", "mpg", "mpeg", "m2ts",
    "mts", "ts",   "vob", "ogv",  "3gp", "mka", "mp3",  "m4a",  "aac", "ac3",  "eac3",
    "dts", "flac", "wav", "opus", "ogg", "wma", "aiff", "aif",  "mxf", "divx",
};

bool is_media_name(const fs::path& p) {
    auto ext = util::lower_ascii(p.extension().string());
    if (!ext.empty() && ext[0] == '.') ext.erase(0, 1);
    return std::find(batch_media_extensions.begin(), batch_media_extensions.end(), ext) != batch_media_extensions.end();
}

bool selected(const fs::path& p, const std::string& glob) {
    if (glob.empty()) return is_media_name(p);
    return ::fnmatch(glob.c_str(), p.filename().c_str(), 0) == 0;
}

// Below `inner` (or it)?
bool is_within(const fs::path& path, const fs::path& inner) {
    const auto rel = path.lexically_relative(inner);
    return !rel.empty() && *rel.begin() != "..";
}

fs::path out_root_of(const batch_options& o) {
    return o.prepare.out_root.empty() ? default_out_root() : fs::absolute(o.prepare.out_root).lexically_normal();
}

// A finished job: no critical stage short of done, no stage pending, stale or failed.
bool finished(const std::vector<stage_status>& states) {
    return std::all_of(states.begin(), states.end(), [](const stage_status& s) {
        return s.state == "done" || (!s.critical && s.state == "skipped");
    });
}

// What makes two batches' films the same job: the media file (path, size, mtime) and every option the
// job is prepared with (the cores split between films is not one: it does not change the output).
std::string film_key(const fs::path& media, const prepare_options& p, const std::string& user) {
    json j;
    j["media"] = util::path_to_json(media);
    if (const auto stamp = util::stamp_of(media)) {
        j["size"] = stamp->size;
        j["mtime_ns"] = stamp->mtime_ns;
    }
    auto opt = [](const auto& v) { return v ? json(*v) : json(nullptr); };
    auto opt_path = [](const std::optional<fs::path>& v) {
        return v ? util::path_to_json(fs::absolute(*v).lexically_normal()) : json(nullptr);
    };
    j["start"] = opt(p.start);
    j["end"] = opt(p.end);
    j["workflow"] = opt(p.workflow);
    j["source_lang"] = opt(p.source_lang);
    j["target_lang"] = opt(p.target_lang);
    j["model"] = opt(p.model);
    j["vad_model"] = opt(p.vad_model);
    j["asr_engine"] = opt(p.asr_engine);
    j["audio_stream"] = opt(p.audio_stream);
    j["glossary"] = opt_path(p.glossary);
    j["speaker_map"] = opt_path(p.speaker_map);
    std::vector<std::string> overrides;
    for (const auto& kv : p.overrides)
        if (!kv.starts_with("asr.threads=") && !kv.starts_with("asr.workers=")) overrides.push_back(kv);
    std::sort(overrides.begin(), overrides.end());
    j["overrides"] = overrides;
    j["user"] = user;
    return util::sha256_hex(j.dump()).substr(0, 24);
}

// The last line of a child's stderr that says something (its one error line).
std::string last_line(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string line, last;
    while (std::getline(in, line))
        if (!util::trim(line).empty()) last = line;
    return one_line(util::trim(last));
}

// Errors in what every film shares: the batch stops on them rather than failing each film alike.
bool shared_error(errc code) {
    return code == errc::usage || code == errc::model_missing || code == errc::model_invalid ||
           code == errc::range_invalid;
}

class batch_runner {
public:
    batch_runner(const batch_options& o, std::vector<fs::path> media) : o_(o), root_(out_root_of(o)) {
        report_.films.resize(media.size());
        for (std::size_t i = 0; i < media.size(); ++i) {
            report_.films[i].media = std::move(media[i]);
            report_.films[i].state = "not-run";
        }
        user_ = o.prepare.user.empty() ? default_user() : o.prepare.user;
        // The cores prepare's recommendation uses (affinity and cgroup limits included), shared out.
        const int cores = std::max(1, hw::load_or_detect(false).usable_physical);
        threads_ = static_cast<unsigned>(std::max(1, cores / std::max(1, o.jobs)));
    }

    batch_report run() {
        const auto t0 = std::chrono::steady_clock::now();
        util::progress bar("batch", o_.progress);
        auto draw = [&] {
            std::lock_guard lock(mutex_);
            bar.report(
                static_cast<double>(ended_) / static_cast<double>(report_.films.size()),
                fmt::format("{}/{} films, {} running, {} failed", ended_, report_.films.size(), running_, failed_));
        };
        std::vector<std::size_t> busy;  // held by another batch: tried again at the end, waiting for it
        std::atomic<std::size_t> next{0};
        auto worker = [&] {
            for (;;) {
                const std::size_t i = next++;
                if (i >= report_.films.size() || stop()) return;
                if (!film(i, false)) {
                    std::lock_guard lock(mutex_);
                    busy.push_back(i);
                }
                draw();
            }
        };
        std::vector<std::thread> pool;
        const auto n = static_cast<std::size_t>(std::clamp(o_.jobs, 1, 64));
        for (std::size_t w = 0; w < std::min(n, report_.films.size()); ++w) pool.emplace_back(worker);
        for (auto& t : pool) t.join();
        std::sort(busy.begin(), busy.end());
        for (const auto i : busy) {
            if (stop()) break;
            film(i, true);
            draw();
        }
        bar.finish();
        if (shared_) throw *shared_;
        report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return std::move(report_);
    }

private:
    bool stop() const { return util::interrupted() || shared_failed_.load(); }

    // One film; false when another batch holds it and `wait` is off.
    bool film(std::size_t i, bool wait) {
        auto& f = report_.films[i];
        const auto t0 = std::chrono::steady_clock::now();
        auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
        auto fail = [&](const std::string& why) {
            std::lock_guard lock(mutex_);
            f.state = "failed";
            f.error = one_line(why);
            f.seconds = elapsed();
            ++failed_;
            ++ended_;
        };
        std::error_code ec;
        if (!fs::exists(f.media, ec)) {
            fail(fmt::format("{} does not exist", util::display_path(f.media)));
            return true;
        }
        const auto key = film_key(f.media, o_.prepare, user_);
        const auto dir = root_ / "batch";
        std::unique_ptr<jobs::file_lock> held = jobs::file_lock::try_acquire(dir / (key + ".lock"));
        while (!held && wait && !stop()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            held = jobs::file_lock::try_acquire(dir / (key + ".lock"));
        }
        if (!held) return wait;  // stopped while waiting: stays not-run
        try {
            std::optional<job> j;
            const auto mapping = dir / (key + ".json");
            if (fs::exists(mapping, ec)) {
                const auto recorded = util::path_from_json(util::read_json(mapping).at("job"));
                if (fs::exists(recorded / "job.json", ec)) j = job::load(recorded);
            }
            if (j && finished(job_status(*j))) {
                std::lock_guard lock(mutex_);
                f.state = "skipped";
                f.job_id = j->id;
                f.job_dir = j->dir;
                f.media_seconds = jobs::clip_seconds(*j, settings::read<jobs::job_params>(j->settings));
                ++ended_;
                return true;
            }
            if (!j) {
                auto p = o_.prepare;
                p.media = f.media;
                p.out_root = root_;
                p.user = user_;
                if (o_.jobs > 1) {
                    auto has = [&](std::string_view k) {
                        return std::any_of(p.overrides.begin(), p.overrides.end(),
                                           [&](const std::string& kv) { return kv.starts_with(std::string(k) + "="); });
                    };
                    if (!has("asr.threads")) p.overrides.push_back(fmt::format("asr.threads={}", threads_));
                    if (!has("asr.workers")) p.overrides.push_back("asr.workers=1");
                }
                {
                    std::lock_guard lock(prepare_mutex_);  // one prepare at a time (hardware cache, ids)
                    j = prepare(p);
                }
                util::write_json_atomic(
                    mapping,
                    json{{"schema", 1}, {"job", util::path_to_json(j->dir)}, {"media", util::path_to_json(f.media)}});
            }
            {
                std::lock_guard lock(mutex_);
                f.job_id = j->id;
                f.job_dir = j->dir;
                f.media_seconds = jobs::clip_seconds(*j, settings::read<jobs::job_params>(j->settings));
                ++running_;
            }
            const int status = run_child(*j);
            std::lock_guard lock(mutex_);
            --running_;
            ++ended_;
            f.seconds = elapsed();
            if (status == 0) {
                f.state = "done";
            } else if (status == static_cast<int>(errc::interrupted)) {
                f.state = "interrupted";
            } else {
                f.state = "failed";
                ++failed_;
                f.error = last_line(j->logs_dir() / "batch-run.err");
                if (f.error.empty()) f.error = fmt::format("cinesub run exited with {}", status);
            }
        } catch (const error& e) {
            if (shared_error(e.code())) {
                std::lock_guard lock(mutex_);
                if (!shared_) shared_ = e;
                shared_failed_ = true;
                return true;
            }
            fail(e.what());
        } catch (const std::exception& e) {
            fail(e.what());
        }
        return true;
    }

    // `cinesub run JOB` as a child; asked once to stop (SIGINT) when this batch is interrupted.
    int run_child(const job& j) {
        fs::create_directories(j.logs_dir());
        util::child_spec spec;
        spec.program = o_.executable;
        spec.args = {"run", j.dir.string(), "--quiet", "--json"};
        spec.env = {"CINESUB_NO_PROGRESS=1"};
        spec.stdout_path = j.logs_dir() / "batch-run.json";
        spec.stderr_path = j.logs_dir() / "batch-run.err";
        util::child_process child(spec);
        bool asked = false;
        for (;;) {
            if (auto status = child.poll()) return *status;
            if (util::interrupted() && !asked) {
                child.signal(SIGINT);
                asked = true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }

    const batch_options& o_;
    fs::path root_;
    std::string user_;
    unsigned threads_ = 1;
    batch_report report_;
    std::mutex mutex_, prepare_mutex_;
    std::size_t ended_ = 0, running_ = 0, failed_ = 0;
    std::optional<error> shared_;
    std::atomic<bool> shared_failed_{false};
};

}  // namespace

std::size_t batch_report::count(std::string_view state) const {
    return static_cast<std::size_t>(
        std::count_if(films.begin(), films.end(), [&](const batch_film& f) { return f.state == state; }));
}

std::vector<fs::path> batch_entries(const batch_options& o, std::size_t* ignored) {
    std::error_code ec;
    if (o.source.empty()) throw error(errc::usage, "batch: give a folder or a list file of media");
    if (!fs::exists(o.source, ec))
        throw error(errc::input_missing, fmt::format("{} does not exist", util::display_path(o.source)));
    std::vector<fs::path> out;
    std::size_t skipped = 0;
    const auto source = fs::absolute(o.source).lexically_normal();
    if (fs::is_directory(source, ec)) {
        const auto root = out_root_of(o);
        fs::recursive_directory_iterator it(source, fs::directory_options::skip_permission_denied, ec), end;
        if (ec)
            throw error(errc::input_unreadable,
                        fmt::format("cannot read folder {}: {}", util::display_path(source), ec.message()));
        for (; it != end; it.increment(ec)) {
            if (ec) break;
            const auto& p = it->path();
            if (it->is_directory(ec)) {
                // The output root and job folders hold our own files (a muxed film among them).
                if (p.filename().string().starts_with(".") || p == root || fs::exists(p / "job.json", ec))
                    it.disable_recursion_pending();
                continue;
            }
            if (!it->is_regular_file(ec) || p.filename().string().starts_with(".")) continue;
            if (is_within(p, root)) continue;
            if (selected(p, o.glob))
                out.push_back(p);
            else
                ++skipped;
        }
        std::sort(out.begin(), out.end());
    } else {
        std::ifstream in(source, std::ios::binary);
        if (!in)
            throw error(errc::input_unreadable, fmt::format("cannot read the list {}", util::display_path(source)));
        std::string line;
        while (std::getline(in, line)) {
            const auto text = util::trim(line);
            if (text.empty() || text.starts_with("#")) continue;
            fs::path p(text);
            if (p.is_relative()) p = source.parent_path() / p;
            p = p.lexically_normal();
            if (o.glob.empty() || selected(p, o.glob))
                out.push_back(p);
            else
                ++skipped;
        }
    }
    if (ignored) *ignored = skipped;
    if (out.empty())
        throw error(errc::input_missing,
                    fmt::format("no media files in {}{}", util::display_path(source),
                                skipped ? fmt::format(" ({} other files ignored)", skipped) : std::string{}));
    if (o.index) {
        if (*o.index >= out.size())
            throw error(errc::usage, fmt::format("--index {} is past the end of {} ({} entries, counted from 0)",
                                                 *o.index, util::display_path(source), out.size()));
        out = {out[*o.index]};
    }
    return out;
}

batch_report run_batch(const batch_options& o) {
    if (o.jobs < 1) throw error(errc::usage, fmt::format("--jobs {} must be at least 1", o.jobs));
    std::size_t ignored = 0;
    auto media = batch_entries(o, &ignored);
    if (const char* cache = std::getenv("CINESUB_MODEL_DIR"); cache && *cache) {
        std::error_code ec;
        if (!fs::is_directory(cache, ec))
            throw error(
                errc::model_missing,
                fmt::format("the model cache CINESUB_MODEL_DIR={} is not a folder (not mounted?)", one_line(cache)));
    }
    if (o.executable.empty() || ::access(o.executable.c_str(), X_OK) != 0)
        throw error(errc::internal, fmt::format("batch: cannot run {}", util::display_path(o.executable)));
    const auto root = out_root_of(o);
    try {
        fs::create_directories(root / "batch");
        util::write_file_atomic(root / "batch" / ".writable", "");
    } catch (const std::exception& e) {
        throw error(errc::io,
                    fmt::format("the output folder {} is not writable: {}", util::display_path(root), e.what()));
    }
    batch_runner runner(o, std::move(media));
    auto report = runner.run();
    report.ignored = ignored;
    return report;
}

json batch_report_json(const batch_report& r) {
    json films = json::array();
    for (const auto& f : r.films) {
        json j{{"media", util::path_to_json(f.media)},
               {"state", f.state},
               {"seconds", util::round_ms(f.seconds)},
               {"media_seconds", util::round_ms(f.media_seconds)}};
        if (!f.job_id.empty()) j["job"] = f.job_id;
        if (!f.job_dir.empty()) j["dir"] = util::path_to_json(f.job_dir);
        if (f.media_seconds > 0 && f.state == "done") j["rtf"] = std::round(f.real_time_factor() * 1000) / 1000;
        if (!f.error.empty()) j["error"] = f.error;
        films.push_back(std::move(j));
    }
    return json{{"schema", 1},
                {"films", films},
                {"done", r.count("done")},
                {"skipped", r.count("skipped")},
                {"failed", r.count("failed")},
                {"interrupted", r.count("interrupted")},
                {"not_run", r.count("not-run")},
                {"ignored", r.ignored},
                {"seconds", util::round_ms(r.seconds)}};
}

}  // namespace cinesub
