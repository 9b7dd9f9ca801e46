// Hardware facts: JSON, the pure parsers, the one-hour cache and the recommendation.
#include "hw/hardware.hpp"

#include "cinesub/error.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>
#include <stdexcept>

namespace cinesub::hw {

namespace fs = std::filesystem;

using nlohmann::json;

// --- JSON -------------------------------------------------------------------------------------

void to_json(json& j, const gpu_info& g) {
    j = json{{"name", g.name},
             {"description", g.description},
             {"type", g.type},
             {"memory_total", g.memory_total},
             {"memory_free", g.memory_free}};
}

void from_json(const json& j, gpu_info& g) {
    g.name = j.at("name").get<std::string>();
    g.description = j.value("description", "");
    g.type = j.value("type", "gpu");
    g.memory_total = j.at("memory_total").get<std::uint64_t>();
    g.memory_free = j.value("memory_free", std::uint64_t{0});
}

void to_json(json& j, const hardware_info& h) {
    j = json{{"schema", h.schema},
             {"detected_at", h.detected_at},
             {"cinesub_version", h.cinesub_version},
             {"cpu",
              {{"model", h.cpu_model},
               {"arch", h.arch},
               {"logical_cores", h.logical_cores},
               {"physical_cores", h.physical_cores},
               {"usable_logical", h.usable_logical},
               {"usable_physical", h.usable_physical},
               {"cgroup_cpus", h.cgroup_cpus ? json(*h.cgroup_cpus) : json(nullptr)},
               {"simd", h.simd}}},
             {"memory",
              {{"total", h.ram_total},
               {"available", h.ram_available},
               {"cgroup_limit", h.cgroup_memory_limit ? json(*h.cgroup_memory_limit) : json(nullptr)}}},
             {"gpus", h.gpus},
             {"cuda_driver", h.cuda_driver.empty() ? json(nullptr) : json(h.cuda_driver)},
             {"ffmpeg", h.ffmpeg},
             {"whisper_system_info", h.whisper_system_info}};
}

void from_json(const json& j, hardware_info& h) {
    h.schema = j.at("schema").get<int>();
    h.detected_at = j.at("detected_at").get<std::int64_t>();
    h.cinesub_version = j.at("cinesub_version").get<std::string>();
    const auto& c = j.at("cpu");
    h.cpu_model = c.at("model").get<std::string>();
    h.arch = c.value("arch", "");
    h.logical_cores = c.at("logical_cores").get<int>();
    h.physical_cores = c.at("physical_cores").get<int>();
    h.usable_logical = c.at("usable_logical").get<int>();
    h.usable_physical = c.at("usable_physical").get<int>();
    h.cgroup_cpus = c.contains("cgroup_cpus") && !c["cgroup_cpus"].is_null()
                        ? std::optional<double>(c["cgroup_cpus"].get<double>())
                        : std::nullopt;
    h.simd = c.at("simd").get<std::vector<std::string>>();
    const auto& m = j.at("memory");
    h.ram_total = m.at("total").get<std::uint64_t>();
    h.ram_available = m.at("available").get<std::uint64_t>();
    h.cgroup_memory_limit = m.contains("cgroup_limit") && !m["cgroup_limit"].is_null()
                                ? std::optional<std::uint64_t>(m["cgroup_limit"].get<std::uint64_t>())
                                : std::nullopt;
    h.gpus = j.at("gpus").get<std::vector<gpu_info>>();
    h.cuda_driver =
        j.contains("cuda_driver") && j["cuda_driver"].is_string() ? j["cuda_driver"].get<std::string>() : "";
    h.ffmpeg = j.value("ffmpeg", std::map<std::string, std::string>{});
    h.whisper_system_info = j.value("whisper_system_info", "");
    if (h.logical_cores < 1 || h.usable_logical < 1 || h.usable_physical < 1 || h.ram_total == 0)
        throw std::runtime_error("implausible hardware facts");
}

void to_json(json& j, const recommendation& r) {
    j = json{{"model", r.model}, {"threads", r.threads}, {"workers", r.workers}, {"reasons", r.reasons}};
}

// --- Parsers ------------------------------------------------------------------------------------

namespace {

std::vector<std::string_view> lines(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        auto nl = text.find('\n');
        out.push_back(text.substr(0, nl));
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
    return out;
}

std::optional<std::uint64_t> to_u64(std::string_view s) {
    s = util::trim(s);
    if (s.empty()) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        if (v > (UINT64_MAX - 9) / 10) return std::nullopt;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v;
}

}  // namespace

cpuinfo_facts parse_cpuinfo(std::string_view text) {
    cpuinfo_facts f;
    std::set<std::pair<std::string, std::string>> cores;
    std::string physical_id, core_id;
    std::set<std::string> flags;
    std::string arm_part, hardware;
    auto close_block = [&] {
        if (!core_id.empty()) cores.emplace(physical_id, core_id);
        physical_id.clear();
        core_id.clear();
    };
    for (auto line : lines(text)) {
        auto colon = line.find(':');
        if (util::trim(line).empty()) {
            close_block();
            continue;
        }
        if (colon == std::string_view::npos) continue;
        auto key = util::trim(line.substr(0, colon));
        auto value = util::trim(line.substr(colon + 1));
        if (key == "processor") {
            // A new block can start without a blank line in hand-made texts.
            if (!core_id.empty()) close_block();
            // ARM kernels before 3.8 print "Processor : ARMv7 …" (a model, not an index).
            if (!value.empty() && std::isdigit(static_cast<unsigned char>(value.front())))
                ++f.logical;
            else if (f.model.empty())
                f.model = std::string(value);
        } else if (key == "model name" || key == "Model" || key == "cpu model") {
            if (f.model.empty() || key == "model name") f.model = std::string(value);
        } else if (key == "Hardware") {
            hardware = std::string(value);
        } else if (key == "CPU part") {
            arm_part = std::string(value);
        } else if (key == "physical id") {
            physical_id = std::string(value);
        } else if (key == "core id") {
            core_id = std::string(value);
        } else if (key == "flags" || key == "Features") {
            std::istringstream in{std::string(value)};
            std::string flag;
            while (in >> flag) flags.insert(util::lower_ascii(flag));
        }
    }
    close_block();
    if (f.model.empty()) f.model = !hardware.empty() ? hardware : !arm_part.empty() ? "ARM CPU part " + arm_part : "";
    f.physical = static_cast<int>(cores.size());
    f.flags.assign(flags.begin(), flags.end());
    return f;
}

std::vector<std::string> simd_from_flags(const std::vector<std::string>& flags) {
    std::set<std::string> have(flags.begin(), flags.end());
    // In a stable, meaningful order: oldest / narrowest first.
    static const std::vector<std::pair<std::string, std::string>> table = {
        {"sse3", "SSE3"},
        {"pni", "SSE3"},
        {"ssse3", "SSSE3"},
        {"sse4_1", "SSE4.1"},
        {"sse4_2", "SSE4.2"},
        {"avx", "AVX"},
        {"f16c", "F16C"},
        {"fma", "FMA"},
        {"avx2", "AVX2"},
        {"avx_vnni", "AVX-VNNI"},
        {"avx512f", "AVX512F"},
        {"avx512bw", "AVX512BW"},
        {"avx512vl", "AVX512VL"},
        {"avx512_vnni", "AVX512-VNNI"},
        {"avx512_bf16", "AVX512-BF16"},
        {"amx_tile", "AMX"},
        {"neon", "NEON"},
        {"asimd", "NEON"},
        {"fphp", "FP16"},
        {"asimdhp", "FP16"},
        {"asimddp", "DOTPROD"},
        {"i8mm", "I8MM"},
        {"sve", "SVE"},
        {"sve2", "SVE2"},
    };
    std::vector<std::string> out;
    for (const auto& [flag, name] : table)
        if (have.count(flag) && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    return out;
}

meminfo_facts parse_meminfo(std::string_view text) {
    meminfo_facts m;
    std::optional<std::uint64_t> free, buffers, cached;
    for (auto line : lines(text)) {
        auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        auto key = util::trim(line.substr(0, colon));
        auto value = util::trim(line.substr(colon + 1));
        std::uint64_t mult = 1;
        if (value.ends_with("kB")) {
            mult = 1024;
            value = util::trim(value.substr(0, value.size() - 2));
        }
        auto v = to_u64(value);
        if (!v) continue;
        if (key == "MemTotal") m.total = *v * mult;
        if (key == "MemAvailable") m.available = *v * mult;
        if (key == "MemFree") free = *v * mult;
        if (key == "Buffers") buffers = *v * mult;
        if (key == "Cached") cached = *v * mult;
    }
    if (m.available == 0 && free) m.available = *free + buffers.value_or(0) + cached.value_or(0);  // kernels < 3.14
    if (m.available > m.total) m.available = m.total;
    return m;
}

std::optional<std::uint64_t> parse_memory_limit(std::string_view text) {
    auto v = to_u64(text);
    // cgroup v1 writes "no limit" as a huge page-aligned number (9223372036854771712).
    if (!v || *v == 0 || *v >= (std::uint64_t{1} << 60)) return std::nullopt;
    return v;
}

std::optional<double> parse_cpu_max(std::string_view text) {
    text = util::trim(text);
    auto space = text.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    auto quota = to_u64(text.substr(0, space));
    auto period = to_u64(text.substr(space + 1));
    if (!quota || !period || *period == 0) return std::nullopt;
    return static_cast<double>(*quota) / static_cast<double>(*period);
}

std::vector<int> parse_cpu_list(std::string_view text) {
    std::vector<int> out;
    text = util::trim(text);
    while (!text.empty()) {
        auto comma = text.find(',');
        auto item = util::trim(text.substr(0, comma));
        auto dash = item.find('-');
        auto a = to_u64(item.substr(0, dash));
        auto b = dash == std::string_view::npos ? a : to_u64(item.substr(dash + 1));
        if (a && b && *a <= *b && *b < 65536)
            for (auto i = *a; i <= *b; ++i) out.push_back(static_cast<int>(i));
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return out;
}

// --- Cache --------------------------------------------------------------------------------------

fs::path cache_path() { return util::xdg_dir("XDG_CACHE_HOME", ".cache") / "cinesub" / "hardware.json"; }

hardware_info load_or_detect(const cache_options& o) {
    if (!o.refresh) {
        std::error_code ec;
        if (fs::exists(o.path, ec)) {
            try {
                auto j = json::parse(util::read_file(o.path));
                auto h = j.get<hardware_info>();
                auto age = o.now - h.detected_at;
                if (h.schema == 1 && h.cinesub_version == CINESUB_VERSION && age >= 0 && age < cache_max_age_s) {
                    h.from_cache = true;
                    h.cache_age_s = static_cast<double>(age);
                    return h;
                }
                spdlog::debug("hardware cache {} is {} s old (or from another version): detecting again",
                              o.path.string(), age);
            } catch (const std::exception& e) {
                spdlog::warn("hardware cache {} is unreadable ({}): detecting again", o.path.string(), e.what());
            }
        }
    }
    auto h = o.detector ? o.detector() : detect();
    h.detected_at = o.now;
    h.from_cache = false;
    h.cache_age_s = 0;
    try {
        util::write_file_atomic(o.path, json(h).dump(2) + "\n");
    } catch (const std::exception& e) {
        spdlog::warn("cannot write the hardware cache {}: {}", o.path.string(), e.what());
    }
    return h;
}

hardware_info load_or_detect(bool refresh) {
    cache_options o;
    o.path = cache_path();
    o.now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    o.refresh = refresh;
    return load_or_detect(o);
}

// --- Recommendation -----------------------------------------------------------------------------

namespace {

constexpr std::uint64_t gib = 1024ULL * 1024 * 1024;

std::string gb(std::uint64_t bytes) {
    double g = static_cast<double>(bytes) / static_cast<double>(gib);
    return g >= 10 ? fmt::format("{:.0f} GB", g) : fmt::format("{:.1f} GB", g);
}

bool has(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

recommendation recommend(const hardware_info& h) {
    recommendation r;
    const int physical = std::max(1, h.usable_physical > 0 ? h.usable_physical : h.physical_cores);

    // The GPU with the most memory that ggml can use (discrete or integrated).
    const gpu_info* gpu = nullptr;
    for (const auto& g : h.gpus)
        if ((g.type == "gpu" || g.type == "igpu") && (!gpu || g.memory_total > gpu->memory_total)) gpu = &g;

    // whisper.cpp's published memory needs (its README): tiny ~0.3 GB, base ~0.4, small ~0.9,
    // medium ~2.1, large ~3.9 GB; the tiers leave room for compute buffers and parallel states.
    if (gpu && gpu->memory_total >= 3 * gib) {
        const auto mem = gpu->memory_total;
        const std::string who =
            fmt::format("{} ({}, {})", gpu->description.empty() ? gpu->name : gpu->description, gpu->name, gb(mem));
        if (mem >= 10 * gib) {
            r.model = "large-v3";
            r.reasons.push_back(who +
                                ": >= 10 GB of GPU memory holds large-v3 (the most accurate Whisper, ~3.9 GB) "
                                "with room for parallel decoding states");
        } else if (mem >= 6 * gib) {
            r.model = "large-v3-turbo";
            r.reasons.push_back(who +
                                ": 6-10 GB of GPU memory: large-v3-turbo (~1.6 GB file, large-v3's encoder "
                                "with 4 decoder layers) fits with headroom; large-v3 would be tight");
            r.reasons.push_back(
                "note: large-v3-turbo was trained for transcription; for the English translation "
                "track medium (--model medium) translates better");
        } else {
            r.model = "small";
            r.reasons.push_back(who +
                                ": 3-6 GB of GPU memory: small (~0.9 GB while decoding) fits; medium "
                                "(~2.1 GB) would leave too little for compute buffers");
        }
        // The GPU does the heavy work; CPU threads only feed it.
        r.workers = 1;
        r.threads = std::min(physical, 4);
        r.reasons.push_back(
            fmt::format("GPU decoding: 1 worker; {} CPU thread(s) for the parts that stay on the CPU", r.threads));
        return r;
    }

    if (gpu)
        r.reasons.push_back(fmt::format("{} has only {} of memory (< 3 GB): decoding on the CPU",
                                        gpu->description.empty() ? gpu->name : gpu->description,
                                        gb(gpu->memory_total)));
    const bool fast_simd = has(h.simd, "AVX2") || has(h.simd, "NEON");
    const auto ram = h.ram_total;
    if (ram < 2 * gib) {
        r.model = "tiny";
        r.reasons.push_back(fmt::format("{} RAM, no usable GPU: below 2 GB only tiny (~0.3 GB) is safe", gb(ram)));
    } else if (ram >= 4 * gib && physical >= 4 && fast_simd) {
        r.model = "small";
        r.reasons.push_back(fmt::format(
            "{} RAM, {} physical cores with {}, no usable GPU: small (~0.9 GB) is the largest model expected to "
            "decode faster than real time on this CPU (estimate, not measured here); medium is several times slower",
            gb(ram), physical, has(h.simd, "AVX2") ? "AVX2" : "NEON"));
    } else {
        r.model = "base";
        std::string why = ram < 4 * gib  ? fmt::format("only {} RAM", gb(ram))
                          : physical < 4 ? fmt::format("only {} physical core(s)", physical)
                                         : "no AVX2/NEON";
        r.reasons.push_back(
            fmt::format("{} RAM, {} physical core(s), no usable GPU: {} — base (~0.4 GB) keeps "
                        "decoding near real time; small would be slower than real time (estimate)",
                        gb(ram), physical, why));
    }

    // Workers: parallel decoding states sharing one context (weights loaded once). The decoder is
    // latency-bound and scales poorly with threads, so on small machines one single-threaded worker
    // per physical core wins: measured on 2 cores, 2 workers x 1 thread decoded the same chunks
    // 2.2x faster than 1 x 2 (bench/RESULTS.md). Above 4 cores, 2 threads per worker (the encoder
    // gains from them) and at most 8 states (each costs its own KV cache and compute buffers).
    r.workers = physical <= 4 ? std::max(1, physical) : std::clamp(physical / 2, 1, 8);
    r.threads = std::max(1, physical / r.workers);
    r.reasons.push_back(
        fmt::format("{} usable physical core(s){}: {} worker(s) x {} thread(s) (one single-threaded decoding state "
                    "per core up to 4 cores, then 2 threads per state, at most 8 states)",
                    physical, h.usable_logical > physical ? fmt::format(" ({} logical)", h.usable_logical) : "",
                    r.workers, r.threads));
    return r;
}

}  // namespace cinesub::hw
