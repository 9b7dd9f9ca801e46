// Power spectra of real frames with FFTW (single precision), one plan per object. FFTW's planner is
// not thread-safe: plans are made and destroyed under one lock; execution (the new-array interface)
// is, so each thread owns its own power_spectrum.
#pragma once

#include <cstddef>
#include <memory>
#include <span>

struct fftwf_plan_s;

namespace cinesub::util {

class power_spectrum {
public:
    // error(internal) when FFTW cannot allocate or plan.
    explicit power_spectrum(std::size_t n_fft);
    ~power_spectrum();
    power_spectrum(const power_spectrum&) = delete;
    power_spectrum& operator=(const power_spectrum&) = delete;

    std::size_t size() const noexcept { return n_; }
    std::size_t bins() const noexcept { return n_ / 2 + 1; }
    // The transform's input: fill the first samples (the rest must be zero — zero_tail() does it).
    std::span<float> input() noexcept { return {in_.get(), n_}; }
    void zero_tail(std::size_t filled) noexcept;
    // |X_k|² for k = 0 … n/2 of input() into `power` (bins() values).
    void compute(std::span<float> power);

private:
    struct plan_deleter {
        void operator()(fftwf_plan_s* p) const noexcept;
    };
    struct buffer_deleter {
        void operator()(void* p) const noexcept;
    };
    std::size_t n_;
    std::unique_ptr<float, buffer_deleter> in_;
    std::unique_ptr<float[2], buffer_deleter> out_;
    std::unique_ptr<fftwf_plan_s, plan_deleter> plan_;
};

}  // namespace cinesub::util
