// Shared helpers for the tests: test data paths, temporary folders, running the CLI.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace cinesub::test {

// ../shared/testdata/<relative>; the test calls SKIP_IF_MISSING on it first.
std::filesystem::path testdata(const std::string& relative);

// A fresh folder under the system temp dir, removed when the object dies.
class temp_dir {
public:
    temp_dir();
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

struct run_result {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs the built `cinesub` binary (CINESUB_BIN, else the build tree's) with args, no shell.
// extra_env entries are "NAME=value". TMDB_API_KEY and TMDB_READ_TOKEN are cleared and CINESUB_CONFIG
// points nowhere unless extra_env sets them: tests never use a developer's TMDB key.
// file_size_limit > 0 sets RLIMIT_FSIZE in the child (writes past it fail with EFBIG, as on a full disk).
// stdin_file: what the child reads on stdin ("" → /dev/null).
run_result run_cli(const std::vector<std::string>& args, const std::vector<std::string>& extra_env = {},
                   long file_size_limit = 0, const std::filesystem::path& stdin_file = {});
// Path to the cinesub binary.
std::filesystem::path cli_path();

// Lists the files under `dir` (recursively) whose names contain ".tmp." (leftover temporaries).
std::vector<std::filesystem::path> leftover_temporaries(const std::filesystem::path& dir);

}  // namespace cinesub::test

#define CINESUB_SKIP_IF_MISSING(path)                                                        \
    do {                                                                                     \
        if (!std::filesystem::exists(path)) GTEST_SKIP() << "test data missing: " << (path); \
    } while (0)
