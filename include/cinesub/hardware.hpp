// cinesub — hardware detection for `cinesub doctor` and `prepare`: CPU, cores, SIMD, RAM (cgroup-
// aware), GPUs seen by ggml's backends, CUDA driver, FFmpeg and whisper.cpp versions; cached for an
// hour in $XDG_CACHE_HOME/cinesub/hardware.json; and a model/threads/workers recommendation that says why.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cinesub::hw {

struct gpu_info {
    std::string name;         // ggml device name ("CUDA0", "Vulkan0"…)
    std::string description;  // "NVIDIA H100 80GB HBM3"
    std::string type;         // "gpu", "igpu", "accel", "cpu"
    std::uint64_t memory_total = 0;
    std::uint64_t memory_free = 0;
};

struct hardware_info {
    int schema = 1;
    std::int64_t detected_at = 0;  // Unix seconds
    std::string cinesub_version;

    std::string cpu_model;
    std::string arch;                   // uname machine: x86_64, aarch64
    int logical_cores = 0;              // online CPUs of the machine
    int physical_cores = 0;             // distinct cores of the machine
    int usable_logical = 0;             // CPUs this process may run on (affinity, cgroup cpu.max)
    int usable_physical = 0;            // physical cores among them
    std::optional<double> cgroup_cpus;  // cpu.max quota / period, where one is set
    std::vector<std::string> simd;      // "AVX2", "FMA", "F16C", "AVX512F", "NEON"…

    std::uint64_t ram_total = 0;      // bytes usable: MemTotal, or the cgroup limit when lower
    std::uint64_t ram_available = 0;  // bytes: MemAvailable, capped by cgroup headroom
    std::optional<std::uint64_t> cgroup_memory_limit;

    std::vector<gpu_info> gpus;                 // ggml devices that are not the CPU
    std::string cuda_driver;                    // "12.4" where libcuda.so.1 loads; empty otherwise
    std::map<std::string, std::string> ffmpeg;  // libavformat → "59.27.100"
    std::string whisper_system_info;

    // Not stored: where this value came from.
    bool from_cache = false;
    double cache_age_s = 0;
};

void to_json(nlohmann::json& j, const gpu_info& g);
void from_json(const nlohmann::json& j, gpu_info& g);
void to_json(nlohmann::json& j, const hardware_info& h);
void from_json(const nlohmann::json& j, hardware_info& h);

// $XDG_CACHE_HOME/cinesub/hardware.json (default ~/.cache/cinesub/hardware.json).
std::filesystem::path cache_path();
inline constexpr std::int64_t cache_max_age_s = 3600;

// The cache when it is younger than an hour, from this cinesub version and well-formed;
// otherwise detects and rewrites it atomically (a cache that cannot be written is only a warning).
hardware_info load_or_detect(bool refresh);

struct recommendation {
    std::string model;
    int threads = 1;
    int workers = 1;
    std::vector<std::string> reasons;
};
void to_json(nlohmann::json& j, const recommendation& r);

// Pure: model size from GPU memory / RAM / cores, threads and workers from usable physical cores.
recommendation recommend(const hardware_info& info);

}  // namespace cinesub::hw
