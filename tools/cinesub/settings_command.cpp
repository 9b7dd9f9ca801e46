// settings [STAGE] [--json|--markdown]: every job setting with its default, what it allows, the stage
// that reads it and whether a change re-runs that stage (from the settings schema).
#include "commands.hpp"

#include "cinesub/error.hpp"
#include "cinesub/settings.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace cinesub::cli {

using nlohmann::json;

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::string default_shown(const setting_info& s) {
    if (s.default_value.is_null()) return "unset";
    if (s.default_value.is_string())
        return s.default_value.get<std::string>().empty() ? "\"\"" : s.default_value.get<std::string>();
    return s.default_value.dump();
}

int run_settings(const std::string& stage, bool markdown, const globals& g) {
    std::vector<const setting_info*> chosen;
    std::vector<std::string> stages;
    for (const auto& s : all_settings()) {
        for (const auto& r : s.read_by)
            if (!contains(stages, r)) stages.push_back(r);
        if (stage.empty() || contains(s.read_by, stage)) chosen.push_back(&s);
    }
    if (chosen.empty())
        throw error(errc::usage, fmt::format("no stage '{}' reads settings (stages: {})", stage, joined(stages)));
    if (markdown) {
        std::fputs(settings_markdown().c_str(), stdout);
        return 0;
    }
    if (g.json) {
        json arr = json::array();
        for (const auto* s : chosen) {
            json j{{"key", s->key},
                   {"kind", setting_kind_name(s->kind)},
                   {"default", s->default_value},
                   {"allowed", s->allowed()},
                   {"nullable", s->nullable},
                   {"description", s->description},
                   {"read_by", s->read_by},
                   {"reruns", s->reruns}};
            if (s->min) j["min"] = *s->min;
            if (s->max) j["max"] = *s->max;
            if (!s->choices.empty()) j["choices"] = s->choices;
            if (!s->unit.empty()) j["unit"] = s->unit;
            arr.push_back(std::move(j));
        }
        print_json(arr.dump(2));
        return 0;
    }
    for (const auto* s : chosen) {
        std::printf("%-26s %s\n", s->key.c_str(), s->description.c_str());
        std::printf("  %-24s default %s; %s\n", "", default_shown(*s).c_str(), s->allowed().c_str());
        std::string who = "read by " + joined(s->read_by);
        who += s->reruns.empty() ? "; a change re-runs no stage"
                                 : "; a change re-runs " + joined(s->reruns) + " and the stages after";
        std::printf("  %-24s %s\n", "", who.c_str());
    }
    return 0;
}

}  // namespace

void add_settings_command(CLI::App& app, globals& g) {
    auto stage = std::make_shared<std::string>();
    auto markdown = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand(
        "settings", "List every job setting: default, allowed values, the stage that reads it, what a change re-runs");
    cmd->add_option("stage", *stage, "Only the settings this stage reads (demux, vad, asr, subtitles, mux, run…)");
    cmd->add_flag("--json", g.json, "Machine-readable JSON on stdout");
    cmd->add_flag("--markdown", *markdown, "The whole list as a Markdown table (README's settings section)");
    cmd->callback(
        [&g, stage, markdown] { g.action = [&g, stage, markdown] { return run_settings(*stage, *markdown, g); }; });
}

}  // namespace cinesub::cli
