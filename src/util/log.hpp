// Logging: spdlog loggers for the CLI (stderr) and per job/stage log files.
#pragma once

#include <spdlog/logger.h>

#include <filesystem>
#include <memory>
#include <string>

namespace cinesub::util {

void set_log_level(const std::string& level);  // trace, debug, info, warn, error
spdlog::level::level_enum log_level();

// A logger writing to `file` (appending) and, at warn and above, to stderr.
std::shared_ptr<spdlog::logger> make_file_logger(const std::string& name, const std::filesystem::path& file);
// The same, also writing every line to `parent`'s sinks (the pipeline log).
std::shared_ptr<spdlog::logger> make_child_logger(const std::string& name, const std::filesystem::path& file,
                                                  const std::shared_ptr<spdlog::logger>& parent);

}  // namespace cinesub::util
