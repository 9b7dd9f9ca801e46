// TMDB API v3 client (libcurl): search/movie and movie/{id} with credits, alternative titles,
// translations and keywords. Answers are cached on disk by request; timeouts, retries with backoff,
// 429 honours Retry-After. Credentials (an API key or a v4 read-access token) never appear in a
// message, a log line or a cache file: every text that leaves the client goes through redact().
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cinesub::metadata {

struct credentials {
    std::string api_key;     // v3 key: sent as the api_key query parameter
    std::string read_token;  // v4 read-access token: sent as "Authorization: Bearer …" (preferred)
    std::string source;      // where they came from ("TMDB_API_KEY", "config file …"), for messages
    bool empty() const { return api_key.empty() && read_token.empty(); }
};

// The user config file: $CINESUB_CONFIG, else $XDG_CONFIG_HOME/cinesub/config.json, else
// ~/.config/cinesub/config.json. {"tmdb": {"api_key": "…", "read_token": "…"}}.
std::filesystem::path user_config_path();
// TMDB_READ_TOKEN / TMDB_API_KEY from the environment, else the config file; empty when neither.
// A config file that is not JSON of that shape: error(usage) naming it (never its content).
credentials find_credentials();
// $XDG_CACHE_HOME/cinesub/tmdb, else ~/.cache/cinesub/tmdb.
std::filesystem::path default_cache_dir();

struct client_options {
    std::string base_url = "https://api.themoviedb.org/3";
    std::string language = "en-US";
    double timeout_s = 10;
    int retries = 3;
    double backoff_s = 1;             // first retry after this, doubling
    double max_retry_after_s = 120;   // a 429 asking for a longer wait fails instead
    std::filesystem::path cache_dir;  // "" → no cache
    int cache_days = 30;
    bool refresh = false;               // ignore cached answers (and replace them)
    std::function<bool()> should_stop;  // polled while waiting; a stop throws error(interrupted)
};

struct client_stats {
    int requests = 0;    // HTTP requests sent (retries included)
    int cache_hits = 0;  // answers taken from the cache
    int retries = 0;
};

// One search result, as far as choosing between them needs.
struct search_hit {
    int id = 0;
    std::string title, original_title;
    std::optional<int> year;
};

class tmdb_client {
public:
    tmdb_client(credentials c, client_options o);
    ~tmdb_client();
    tmdb_client(const tmdb_client&) = delete;
    tmdb_client& operator=(const tmdb_client&) = delete;

    // GET base_url + path with the query (cached when cache_dir is set). Throws error(network) when
    // TMDB cannot be reached after the retries (or times out), error(service) when it refuses
    // (401 status_code 7, 404 status_code 34…) or answers with something that is not JSON.
    nlohmann::json get(const std::string& path, const std::vector<std::pair<std::string, std::string>>& query);

    // search/movie: the title with the year, then without it, then primary_release_year ±1. The
    // chosen hit: an exact (case- and punctuation-insensitive) title match first, else TMDB's first.
    std::optional<search_hit> search_movie(const std::string& title, std::optional<int> year);
    // movie/{id}?append_to_response=credits,alternative_titles,translations,keywords
    nlohmann::json movie_details(int id);

    const client_stats& stats() const { return stats_; }
    // `text` with the credentials replaced by "***".
    std::string redact(std::string text) const;

private:
    struct impl;
    credentials cred_;
    client_options opt_;
    client_stats stats_;
    std::unique_ptr<impl> impl_;
};

}  // namespace cinesub::metadata
