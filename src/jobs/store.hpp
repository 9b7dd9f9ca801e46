// Where jobs live: OUT/YYYY/MM/DD/<user>/<YYYYMMDD-NNNN>/.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace cinesub::jobs {

namespace fs = std::filesystem;

// The default output root: $CINESUB_OUT, else ./out.
fs::path default_out_root();
// The user name for job folders: $CINESUB_USER, $USER, else the passwd entry, else "user".
std::string default_user();

struct new_job_dir {
    std::string id;  // YYYYMMDD-NNNN
    fs::path dir;    // absolute
};

// Reserves the next free job number of that day (under OUT/YYYY/MM/DD/.ids, by atomic mkdir, so two
// prepares at once never get the same id) and creates the job folder.
new_job_dir create_job_dir(const fs::path& out_root, const std::string& user,
                           std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// A job folder from a path (a folder with job.json) or an id (YYYYMMDD-NNNN) under out_root.
// Throws errc::job_not_found.
fs::path find_job(const fs::path& out_root, const std::string& path_or_id);

// Every job folder under out_root, oldest first.
std::vector<fs::path> list_job_dirs(const fs::path& out_root);

}  // namespace cinesub::jobs
