// Settings of the metadata stage (TMDB look-up or an offline file). The initialisers are the defaults.
// Credentials are not settings: they come from TMDB_API_KEY / TMDB_READ_TOKEN or the user config
// file (metadata/tmdb.hpp) and never reach job.json, manifests or logs.
#pragma once

#include "settings/schema.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace cinesub::metadata {

struct params {
    bool enabled = true;         // false: the stage writes an empty metadata.json
    std::filesystem::path file;  // offline movie details (prepare --metadata); "" → TMDB
    std::optional<int> tmdb_id;  // pin the film (skips the search)
    std::string tmdb_url = "https://api.themoviedb.org/3";
    std::string language = "en-US";  // TMDB's language parameter
    int cache_days = 30;             // answers kept on disk (TMDB's terms: at most 6 months)
    double timeout_s = 10;           // per request
    int retries = 3;                 // after a timeout, a 5xx or a 429

    static const settings::schema<params>& schema();
};

}  // namespace cinesub::metadata
