#include "support.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <array>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

namespace cinesub::test {

namespace fs = std::filesystem;

fs::path testdata(const std::string& relative) {
    // CINESUB_TESTDATA overrides the path compiled in (../shared/testdata beside the source tree).
    const char* env = std::getenv("CINESUB_TESTDATA");
    return fs::path(env && *env ? env : CINESUB_TESTDATA_DIR) / relative;
}

temp_dir::temp_dir() {
    std::random_device rd;
    for (int i = 0; i < 100; ++i) {
        auto p = fs::temp_directory_path() / ("cinesub-test-" + std::to_string(rd()));
        if (fs::create_directory(p)) {
            path_ = p;
            return;
        }
    }
    throw std::runtime_error("cannot create a temp dir");
}

temp_dir::~temp_dir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
}

fs::path cli_path() {
    if (const char* bin = std::getenv("CINESUB_BIN")) return bin;
    return fs::path(CINESUB_BINARY_DIR) / "tools" / "cinesub";
}

namespace {
std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
}  // namespace

run_result run_cli(const std::vector<std::string>& args, const std::vector<std::string>& extra_env,
                   long file_size_limit, const fs::path& stdin_file) {
    temp_dir io;
    auto out_path = io / "stdout";
    auto err_path = io / "stderr";
    pid_t pid = ::fork();
    if (pid == 0) {
        int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int in = ::open(stdin_file.empty() ? "/dev/null" : stdin_file.c_str(), O_RDONLY);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(err, 2);
        // Hermetic: no developer's TMDB key or config file (a test that wants TMDB passes its own).
        ::unsetenv("TMDB_API_KEY");
        ::unsetenv("TMDB_READ_TOKEN");
        ::setenv("CINESUB_CONFIG", "/nonexistent/cinesub-test-config.json", 1);
        for (const auto& e : extra_env) ::putenv(const_cast<char*>(e.c_str()));
        if (file_size_limit > 0) {
            ::signal(SIGXFSZ, SIG_IGN);  // kept across exec: writes fail with EFBIG instead of killing
            rlimit lim{static_cast<rlim_t>(file_size_limit), static_cast<rlim_t>(file_size_limit)};
            ::setrlimit(RLIMIT_FSIZE, &lim);
        }
        auto bin = cli_path().string();
        std::vector<char*> argv{bin.data()};
        std::vector<std::string> copy = args;
        for (auto& a : copy) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(bin.c_str(), argv.data());
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    run_result r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(out_path);
    r.err = slurp(err_path);
    return r;
}

std::vector<fs::path> leftover_temporaries(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); ++it)
        if (it->path().filename().string().find(".tmp.") != std::string::npos) out.push_back(it->path());
    return out;
}

}  // namespace cinesub::test
