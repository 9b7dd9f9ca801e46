// check: reads a subtitle file leniently (SRT, VTT, ASS, cinesub JSON) and reports every style-guide
// violation strictly against a profile. Exit 0 when no hard rule fails, 50 (check_failed) otherwise.
#include "commands.hpp"

#include "cinesub/error.hpp"
#include "subtitles/checker.hpp"
#include "subtitles/profile.hpp"
#include "subtitles/readers.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>

namespace cinesub::cli {

namespace {

struct check_options {
    std::string file;
    std::string profile;
    std::string language;
    double fps = 25;
};

int run_check(const check_options& o, const globals& g) {
    if (!(o.fps > 1 && o.fps < 1000)) throw error(errc::usage, fmt::format("--fps {} is not a frame rate", o.fps));
    const auto name = o.profile.empty() ? subs::default_profile_name(o.language) : o.profile;
    const auto style = subs::get_profile(name);
    const auto file = subs::read_subtitles(o.file);
    const auto report = subs::check_file(file, style, o.fps);
    if (g.json) {
        auto j = report.to_json();
        j["file"] = o.file;
        j["format"] = file.format;
        print_json(j.dump(2));
    } else {
        std::fputs(subs::format_report(report, o.file).c_str(), stdout);
    }
    return report.passed() ? 0 : exit_code(errc::check_failed);
}

}  // namespace

void add_check_command(CLI::App& app, globals& g) {
    auto o = std::make_shared<check_options>();
    auto* cmd = app.add_subcommand("check",
                                   "Check a subtitle file (SRT, VTT, ASS, JSON) against a style profile; exit 50 "
                                   "when a hard rule fails");
    cmd->add_option("file", o->file, "Subtitle file")->required();
    cmd->add_option("--profile", o->profile, "netflix-en, netflix-other or relaxed (default: by --lang)")
        ->check(CLI::IsMember(subs::profile_names()));
    cmd->add_option("--lang", o->language, "Language of the text (en → netflix-en, otherwise netflix-other)")
        ->default_str("en");
    cmd->add_option("--fps", o->fps, "Frame rate for the minimum gap in frames")->capture_default_str();
    cmd->callback([o, &g] {
        g.action = [o, &g] {
            auto opts = *o;
            if (opts.language.empty()) opts.language = "en";
            return run_check(opts, g);
        };
    });
}

}  // namespace cinesub::cli
