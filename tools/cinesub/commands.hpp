// The CLI is a thin layer over the library: each command file registers its subcommand here.
#pragma once

#include <CLI/CLI.hpp>

#include "cinesub/job.hpp"

#include <functional>
#include <optional>
#include <string>

namespace cinesub::cli {

struct globals {
    bool json = false;  // --json: machine-readable output on stdout
    std::string log_level = "info";
    bool quiet = false;           // -q: no progress, only errors
    std::function<int()> action;  // set by the chosen subcommand's callback
};

// Each registers one subcommand (or a group) on `app`; its callback sets g.action.
void add_job_commands(CLI::App& app, globals& g);      // prepare, run, status, jobs (tools/cinesub/jobs_commands.cpp)
void add_doctor_command(CLI::App& app, globals& g);    // doctor (tools/cinesub/doctor_command.cpp)
void add_models_command(CLI::App& app, globals& g);    // models list|add|download|verify (models_command.cpp)
void add_check_command(CLI::App& app, globals& g);     // check FILE (check_command.cpp)
void add_mux_command(CLI::App& app, globals& g);       // mux MEDIA SUBS… (mux_command.cpp)
void add_settings_command(CLI::App& app, globals& g);  // settings [STAGE] (settings_command.cpp)
void add_context_commands(CLI::App& app, globals& g);  // parse-name, romanize (context_commands.cpp)
void add_eval_commands(CLI::App& app, globals& g);     // eval der REF HYP (eval_command.cpp)

void add_batch_command(CLI::App& app, globals& g);    // batch DIR|LIST (batch_command.cpp)
void add_review_commands(CLI::App& app, globals& g);  // review JOB, report JOB --html (review_command.cpp)

// The job flags `prepare` and `batch` share (jobs_commands.cpp); per_film adds --title, --year,
// --metadata, --audio-stream and --speaker-map.
struct prepare_flags {
    prepare_options options;
    std::optional<int> min_speakers, max_speakers;
    std::string songs;
    std::string out;
};
void add_prepare_flags(CLI::App& cmd, prepare_flags& f, bool per_film);
// The options with the flags that become settings (--min-speakers…) and the output root filled in.
// Throws error(usage) for contradicting flags.
prepare_options finish_prepare_flags(const prepare_flags& f);

// Prints a JSON value on stdout (one document, pretty) — for --json.
void print_json(const std::string& dumped);

}  // namespace cinesub::cli
