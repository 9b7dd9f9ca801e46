// review: the job's subtitles in the browser (cinesub/review.hpp); report --html: the same page as
// one static file to share.
#include "commands.hpp"

#include "cinesub/error.hpp"
#include "cinesub/review.hpp"
#include "cinesub/runtime.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <memory>
#include <vector>

extern char** environ;

namespace cinesub::cli {

namespace fs = std::filesystem;

namespace {

struct review_flags {
    std::string job;
    std::string out;
    int port = 0;
    bool open = false;
    bool no_preview = false;
};

// xdg-open URL, detached; a failure to start it is a warning (the URL is printed anyway).
void open_in_browser(const std::string& url) {
    std::string program = "xdg-open";
    std::vector<char*> argv{program.data(), const_cast<char*>(url.c_str()), nullptr};
    pid_t pid = 0;
    if (posix_spawnp(&pid, program.c_str(), nullptr, nullptr, argv.data(), environ) != 0)
        std::fprintf(stderr, "review: could not start xdg-open; open the URL above in a browser\n");
}

fs::path job_dir_of(const review_flags& f) {
    return find_job(f.out.empty() ? default_out_root() : fs::path(f.out), f.job);
}

}  // namespace

void add_review_commands(CLI::App& app, globals& g) {
    auto f = std::make_shared<review_flags>();
    auto* cmd = app.add_subcommand(
        "review", "Review and edit a job's subtitles in the browser (a local page on 127.0.0.1; Ctrl-C stops it)");
    cmd->add_option("job", f->job, "Job folder or id")->required();
    cmd->add_option("--out", f->out, "Output root the job id is looked up in [default: $CINESUB_OUT or ./out]");
    cmd->add_option("--port", f->port, "Port on 127.0.0.1 [default: any free one]")->check(CLI::Range(0, 65535));
    cmd->add_flag("--open", f->open, "Open the page in the desktop's browser (xdg-open)");
    cmd->add_flag("--no-preview", f->no_preview,
                  "Do not make a WebM preview when the browser cannot play the film (no video on the page)");
    cmd->callback([&g, f] {
        g.action = [&g, f] {
            const auto dir = job_dir_of(*f);
            review_options o;
            o.port = f->port;
            o.preview = !f->no_preview;
            o.progress = !g.quiet && !g.json && progress_enabled_by_default();
            o.on_ready = [&](const std::string& url) {
                // The one line scripts wait for; stdout is flushed so a pipe sees it at once.
                std::printf("review: %s\n", url.c_str());
                std::fflush(stdout);
                if (f->open) open_in_browser(url);
            };
            serve_review(dir, o);
            return 0;
        };
    });

    auto html = std::make_shared<std::string>();
    auto media_url = std::make_shared<std::string>();
    auto* report = app.add_subcommand("report", "A job's review page as one static HTML file to share");
    report->add_option("job", f->job, "Job folder or id")->required();
    report->add_option("--out", f->out, "Output root the job id is looked up in [default: $CINESUB_OUT or ./out]");
    report->add_option("--html", *html, "The HTML file to write")->required();
    report->add_option("--media-url", *media_url,
                       "A URL of the film for the page's video (e.g. a file next to the report); none by default");
    report->callback([&g, f, html, media_url] {
        g.action = [&g, f, html, media_url] {
            write_review_report(job_dir_of(*f), fs::path(*html), *media_url);
            if (g.json)
                print_json(nlohmann::json{{"html", *html}}.dump(2));
            else
                std::printf("report: %s\n", html->c_str());
            return 0;
        };
    });
}

}  // namespace cinesub::cli
