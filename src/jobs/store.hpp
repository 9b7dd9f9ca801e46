// Where jobs live: OUT/YYYY/MM/DD/<user>/<YYYYMMDD-NNNN>/.
#pragma once

#include "cinesub/job.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace cinesub::jobs {

// default_out_root, default_user, find_job and list_job_dirs are public (cinesub/job.hpp).

struct new_job_dir {
    std::string id;             // YYYYMMDD-NNNN
    std::filesystem::path dir;  // absolute
};

// Reserves the next free job number of that day (under OUT/YYYY/MM/DD/.ids, by atomic mkdir, so two
// prepares at once never get the same id) and creates the job folder.
new_job_dir create_job_dir(const std::filesystem::path& out_root, const std::string& user,
                           std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace cinesub::jobs
