// Hardware detection on this machine: /proc, sysfs, cgroups, ggml backends, libcuda (dlopen),
// FFmpeg and whisper.cpp. Everything that may be absent is optional; nothing here throws for a
// missing fact.
#include "hw/hardware.hpp"

#include "asr/whisper_log.hpp"

#include <fmt/format.h>
#include <ggml-backend.h>
#include <whisper.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libswresample/swresample.h>
}

#include <dlfcn.h>
#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

namespace cinesub::hw {

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string first_line(const fs::path& path) {
    auto s = slurp(path);
    auto nl = s.find('\n');
    return nl == std::string::npos ? s : s.substr(0, nl);
}

// The cgroup (v2) folder of this process, where there is one.
fs::path cgroup_dir() {
    auto text = slurp("/proc/self/cgroup");
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("0::", 0) == 0) {
            fs::path p = fs::path("/sys/fs/cgroup") / fs::path(line.substr(3)).relative_path();
            std::error_code ec;
            if (fs::exists(p / "memory.max", ec) || fs::exists(p / "cpu.max", ec)) return p;
            if (fs::exists("/sys/fs/cgroup/memory.max", ec) || fs::exists("/sys/fs/cgroup/cpu.max", ec))
                return "/sys/fs/cgroup";  // namespaced: the root is ours
        }
    }
    return {};
}

std::string version_string(unsigned v) { return fmt::format("{}.{}.{}", v >> 16, (v >> 8) & 0xff, v & 0xff); }

struct dl_closer {
    void operator()(void* h) const noexcept {
        if (h) ::dlclose(h);
    }
};

// CUDA driver version through libcuda.so.1, loaded at run time (no link-time dependency).
std::string cuda_driver_version() {
    std::unique_ptr<void, dl_closer> lib(::dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL));
    if (!lib) return {};
    using init_fn = int (*)(unsigned int);
    using version_fn = int (*)(int*);
    auto init = reinterpret_cast<init_fn>(::dlsym(lib.get(), "cuInit"));
    auto version = reinterpret_cast<version_fn>(::dlsym(lib.get(), "cuDriverGetVersion"));
    if (!version) return {};
    if (init) init(0);  // cuDriverGetVersion works without it; cuInit's failure is not ours to report
    int v = 0;
    if (version(&v) != 0 || v <= 0) return {};
    return fmt::format("{}.{}", v / 1000, (v % 1000) / 10);
}

std::string device_type(enum ggml_backend_dev_type t) {
    switch (t) {
        case GGML_BACKEND_DEVICE_TYPE_CPU:
            return "cpu";
        case GGML_BACKEND_DEVICE_TYPE_GPU:
            return "gpu";
        case GGML_BACKEND_DEVICE_TYPE_ACCEL:
            return "accel";
        default:
            return "igpu";
    }
}

}  // namespace

