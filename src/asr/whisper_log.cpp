#include "asr/whisper_log.hpp"

#include <spdlog/spdlog.h>
#include <whisper.h>

#include <mutex>
#include <string_view>

namespace cinesub::asr {

namespace {
void log_callback(ggml_log_level level, const char* text, void* /*user_data*/) {
    if (text == nullptr) return;
    std::string_view line(text);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.empty()) return;
    switch (level) {
        case GGML_LOG_LEVEL_ERROR:
            spdlog::warn("whisper.cpp: {}", line);
            break;
        case GGML_LOG_LEVEL_WARN:
            spdlog::info("whisper.cpp: {}", line);
            break;
        case GGML_LOG_LEVEL_INFO:
            spdlog::debug("whisper.cpp: {}", line);
            break;
        default:
            spdlog::trace("whisper.cpp: {}", line);
            break;
    }
}
}  // namespace

std::mutex& whisper_init_mutex() {
    static std::mutex m;
    return m;
}

void route_whisper_logs() {
    static std::once_flag once;
    std::call_once(once, [] { whisper_log_set(log_callback, nullptr); });
}

}  // namespace cinesub::asr
