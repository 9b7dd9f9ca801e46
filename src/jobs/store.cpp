#include "jobs/store.hpp"

#include "cinesub/error.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <regex>

namespace cinesub {

namespace fs = std::filesystem;

namespace {

const std::regex id_pattern(R"((\d{4})(\d{2})(\d{2})-(\d{4,}))");

std::string safe_user(std::string user) {
    for (auto& c : user)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) c = '_';
    if (user.empty() || user == "." || user == "..") user = "user";
    return user;
}

}  // namespace

fs::path default_out_root() {
    if (const char* env = std::getenv("CINESUB_OUT"); env && *env) return fs::absolute(env);
    return fs::absolute("out");
}

std::string default_user() {
    if (const char* env = std::getenv("CINESUB_USER"); env && *env) return safe_user(env);
    if (const char* env = std::getenv("USER"); env && *env) return safe_user(env);
    if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_name) return safe_user(pw->pw_name);
    return "user";
}

namespace jobs {

new_job_dir create_job_dir(const fs::path& out_root, const std::string& user,
                           std::chrono::system_clock::time_point now) {
    auto day = std::chrono::floor<std::chrono::days>(now);
    std::chrono::year_month_day ymd{day};
    auto y = fmt::format("{:04}", static_cast<int>(ymd.year()));
    auto m = fmt::format("{:02}", static_cast<unsigned>(ymd.month()));
    auto d = fmt::format("{:02}", static_cast<unsigned>(ymd.day()));
    auto day_dir = fs::absolute(out_root) / y / m / d;
    auto ids_dir = day_dir / ".ids";
    std::error_code ec;
    fs::create_directories(ids_dir, ec);
    if (ec) throw error(errc::io, fmt::format("cannot create job folder under {}: {}", day_dir.string(), ec.message()));

    // Start after the highest number taken so far; mkdir is the atomic reservation.
    int next = 1;
    for (const auto& entry : fs::directory_iterator(ids_dir, ec)) {
        std::smatch match;
        auto name = entry.path().filename().string();
        if (std::regex_match(name, match, id_pattern)) next = std::max(next, std::stoi(match[4].str()) + 1);
    }
    for (int attempt = 0; attempt < 100000; ++attempt, ++next) {
        auto id = fmt::format("{}{}{}-{:04}", y, m, d, next);
        if (::mkdir((ids_dir / id).c_str(), 0755) != 0) {
            if (errno == EEXIST) continue;
            throw error(errc::io,
                        fmt::format("cannot reserve job id in {}: {}", ids_dir.string(), std::strerror(errno)));
        }
        auto dir = day_dir / safe_user(user) / id;
        fs::create_directories(dir, ec);
        if (ec) throw error(errc::io, fmt::format("cannot create {}: {}", dir.string(), ec.message()));
        return {id, dir};
    }
    throw error(errc::io, fmt::format("no free job id left in {}", ids_dir.string()));
}

}  // namespace jobs

fs::path find_job(const fs::path& out_root, const std::string& path_or_id) {
    std::error_code ec;
    fs::path as_path(path_or_id);
    if (fs::exists(as_path / "job.json", ec)) return fs::absolute(as_path);
    std::smatch match;
    if (std::regex_match(path_or_id, match, id_pattern)) {
        auto day_dir = out_root / match[1].str() / match[2].str() / match[3].str();
        for (const auto& user_dir : fs::directory_iterator(day_dir, ec)) {
            auto candidate = user_dir.path() / path_or_id;
            if (fs::exists(candidate / "job.json", ec)) return fs::absolute(candidate);
        }
    }
    if (fs::exists(as_path, ec) && fs::is_directory(as_path, ec))
        throw error(errc::job_not_found, fmt::format("{} is not a job folder (no job.json)", path_or_id));
    throw error(errc::job_not_found, fmt::format("unknown job '{}' (looked under {}); list jobs with 'cinesub jobs'",
                                                 path_or_id, out_root.string()));
}

std::vector<fs::path> list_job_dirs(const fs::path& out_root) {
    std::vector<fs::path> out;
    std::error_code ec;
    if (!fs::exists(out_root, ec)) return out;
    // OUT/YYYY/MM/DD/user/id: exactly five levels down.
    for (auto it = fs::recursive_directory_iterator(out_root, ec); it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (ec) break;
        if (it.depth() == 4 && it->is_directory()) {
            if (fs::exists(it->path() / "job.json")) out.push_back(it->path());
            it.disable_recursion_pending();
        }
    }
    std::sort(out.begin(), out.end(),
              [](const fs::path& a, const fs::path& b) { return a.filename().string() < b.filename().string(); });
    return out;
}

}  // namespace cinesub
