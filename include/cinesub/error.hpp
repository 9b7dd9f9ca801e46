// cinesub — one exception type whose category maps to the CLI's exit code.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace cinesub {

// Each category has its own exit code (documented in README.md, printed by `cinesub --help`).
enum class errc : int {
    internal = 1,            // a bug: please report
    usage = 2,               // bad command line
    input_missing = 10,      // media/file does not exist
    input_unreadable = 11,   // exists but cannot be read (permissions, a directory…)
    input_not_media = 12,    // FFmpeg does not recognise it
    input_no_audio = 13,     // media has no audio stream
    input_empty_audio = 14,  // audio stream with zero samples / zero duration
    input_corrupt = 15,      // truncated or corrupt data
    range_invalid = 16,      // start >= end, unparsable time
    range_outside = 17,      // clip range outside the media's duration
    job_not_found = 20,      // unknown job id or path
    job_schema_newer = 21,   // job written by a newer cinesub
    job_locked = 22,         // another run holds the job lock
    job_invalid = 23,        // job.json unreadable / malformed
    io = 24,                 // write failed (disk full, read-only…)
    model_missing = 30,      // model not in the cache / path missing
    model_invalid = 31,      // not a model, wrong kind, corrupt, checksum mismatch
    network = 32,            // download failed / a service could not be reached
    service = 33,            // a service (TMDB) refused the request or answered badly
    stage_failed = 40,       // a critical stage failed
    stage_timeout = 41,      // a stage ran past its timeout
    check_failed = 50,       // `cinesub check`: hard style rules fail
    interrupted = 130,       // SIGINT/SIGTERM: work stopped cleanly, resumable
};

int exit_code(errc code) noexcept;
std::string_view errc_name(errc code) noexcept;

class error : public std::runtime_error {
public:
    error(errc code, const std::string& message) : std::runtime_error(message), code_(code) {}
    errc code() const noexcept { return code_; }

private:
    errc code_;
};

}  // namespace cinesub
