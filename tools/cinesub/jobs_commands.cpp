// prepare, run, status, jobs: thin wrappers over src/jobs and src/pipeline.
#include "commands.hpp"

#include "cinesub/error.hpp"
#include "jobs/prepare.hpp"
#include "jobs/store.hpp"
#include "pipeline/manifest.hpp"
#include "pipeline/runner.hpp"
#include "util/progress.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>

namespace cinesub::cli {

using nlohmann::json;

namespace {

json status_json(const pipeline::stage_status& s) {
    json j{
        {"name", s.name}, {"folder", s.folder}, {"critical", s.critical}, {"state", s.state}, {"seconds", s.seconds}};
    if (!s.reason.empty()) j["reason"] = s.reason;
    return j;
}

// Output files of the finished stages (from their manifests), absolute paths.
json job_outputs(const jobs::job& job, const std::vector<std::unique_ptr<pipeline::stage>>& stages) {
    json out = json::object();
    for (const auto& s : stages) {
        auto folder = job.stage_dir(pipeline::stage_folder(s->name()));
        auto m = pipeline::load_manifest(folder);
        if (!m || m->status != "done") continue;
        json files = json::array();
        for (const auto& o : m->outputs) files.push_back((folder / o.path).string());
        out[std::string(s->name())] = files;
    }
    return out;
}

void print_stage_table(const std::vector<pipeline::stage_status>& list) {
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& s = list[i];
        std::string line =
            fmt::format("  {:<2} {:<12} {:<9} {:<9}", i + 1, s.name, s.critical ? "critical" : "optional", s.state);
        if (s.seconds > 0) line += fmt::format(" {:8.2f} s", s.seconds);
        if (!s.reason.empty()) line += "  (" + s.reason + ")";
        std::printf("%s\n", line.c_str());
    }
}

}  // namespace

