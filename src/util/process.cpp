#include "util/process.hpp"

#include "cinesub/error.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <map>

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX declares it nowhere

namespace cinesub::util {

namespace {

int status_of(int raw) { return WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + (WIFSIGNALED(raw) ? WTERMSIG(raw) : 0); }

// posix_spawn's C objects, released on every path.
struct spawn_actions {
    posix_spawn_file_actions_t value{};
    spawn_actions() { posix_spawn_file_actions_init(&value); }
    ~spawn_actions() { posix_spawn_file_actions_destroy(&value); }
    spawn_actions(const spawn_actions&) = delete;
    spawn_actions& operator=(const spawn_actions&) = delete;
};
struct spawn_attributes {
    posix_spawnattr_t value{};
    spawn_attributes() { posix_spawnattr_init(&value); }
    ~spawn_attributes() { posix_spawnattr_destroy(&value); }
    spawn_attributes(const spawn_attributes&) = delete;
    spawn_attributes& operator=(const spawn_attributes&) = delete;
};

}  // namespace

child_process::child_process(const child_spec& spec) {
    spawn_actions actions;
    const std::string out = spec.stdout_path.empty() ? "/dev/null" : spec.stdout_path.string();
    const std::string err = spec.stderr_path.empty() ? "/dev/null" : spec.stderr_path.string();
    posix_spawn_file_actions_addopen(&actions.value, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions.value, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions.value, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);

    spawn_attributes attributes;
    sigset_t defaults;
    sigemptyset(&defaults);
    for (const int sig : {SIGINT, SIGTERM, SIGPIPE, SIGHUP}) sigaddset(&defaults, sig);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attributes.value, &defaults);
    posix_spawnattr_setsigmask(&attributes.value, &none);
    posix_spawnattr_setpgroup(&attributes.value, 0);
    posix_spawnattr_setflags(&attributes.value, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    std::map<std::string, std::string> env;
    for (char** e = environ; e && *e; ++e) {
        const std::string kv = *e;
        const auto eq = kv.find('=');
        if (eq != std::string::npos) env[kv.substr(0, eq)] = kv;
    }
    for (const auto& kv : spec.env) env[kv.substr(0, kv.find('='))] = kv;
    std::vector<std::string> env_list;
    env_list.reserve(env.size());
    for (auto& [key, kv] : env) env_list.push_back(kv);
    std::vector<char*> envp;
    envp.reserve(env_list.size() + 1);
    for (auto& kv : env_list) envp.push_back(kv.data());
    envp.push_back(nullptr);

    std::string program = spec.program.string();
    std::vector<std::string> args = spec.args;
    std::vector<char*> argv{program.data()};
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    const int rc = ::posix_spawn(&pid_, program.c_str(), &actions.value, &attributes.value, argv.data(), envp.data());
    if (rc != 0) {
        pid_ = -1;
        throw error(errc::io, fmt::format("cannot start {}: {}", program, std::strerror(rc)));
    }
}

child_process::~child_process() {
    if (pid_ > 0 && !status_) {
        ::kill(pid_, SIGKILL);
        int raw = 0;
        while (::waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
        }
    }
}

std::optional<int> child_process::poll() {
    if (status_ || pid_ <= 0) return status_;
    int raw = 0;
    const pid_t r = ::waitpid(pid_, &raw, WNOHANG);
    if (r == pid_) status_ = status_of(raw);
    return status_;
}

int child_process::wait() {
    while (!status_) {
        int raw = 0;
        const pid_t r = ::waitpid(pid_, &raw, 0);
        if (r == pid_)
            status_ = status_of(raw);
        else if (r < 0 && errno != EINTR)
            status_ = 1;  // not ours to wait for: treat as failed
    }
    return *status_;
}

void child_process::signal(int sig) const {
    if (pid_ > 0 && !status_) ::kill(pid_, sig);
}

}  // namespace cinesub::util
