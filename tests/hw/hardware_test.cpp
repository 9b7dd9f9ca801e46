// hw: pure parsers on fixed texts, detection sanity, the one-hour cache, recommendation tiers, doctor CLI.
#include "hw/hardware.hpp"

#include "support.hpp"
#include "util/fs.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace cinesub::hw {
namespace {

using nlohmann::json;
constexpr std::uint64_t GiB = 1024ULL * 1024 * 1024;

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(Cpuinfo, ParsesX86ModelFlagsAndCores) {
    const char* text =
        "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n"
        "physical id\t: 0\ncore id\t\t: 0\nflags\t\t: fpu sse sse2 pni ssse3 fma sse4_1 sse4_2 avx f16c avx2 "
        "avx512f\n\n"
        "processor\t: 1\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\nphysical id\t: 0\ncore id\t\t: 0\n"
        "flags\t\t: fpu sse sse2 pni ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f\n\n"
        "processor\t: 2\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\nphysical id\t: 0\ncore id\t\t: 1\n\n";
    auto f = parse_cpuinfo(text);
    EXPECT_EQ(f.model, "Intel(R) Xeon(R) CPU @ 2.20GHz");
    EXPECT_EQ(f.logical, 3);
    EXPECT_EQ(f.physical, 2);  // cpu 0 and 1 are SMT siblings
    auto simd = simd_from_flags(f.flags);
    for (const char* s : {"SSE3", "SSSE3", "SSE4.1", "SSE4.2", "AVX", "F16C", "FMA", "AVX2", "AVX512F"})
        EXPECT_TRUE(contains(simd, s)) << s;
    EXPECT_FALSE(contains(simd, "NEON"));
}

TEST(Cpuinfo, ParsesArmFeatures) {
    const char* text =
        "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 fphp asimdhp "
        "asimddp "
        "i8mm sve\nCPU part\t: 0xd0c\n\nprocessor\t: 1\nFeatures\t: fp asimd\n";
    auto f = parse_cpuinfo(text);
    EXPECT_EQ(f.logical, 2);
    EXPECT_EQ(f.model, "ARM CPU part 0xd0c");
    auto simd = simd_from_flags(f.flags);
    for (const char* s : {"NEON", "FP16", "DOTPROD", "I8MM", "SVE"}) EXPECT_TRUE(contains(simd, s)) << s;
    EXPECT_FALSE(contains(simd, "AVX2"));
}

TEST(Meminfo, ParsesTotalAndAvailable) {
    auto m = parse_meminfo("MemTotal:       16314164 kB\nMemFree:  1000 kB\nMemAvailable:   12000000 kB\n");
    EXPECT_EQ(m.total, 16314164ULL * 1024);
    EXPECT_EQ(m.available, 12000000ULL * 1024);
    auto old = parse_meminfo("MemTotal: 2000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n");
    EXPECT_EQ(old.available, 400ULL * 1024);
}

TEST(Cgroup, ParsesLimits) {
    EXPECT_EQ(parse_memory_limit("max\n"), std::nullopt);
    EXPECT_EQ(parse_memory_limit("9223372036854771712"), std::nullopt);
    EXPECT_EQ(parse_memory_limit("4294967296\n"), std::optional<std::uint64_t>(4294967296ULL));
    EXPECT_EQ(parse_cpu_max("max 100000"), std::nullopt);
    EXPECT_DOUBLE_EQ(*parse_cpu_max("200000 100000\n"), 2.0);
    EXPECT_EQ(parse_cpu_list("0-3,8,10-11\n"), (std::vector<int>{0, 1, 2, 3, 8, 10, 11}));
}

TEST(Detect, ReturnsSaneValues) {
    auto h = detect();
    EXPECT_GE(h.logical_cores, 1);
    EXPECT_GE(h.physical_cores, 1);
    EXPECT_GE(h.usable_physical, 1);
    EXPECT_LE(h.usable_physical, h.usable_logical);
    EXPECT_LE(h.usable_logical, h.logical_cores);
    EXPECT_GT(h.ram_total, 0u);
    EXPECT_LE(h.ram_available, h.ram_total);
    EXPECT_FALSE(h.cpu_model.empty());
    EXPECT_TRUE(h.ffmpeg.count("libavformat"));
    EXPECT_NE(h.whisper_system_info.find("CPU"), std::string::npos) << h.whisper_system_info;
    // Round trip through JSON.
    auto back = json(h).get<hardware_info>();
    EXPECT_EQ(back.cpu_model, h.cpu_model);
    EXPECT_EQ(back.simd, h.simd);
    EXPECT_EQ(back.ram_total, h.ram_total);
}

hardware_info fake(int physical, std::uint64_t ram, std::vector<gpu_info> gpus = {},
                   std::vector<std::string> simd = {"AVX2"}) {
    hardware_info h;
    h.cinesub_version = CINESUB_VERSION;
    h.cpu_model = "fake";
    h.logical_cores = h.usable_logical = physical * 2;
    h.physical_cores = h.usable_physical = physical;
    h.ram_total = h.ram_available = ram;
    h.gpus = std::move(gpus);
    h.simd = std::move(simd);
    return h;
}

struct cache_fixture : ::testing::Test {
    test::temp_dir dir;
    int detections = 0;
    cache_options opts(std::int64_t now) {
        cache_options o;
        o.path = dir / "cinesub/hardware.json";
        o.now = now;
        o.detector = [this] {
            ++detections;
            return fake(4, 8 * GiB);
        };
        return o;
    }
};

TEST_F(cache_fixture, HonouredWithinAnHourThenRefreshed) {
    auto first = load_or_detect(opts(1000000));
    EXPECT_FALSE(first.from_cache);
    EXPECT_EQ(detections, 1);
    ASSERT_TRUE(std::filesystem::exists(dir / "cinesub/hardware.json"));
    EXPECT_TRUE(test::leftover_temporaries(dir.path()).empty());

    auto again = load_or_detect(opts(1000000 + 3599));
    EXPECT_TRUE(again.from_cache);
    EXPECT_DOUBLE_EQ(again.cache_age_s, 3599);
    EXPECT_EQ(detections, 1);

    auto stale = load_or_detect(opts(1000000 + 3600));
    EXPECT_FALSE(stale.from_cache);
    EXPECT_EQ(detections, 2);

    auto o = opts(1000000 + 3601);
    o.refresh = true;
    load_or_detect(o);
    EXPECT_EQ(detections, 3);
    // A cache from the future (clock went back) is not trusted.
    load_or_detect(opts(10));
    EXPECT_EQ(detections, 4);
}

TEST_F(cache_fixture, CorruptCacheIgnored) {
    util::write_file_atomic(dir / "cinesub/hardware.json", "{\"schema\": 1, \"detected_at\": ");
    auto h = load_or_detect(opts(5000));
    EXPECT_FALSE(h.from_cache);
    EXPECT_EQ(detections, 1);
    // …and rewritten as valid JSON.
    auto j = json::parse(util::read_file(dir / "cinesub/hardware.json"));
    EXPECT_EQ(j["detected_at"], 5000);
    // Valid JSON with implausible values is ignored too.
    j["cpu"]["usable_physical"] = 0;
    util::write_file_atomic(dir / "cinesub/hardware.json", j.dump());
    load_or_detect(opts(5001));
    EXPECT_EQ(detections, 2);
}

TEST(Recommend, Tiers) {
    struct row {
        hardware_info h;
        std::string model;
        int workers, threads;
    };
    auto gpu = [](std::uint64_t mem) { return std::vector<gpu_info>{{"CUDA0", "NVIDIA Test", "gpu", mem, mem}}; };
    std::vector<row> rows = {
        {fake(16, 64 * GiB, gpu(80 * GiB)), "large-v3", 1, 4},
        {fake(8, 32 * GiB, gpu(10 * GiB)), "large-v3", 1, 4},
        {fake(8, 32 * GiB, gpu(8 * GiB)), "large-v3-turbo", 1, 4},
        {fake(2, 16 * GiB, gpu(6 * GiB)), "large-v3-turbo", 1, 2},
        {fake(8, 16 * GiB, gpu(4 * GiB)), "small", 1, 4},
        {fake(8, 16 * GiB, gpu(2 * GiB)), "small", 4, 2},  // GPU too small: CPU tiers
        {fake(16, 16 * GiB), "small", 8, 2},
        {fake(4, 8 * GiB), "small", 4, 1},
        {fake(4, 8 * GiB, {}, {"AVX"}), "base", 4, 1},
        {fake(2, 16 * GiB), "base", 2, 1},
        {fake(1, 3 * GiB), "base", 1, 1},
        {fake(4, GiB), "tiny", 4, 1},
    };
    for (const auto& r : rows) {
        auto rec = recommend(r.h);
        SCOPED_TRACE(rec.reasons.empty() ? "" : rec.reasons.front());
        EXPECT_EQ(rec.model, r.model);
        EXPECT_EQ(rec.workers, r.workers);
        EXPECT_EQ(rec.threads, r.threads);
        EXPECT_GE(rec.reasons.size(), 2u);
        EXPECT_NO_THROW(json(rec).dump());
    }
}

TEST(DoctorCli, JsonUsesTheCacheSecondTime) {
    test::temp_dir cache;
    std::vector<std::string> env = {"XDG_CACHE_HOME=" + cache.path().string()};
    auto r = test::run_cli({"doctor", "--json"}, env);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = json::parse(r.out);
    EXPECT_FALSE(j["cache"]["used"].get<bool>());
    EXPECT_GE(j["hardware"]["cpu"]["usable_physical"].get<int>(), 1);
    EXPECT_GT(j["hardware"]["memory"]["total"].get<std::uint64_t>(), 0u);
    EXPECT_FALSE(j["recommendation"]["model"].get<std::string>().empty());
    EXPECT_TRUE(std::filesystem::exists(cache / "cinesub/hardware.json"));

    auto again = test::run_cli({"doctor", "--json"}, env);
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_TRUE(json::parse(again.out)["cache"]["used"].get<bool>());

    auto fresh = test::run_cli({"doctor", "--refresh"}, env);
    ASSERT_EQ(fresh.exit_code, 0) << fresh.err;
    EXPECT_NE(fresh.out.find("detected now"), std::string::npos) << fresh.out;
    EXPECT_NE(fresh.out.find("recommended: model"), std::string::npos) << fresh.out;
}

}  // namespace
}  // namespace cinesub::hw
