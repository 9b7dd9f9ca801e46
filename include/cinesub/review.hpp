// cinesub — review a job's subtitles in the browser, and share them as one HTML file.
//
//   cinesub::serve_review(job_dir, {.on_ready = [](const std::string& url) { … }});
//   cinesub::write_review_report(job_dir, "review.html");
//
// The page (assets compiled in: no CDN, works offline) plays the film — the source when a browser
// plays it, else a WebM preview made once and kept in JOB/review/ — under a timeline (waveform, VAD
// speech, speaker turns, songs, each track's cues) and the cues of every track side by side with
// their style-check violations, low-confidence words, removed hallucinations and name corrections.
// Edits are saved as revisions in JOB/review/ (the stage outputs are never touched; see
// src/jobs/revisions.hpp) and can be re-muxed (`run --from mux`).
//
// Security: the server listens on 127.0.0.1 only; every request needs the random token of the URL
// (GET: ?token=…; a POST only in the X-Cinesub-Token header, so another site cannot post to it); only
// fixed routes exist (the page, the job document, the media, check/save/mux), so no path reaches
// another file; edits are validated (UTF-8, times, order, sizes) before anything is written.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <string>

namespace cinesub {

struct review_options {
    int port = 0;           // 0: any free port
    std::string token;      // "" → 128 random bits, hex
    bool preview = true;    // make a browser-playable preview when the source is not one
    bool progress = false;  // draw the preview's progress on the terminal
    // Called once the server listens, with the page's URL (http://127.0.0.1:PORT/?token=…).
    std::function<void(const std::string& url)> on_ready;
};

// Serves the review page of the job in `job_dir` until SIGINT/SIGTERM (util interrupt handlers).
// Throws error(job_not_found / job_invalid) for a job without subtitles, error(io) when the port
// cannot be bound.
void serve_review(const std::filesystem::path& job_dir, const review_options& options);

// The document the page shows (GET /api/job): title, fps, media, tracks with cues, words and
// violations, speakers, speech, songs, removed items, corrections, waveform. `media_url` is put in
// as is ("" → null: no video).
nlohmann::json review_document(const std::filesystem::path& job_dir, const std::string& media_url = "");

// A static, self-contained, read-only copy of the page with the document inside (no video unless
// `media_url` is given), written atomically.
void write_review_report(const std::filesystem::path& job_dir, const std::filesystem::path& out_html,
                         const std::string& media_url = "");

}  // namespace cinesub
