// Metadata stage (optional: fails soft): who is in the film, from TMDB or an offline file →
// metadata.json ({"source": "tmdb"|"file"|"none", "query", "film"}), read by the context stage.
//
// The query is the title/year settings, else what metadata::parse_media_name finds in the media's
// file name. With neither credentials nor metadata.file the stage writes "source": "none" and says so
// once. TMDB answers are cached on disk (metadata.cache_days), so a re-run makes no request;
// `run --refresh` asks again. Whether credentials exist (never their value) is a derived setting,
// so a key added later re-runs the stage.
#include "cinesub/error.hpp"
#include "cinesub/settings.hpp"
#include "jobs/params.hpp"
#include "metadata/film.hpp"
#include "metadata/params.hpp"
#include "metadata/parse_name.hpp"
#include "metadata/tmdb.hpp"
#include "stages/artefacts.hpp"
#include "stages/stages.hpp"
#include "util/fs.hpp"

#include <fmt/format.h>

namespace cinesub::stages {

namespace {

using nlohmann::json;

struct metadata_query {
    std::string title;
    std::optional<int> year;
    std::string from;  // "settings", "file name"
};

// The title setting when the user gave it (a flag or a hand edit: prepare's default is the file's
// stem, which names files but is no query), else the title parsed from the media's file name.
metadata_query metadata_query_of(const cinesub::job& job) {
    const auto jp = settings::read<jobs::job_params>(job.settings);
    const auto it = job.settings.find("title");
    const bool given =
        it != job.settings.end() && it->second.from != setting_source::default_value && !jp.title.empty();
    metadata_query q;
    const auto parsed = metadata::parse_media_name(job.media_path().filename().string());
    q.title = given ? jp.title : parsed.title;
    q.year = jp.year ? jp.year : parsed.year;
    q.from = given ? "settings" : "file name";
    return q;
}

class metadata_stage final : public pipeline::stage {
public:
    std::string_view name() const override { return "metadata"; }
    bool critical() const override { return false; }
    bool uses_service() const override { return true; }

    std::vector<pipeline::setting_use> settings_read() const override {
        return pipeline::setting_uses()
            .all(metadata::params::schema())
            .only(jobs::job_params::schema(), {"title", "year"})
            .input({"metadata.file"})
            .not_hashed({"metadata.cache_days", "metadata.timeout_s", "metadata.retries"});
    }

    json derived_settings(const cinesub::job& job) const override {
        const auto q = metadata_query_of(job);
        return {{"metadata.query_title", q.title},
                {"metadata.query_year", q.year ? json(*q.year) : json(nullptr)},
                {"metadata.tmdb_credentials", !metadata::find_credentials().empty()}};
    }

    std::vector<std::filesystem::path> inputs(const cinesub::job& job) const override {
        const auto p = settings::read<metadata::params>(job.settings);
        if (p.enabled && !p.file.empty()) return {p.file};
        return {};
    }

    std::vector<std::filesystem::path> run(pipeline::stage_context& ctx) override {
        const auto p = settings::read<metadata::params>(ctx.job.settings);
        const auto q = metadata_query_of(ctx.job);
        json out{{"schema", 1},
                 {"query", {{"title", q.title}, {"year", q.year ? json(*q.year) : json(nullptr)}, {"from", q.from}}}};
        const auto path = ctx.path(metadata_files::metadata);
        auto finish = [&](std::string source, std::optional<metadata::film> f) {
            out["source"] = std::move(source);
            out["film"] = f ? metadata::to_json(*f) : json(nullptr);
            if (f) {
                ctx.record("cast", f->cast.size());
                ctx.log->info("metadata: \"{}\"{} from {}: {} cast, {} crew, {} keywords", f->title,
                              f->year ? fmt::format(" ({})", *f->year) : "", out["source"].get<std::string>(),
                              f->cast.size(), f->crew.size(), f->keywords.size());
            }
            util::write_json_atomic(path, out);
            return std::vector<std::filesystem::path>{path};
        };

        if (!p.enabled) {
            out["note"] = "metadata.enabled is false";
            return finish("none", std::nullopt);
        }
        if (!p.file.empty()) {
            int skipped = 0;
            auto f = metadata::read_film_file(p.file, &skipped);
            if (skipped)
                ctx.log->warn("metadata file {}: {} fields of an unexpected type ignored", p.file.string(), skipped);
            return finish("file", std::move(f));
        }
        const auto cred = metadata::find_credentials();
        if (cred.empty()) {
            ctx.log->warn(
                "metadata: no TMDB credentials (TMDB_API_KEY, TMDB_READ_TOKEN or {}) and no metadata file: continuing "
                "without the film's names (--set metadata.enabled=false: do not look)",
                metadata::user_config_path().string());
            out["note"] = "no TMDB credentials and no metadata.file";
            return finish("none", std::nullopt);
        }
        if (q.title.empty() && !p.tmdb_id)
            throw error(errc::usage, "metadata: no title to look up (set --title, or metadata.tmdb_id)");

        metadata::client_options o;
        o.base_url = p.tmdb_url;
        o.language = p.language;
        o.timeout_s = p.timeout_s;
        o.retries = p.retries;
        o.cache_dir = metadata::default_cache_dir();
        o.cache_days = p.cache_days;
        o.refresh = ctx.refresh;
        o.should_stop = ctx.stop_flag();
        metadata::tmdb_client client(cred, o);
        auto record_stats = [&] {
            ctx.record("requests", client.stats().requests);
            ctx.record("cache_hits", client.stats().cache_hits);
            ctx.record("retries", client.stats().retries);
        };
        int id = 0;
        if (p.tmdb_id) {
            id = *p.tmdb_id;
        } else {
            ctx.progress.report(0, "TMDB search");
            const auto hit = client.search_movie(q.title, q.year);
            if (!hit) {
                record_stats();
                throw error(errc::service,
                            fmt::format("TMDB has no film matching \"{}\"{}: set --title/--year as TMDB writes them, "
                                        "or metadata.tmdb_id",
                                        q.title, q.year ? fmt::format(" ({})", *q.year) : ""));
            }
            id = hit->id;
            out["tmdb_match"] = {
                {"id", hit->id}, {"title", hit->title}, {"year", hit->year ? json(*hit->year) : json(nullptr)}};
        }
        ctx.progress.report(0.5, "TMDB details");
        const auto details = client.movie_details(id);
        record_stats();
        int skipped = 0;
        auto f = metadata::film_from_tmdb(details, fmt::format("TMDB movie/{}", id), &skipped);
        if (skipped) ctx.log->warn("TMDB movie/{}: {} fields of an unexpected type ignored", id, skipped);
        return finish("tmdb", std::move(f));
    }
};

}  // namespace

std::unique_ptr<pipeline::stage> make_metadata_stage() { return std::make_unique<metadata_stage>(); }

}  // namespace cinesub::stages
