#include "metadata/tmdb.hpp"

#include "metadata/film.hpp"

#include "cinesub/error.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <thread>

namespace cinesub::metadata {

namespace fs = std::filesystem;
using nlohmann::json;

// Owners of libcurl's handles (outside the anonymous namespace: tmdb_client::impl holds one).
struct tmdb_curl_deleter {
    void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
using tmdb_curl = std::unique_ptr<CURL, tmdb_curl_deleter>;

struct tmdb_slist_deleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
using tmdb_slist = std::unique_ptr<curl_slist, tmdb_slist_deleter>;

namespace {

struct tmdb_response {
    long status = 0;
    std::string body;
    std::string retry_after;  // the Retry-After header, as sent
    CURLcode code = CURLE_OK;
    std::string curl_message;
};

size_t tmdb_on_body(char* data, size_t size, size_t count, void* user) {
    auto* r = static_cast<tmdb_response*>(user);
    const size_t n = size * count;
    if (r->body.size() + n > (64u << 20)) return 0;  // a 64 MB answer is not TMDB's
    r->body.append(data, n);
    return n;
}

size_t tmdb_on_header(char* data, size_t size, size_t count, void* user) {
    auto* r = static_cast<tmdb_response*>(user);
    const size_t n = size * count;
    std::string_view line(data, n);
    constexpr std::string_view name = "retry-after:";
    if (line.size() > name.size() && util::lower_ascii(line.substr(0, name.size())) == name)
        r->retry_after = std::string(util::trim(line.substr(name.size())));
    return n;
}

std::string tmdb_env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(util::trim(std::string_view(v))) : std::string();
}

// Lower-case ASCII letters and digits of a title, everything else dropped ("Jaane Tu... Ya Jaane
// Na" == "jaane tu ya jaane na"); non-ASCII bytes are kept as they are.
std::string tmdb_title_key(std::string_view s) {
    std::string out;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x80 || (c >= '0' && c <= '9'))
            out += c;
        else if (c >= 'A' && c <= 'Z')
            out += static_cast<char>(c - 'A' + 'a');
        else if (c >= 'a' && c <= 'z')
            out += c;
    }
    return out;
}

std::vector<search_hit> tmdb_hits(const json& answer) {
    std::vector<search_hit> hits;
    if (!answer.is_object() || !answer.contains("results") || !answer["results"].is_array()) return hits;
    for (const auto& r : answer["results"]) {
        if (!r.is_object() || !r.contains("id") || !r["id"].is_number_integer()) continue;
        search_hit h;
        h.id = r["id"].get<int>();
        if (r.contains("title") && r["title"].is_string()) h.title = r["title"].get<std::string>();
        if (r.contains("original_title") && r["original_title"].is_string())
            h.original_title = r["original_title"].get<std::string>();
        if (r.contains("release_date") && r["release_date"].is_string())
            h.year = year_of_date(r["release_date"].get<std::string>());
        hits.push_back(std::move(h));
    }
    return hits;
}

// The hit to take: an exact title match (title or original title) first, else the first hit; with
// `near_year`, only hits released within a year of it count.
std::optional<search_hit> tmdb_choose(const std::vector<search_hit>& hits, const std::string& title,
                                      std::optional<int> near_year) {
    const auto key = tmdb_title_key(title);
    auto ok_year = [&](const search_hit& h) { return !near_year || (h.year && std::abs(*h.year - *near_year) <= 1); };
    for (const auto& h : hits)
        if (ok_year(h) && (tmdb_title_key(h.title) == key || tmdb_title_key(h.original_title) == key)) return h;
    for (const auto& h : hits)
        if (ok_year(h)) return h;
    return std::nullopt;
}

// TMDB's error body: {"status_code": 7, "status_message": "Invalid API key…"}.
std::string tmdb_status_text(const std::string& body) {
    try {
        const auto j = json::parse(body);
        if (j.is_object() && j.contains("status_code")) {
            std::string msg = j.contains("status_message") && j["status_message"].is_string()
                                  ? j["status_message"].get<std::string>()
                                  : std::string();
            return fmt::format("status_code {}{}{}", j["status_code"].dump(), msg.empty() ? "" : ": ", msg);
        }
    } catch (const std::exception&) {
    }
    return "no TMDB status in the answer";
}

}  // namespace

fs::path user_config_path() {
    const auto explicit_path = tmdb_env("CINESUB_CONFIG");
    if (!explicit_path.empty()) return explicit_path;
    return util::xdg_dir("XDG_CONFIG_HOME", ".config") / "cinesub" / "config.json";
}

fs::path default_cache_dir() { return util::xdg_dir("XDG_CACHE_HOME", ".cache") / "cinesub" / "tmdb"; }

