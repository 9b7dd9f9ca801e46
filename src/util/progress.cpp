#include "util/progress.hpp"

#include <fmt/format.h>

#include <unistd.h>
#include <cstdio>
#include <cstdlib>

namespace cinesub::util {

bool progress_enabled_by_default() {
    if (std::getenv("CI") || std::getenv("CINESUB_NO_PROGRESS")) return false;
    return ::isatty(STDERR_FILENO) == 1;
}

progress::progress(std::string stage, bool enabled)
    : stage_(std::move(stage)), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

progress::~progress() { finish(); }

std::string progress::line() const {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::string eta = "--:--";
    if (fraction_ > 0.01 && fraction_ < 1.0) {
        auto left = static_cast<long>(elapsed * (1.0 - fraction_) / fraction_);
        eta = left >= 3600 ? fmt::format("{}:{:02}:{:02}", left / 3600, left / 60 % 60, left % 60)
                           : fmt::format("{:02}:{:02}", left / 60, left % 60);
    }
    return fmt::format("[{}] {:5.1f}%  ETA {}  {}", stage_, fraction_ * 100.0, eta, detail_);
}

void progress::report(double fraction, std::string_view detail) {
    std::lock_guard lock(mutex_);
    fraction_ = fraction < 0 ? 0 : fraction > 1 ? 1 : fraction;
    detail_ = std::string(detail);
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_draw_ < std::chrono::milliseconds(200) && fraction_ < 1.0) return;
    last_draw_ = now;
    std::fprintf(stderr, "\r\033[K%s", line().c_str());
    std::fflush(stderr);
    drawn_ = true;
}

void progress::finish() {
    std::lock_guard lock(mutex_);
    if (enabled_ && drawn_) {
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
    }
    drawn_ = false;
}

}  // namespace cinesub::util
