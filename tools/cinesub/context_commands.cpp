// parse-name FILE: the title and year a file name gives (what the metadata stage looks up).
// romanize: Devanagari lines on stdin → romanized Hindi lines on stdout.
// glossary JOB: the glossary a job's run used.
#include "commands.hpp"

#include "cinesub/context.hpp"
#include "cinesub/job.hpp"
#include "cinesub/runtime.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace cinesub::cli {

namespace {

int run_parse_name(const std::string& file, const globals& g) {
    const auto n = parse_media_name(file);
    if (g.json) {
        nlohmann::json j{{"file", display_text(file)},
                         {"title", n.title},
                         {"year", n.year ? nlohmann::json(*n.year) : nlohmann::json(nullptr)},
                         {"discarded", n.discarded}};
        if (n.season) j["season"] = *n.season;
        if (n.episode) j["episode"] = *n.episode;
        print_json(j.dump(2));
        return 0;
    }
    std::printf("title:     %s\n", n.title.empty() ? "(none)" : n.title.c_str());
    std::printf("year:      %s\n", n.year ? std::to_string(*n.year).c_str() : "(none)");
    if (n.season) std::printf("season:    %d\n", *n.season);
    if (n.episode) std::printf("episode:   %d\n", *n.episode);
    std::string dropped;
    for (const auto& d : n.discarded) dropped += (dropped.empty() ? "" : " ") + d;
    std::printf("discarded: %s\n", dropped.empty() ? "(nothing)" : dropped.c_str());
    return 0;
}

// Line by line, so that it works as a filter in a pipe (each line is flushed).
int run_romanize(const std::string& glossary) {
    const hindi_romanizer r(glossary);
    std::string line;
    while (std::getline(std::cin, line)) {
        const bool cr = !line.empty() && line.back() == '\r';
        if (cr) line.pop_back();
        std::cout << r.line(line) << (cr ? "\r\n" : "\n") << std::flush;
    }
    return 0;
}

int run_glossary(const std::string& job_ref, const std::string& out, const globals& g) {
    const auto j = job::load(find_job(out.empty() ? default_out_root() : std::filesystem::path(out), job_ref));
    const auto doc = job_glossary(j);
    if (g.json) {
        print_json(doc.dump(2));
        return 0;
    }
    const auto& entries = doc["entries"];
    std::printf("glossary of job %s: %zu entries\n", j.id.c_str(), entries.size());
    for (const auto& e : entries) {
        std::string seen;
        for (const auto& [lang, n] : e["seen"].items()) seen += (seen.empty() ? "" : " ") + lang + ":" + n.dump();
        std::string aliases;
        for (const auto& a : e["aliases"]) aliases += (aliases.empty() ? "" : ", ") + a.get<std::string>();
        // A transliterated (guessed) Devanagari form is marked with '~'.
        std::string dev = e["devanagari"].get<std::string>();
        if (dev.empty())
            dev = "-";
        else if (e.value("devanagari_guessed", false))
            dev.insert(0, "~");
        std::printf("  %-28s %-20s %-9s seen %-12s %s%s%s\n", e["term"].get<std::string>().c_str(), dev.c_str(),
                    e["kind"].get<std::string>().c_str(), seen.empty() ? "-" : seen.c_str(),
                    e["source"].get<std::string>().c_str(), aliases.empty() ? "" : "; aka ", aliases.c_str());
    }
    return 0;
}

}  // namespace

void add_context_commands(CLI::App& app, globals& g) {
    auto file = std::make_shared<std::string>();
    auto* pn =
        app.add_subcommand("parse-name", "Show the title and year a film's file name gives (what TMDB is asked)");
    pn->add_option("file", *file, "File name or path (need not exist)")->required();
    pn->callback([file, &g] { g.action = [file, &g] { return run_parse_name(*file, g); }; });

    auto glossary = std::make_shared<std::string>();
    auto* ro = app.add_subcommand("romanize", "Devanagari lines on stdin → romanized Hindi (Hinglish) lines on stdout");
    ro->add_option("--glossary", *glossary,
                   "Glossary TSV (term, Devanagari form, aliases): its names keep their spelling");
    ro->callback([glossary, &g] { g.action = [glossary] { return run_romanize(*glossary); }; });

    auto job_ref = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto* gl =
        app.add_subcommand("glossary", "Show the glossary a job used: names in both scripts, sources, how often seen");
    gl->add_option("job", *job_ref, "Job folder or id")->required();
    gl->add_option("-o,--out", *out, "Output root to find job ids in [default: $CINESUB_OUT or ./out]");
    gl->callback([job_ref, out, &g] { g.action = [job_ref, out, &g] { return run_glossary(*job_ref, *out, g); }; });
}

}  // namespace cinesub::cli