void add_job_commands(CLI::App& app, globals& g) {
    // prepare ------------------------------------------------------------------------------
    auto opts = std::make_shared<jobs::prepare_options>();
    auto media = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto* prep = app.add_subcommand("prepare", "Check a media file and create a job (no decoding; < 1 s)");
    prep->add_option("media", *media, "Film or audio file (any format FFmpeg reads)")->required();
    prep->add_option("-s,--start", opts->start, "Clip start, seconds or HH:MM:SS[.mmm] (default: 0)");
    prep->add_option("-e,--end", opts->end, "Clip end, seconds or HH:MM:SS[.mmm] (default: end of media)");
    prep->add_option(
            "-w,--workflow", opts->workflow,
            "subtitle (source + English), transcribe (source only), translate (English only) [default: subtitle]")
        ->check(CLI::IsMember({"subtitle", "transcribe", "translate"}));
    prep->add_option("--source-lang", opts->source_lang, "Dialogue language, ISO 639-1, or auto [default: hi]");
    prep->add_option("--target-lang", opts->target_lang, "Translation language (whisper: en) [default: en]");
    prep->add_option("--title", opts->title, "Film title (names the output files) [default: media file name]");
    prep->add_option("--year", opts->year, "Release year");
    prep->add_option(
        "-m,--model", opts->model,
        "Whisper model: cache name (tiny…large-v3-turbo) or path to a ggml file [default: from 'cinesub doctor']");
    prep->add_option("--vad-model", opts->vad_model,
                     "Silero VAD ggml file [default: $CINESUB_VAD_MODEL, else the model cache's silero-v6.2.0]");
    prep->add_option("--asr-engine", opts->asr_engine,
                     "whisper, or replay:FILE (STM/SRT/VTT/transcript.json) [default: whisper]");
    prep->add_option("--audio-stream", opts->audio_stream, "Audio stream index [default: FFmpeg's best audio stream]");
    prep->add_option("--set", opts->overrides, "Override any job setting: KEY=VALUE (e.g. vad.threshold=0.4)")
        ->take_all();
    prep->add_option("-o,--out", *out, "Output root [default: $CINESUB_OUT or ./out]");
    prep->add_option("-u,--user", opts->user, "User folder name [default: $USER]");
    prep->callback([&g, opts, media, out] {
        g.action = [&g, opts, media, out] {
            opts->media = *media;
            opts->out_root = out->empty() ? jobs::default_out_root() : std::filesystem::absolute(*out);
            auto job = jobs::prepare(*opts);
            if (g.json) {
                auto j = job.to_json();
                j["dir"] = job.dir.string();
                print_json(j.dump(2));
            } else {
                std::printf("prepared job %s in %s\n", job.id.c_str(), job.dir.c_str());
                std::printf(
                    "  workflow %s, %s -> %s, model %s\n", job.get<std::string>("workflow").c_str(),
                    job.get<std::string>("source_lang").c_str(), job.get<std::string>("target_lang").c_str(),
                    job.get_or<std::string>("asr.model_name", job.get_or<std::string>("asr.engine", "")).c_str());
                std::printf("run it with: cinesub run %s\n", job.dir.c_str());
            }
            return 0;
        };
    });

    // run ----------------------------------------------------------------------------------
    auto run_opts = std::make_shared<pipeline::run_options>();
    auto job_ref = std::make_shared<std::string>();
    auto list = std::make_shared<bool>(false);
    auto run_out = std::make_shared<std::string>();
    auto* run = app.add_subcommand("run", "Run a job's stages in order; resumes where it stopped");
    run->add_option("job", *job_ref, "Job folder or id (YYYYMMDD-NNNN)")->required();
    run->add_option("--from", run_opts->from, "Re-run from this stage on");
    run->add_option("--only", run_opts->only, "Run only this stage");
    run->add_flag("--force", run_opts->force, "Re-run every stage");
    run->add_flag("--list-stages", *list, "Show the workflow's stages and their state; run nothing");
    run->add_option("-o,--out", *run_out, "Output root to find job ids in [default: $CINESUB_OUT or ./out]");
    run->callback([&g, run_opts, job_ref, list, run_out] {
        g.action = [&g, run_opts, job_ref, list, run_out] {
            auto root = run_out->empty() ? jobs::default_out_root() : std::filesystem::path(*run_out);
            auto job = jobs::job::load(jobs::find_job(root, *job_ref));
            auto stages = pipeline::job_stages(job);
            if (*list) {
                auto states = pipeline::list_stages(job, stages);
                if (g.json) {
                    json arr = json::array();
                    for (const auto& s : states) arr.push_back(status_json(s));
                    print_json(json{{"job", job.id}, {"stages", arr}}.dump(2));
                } else {
                    std::printf("job %s (%s)\n", job.id.c_str(), job.get<std::string>("workflow").c_str());
                    print_stage_table(states);
                }
                return 0;
            }
            run_opts->progress = !g.quiet && !g.json && util::progress_enabled_by_default();
            auto report = pipeline::run(job, stages, *run_opts);
            auto outputs = job_outputs(job, stages);
            if (g.json) {
                json arr = json::array();
                for (const auto& s : report.stages) arr.push_back(status_json(s));
                print_json(json{
                    {"job", job.id},
                    {"dir", job.dir.string()},
                    {"seconds", report.seconds},
                    {"stages", arr},
                    {"outputs",
                     outputs}}.dump(2));
            } else {
                std::printf("job %s finished in %.1f s\n", job.id.c_str(), report.seconds);
                print_stage_table(report.stages);
                for (const auto& key : {"subtitles", "mux"})
                    if (outputs.contains(key))
                        for (const auto& f : outputs[key]) std::printf("  -> %s\n", f.get<std::string>().c_str());
            }
            return 0;
        };
    });

    // status -------------------------------------------------------------------------------
    auto status_ref = std::make_shared<std::string>();
    auto status_out = std::make_shared<std::string>();
    auto* status = app.add_subcommand("status", "Show a job's settings summary, stage states and outputs");
    status->add_option("job", *status_ref, "Job folder or id")->required();
    status->add_option("-o,--out", *status_out, "Output root [default: $CINESUB_OUT or ./out]");
    status->callback([&g, status_ref, status_out] {
        g.action = [&g, status_ref, status_out] {
            auto root = status_out->empty() ? jobs::default_out_root() : std::filesystem::path(*status_out);
            auto job = jobs::job::load(jobs::find_job(root, *status_ref));
            auto stages = pipeline::job_stages(job);
            auto states = pipeline::list_stages(job, stages);
            std::size_t done = 0;
            for (const auto& s : states) done += s.state == "done";
            if (g.json) {
                json arr = json::array();
                for (const auto& s : states) arr.push_back(status_json(s));
                print_json(json{{"job", job.id},
                                {"dir", job.dir.string()},
                                {"media", job.media.value("path", "")},
                                {"workflow", job.get<std::string>("workflow")},
                                {"stages", arr},
                                {"done", done},
                                {"total", states.size()},
                                {"outputs", job_outputs(job, stages)}}
                               .dump(2));
            } else {
                std::printf("job %s  %s\n  media %s\n  workflow %s, %zu/%zu stages done\n", job.id.c_str(),
                            job.dir.c_str(), job.media.value("path", "").c_str(),
                            job.get<std::string>("workflow").c_str(), done, states.size());
                print_stage_table(states);
            }
            return 0;
        };
    });

    // jobs ---------------------------------------------------------------------------------
    auto jobs_out = std::make_shared<std::string>();
    auto* list_jobs = app.add_subcommand("jobs", "List jobs under the output root");
    list_jobs->add_option("-o,--out", *jobs_out, "Output root [default: $CINESUB_OUT or ./out]");
    list_jobs->callback([&g, jobs_out] {
        g.action = [&g, jobs_out] {
            auto root = jobs_out->empty() ? jobs::default_out_root() : std::filesystem::path(*jobs_out);
            json arr = json::array();
            for (const auto& dir : jobs::list_job_dirs(root)) {
                json entry{{"dir", dir.string()}};
                try {
                    auto job = jobs::job::load(dir);
                    auto states = pipeline::list_stages(job, pipeline::job_stages(job));
                    std::size_t done = 0;
                    for (const auto& s : states) done += s.state == "done";
                    entry.update({{"job", job.id},
                                  {"created", job.created},
                                  {"media", job.media.value("path", "")},
                                  {"workflow", job.get<std::string>("workflow")},
                                  {"done", done},
                                  {"total", states.size()}});
                } catch (const error& e) {
                    entry.update({{"job", dir.filename().string()}, {"error", e.what()}});
                }
                arr.push_back(entry);
            }
            if (g.json) {
                print_json(arr.dump(2));
            } else if (arr.empty()) {
                std::printf("no jobs under %s\n", root.c_str());
            } else {
                for (const auto& e : arr) {
                    if (e.contains("error"))
                        std::printf("%-14s  (unreadable: %s)\n", e["job"].get<std::string>().c_str(),
                                    e["error"].get<std::string>().c_str());
                    else
                        std::printf("%-14s  %-10s %zu/%zu done  %s\n", e["job"].get<std::string>().c_str(),
                                    e["workflow"].get<std::string>().c_str(), e["done"].get<std::size_t>(),
                                    e["total"].get<std::size_t>(),
                                    std::filesystem::path(e["media"].get<std::string>()).filename().c_str());
                }
            }
            return 0;
        };
    });
}

}  // namespace cinesub::cli
