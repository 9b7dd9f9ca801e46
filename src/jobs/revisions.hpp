// The user's reviewed subtitles (cinesub review): JOB/review/revisions/NNN/ holds the files of the
// tracks edited in save N (every subtitle format, plus a JSON with words and speakers), and
// JOB/review/current.json says which revision is in force and, per track, its file. Stages never
// write under review/: a re-run of the subtitles stage leaves the edits alone, and the mux stage muxes
// a track's reviewed file in place of the stage's (warning when the stage's output changed since).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace cinesub::jobs {

struct reviewed_track {
    std::string language;        // the tracks.json language ("hi", "hi-Latn", "en")
    std::filesystem::path file;  // the main file (SRT unless the job writes no SRT), relative to the job folder
    std::filesystem::path json;  // the JSON document of the same cues (words, speakers), relative
    int revision = 0;            // the save it comes from
    std::string base_sha256;     // sha256 of the subtitles stage's main file it was edited from
};

struct review_state {
    int revision = 0;  // 0: no save yet
    std::string time;  // ISO 8601 UTC of the last save
    std::vector<reviewed_track> tracks;

    const reviewed_track* find(std::string_view language) const;
};

inline constexpr int review_schema = 1;

std::filesystem::path review_dir(const std::filesystem::path& job_dir);
// JOB/review/current.json; an empty state when there is none. Throws errc::job_invalid for a
// current.json that is not one, or that names a file outside the job folder.
review_state read_review_state(const std::filesystem::path& job_dir);
// Atomic.
void write_review_state(const std::filesystem::path& job_dir, const review_state& state);
// JOB/review/revisions/NNN for revision n (1-based).
std::filesystem::path revision_dir(const std::filesystem::path& job_dir, int revision);

}  // namespace cinesub::jobs
