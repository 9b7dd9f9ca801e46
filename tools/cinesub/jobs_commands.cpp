// prepare, run, status, jobs: thin wrappers over the public job API (cinesub/job.hpp).
#include "commands.hpp"

#include "cinesub/error.hpp"
#include "cinesub/job.hpp"
#include "cinesub/runtime.hpp"
#include "cinesub/settings.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>
#include <optional>

namespace cinesub::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json status_json(const stage_status& s) {
    json j{
        {"name", s.name}, {"folder", s.folder}, {"critical", s.critical}, {"state", s.state}, {"seconds", s.seconds}};
    if (!s.reason.empty()) j["reason"] = display_text(s.reason);
    return j;
}

json outputs_json(const job& j) {
    json out = json::object();
    for (const auto& [stage, files] : job_outputs(j)) {
        json list = json::array();
        for (const auto& f : files) list.push_back(display_text(f.native()));
        out[stage] = list;
    }
    return out;
}

json stages_json(const std::vector<stage_status>& list) {
    json arr = json::array();
    for (const auto& s : list) arr.push_back(status_json(s));
    return arr;
}

void print_stage_table(const std::vector<stage_status>& list) {
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& s = list[i];
        std::string line =
            fmt::format("  {:<2} {:<12} {:<9} {:<9}", i + 1, s.name, s.critical ? "critical" : "optional", s.state);
        if (s.seconds > 0) line += fmt::format(" {:8.2f} s", s.seconds);
        if (!s.reason.empty()) line += "  (" + one_line(s.reason) + ")";
        std::printf("%s\n", line.c_str());
    }
}

std::string setting_text(const job& j, std::string_view key) {
    const auto* v = j.value(key);
    return v && v->is_string() ? v->get<std::string>() : std::string{};
}

fs::path out_root_of(const std::string& flag) { return flag.empty() ? default_out_root() : fs::path(flag); }

// "[default: X]" from the settings schema, for --help.
std::string default_of(std::string_view key) { return " [default: " + default_text(key) + "]"; }

}  // namespace

// The flags `prepare` and `batch` share (batch leaves out the per-film ones).
void add_prepare_flags(CLI::App& cmd, prepare_flags& f, bool per_film) {
    auto& opts = f.options;
    cmd.add_option("-s,--start", opts.start, "Clip start, seconds or HH:MM:SS[.mmm] (default: 0)");
    cmd.add_option("-e,--end", opts.end, "Clip end, seconds or HH:MM:SS[.mmm] (default: end of media)");
    std::vector<std::string> workflows(workflow_names.begin(), workflow_names.end());
    cmd.add_option(
           "-w,--workflow", opts.workflow,
           "subtitle (source + English), transcribe (source only), translate (English only)" + default_of("workflow"))
        ->check(CLI::IsMember(workflows));
    cmd.add_option("--source-lang", opts.source_lang,
                   "Dialogue language, ISO 639-1, or auto" + default_of("source_lang"));
    cmd.add_option("--target-lang", opts.target_lang, "Translation language (whisper: en)" + default_of("target_lang"));
    if (per_film) {
        cmd.add_option("--title", opts.title, "Film title (names the output files) [default: media file name]");
        cmd.add_option("--year", opts.year, "Release year");
        cmd.add_option("--metadata", opts.metadata,
                       "Offline film details (TMDB movie/{id} JSON with credits) instead of asking TMDB");
        cmd.add_option("--audio-stream", opts.audio_stream, "Audio stream index [default: FFmpeg's best audio stream]");
        cmd.add_option("--speaker-map", opts.speaker_map, "Speaker names: TSV of SPEAKER_00 <TAB> name (confirmed)");
    }
    cmd.add_option("--glossary", opts.glossary,
                   "Names to spell right: TSV of term, Devanagari form, aliases ('|'-separated)");
    cmd.add_option(
        "-m,--model", opts.model,
        "Whisper model: cache name (tiny…large-v3-turbo) or path to a ggml file [default: from 'cinesub doctor']");
    cmd.add_option("--vad-model", opts.vad_model,
                   "Silero VAD ggml file [default: $CINESUB_VAD_MODEL, else the model cache's silero-v6.2.0]");
    cmd.add_option("--asr-engine", opts.asr_engine,
                   "whisper, or replay:FILE (STM/SRT/VTT/ASS/transcript.json)" + default_of("asr.engine"));
    cmd.add_option("--min-speakers", f.min_speakers, "Fewest speakers to find (speakers.min_speakers)");
    cmd.add_option("--max-speakers", f.max_speakers, "Most speakers to find (speakers.max_speakers)");
    cmd.add_option("--songs", f.songs,
                   "Lyrics: mark (♪ cues, the English track shows them as sung), translate (the English track "
                   "translates them), skip (not decoded)" +
                       default_of("songs.mode"))
        ->check(CLI::IsMember({"mark", "translate", "skip"}));
    cmd.add_option("--set", opts.overrides,
                   "Any job setting: KEY=VALUE (e.g. vad.threshold=0.4; 'cinesub settings' lists them)")
        ->take_all();
    cmd.add_option("-o,--out", f.out, "Output root [default: $CINESUB_OUT or ./out]");
    cmd.add_option("-u,--user", opts.user, "User folder name [default: $USER]");
}

