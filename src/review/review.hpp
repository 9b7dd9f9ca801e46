// The review page's model: a job's subtitle tracks as the page shows and edits them, the document
// of GET /api/job, the style check and the save of edits as a revision (src/jobs/revisions.hpp),
// and the page itself (assets compiled in). The HTTP server (server.cpp) is a thin layer over this.
#pragma once

#include "cinesub/job.hpp"
#include "jobs/revisions.hpp"
#include "subtitles/cue.hpp"
#include "subtitles/profile.hpp"
#include "subtitles/writers.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace cinesub::review {

struct track {
    std::string language;              // tracks.json language: "hi", "hi-Latn", "en"
    std::string name;                  // "Hindi"
    std::filesystem::path stage_file;  // the subtitles stage's main file (absolute)
    subs::profile style;               // the profile the stage laid it out with (overrides applied)
    subs::write_options write;         // how the stage wrote it (title, speaker names, italics, fps)
};

struct job_view {
    cinesub::job job;
    std::string title;
    double fps = 25;
    double duration = 0;  // seconds of the clip (the demuxed audio)
    double offset = 0;    // where the clip starts in the media (range.start): media time = cue time + offset
    std::vector<std::string> formats;  // subtitles.formats
    std::vector<track> tracks;         // tracks.json order

    const track* find(std::string_view language) const;
};

// Reads the job (job.json, the subtitles stage's tracks.json and report.json, media.json). Throws
// error(job_not_found) when the job has no subtitles yet ("run the job first").
job_view load_view(const std::filesystem::path& job_dir);

// The cues the page starts from: the reviewed revision of the track when there is one, else the
// stage's JSON (words and speakers), else its main file.
std::vector<subs::cue> current_cues(const job_view& view, const track& t, const jobs::review_state& state);

// The page's cue shape: {start, end, lines, speaker, line_speakers, song, confidence, words:[{text,
// start, end, p}]}, and violations with "hard".
nlohmann::json page_cue(const subs::cue& c);
nlohmann::json page_violation(const subs::violation& v);
// A cue edited in the page, validated: times finite, 0 ≤ start < end ≤ max_end, lines valid UTF-8
// without control characters, at most 8 lines of 500 bytes, words likewise. Throws error(usage)
// with what is wrong ("cue 3: end 1.000 is not after start 2.000").
subs::cue cue_from_page(const nlohmann::json& j, int number, double max_end);
// {"tracks":[{"lang","cues":[…]}]} → per track its cues, validated (known language, cues in time
// order, at most 100 000 a track). Throws error(usage).
std::vector<std::pair<const track*, std::vector<subs::cue>>> tracks_from_page(const job_view& view,
                                                                              const nlohmann::json& body);

// {"tracks":[{"lang","violations":[…]}]}: the style checker on the given cues.
nlohmann::json check_tracks(const job_view& view,
                            const std::vector<std::pair<const track*, std::vector<subs::cue>>>& tracks);

// Another save came first: the page's base revision is not the current one (HTTP 409).
class revision_conflict : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Writes the tracks as revision state.revision + 1 (every format of subtitles.formats, plus JSON),
// then review/current.json, under the lock JOB/review/.lock. Throws revision_conflict when
// base_revision is not the current one. Returns {"revision", "files", "tracks":[{lang, violations}]}.
nlohmann::json save_revision(const job_view& view, int base_revision,
                             const std::vector<std::pair<const track*, std::vector<subs::cue>>>& tracks);

// Peak |amplitude| per 1/rate s of the demuxed audio, 0..1, two decimals.
nlohmann::json waveform(const job_view& view, int rate = 20);

// The whole document of GET /api/job.
nlohmann::json document(const job_view& view, const std::string& media_url, const nlohmann::json& media_extra);

// The page: review.html with review.css, review.js and `window.CINESUB_BOOT = boot;` put in its
// markers. The boot JSON is escaped for a <script> element.
std::string compose_page(const nlohmann::json& boot);

}  // namespace cinesub::review