hardware_info detect() {
    hardware_info h;
    h.cinesub_version = CINESUB_VERSION;

    utsname u{};
    if (::uname(&u) == 0) h.arch = u.machine;

    // CPU model, flags, cores.
    auto cpu = parse_cpuinfo(slurp("/proc/cpuinfo"));
    h.cpu_model = cpu.model.empty() ? "unknown CPU" : cpu.model;
    h.simd = simd_from_flags(cpu.flags);
    if (h.simd.empty() && h.arch == "aarch64") h.simd.push_back("NEON");  // mandatory in ARMv8-A

    auto online = parse_cpu_list(first_line("/sys/devices/system/cpu/online"));
    h.logical_cores = !online.empty() ? static_cast<int>(online.size())
                                      : std::max<int>(cpu.logical, static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN)));
    if (h.logical_cores < 1) h.logical_cores = 1;

    // Physical cores from sysfs topology (package, core) — for the whole machine and for the CPUs
    // this process may use.
    std::vector<int> allowed;
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof(set), &set) == 0)
        for (int i = 0; i < CPU_SETSIZE; ++i)
            if (CPU_ISSET(i, &set)) allowed.push_back(i);
    if (allowed.empty()) allowed = online;
    auto core_key = [](int cpu_index) -> std::string {
        fs::path t = fmt::format("/sys/devices/system/cpu/cpu{}/topology", cpu_index);
        auto core = first_line(t / "core_id");
        if (core.empty()) return {};
        return first_line(t / "physical_package_id") + ":" + core;
    };
    std::set<std::string> all_cores, allowed_cores;
    for (int c : online)
        if (auto k = core_key(c); !k.empty()) all_cores.insert(k);
    for (int c : allowed)
        if (auto k = core_key(c); !k.empty()) allowed_cores.insert(k);
    h.physical_cores = !all_cores.empty() ? static_cast<int>(all_cores.size())
                       : cpu.physical > 0 ? cpu.physical
                                          : h.logical_cores;
    h.usable_logical = allowed.empty() ? h.logical_cores : static_cast<int>(allowed.size());
    h.usable_physical = !allowed_cores.empty() ? static_cast<int>(allowed_cores.size())
                                               : std::max(1, h.usable_logical * h.physical_cores / h.logical_cores);

    // Memory, and cgroup limits (containers).
    auto mem = parse_meminfo(slurp("/proc/meminfo"));
    h.ram_total = mem.total;
    h.ram_available = mem.available;
    auto cg = cgroup_dir();
    if (!cg.empty()) {
        h.cgroup_memory_limit = parse_memory_limit(first_line(cg / "memory.max"));
        h.cgroup_cpus = parse_cpu_max(first_line(cg / "cpu.max"));
    } else {
        h.cgroup_memory_limit = parse_memory_limit(first_line("/sys/fs/cgroup/memory/memory.limit_in_bytes"));
    }
    if (h.cgroup_memory_limit && *h.cgroup_memory_limit < h.ram_total) {
        std::uint64_t used = 0;
        if (!cg.empty()) {
            auto current = first_line(cg / "memory.current");
            used = std::strtoull(current.c_str(), nullptr, 10);
        }
        h.ram_total = *h.cgroup_memory_limit;
        auto headroom = used < h.ram_total ? h.ram_total - used : 0;
        h.ram_available = std::min(h.ram_available, headroom);
    }
    if (h.cgroup_cpus) {
        int quota = std::max(1, static_cast<int>(std::ceil(*h.cgroup_cpus - 1e-9)));
        h.usable_logical = std::min(h.usable_logical, quota);
        h.usable_physical = std::min(h.usable_physical, quota);
    }
    h.usable_physical = std::max(1, std::min(h.usable_physical, h.usable_logical));

    // GPUs (and other accelerators) ggml can use, as its backends see them. The first call registers
    // ggml's backends, which logs ("register_backend: …"): to the log, not to the user's stderr.
    asr::route_whisper_logs();
    for (size_t i = 0; i < ggml_backend_dev_count(); ++i) {
        auto* dev = ggml_backend_dev_get(i);
        ggml_backend_dev_props props{};
        ggml_backend_dev_get_props(dev, &props);
        if (props.type == GGML_BACKEND_DEVICE_TYPE_CPU) continue;
        gpu_info g;
        g.name = props.name ? props.name : "";
        g.description = props.description ? props.description : "";
        g.type = device_type(props.type);
        g.memory_total = props.memory_total;
        g.memory_free = props.memory_free;
        h.gpus.push_back(std::move(g));
    }
    h.cuda_driver = cuda_driver_version();

    h.ffmpeg = {{"libavformat", version_string(avformat_version())},
                {"libavcodec", version_string(avcodec_version())},
                {"libavutil", version_string(avutil_version())},
                {"libswresample", version_string(swresample_version())}};
    const char* info = whisper_print_system_info();
    h.whisper_system_info = info ? info : "";
    while (!h.whisper_system_info.empty() &&
           (h.whisper_system_info.back() == ' ' || h.whisper_system_info.back() == '|'))
        h.whisper_system_info.pop_back();
    return h;
}

}  // namespace cinesub::hw