credentials find_credentials() {
    credentials c;
    c.read_token = tmdb_env("TMDB_READ_TOKEN");
    c.api_key = tmdb_env("TMDB_API_KEY");
    if (!c.empty()) {
        c.source = !c.read_token.empty() ? "TMDB_READ_TOKEN" : "TMDB_API_KEY";
        return c;
    }
    const auto path = user_config_path();
    std::error_code ec;
    if (!fs::exists(path, ec)) return c;
    json j;
    try {
        j = json::parse(util::read_file(path));
    } catch (const std::exception&) {
        throw error(errc::usage, fmt::format("config file {} is not JSON (expected {{\"tmdb\": {{\"api_key\": "
                                             "\"…\"}}}}); fix or remove it",
                                             path.string()));
    }
    if (!j.is_object()) throw error(errc::usage, fmt::format("config file {} is not a JSON object", path.string()));
    if (!j.contains("tmdb")) return c;
    const auto& t = j["tmdb"];
    auto field = [&](const char* key) -> std::string {
        if (!t.is_object() || !t.contains(key) || t[key].is_null()) return {};
        if (!t[key].is_string())
            throw error(errc::usage, fmt::format("config file {}: tmdb.{} must be a string", path.string(), key));
        return std::string(util::trim(t[key].get<std::string>()));
    };
    if (!t.is_object())
        throw error(errc::usage, fmt::format("config file {}: \"tmdb\" must be an object", path.string()));
    c.api_key = field("api_key");
    c.read_token = field("read_token");
    if (!c.empty()) c.source = "config file " + path.string();
    return c;
}

struct tmdb_client::impl {
    tmdb_curl curl;
};

tmdb_client::tmdb_client(credentials c, client_options o)
    : cred_(std::move(c)), opt_(std::move(o)), impl_(std::make_unique<impl>()) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    impl_->curl.reset(curl_easy_init());
    if (!impl_->curl) throw error(errc::internal, "curl_easy_init failed");
    while (!opt_.base_url.empty() && opt_.base_url.back() == '/') opt_.base_url.pop_back();
}

tmdb_client::~tmdb_client() = default;

std::string tmdb_client::redact(std::string text) const {
    for (const auto* secret : {&cred_.api_key, &cred_.read_token}) {
        if (secret->empty()) continue;
        for (auto pos = text.find(*secret); pos != std::string::npos; pos = text.find(*secret, pos + 3))
            text.replace(pos, secret->size(), "***");
    }
    return text;
}

