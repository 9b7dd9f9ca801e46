// check: reads a subtitle file leniently (SRT, VTT, ASS, cinesub JSON) and reports every style-guide
// violation strictly against a profile. Exit 0 when no hard rule fails, 50 (check_failed) otherwise.
#include "commands.hpp"

#include "cinesub/check.hpp"
#include "cinesub/error.hpp"
#include "cinesub/runtime.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>

namespace cinesub::cli {

namespace {

struct check_options {
    std::string file;
    std::string profile;
    std::string language;
    std::string audience = "adult";
    double fps = 25;
};

int run_check(const check_options& o, const globals& g) {
    const auto r = check_subtitles({o.file, o.profile, o.language, o.audience, o.fps});
    if (g.json) {
        auto j = r.report;
        j["file"] = display_text(o.file);
        j["format"] = r.format;
        print_json(j.dump(2));
    } else {
        std::fputs(r.text.c_str(), stdout);
    }
    return r.passed ? 0 : exit_code(errc::check_failed);
}

}  // namespace

void add_check_command(CLI::App& app, globals& g) {
    auto o = std::make_shared<check_options>();
    auto* cmd = app.add_subcommand("check",
                                   "Check a subtitle file (SRT, VTT, ASS, JSON) against a style profile; exit 50 "
                                   "when a hard rule fails");
    cmd->add_option("file", o->file, "Subtitle file")->required();
    std::string profiles;
    for (const auto& n : style_profile_names()) profiles += (profiles.empty() ? "" : ", ") + n;
    cmd->add_option("--profile", o->profile, profiles + " (default: by --lang and --audience)")
        ->check(CLI::IsMember(style_profile_names()));
    cmd->add_option("--lang", o->language,
                    "Language of the text (en → netflix-en, hi and hi-Latn → netflix-hi, otherwise netflix-other)")
        ->default_str("en");
    cmd->add_option("--audience", o->audience, "adult, children or sdh: the default profile's reading speed")
        ->check(CLI::IsMember({"adult", "children", "sdh"}))
        ->capture_default_str();
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
