// Shared set-up for tests that drive the real `cinesub` binary: preparing a replay job on the
// Sintel clip, finding its folder, and checking error lines.
#pragma once

#include "cinesub/error.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace cinesub::test {

inline std::filesystem::path sintel_clip() { return testdata("media/video/sintel_trailer_first27s.webm"); }
inline std::filesystem::path sintel_reference() {
    return testdata("media/video/sintel_trailer_first27s_en.reference.srt");
}
inline std::filesystem::path silero() { return testdata("models/ggml-silero-v6.2.0.bin"); }

// The number of lines in `text`.
int line_count(const std::string& text);

// One clear line on stderr, the documented exit code, nothing on stdout.
void expect_error(const run_result& r, errc code, const std::string& fragment);

// `prepare MEDIA` for a replay job (the reference replayed as English ASR output, workflow
// transcribe) under `out`, user "tester", plus `extra`.
std::vector<std::string> replay_prepare_args(const std::filesystem::path& media, const std::filesystem::path& out,
                                             const std::filesystem::path& reference = sintel_reference(),
                                             const std::vector<std::string>& extra = {});

// Runs prepare (args as above, with --json) and returns the job folder; fails the test otherwise.
std::filesystem::path prepare_job(const std::vector<std::string>& prepare_args);

// Every file under a job's stages/ folder except manifests: relative path → contents.
std::vector<std::pair<std::string, std::string>> stage_outputs(const std::filesystem::path& job_dir);

}  // namespace cinesub::test
