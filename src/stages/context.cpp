// Context stage (optional: fails soft): the film's glossary — metadata.json's cast, crew, titles,
// overview names and keywords, plus the user glossary (context.glossary), each name with a Devanagari
// form (given, or transliterated and marked guessed) — → glossary.json, which the ASR stage's prompts
// name, the correction stage matches and the subtitles stage spells names from (romanized Hindi).
#include "cinesub/error.hpp"
#include "context/glossary.hpp"
#include "context/params.hpp"
#include "metadata/film.hpp"
#include "stages/artefacts.hpp"
#include "stages/stages.hpp"
#include "util/fs.hpp"

#include <fmt/format.h>

#include <map>

namespace cinesub::stages {

namespace {

class context_stage final : public pipeline::stage {
public:
    std::string_view name() const override { return "context"; }
    bool critical() const override { return false; }

    std::vector<pipeline::setting_use> settings_read() const override {
        return pipeline::setting_uses().all(context::params::schema()).input({"context.glossary"});
    }

    std::vector<std::filesystem::path> inputs(const cinesub::job& job) const override {
        std::vector<std::filesystem::path> in;
        std::error_code ec;
        if (const auto m = pipeline::artefact_path(job, metadata_files::metadata); std::filesystem::exists(m, ec))
            in.push_back(m);
        if (const auto p = settings::read<context::params>(job.settings); !p.glossary.empty()) in.push_back(p.glossary);
        return in;
    }

    std::vector<std::filesystem::path> run(pipeline::stage_context& ctx) override {
        const auto p = settings::read<context::params>(ctx.job.settings);
        std::vector<context::glossary_entry> user, film;
        if (!p.glossary.empty()) user = context::read_user_glossary(p.glossary);
        const auto meta = ctx.path(metadata_files::metadata);
        std::error_code ec;
        if (std::filesystem::exists(meta, ec)) {
            const auto doc = util::read_json(meta);
            if (doc.contains("film") && doc["film"].is_object())
                film = context::glossary_from_film(metadata::film_from_json(doc["film"]));
        }
        auto g = context::merge_glossary(std::move(user), std::move(film));
        context::add_guessed_devanagari(g);
        std::map<std::string, int> kinds;
        for (const auto& e : g.entries) ++kinds[e.kind];
        std::string summary;
        for (const auto& [k, n] : kinds) summary += fmt::format("{}{} {}", summary.empty() ? "" : ", ", n, k);
        ctx.log->info("glossary: {} entries{}{}", g.entries.size(), summary.empty() ? "" : ": ", summary);
        ctx.record("entries", g.entries.size());
        const auto out = ctx.path(context_files::glossary);
        util::write_json_atomic(out, context::to_json(g));
        return {out};
    }
};

}  // namespace

std::unique_ptr<pipeline::stage> make_context_stage() { return std::make_unique<context_stage>(); }

}  // namespace cinesub::stages