json tmdb_client::get(const std::string& path, const std::vector<std::pair<std::string, std::string>>& query) {
    CURL* curl = impl_->curl.get();
    // The request as it is cached and named in messages: without the credentials.
    std::string request = path;
    auto params = query;
    params.emplace_back("language", opt_.language);
    std::sort(params.begin(), params.end());
    for (std::size_t i = 0; i < params.size(); ++i) {
        char* esc = curl_easy_escape(curl, params[i].second.data(), static_cast<int>(params[i].second.size()));
        request += (i ? "&" : "?") + params[i].first + "=" + (esc ? esc : "");
        curl_free(esc);
    }
    const auto where = fmt::format("TMDB {}", request);

    fs::path cache_file;
    if (!opt_.cache_dir.empty() && opt_.cache_days > 0) {
        cache_file = opt_.cache_dir / (util::sha256_hex(opt_.base_url + request).substr(0, 32) + ".json");
        std::error_code ec;
        if (!opt_.refresh && fs::exists(cache_file, ec)) {
            try {
                const auto cached = util::read_json(cache_file);
                const auto age = static_cast<double>(std::time(nullptr)) - cached.at("fetched_at").get<double>();
                if (cached.at("request").get<std::string>() == opt_.base_url + request && age >= 0 &&
                    age < opt_.cache_days * 86400.0) {
                    ++stats_.cache_hits;
                    return cached.at("answer");
                }
            } catch (const std::exception&) {
                // an unreadable cache entry is fetched again and replaced
            }
        }
    }

    std::string url = opt_.base_url + request;
    if (cred_.read_token.empty() && !cred_.api_key.empty()) {
        char* esc = curl_easy_escape(curl, cred_.api_key.data(), static_cast<int>(cred_.api_key.size()));
        url += std::string(request.find('?') == std::string::npos ? "?" : "&") + "api_key=" + (esc ? esc : "");
        curl_free(esc);
    }
    tmdb_slist headers(curl_slist_append(nullptr, "Accept: application/json"));
    if (!cred_.read_token.empty())
        headers.reset(curl_slist_append(headers.release(), ("Authorization: Bearer " + cred_.read_token).c_str()));

    auto wait = [&](double seconds) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        while (std::chrono::steady_clock::now() < until) {
            if (opt_.should_stop && opt_.should_stop())
                throw error(errc::interrupted, fmt::format("{}: stopped while waiting to retry", where));
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    };

    std::string last_problem;
    for (int attempt = 0;; ++attempt) {
        if (opt_.should_stop && opt_.should_stop()) throw error(errc::interrupted, where + ": stopped");
        tmdb_response r;
        char errbuf[CURL_ERROR_SIZE] = {};
        curl_easy_reset(curl);
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, tmdb_on_body);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r);
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, tmdb_on_header);
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r);
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 3L);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(opt_.timeout_s * 1000));
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min(opt_.timeout_s, 10.0) * 1000));
        curl_easy_setopt(curl, CURLOPT_USERAGENT, "cinesub/" CINESUB_VERSION);
        ++stats_.requests;
        r.code = curl_easy_perform(curl);
        if (r.code == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);

        double retry_in = opt_.backoff_s * static_cast<double>(1 << std::min(attempt, 10));
        if (r.code != CURLE_OK) {
            last_problem = r.code == CURLE_OPERATION_TIMEDOUT
                               ? fmt::format("no answer within {:g} s", opt_.timeout_s)
                               : redact(errbuf[0] ? std::string(errbuf) : std::string(curl_easy_strerror(r.code)));
        } else if (r.status == 200) {
            json answer;
            try {
                answer = json::parse(r.body);
            } catch (const std::exception&) {
                std::string head(util::trim(std::string_view(r.body).substr(0, 40)));
                for (char& ch : head)
                    if (static_cast<unsigned char>(ch) < 0x20) ch = ' ';
                throw error(errc::service, fmt::format("{}: the answer is not JSON ({} bytes starting \"{}\")", where,
                                                       r.body.size(), redact(head)));
            }
            if (!cache_file.empty()) {
                try {
                    std::error_code ec;
                    fs::create_directories(cache_file.parent_path(), ec);
                    util::write_json_atomic(cache_file, {{"schema", 1},
                                                         {"request", opt_.base_url + request},
                                                         {"fetched_at", static_cast<double>(std::time(nullptr))},
                                                         {"answer", answer}});
                } catch (const std::exception&) {
                    // a cache that cannot be written costs a request next time, nothing else
                }
            }
            return answer;
        } else if (r.status == 429) {
            last_problem = "HTTP 429 (too many requests)";
            if (!r.retry_after.empty()) {
                char* end = nullptr;
                const double s = std::strtod(r.retry_after.c_str(), &end);
                if (end && *end == '\0' && s >= 0) {
                    retry_in = s;
                } else {
                    const auto when = curl_getdate(r.retry_after.c_str(), nullptr);
                    if (when > 0) retry_in = std::max(0.0, static_cast<double>(when - std::time(nullptr)));
                }
                if (retry_in > opt_.max_retry_after_s)
                    throw error(errc::service, fmt::format("{}: TMDB asks to wait {:g} s (Retry-After), more than "
                                                           "{:g} s; try again later",
                                                           where, retry_in, opt_.max_retry_after_s));
            }
        } else if (r.status >= 500) {
            last_problem = fmt::format("HTTP {}", r.status);
        } else if (r.status == 401) {
            throw error(
                errc::service,
                redact(fmt::format("{}: TMDB refused the credentials from {} (HTTP 401, {}); set a valid "
                                   "TMDB_API_KEY or TMDB_READ_TOKEN",
                                   where, cred_.source.empty() ? "nowhere" : cred_.source, tmdb_status_text(r.body))));
        } else if (r.status == 404) {
            throw error(errc::service,
                        redact(fmt::format("{}: TMDB has no such resource (HTTP 404, {}); check metadata.tmdb_id",
                                           where, tmdb_status_text(r.body))));
        } else {
            throw error(errc::service,
                        redact(fmt::format("{}: HTTP {} ({})", where, r.status, tmdb_status_text(r.body))));
        }
        if (attempt >= opt_.retries)
            throw error(errc::network, fmt::format("{}: {} after {} attempt{}; check the network or try later", where,
                                                   last_problem, attempt + 1, attempt ? "s" : ""));
        ++stats_.retries;
        wait(retry_in);
    }
}

std::optional<search_hit> tmdb_client::search_movie(const std::string& title, std::optional<int> year) {
    auto search = [&](std::vector<std::pair<std::string, std::string>> extra) {
        extra.emplace_back("query", title);
        extra.emplace_back("include_adult", "false");
        return tmdb_hits(get("/search/movie", extra));
    };
    if (!year) return tmdb_choose(search({}), title, std::nullopt);
    if (auto h = tmdb_choose(search({{"year", std::to_string(*year)}}), title, std::nullopt)) return h;
    const auto any_year = search({});
    if (auto h = tmdb_choose(any_year, title, year)) return h;
    for (int y : {*year - 1, *year + 1})
        if (auto h = tmdb_choose(search({{"primary_release_year", std::to_string(y)}}), title, std::nullopt)) return h;
    return tmdb_choose(any_year, title, std::nullopt);
}

json tmdb_client::movie_details(int id) {
    return get(fmt::format("/movie/{}", id),
               {{"append_to_response", "credits,alternative_titles,translations,keywords"}});
}

}  // namespace cinesub::metadata
