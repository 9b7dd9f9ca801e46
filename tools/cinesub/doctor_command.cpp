// doctor: hardware facts (cached 1 h) and the recommended model / threads / workers, with reasons.
#include "commands.hpp"

#include "cinesub/hardware.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

namespace cinesub::cli {

namespace {

std::string gb(std::uint64_t bytes) {
    return fmt::format("{:.1f} GB", static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
}

std::string age(double seconds) {
    auto s = static_cast<long>(seconds);
    return s < 60 ? fmt::format("{} s", s) : fmt::format("{} min", s / 60);
}

void print_human(const hw::hardware_info& h, const hw::recommendation& r) {
    if (h.from_cache)
        std::printf("hardware: from the cache (%s old, %s); --refresh detects again\n", age(h.cache_age_s).c_str(),
                    hw::cache_path().c_str());
    else
        std::printf("hardware: detected now (cached for 1 h in %s)\n", hw::cache_path().c_str());
    std::printf("  CPU       %s (%s)\n", h.cpu_model.c_str(), h.arch.c_str());
    std::string cores = fmt::format("{} physical / {} logical", h.physical_cores, h.logical_cores);
    if (h.usable_logical != h.logical_cores || h.usable_physical != h.physical_cores)
        cores += fmt::format("; usable here: {} physical / {} logical", h.usable_physical, h.usable_logical);
    if (h.cgroup_cpus) cores += fmt::format(" (cgroup quota {:.2g} CPUs)", *h.cgroup_cpus);
    std::printf("  cores     %s\n", cores.c_str());
    std::string simd;
    for (const auto& s : h.simd) simd += (simd.empty() ? "" : " ") + s;
    std::printf("  SIMD      %s\n", simd.empty() ? "none detected" : simd.c_str());
    std::string ram = fmt::format("{} total, {} available", gb(h.ram_total), gb(h.ram_available));
    if (h.cgroup_memory_limit) ram += fmt::format(" (cgroup limit {})", gb(*h.cgroup_memory_limit));
    std::printf("  RAM       %s\n", ram.c_str());
    if (h.gpus.empty()) std::printf("  GPUs      none seen by ggml's backends (CPU-only build or no device)\n");
    for (const auto& g : h.gpus)
        std::printf("  GPU       %s: %s (%s), %s total, %s free\n", g.name.c_str(), g.description.c_str(),
                    g.type.c_str(), gb(g.memory_total).c_str(), gb(g.memory_free).c_str());
    std::printf("  CUDA      %s\n",
                h.cuda_driver.empty() ? "no driver (libcuda.so.1 not loadable)" : ("driver " + h.cuda_driver).c_str());
    std::string ff;
    for (const auto& [lib, v] : h.ffmpeg) ff += fmt::format("{}{} {}", ff.empty() ? "" : ", ", lib, v);
    std::printf("  FFmpeg    %s\n", ff.c_str());
    std::printf("  whisper   %s\n", h.whisper_system_info.c_str());
    std::printf("recommended: model %s, %d worker(s) x %d thread(s)\n", r.model.c_str(), r.workers, r.threads);
    for (const auto& why : r.reasons) std::printf("  - %s\n", why.c_str());
}

}  // namespace

void add_doctor_command(CLI::App& app, globals& g) {
    auto refresh = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("doctor", "Hardware facts and the recommended model/threads (cached 1 h)");
    cmd->add_flag("--refresh", *refresh, "Detect again instead of using the cached facts");
    cmd->add_flag("--json", g.json, "Machine-readable JSON on stdout");
    cmd->callback([&g, refresh] {
        g.action = [&g, refresh] {
            auto h = hw::load_or_detect(*refresh);
            auto r = hw::recommend(h);
            if (g.json) {
                nlohmann::json j{{"schema", 1},
                                 {"hardware", h},
                                 {"recommendation", r},
                                 {"cache",
                                  {{"path", hw::cache_path().string()},
                                   {"used", h.from_cache},
                                   {"age_s", h.from_cache ? h.cache_age_s : 0.0},
                                   {"max_age_s", hw::cache_max_age_s}}}};
                print_json(j.dump(2));
            } else {
                print_human(h, r);
            }
            return 0;
        };
    });
}

}  // namespace cinesub::cli
