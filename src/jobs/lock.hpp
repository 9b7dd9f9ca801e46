// The job lock: one `cinesub run` per job at a time (flock on JOB/.lock, released by the OS even
// when the process is killed).
#pragma once

#include <filesystem>

namespace cinesub::jobs {

class job_lock {
public:
    // Throws cinesub::error(errc::job_locked) naming the holder's pid when another process holds it.
    explicit job_lock(const std::filesystem::path& job_dir);
    ~job_lock();
    job_lock(const job_lock&) = delete;
    job_lock& operator=(const job_lock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace cinesub::jobs
