#include "tmdb_server.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

namespace cinesub::test {

namespace {

using nlohmann::json;

std::string tmdb_key_of(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c >= 'A' && c <= 'Z')
            out += static_cast<char>(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80)
            out += c;
    }
    return out;
}

int tmdb_year_of(const json& details) {
    const auto d = details.value("release_date", "");
    return d.size() >= 4 ? std::atoi(d.substr(0, 4).c_str()) : 0;
}

json tmdb_status(int code, const char* message) {
    return {{"success", false}, {"status_code", code}, {"status_message", message}};
}

}  // namespace

std::filesystem::path tmdb_data(const std::string& name) {
    return std::filesystem::path(CINESUB_SOURCE_DIR) / "tests" / "metadata" / "data" / name;
}

tmdb_server::tmdb_server(std::string api_key, std::string read_token)
    : api_key_(std::move(api_key)), read_token_(std::move(read_token)) {
    auto handle = [this](const httplib::Request& req, httplib::Response& res) {
        tmdb_scripted scripted;
        bool have_script = false;
        {
            std::lock_guard lock(mutex_);
            tmdb_request r;
            r.path = req.path;
            for (const auto& [k, v] : req.params) r.params[k] = v;
            r.authorization = req.get_header_value("Authorization");
            r.at = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
            requests_.push_back(std::move(r));
            if (!script_.empty()) {
                scripted = script_.front();
                script_.pop_front();
                have_script = true;
            }
        }
        if (have_script) {
            if (scripted.delay_ms) std::this_thread::sleep_for(std::chrono::milliseconds(scripted.delay_ms));
            res.status = scripted.status;
            if (!scripted.retry_after.empty()) res.set_header("Retry-After", scripted.retry_after);
            res.set_content(scripted.body, "application/json");
            return;
        }
        const bool key_ok = !api_key_.empty() && req.has_param("api_key") && req.get_param_value("api_key") == api_key_;
        const bool token_ok = !read_token_.empty() && req.get_header_value("Authorization") == "Bearer " + read_token_;
        if (!key_ok && !token_ok) {
            res.status = 401;
            res.set_content(tmdb_status(7, "Invalid API key: You must be granted a valid key.").dump(),
                            "application/json");
            return;
        }
        if (req.path == "/3/search/movie") {
            res.set_content(search(req).dump(), "application/json");
            return;
        }
        const std::string prefix = "/3/movie/";
        if (req.path.rfind(prefix, 0) == 0) {
            const int id = std::atoi(req.path.substr(prefix.size()).c_str());
            std::lock_guard lock(mutex_);
            if (auto it = films_.find(id); it != films_.end()) {
                res.set_content(it->second.dump(), "application/json");
                return;
            }
        }
        res.status = 404;
        res.set_content(tmdb_status(34, "The resource you requested could not be found.").dump(), "application/json");
    };
    http_.Get(R"(/3/.*)", handle);
    port_ = http_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { http_.listen_after_bind(); });
    while (!http_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

tmdb_server::~tmdb_server() {
    http_.stop();
    thread_.join();
}

std::string tmdb_server::url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/3"; }

void tmdb_server::add_film(json details) {
    std::lock_guard lock(mutex_);
    const int id = details.at("id").get<int>();
    films_[id] = std::move(details);
}

void tmdb_server::add_film_file(const std::filesystem::path& json_file) {
    std::ifstream in(json_file);
    std::stringstream ss;
    ss << in.rdbuf();
    add_film(json::parse(ss.str()));
}

void tmdb_server::push(tmdb_scripted answer) {
    std::lock_guard lock(mutex_);
    script_.push_back(std::move(answer));
}

std::vector<tmdb_request> tmdb_server::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

// Like TMDB: a film matches when the query's letters are in its title (or original or an
// alternative title); `year` matches any release of that year, `primary_release_year` the first.
json tmdb_server::search(const httplib::Request& req) const {
    const auto query = tmdb_key_of(req.get_param_value("query"));
    const int year = req.has_param("year") ? std::atoi(req.get_param_value("year").c_str()) : 0;
    const int primary =
        req.has_param("primary_release_year") ? std::atoi(req.get_param_value("primary_release_year").c_str()) : 0;
    json results = json::array();
    std::lock_guard lock(mutex_);
    for (const auto& [id, d] : films_) {
        std::vector<std::string> titles{d.value("title", ""), d.value("original_title", "")};
        if (d.contains("alternative_titles"))
            for (const auto& t : d["alternative_titles"].value("titles", json::array()))
                titles.push_back(t.value("title", ""));
        const bool title_ok = !query.empty() && std::any_of(titles.begin(), titles.end(), [&](const auto& t) {
            return tmdb_key_of(t).find(query) != std::string::npos;
        });
        const int y = tmdb_year_of(d);
        if (!title_ok || (year && y != year) || (primary && y != primary)) continue;
        results.push_back({{"id", id},
                           {"title", d.value("title", "")},
                           {"original_title", d.value("original_title", "")},
                           {"original_language", d.value("original_language", "")},
                           {"release_date", d.value("release_date", "")},
                           {"overview", d.value("overview", "")},
                           {"popularity", d.value("popularity", 0.0)},
                           {"adult", false},
                           {"video", false}});
    }
    return {{"page", 1}, {"results", results}, {"total_pages", 1}, {"total_results", results.size()}};
}

}  // namespace cinesub::test
