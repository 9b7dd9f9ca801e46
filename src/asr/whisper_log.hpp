// whisper.cpp / ggml log lines go to spdlog (default logger) instead of stderr.
#pragma once

#include <mutex>

namespace cinesub::asr {

// Idempotent and thread-safe. whisper.cpp's INFO lines become spdlog debug, its WARN lines info
// and its ERROR lines warn (the caller turns failures into cinesub::error with one clear line).
void route_whisper_logs();

// whisper.cpp's initialisers (whisper_init_from_file_with_params_no_state, whisper_init_state,
// whisper_vad_init_from_file_with_params) write ggml's process-wide log callback on the way
// (whisper_backend_init_gpu calls ggml_log_set), a data race when two threads create states at once
// (found by the TSan run). Every such call holds this lock.
std::mutex& whisper_init_mutex();

}  // namespace cinesub::asr