prepare_options finish_prepare_flags(const prepare_flags& f) {
    auto opts = f.options;
    if (f.min_speakers && f.max_speakers && *f.min_speakers > *f.max_speakers)
        throw error(errc::usage, "--min-speakers (" + std::to_string(*f.min_speakers) +
                                     ") is more than --max-speakers (" + std::to_string(*f.max_speakers) + ")");
    if (f.min_speakers) opts.overrides.push_back("speakers.min_speakers=" + std::to_string(*f.min_speakers));
    if (f.max_speakers) opts.overrides.push_back("speakers.max_speakers=" + std::to_string(*f.max_speakers));
    if (!f.songs.empty()) opts.overrides.push_back("songs.mode=" + f.songs);
    opts.out_root = f.out.empty() ? default_out_root() : fs::absolute(f.out);
    return opts;
}

void add_job_commands(CLI::App& app, globals& g) {
    // prepare ------------------------------------------------------------------------------
    auto flags = std::make_shared<prepare_flags>();
    auto media = std::make_shared<std::string>();
    auto* prep = app.add_subcommand("prepare", "Check a media file and create a job (no decoding; < 1 s)");
    prep->add_option("media", *media, "Film or audio file (any format FFmpeg reads)")->required();
    add_prepare_flags(*prep, *flags, true);
    prep->callback([&g, flags, media] {
        g.action = [&g, flags, media] {
            auto opts = std::make_shared<prepare_options>(finish_prepare_flags(*flags));
            opts->media = *media;
            auto j = prepare(*opts);
            if (g.json) {
                auto doc = j.to_json();
                doc["dir"] = display_text(j.dir.native());
                print_json(doc.dump(2));
            } else {
                std::printf("prepared job %s in %s\n", j.id.c_str(), one_line(j.dir.native()).c_str());
                const auto model = setting_text(j, "asr.model_name");
                std::printf("  workflow %s, %s -> %s, %s %s\n", setting_text(j, "workflow").c_str(),
                            setting_text(j, "source_lang").c_str(), setting_text(j, "target_lang").c_str(),
                            model.empty() ? "engine" : "model",
                            model.empty() ? setting_text(j, "asr.engine").c_str() : model.c_str());
                std::printf("run it with: cinesub run %s\n", one_line(j.dir.native()).c_str());
            }
            return 0;
        };
    });

    // run ----------------------------------------------------------------------------------
    auto run_opts = std::make_shared<run_options>();
    auto job_ref = std::make_shared<std::string>();
    auto list = std::make_shared<bool>(false);
    auto run_out = std::make_shared<std::string>();
    auto* run = app.add_subcommand("run", "Run a job's stages in order; resumes where it stopped");
    run->add_option("job", *job_ref, "Job folder or id (YYYYMMDD-NNNN)")->required();
    run->add_option("--from", run_opts->from, "Re-run from this stage on");
    run->add_option("--only", run_opts->only, "Run only this stage");
    run->add_flag("--force", run_opts->force, "Re-run every stage");
    run->add_flag("--refresh", run_opts->refresh,
                  "Ask TMDB again instead of its cached answers (re-runs metadata and what follows)");
    run->add_flag("--list-stages", *list, "Show the workflow's stages and their state; run nothing");
    run->add_option("-o,--out", *run_out, "Output root to find job ids in [default: $CINESUB_OUT or ./out]");
    run->callback([&g, run_opts, job_ref, list, run_out] {
        g.action = [&g, run_opts, job_ref, list, run_out] {
            const auto j = job::load(find_job(out_root_of(*run_out), *job_ref));
            if (*list) {
                const auto states = job_status(j);
                if (g.json) {
                    print_json(json{{"job", j.id}, {"stages", stages_json(states)}}.dump(2));
                } else {
                    std::printf("job %s (%s)\n", j.id.c_str(), setting_text(j, "workflow").c_str());
                    print_stage_table(states);
                }
                return 0;
            }
            run_opts->progress = !g.quiet && !g.json && progress_enabled_by_default();
            const auto report = run_job(j, *run_opts);
            const auto outputs = outputs_json(j);
            if (g.json) {
                print_json(json{
                    {"job", j.id},
                    {"dir", display_text(j.dir.native())},
                    {"seconds", report.seconds},
                    {"stages", stages_json(report.stages)},
                    {"outputs",
                     outputs}}.dump(2));
            } else {
                std::printf("job %s finished in %.1f s\n", j.id.c_str(), report.seconds);
                print_stage_table(report.stages);
                for (const auto& key : {"subtitles", "mux"})
                    if (outputs.contains(key))
                        for (const auto& f : outputs[key])
                            std::printf("  -> %s\n", one_line(f.get<std::string>()).c_str());
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
            const auto j = job::load(find_job(out_root_of(*status_out), *status_ref));
            const auto states = job_status(j);
            std::size_t done = 0;
            for (const auto& s : states) done += s.state == "done";
            const auto media_name = display_text(j.media_path().native());
            if (g.json) {
                print_json(json{{"job", j.id},
                                {"dir", display_text(j.dir.native())},
                                {"media", media_name},
                                {"workflow", setting_text(j, "workflow")},
                                {"stages", stages_json(states)},
                                {"done", done},
                                {"total", states.size()},
                                {"outputs", outputs_json(j)}}
                               .dump(2));
            } else {
                std::printf("job %s  %s\n  media %s\n  workflow %s, %zu/%zu stages done\n", j.id.c_str(),
                            one_line(j.dir.native()).c_str(), one_line(media_name).c_str(),
                            setting_text(j, "workflow").c_str(), done, states.size());
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
            const auto root = out_root_of(*jobs_out);
            json arr = json::array();
            for (const auto& dir : list_job_dirs(root)) {
                json entry{{"dir", display_text(dir.native())}};
                try {
                    const auto j = job::load(dir);
                    const auto states = job_status(j);
                    std::size_t done = 0;
                    for (const auto& s : states) done += s.state == "done";
                    entry.update({{"job", j.id},
                                  {"created", j.created},
                                  {"media", display_text(j.media_path().native())},
                                  {"workflow", setting_text(j, "workflow")},
                                  {"done", done},
                                  {"total", states.size()}});
                } catch (const error& e) {
                    entry.update({{"job", dir.filename().string()}, {"error", one_line(e.what())}});
                }
                arr.push_back(entry);
            }
            if (g.json) {
                print_json(arr.dump(2));
            } else if (arr.empty()) {
                std::printf("no jobs under %s\n", one_line(root.native()).c_str());
            } else {
                for (const auto& e : arr) {
                    if (e.contains("error"))
                        std::printf("%-14s  (unreadable: %s)\n", e["job"].get<std::string>().c_str(),
                                    e["error"].get<std::string>().c_str());
                    else
                        std::printf("%-14s  %-10s %zu/%zu done  %s\n", e["job"].get<std::string>().c_str(),
                                    e["workflow"].get<std::string>().c_str(), e["done"].get<std::size_t>(),
                                    e["total"].get<std::size_t>(),
                                    one_line(fs::path(e["media"].get<std::string>()).filename().native()).c_str());
                }
            }
            return 0;
        };
    });
}

}  // namespace cinesub::cli
