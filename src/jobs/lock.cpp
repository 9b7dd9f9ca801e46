#include "jobs/lock.hpp"

#include "cinesub/error.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <string>

namespace cinesub::jobs {

job_lock::job_lock(const std::filesystem::path& job_dir) {
    auto path = job_dir / ".lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw error(errc::io, fmt::format("cannot open job lock {}: {}", path.string(), std::strerror(errno)));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        char buf[32] = {};
        [[maybe_unused]] auto n = ::pread(fd_, buf, sizeof buf - 1, 0);
        ::close(fd_);
        fd_ = -1;
        throw error(errc::job_locked,
                    fmt::format("job {} is being run by another cinesub (pid {}); wait for it or stop it",
                                job_dir.string(), std::string(buf).empty() ? "?" : std::string(buf)));
    }
    auto pid = std::to_string(::getpid());
    [[maybe_unused]] auto t = ::ftruncate(fd_, 0);
    [[maybe_unused]] auto w = ::pwrite(fd_, pid.data(), pid.size(), 0);
}

job_lock::~job_lock() {
    if (fd_ >= 0) {
        [[maybe_unused]] auto t = ::ftruncate(fd_, 0);
        ::flock(fd_, LOCK_UN);
        ::close(fd_);
    }
}

std::unique_ptr<file_lock> file_lock::try_acquire(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) throw error(errc::io, fmt::format("cannot open lock {}: {}", path.string(), std::strerror(errno)));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return nullptr;
    }
    return std::unique_ptr<file_lock>(new file_lock(fd));
}

file_lock::~file_lock() {
    if (fd_ >= 0) {
        ::flock(fd_, LOCK_UN);
        ::close(fd_);
    }
}

}  // namespace cinesub::jobs
