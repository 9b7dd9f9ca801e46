// batch: many films, one job each (cinesub/batch.hpp).
#include "commands.hpp"

#include "cinesub/batch.hpp"
#include "cinesub/error.hpp"
#include "cinesub/runtime.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>
#include <optional>
#include <system_error>

namespace cinesub::cli {

namespace fs = std::filesystem;

namespace {

// The binary running now (each film's `cinesub run` is this same program).
fs::path self_executable() {
    std::error_code ec;
    auto self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) throw error(errc::internal, "batch: cannot find this program's path (/proc/self/exe)");
    return self;
}

std::string seconds_text(double s) {
    if (s >= 3600) return fmt::format("{}h{:02}m", static_cast<int>(s / 3600), static_cast<int>(s / 60) % 60);
    if (s >= 60) return fmt::format("{}m{:02}s", static_cast<int>(s / 60), static_cast<int>(s) % 60);
    return fmt::format("{:.1f} s", s);
}

void print_table(const batch_report& r) {
    std::printf("%-11s %-14s %9s %7s  %s\n", "state", "job", "time", "RTF", "media");
    for (const auto& f : r.films) {
        const auto rtf = f.state == "done" && f.media_seconds > 0 ? fmt::format("{:.3f}", f.real_time_factor()) : "-";
        std::string line =
            fmt::format("{:<11} {:<14} {:>9} {:>7}  {}", f.state, f.job_id.empty() ? "-" : f.job_id,
                        f.seconds > 0 ? seconds_text(f.seconds) : "-", rtf, one_line(f.media.filename().native()));
        if (!f.error.empty()) line += "  (" + f.error + ")";
        std::printf("%s\n", line.c_str());
    }
    std::printf("%zu films: %zu done, %zu skipped (finished before), %zu failed", r.films.size(), r.count("done"),
                r.count("skipped"), r.count("failed"));
    if (r.count("interrupted") + r.count("not-run") > 0)
        std::printf(", %zu interrupted, %zu not run", r.count("interrupted"), r.count("not-run"));
    if (r.ignored > 0) std::printf("; %zu other files ignored", r.ignored);
    std::printf(" (%s)\n", seconds_text(r.seconds).c_str());
}

}  // namespace

void add_batch_command(CLI::App& app, globals& g) {
    auto o = std::make_shared<batch_options>();
    auto flags = std::make_shared<prepare_flags>();
    auto source = std::make_shared<std::string>();
    auto list = std::make_shared<std::string>();
    auto index = std::make_shared<std::optional<std::size_t>>();
    auto* cmd = app.add_subcommand(
        "batch", "Prepare and run a job for every film in a folder or list, N at a time; run again to resume");
    cmd->add_option("source", *source, "Folder of films (searched recursively) or a list file (one path per line)");
    cmd->add_option("--list", *list, "List file: one media path per line (relative to the list's folder)");
    cmd->add_option("--index", *index,
                    "Only entry N of the list, counted from 0 (a Slurm array task id, a Kubernetes completion index)");
    cmd->add_option("-j,--jobs", o->jobs, "Films at a time; the cores are split between them [default: 1]")
        ->check(CLI::Range(1, 64));
    cmd->add_option("--glob", o->glob, "File-name pattern, e.g. '*.mkv' [default: media file extensions]");
    auto count = std::make_shared<bool>(false);
    cmd->add_flag("--count", *count,
                  "Print how many films the folder or list holds (for sbatch --array=0-$((N-1))); run nothing");
    add_prepare_flags(*cmd, *flags, false);
    cmd->callback([&g, o, flags, source, list, index, count] {
        g.action = [&g, o, flags, source, list, index, count] {
            if (!source->empty() && !list->empty())
                throw error(errc::usage, "batch: give a folder or list, or --list, not both");
            o->source = !list->empty() ? fs::path(*list) : fs::path(*source);
            if (o->source.empty()) throw error(errc::usage, "batch: give a folder or a list file of films");
            o->index = *index;
            o->prepare = finish_prepare_flags(*flags);
            if (*count) {
                const auto n = batch_entries(*o).size();
                if (g.json)
                    print_json(nlohmann::json{{"films", n}}.dump());
                else
                    std::printf("%zu\n", n);
                return 0;
            }
            o->executable = self_executable();
            o->progress = !g.quiet && !g.json && progress_enabled_by_default();
            const auto report = run_batch(*o);
            if (g.json)
                print_json(batch_report_json(report).dump(2));
            else
                print_table(report);
            if (report.count("interrupted") + report.count("not-run") > 0 && interrupted()) {
                std::fprintf(stderr, "cinesub: batch interrupted; run the same command again to continue\n");
                return exit_code(errc::interrupted);
            }
            if (const auto failed = report.count("failed"); failed > 0) {
                std::fprintf(stderr, "cinesub: error: %zu of %zu films failed (each job's logs/batch-run.err)\n",
                             failed, report.films.size());
                return exit_code(errc::stage_failed);
            }
            return 0;
        };
    });
}

}  // namespace cinesub::cli
