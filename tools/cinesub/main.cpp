// cinesub — command line entry point. All work happens in the library (src/); this file only
// parses the command line, runs the chosen command and maps errors to exit codes.
#include "commands.hpp"

#include "cinesub/error.hpp"
#include "cinesub/runtime.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <exception>

namespace cinesub::cli {
void print_json(const std::string& dumped) { std::fputs((dumped + "\n").c_str(), stdout); }
}  // namespace cinesub::cli

namespace {

constexpr const char* exit_codes_help = R"(Exit codes:
  0 ok                 1 internal error        2 usage error
  10 input missing     11 input unreadable     12 not a media file    13 no audio stream
  14 empty audio       15 corrupt/truncated    16 bad time range      17 range outside media
  20 unknown job       21 job from newer cinesub  22 job locked       23 job.json invalid
  24 write failed (disk full…)  30 model missing  31 model invalid     32 network
  33 service (TMDB) refused  40 stage failed  41 stage timed out  50 subtitle check failed
  130 interrupted)";

int run_command_line(int argc, char** argv) {
    using cinesub::errc;
    using cinesub::error;
    using cinesub::exit_code;
    using cinesub::one_line;
    namespace cli = cinesub::cli;
    CLI::App app{"cinesub — accurate, well-timed subtitles for films (Hindi/Hinglish first), from one binary"};
    app.set_version_flag("-V,--version", std::string("cinesub ") + CINESUB_VERSION);
    app.footer(exit_codes_help);
    app.require_subcommand(1);
    app.get_formatter()->column_width(36);
    app.fallthrough();  // global options (--json, -q, --log-level) also work after the subcommand

    cli::globals g;
    app.add_flag("--json", g.json,
                 "Machine-readable JSON on stdout (prepare, status, jobs, doctor, models, check, eval)");
    app.add_option("--log-level", g.log_level, "Log level: trace, debug, info, warn, error")
        ->capture_default_str()
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
    app.add_flag("-q,--quiet", g.quiet, "No progress display");

    cli::add_job_commands(app, g);
    cli::add_mux_command(app, g);
    cli::add_doctor_command(app, g);
    cli::add_models_command(app, g);
    cli::add_check_command(app, g);
    cli::add_settings_command(app, g);
    cli::add_context_commands(app, g);
    cli::add_eval_commands(app, g);
    cli::add_batch_command(app, g);
    cli::add_review_commands(app, g);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "cinesub: usage error: %s (see cinesub --help)\n", one_line(e.what()).c_str());
        return exit_code(errc::usage);
    }

    cinesub::install_interrupt_handlers();
    cinesub::set_log_level(g.log_level);
    try {
        return g.action ? g.action() : 0;
    } catch (const error& e) {
        std::fprintf(stderr, "cinesub: error: %s\n", one_line(e.what()).c_str());
        return exit_code(e.code());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cinesub: internal error: %s\n", one_line(e.what()).c_str());
        return exit_code(errc::internal);
    }
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run_command_line(argc, argv);
    } catch (const std::exception& e) {  // building the command line itself failed
        std::fprintf(stderr, "cinesub: internal error: %s\n", cinesub::one_line(e.what()).c_str());
    } catch (...) {
        std::fprintf(stderr, "cinesub: internal error: unknown exception\n");
    }
    return cinesub::exit_code(cinesub::errc::internal);
}
