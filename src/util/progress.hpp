// Progress on a terminal (stage, percent, ETA); silent in pipes and CI.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>

namespace cinesub::util {

// True when stderr is a terminal, CI is unset and CINESUB_NO_PROGRESS is unset.
bool progress_enabled_by_default();

class progress {
public:
    progress(std::string stage, bool enabled);
    ~progress();
    progress(const progress&) = delete;
    progress& operator=(const progress&) = delete;

    // fraction in [0, 1]; detail is a short free text ("chunk 3/12, 4.1x realtime"). Thread-safe.
    void report(double fraction, std::string_view detail = {});
    void finish();
    double last_fraction() const { return fraction_; }
    // The line that would be printed (exposed for tests).
    std::string line() const;

private:
    std::string stage_;
    bool enabled_;
    bool drawn_ = false;
    double fraction_ = 0;
    std::string detail_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_{};
    mutable std::mutex mutex_;
};

}  // namespace cinesub::util
