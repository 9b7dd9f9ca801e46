// The job lock: one `cinesub run` per job at a time (flock on JOB/.lock, released by the OS even
// when the process is killed).
#pragma once

#include <filesystem>
#include <memory>

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

// Any other file as a lock (flock, released by the OS when the process dies): `cinesub batch` holds
// one per film and settings while it prepares and runs that film's job.
class file_lock {
public:
    // The lock, or nullptr when another process (or another file_lock here) holds it. Throws error(io)
    // when the file cannot be opened.
    static std::unique_ptr<file_lock> try_acquire(const std::filesystem::path& path);
    ~file_lock();
    file_lock(const file_lock&) = delete;
    file_lock& operator=(const file_lock&) = delete;

private:
    explicit file_lock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace cinesub::jobs
