#include "jobs/revisions.hpp"

#include "cinesub/error.hpp"
#include "util/fs.hpp"
#include "util/path_json.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace cinesub::jobs {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A relative path that stays inside the job folder (no "..", not absolute).
bool inside_job(const fs::path& relative) {
    if (relative.empty() || relative.is_absolute() || relative.has_root_name()) return false;
    return std::none_of(relative.begin(), relative.end(), [](const fs::path& part) { return part == ".."; });
}

}  // namespace

const reviewed_track* review_state::find(std::string_view language) const {
    const auto it = std::find_if(tracks.begin(), tracks.end(), [&](const auto& t) { return t.language == language; });
    return it == tracks.end() ? nullptr : &*it;
}

fs::path review_dir(const fs::path& job_dir) { return job_dir / "review"; }

fs::path revision_dir(const fs::path& job_dir, int revision) {
    return review_dir(job_dir) / "revisions" / fmt::format("{:03}", revision);
}

review_state read_review_state(const fs::path& job_dir) {
    const auto path = review_dir(job_dir) / "current.json";
    std::error_code ec;
    if (!fs::exists(path, ec)) return {};
    review_state s;
    try {
        const auto j = util::read_json(path);
        s.revision = j.at("revision").get<int>();
        s.time = j.value("time", "");
        for (const auto& t : j.at("tracks")) {
            reviewed_track r;
            r.language = t.at("language").get<std::string>();
            r.file = util::path_from_json(t.at("file"));
            r.json = util::path_from_json(t.at("json"));
            r.revision = t.at("revision").get<int>();
            r.base_sha256 = t.value("base_sha256", "");
            if (!inside_job(r.file) || !inside_job(r.json))
                throw error(errc::job_invalid,
                            fmt::format("{}: track {} names a file outside the job folder", path.string(), r.language));
            s.tracks.push_back(std::move(r));
        }
    } catch (const json::exception& e) {
        throw error(errc::job_invalid, fmt::format("{}: not a review state ({})", path.string(), e.what()));
    }
    return s;
}

void write_review_state(const fs::path& job_dir, const review_state& state) {
    json tracks = json::array();
    for (const auto& t : state.tracks)
        tracks.push_back({{"language", t.language},
                          {"file", util::path_to_json(t.file)},
                          {"json", util::path_to_json(t.json)},
                          {"revision", t.revision},
                          {"base_sha256", t.base_sha256}});
    fs::create_directories(review_dir(job_dir));
    util::write_json_atomic(
        review_dir(job_dir) / "current.json",
        json{{"schema", review_schema}, {"revision", state.revision}, {"time", state.time}, {"tracks", tracks}});
}

}  // namespace cinesub::jobs
