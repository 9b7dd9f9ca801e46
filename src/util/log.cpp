#include "util/log.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <atomic>

namespace cinesub::util {

namespace {
std::atomic<spdlog::level::level_enum> g_level{spdlog::level::info};

// Warnings reach the terminal as they happen; errors do not: the CLI prints the one error line
// itself (with its exit code), so a failure never shows twice.
class warnings_to_stderr final : public spdlog::sinks::sink {
public:
    void log(const spdlog::details::log_msg& msg) override {
        if (msg.level == spdlog::level::warn) inner_.log(msg);
    }
    void flush() override { inner_.flush(); }
    void set_pattern(const std::string& pattern) override { inner_.set_pattern(pattern); }
    void set_formatter(std::unique_ptr<spdlog::formatter> f) override { inner_.set_formatter(std::move(f)); }

private:
    spdlog::sinks::stderr_sink_mt inner_;
};

std::shared_ptr<spdlog::sinks::sink> stderr_sink() {
    static auto sink = [] {
        auto s = std::make_shared<warnings_to_stderr>();
        s->set_pattern("cinesub: warning: %v");
        return s;
    }();
    return sink;
}
}  // namespace

void set_log_level(const std::string& level) { g_level = spdlog::level::from_str(level); }
spdlog::level::level_enum log_level() { return g_level; }

std::shared_ptr<spdlog::logger> make_file_logger(const std::string& name, const std::filesystem::path& file) {
    std::filesystem::create_directories(file.parent_path());
    auto file_sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file.string(), false);
    file_sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l [%n] %v");
    auto logger = std::make_shared<spdlog::logger>(name, spdlog::sinks_init_list{file_sink, stderr_sink()});
    logger->set_level(g_level);
    logger->flush_on(spdlog::level::info);
    return logger;
}

std::shared_ptr<spdlog::logger> make_child_logger(const std::string& name, const std::filesystem::path& file,
                                                  const std::shared_ptr<spdlog::logger>& parent) {
    std::filesystem::create_directories(file.parent_path());
    auto file_sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file.string(), false);
    file_sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l [%n] %v");
    std::vector<spdlog::sink_ptr> sinks{file_sink};
    for (const auto& s : parent->sinks()) sinks.push_back(s);
    auto logger = std::make_shared<spdlog::logger>(name, sinks.begin(), sinks.end());
    logger->set_level(g_level);
    logger->flush_on(spdlog::level::info);
    return logger;
}

}  // namespace cinesub::util
