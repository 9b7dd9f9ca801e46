// whisper.cpp / ggml log lines go to spdlog (default logger) instead of stderr.
#pragma once

namespace cinesub::asr {

// Idempotent and thread-safe. whisper.cpp's INFO lines become spdlog debug, its WARN lines info
// and its ERROR lines warn (the caller turns failures into cinesub::error with one clear line).
void route_whisper_logs();

}  // namespace cinesub::asr
