// Child processes: a program started with its output in files and in its own process group (so a
// terminal's Ctrl-C reaches only the parent, which stops each child once), waited for, signalled.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace cinesub::util {

struct child_spec {
    std::filesystem::path program;
    std::vector<std::string> args;      // after argv[0]
    std::vector<std::string> env;       // "KEY=VALUE", added to (or replacing in) this process's environment
    std::filesystem::path stdout_path;  // truncated; "" → /dev/null
    std::filesystem::path stderr_path;  // truncated; "" → /dev/null
};

class child_process {
public:
    // Throws error(io) when the program cannot be started.
    explicit child_process(const child_spec& spec);
    // A child still running is killed (SIGKILL) and reaped: no process outlives its handle.
    ~child_process();
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    pid_t pid() const { return pid_; }
    // The exit status once it has ended (a signal N gives 128 + N), without waiting.
    std::optional<int> poll();
    int wait();
    void signal(int sig) const;

private:
    pid_t pid_ = -1;
    std::optional<int> status_;
};

}  // namespace cinesub::util
