// Edits saved as a revision: JOB/review/revisions/NNN/ with every format the job writes (and the
// JSON the page reads back), then review/current.json — each file atomically, current.json last, so
// a crash mid-save leaves the previous revision in force.
#include "cinesub/error.hpp"
#include "jobs/lock.hpp"
#include "review/review.hpp"
#include "subtitles/checker.hpp"
#include "util/fs.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace cinesub::review {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string utc_now() {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now);
}

// "Film.en.srt" → "Film.en.<ext>" beside it in `dir`.
fs::path sibling(const fs::path& dir, const fs::path& stage_file, std::string_view extension) {
    auto name = stage_file.filename();
    name.replace_extension(std::string(".") + std::string(extension));
    return dir / name;
}

}  // namespace

json save_revision(const job_view& view, int base_revision,
                   const std::vector<std::pair<const track*, std::vector<subs::cue>>>& tracks) {
    if (tracks.empty()) throw error(errc::usage, "nothing to save: the request lists no track");
    const auto& job_dir = view.job.dir;
    fs::create_directories(jobs::review_dir(job_dir));
    // Two review servers on one job: one save at a time, and the second one sees the first's revision.
    const auto lock = jobs::file_lock::try_acquire(jobs::review_dir(job_dir) / ".lock");
    if (!lock) throw revision_conflict("another save of this job is in progress; try again");
    auto state = jobs::read_review_state(job_dir);
    if (base_revision != state.revision)
        throw revision_conflict(fmt::format("the job is at revision {} now, not {}: reload the page to see it",
                                            state.revision, base_revision));
    const int number = state.revision + 1;
    const auto dir = jobs::revision_dir(job_dir, number);
    fs::remove_all(dir);  // a save that crashed before current.json named it
    fs::create_directories(dir);

    std::vector<std::string> formats = view.formats;
    if (std::find(formats.begin(), formats.end(), "json") == formats.end()) formats.emplace_back("json");

    json files = json::array(), languages = json::array();
    for (const auto& [tr, cues] : tracks) {
        for (const auto& f : formats) {
            const auto path = sibling(dir, tr->stage_file, f);
            subs::write_subtitles(path, f, cues, tr->write);
            files.push_back(fs::relative(path, job_dir).generic_string());
        }
        jobs::reviewed_track r;
        r.language = tr->language;
        r.file = fs::relative(sibling(dir, tr->stage_file, tr->stage_file.extension().string().substr(1)), job_dir);
        r.json = fs::relative(sibling(dir, tr->stage_file, "json"), job_dir);
        r.revision = number;
        std::error_code ec;
        r.base_sha256 = fs::exists(tr->stage_file, ec) ? util::sha256_file(tr->stage_file) : "";
        const std::string& language = tr->language;  // clang cannot capture a structured binding
        const auto it = std::find_if(state.tracks.begin(), state.tracks.end(),
                                     [&](const auto& t) { return t.language == language; });
        if (it != state.tracks.end())
            *it = std::move(r);
        else
            state.tracks.push_back(std::move(r));
        languages.push_back(tr->language);
    }
    auto checked = check_tracks(view, tracks);
    state.revision = number;
    state.time = utc_now();
    util::write_json_atomic(dir / "revision.json", json{{"schema", jobs::review_schema},
                                                        {"revision", number},
                                                        {"base_revision", base_revision},
                                                        {"time", state.time},
                                                        {"tracks", languages},
                                                        {"files", files},
                                                        {"check", checked["tracks"]}});
    jobs::write_review_state(job_dir, state);
    return {{"revision", number}, {"files", files}, {"tracks", checked["tracks"]}};
}

}  // namespace cinesub::review
