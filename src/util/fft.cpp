#include "util/fft.hpp"

#include "cinesub/error.hpp"

#include <fftw3.h>
#include <fmt/format.h>

#include <algorithm>
#include <mutex>

namespace cinesub::util {

namespace {
std::mutex& planner_mutex() {
    static std::mutex m;
    return m;
}
}  // namespace

void power_spectrum::plan_deleter::operator()(fftwf_plan_s* p) const noexcept {
    std::lock_guard lock(planner_mutex());
    fftwf_destroy_plan(p);
}

void power_spectrum::buffer_deleter::operator()(void* p) const noexcept { fftwf_free(p); }

power_spectrum::power_spectrum(std::size_t n_fft) : n_(n_fft) {
    if (n_ < 2) throw error(errc::internal, fmt::format("power_spectrum: {} points is too few", n_));
    in_.reset(static_cast<float*>(fftwf_malloc(sizeof(float) * n_)));
    out_.reset(static_cast<float(*)[2]>(fftwf_malloc(sizeof(fftwf_complex) * bins())));
    if (!in_ || !out_) throw error(errc::internal, "FFTW could not allocate its buffers");
    std::fill(in_.get(), in_.get() + n_, 0.0f);
    {
        std::lock_guard lock(planner_mutex());
        plan_.reset(fftwf_plan_dft_r2c_1d(static_cast<int>(n_), in_.get(), out_.get(), FFTW_ESTIMATE));
    }
    if (!plan_) throw error(errc::internal, fmt::format("FFTW could not plan a {}-point transform", n_));
}

power_spectrum::~power_spectrum() = default;

void power_spectrum::zero_tail(std::size_t filled) noexcept {
    if (filled < n_) std::fill(in_.get() + filled, in_.get() + n_, 0.0f);
}

void power_spectrum::compute(std::span<float> power) {
    if (power.size() != bins())
        throw error(errc::internal, fmt::format("power_spectrum: {} outputs for {} bins", power.size(), bins()));
    fftwf_execute_dft_r2c(plan_.get(), in_.get(), out_.get());
    const auto* out = out_.get();
    for (std::size_t k = 0; k < bins(); ++k) power[k] = out[k][0] * out[k][0] + out[k][1] * out[k][1];
}

}  // namespace cinesub::util
