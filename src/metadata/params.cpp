#include "metadata/params.hpp"

namespace cinesub::metadata {

const settings::schema<params>& params::schema() {
    static const auto s =
        settings::schema<params>()
            .add("metadata.enabled", &params::enabled,
                 "Look the film up (TMDB, or metadata.file) for names; false: no metadata")
            .add("metadata.file", &params::file,
                 "Offline movie details (TMDB movie/{id} shape with credits; prepare --metadata); \"\": ask TMDB")
            .add("metadata.tmdb_id", &params::tmdb_id, "TMDB movie id: skips the search",
                 {.min = 1, .null_means = "search by title and year"})
            .add("metadata.tmdb_url", &params::tmdb_url, "TMDB API v3 base URL",
                 {.rule = [](const nlohmann::json& v) -> std::string {
                     const auto u = v.get<std::string>();
                     return u.starts_with("https://") || u.starts_with("http://")
                                ? ""
                                : "must start with http:// or https://";
                 }})
            .add("metadata.language", &params::language, "TMDB language of titles and overview (e.g. en-US, hi-IN)")
            .add("metadata.cache_days", &params::cache_days,
                 "TMDB answers are reused from the on-disk cache for this long; 0: no cache",
                 {.min = 0, .max = 183, .unit = "days"})
            .add("metadata.timeout_s", &params::timeout_s, "Timeout of one TMDB request",
                 {.min = 1, .max = 300, .unit = "s"})
            .add("metadata.retries", &params::retries, "Retries after a timeout, a 5xx or a 429 (with backoff)",
                 {.min = 0, .max = 10});
    return s;
}

}  // namespace cinesub::metadata
