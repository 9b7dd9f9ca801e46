// Hardware detection, private part: the pure parsers behind detect() and the injectable cache.
// The public API is include/cinesub/hardware.hpp.
#pragma once

#include "cinesub/hardware.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::hw {

// --- Pure parsers (text in, facts out), unit-tested with fixed texts -----------------------
struct cpuinfo_facts {
    std::string model;
    int logical = 0;                 // "processor" entries
    int physical = 0;                // distinct (physical id, core id) pairs; 0 when the file does not say
    std::vector<std::string> flags;  // raw lower-case flags / features
};
cpuinfo_facts parse_cpuinfo(std::string_view text);
// Upper-case SIMD names from raw cpuinfo flags (x86 "flags" or ARM "Features").
std::vector<std::string> simd_from_flags(const std::vector<std::string>& flags);
struct meminfo_facts {
    std::uint64_t total = 0;      // bytes
    std::uint64_t available = 0;  // bytes
};
meminfo_facts parse_meminfo(std::string_view text);
// cgroup v2 memory.max / v1 memory.limit_in_bytes: nullopt for "max" or an absurd value.
std::optional<std::uint64_t> parse_memory_limit(std::string_view text);
// cgroup v2 cpu.max ("200000 100000" → 2.0; "max 100000" → nullopt).
std::optional<double> parse_cpu_max(std::string_view text);
// Linux CPU list "0-3,8,10-11" → {0,1,2,3,8,10,11}.
std::vector<int> parse_cpu_list(std::string_view text);

// Detects everything now (≈ tens of milliseconds; no cache).
hardware_info detect();

// The same with everything injectable (tests): cache file, clock, detector.
struct cache_options {
    std::filesystem::path path;
    std::int64_t now = 0;  // Unix seconds
    std::function<hardware_info()> detector;
    bool refresh = false;
};
hardware_info load_or_detect(const cache_options& options);

}  // namespace cinesub::hw
