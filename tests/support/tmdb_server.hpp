// A local TMDB (API v3) on 127.0.0.1, a random port: search/movie and movie/{id} answered from film
// details in TMDB's recorded shape (tests/metadata/data/), the credentials checked as TMDB does
// (401 status_code 7), unknown ids 404 status_code 34, and scripted answers (a status, a body, a
// Retry-After, a delay) served first, in order. Every request is recorded.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cinesub::test {

struct tmdb_request {
    std::string path;
    std::map<std::string, std::string> params;
    std::string authorization;
    double at = 0;  // seconds since the server started
};

struct tmdb_scripted {
    int status = 200;
    std::string body;         // served as application/json (need not be JSON)
    std::string retry_after;  // Retry-After header, when not empty
    int delay_ms = 0;         // wait before answering
};

class tmdb_server {
public:
    // Requests must carry api_key=<api_key> or "Authorization: Bearer <read_token>".
    explicit tmdb_server(std::string api_key, std::string read_token = "");
    ~tmdb_server();
    tmdb_server(const tmdb_server&) = delete;
    tmdb_server& operator=(const tmdb_server&) = delete;

    std::string url() const;  // "http://127.0.0.1:PORT/3": what metadata.tmdb_url takes
    void add_film(nlohmann::json details);
    void add_film_file(const std::filesystem::path& json_file);
    void push(tmdb_scripted answer);
    std::vector<tmdb_request> requests() const;

private:
    nlohmann::json search(const httplib::Request& req) const;

    httplib::Server http_;
    std::thread thread_;
    int port_ = 0;
    std::string api_key_, read_token_;
    mutable std::mutex mutex_;
    std::map<int, nlohmann::json> films_;
    std::deque<tmdb_scripted> script_;
    std::vector<tmdb_request> requests_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

// The recorded answers in tests/metadata/data/ (movie_14873.json: "Jaane Tu... Ya Jaane Na", 2008).
std::filesystem::path tmdb_data(const std::string& name);

}  // namespace cinesub::test
