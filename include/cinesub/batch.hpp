// cinesub — many films: prepare and run one job per media file, N at a time, resumable.
//
//   cinesub::batch_options o;
//   o.source = "/films";             // a folder (searched recursively) or a list file
//   o.jobs = 2;                      // films at a time; the cores are split between them
//   o.prepare.workflow = "subtitle"; // what every job is prepared with
//   o.executable = "/usr/bin/cinesub";
//   auto report = cinesub::run_batch(o);
//
// Each film runs as its own `cinesub run JOB` process (one model load per film, a crash stays in its
// film). A film with a finished job for the same media file and the same options is skipped; one whose
// job stopped or failed is run again (the job resumes). OUT/batch/<key>.lock keeps two batches over the
// same films apart: the second one waits for a film the first one holds, then finds it finished.
#pragma once

#include "cinesub/job.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cinesub {

struct batch_options {
    // A folder (every media file below it, by extension or `glob`, sorted by path; the output root and
    // job folders inside it are left out) or a list file (one media path per line, relative to the
    // list's folder; blank lines and lines starting with '#' are skipped).
    std::filesystem::path source;
    std::string glob;                  // file-name pattern (fnmatch, e.g. "*.mkv"); "" → media extensions
    std::optional<std::size_t> index;  // only this entry (0-based): a Slurm array task, a Kubernetes index
    int jobs = 1;                      // films at a time
    prepare_options prepare;           // for every film (its media, title and year come from each file)
    std::filesystem::path executable;  // the cinesub binary that runs each job
    bool progress = false;             // a progress line for the whole batch on the terminal
};

struct batch_film {
    std::filesystem::path media;
    // done (ran to the end in this batch), skipped (finished before), failed, interrupted, not-run
    // (the batch was stopped before it started)
    std::string state;
    std::string job_id;
    std::filesystem::path job_dir;
    std::string error;         // one line, when failed
    double seconds = 0;        // this batch's wall time for the film
    double media_seconds = 0;  // the audio the job covers (its clip)
    double real_time_factor() const { return media_seconds > 0 ? seconds / media_seconds : 0; }
};

struct batch_report {
    std::vector<batch_film> films;  // in list order
    std::size_t ignored = 0;        // files in the folder that are not media (or do not match the glob)
    double seconds = 0;
    std::size_t count(std::string_view state) const;
};

// The films the batch would take, in order (after glob and index), and how many files were ignored.
// Throws error(input_missing) for a missing source or an empty selection, error(usage) for an index
// past the end.
std::vector<std::filesystem::path> batch_entries(const batch_options& options, std::size_t* ignored = nullptr);

// Runs the batch. Checks first (one error, nothing run): the source, the output root is writable, a
// model cache named by CINESUB_MODEL_DIR exists. A film that fails is reported and the others go on;
// options every film shares that are wrong (an unknown setting, a missing model) stop the batch with
// that error. Ctrl-C / SIGTERM: each running job is asked to stop once (it stops cleanly, resumable)
// and no new film starts.
batch_report run_batch(const batch_options& options);

nlohmann::json batch_report_json(const batch_report& report);

}  // namespace cinesub
