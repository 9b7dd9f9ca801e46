// Audio helpers shared by the ASR, VAD and stage tests: test audio at
// 16 kHz, the cached synthetic tiny model, a WAV writer.
#pragma once

#include "asr/synthetic_model.hpp"
#include "asr/wav.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

namespace cinesub::test {

// ASan/TSan builds (CINESUB_SANITIZE): the sanitizer's own shadow memory and quarantine count in the
// process's RSS, so an RSS bound measures the sanitizer, not cinesub. Non-null: the reason to skip.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr const char* rss_inflating_sanitizer = "an ASan/TSan build";
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr const char* rss_inflating_sanitizer = "an ASan/TSan build";
#else
inline constexpr const char* rss_inflating_sanitizer = nullptr;
#endif
#else
inline constexpr const char* rss_inflating_sanitizer = nullptr;
#endif

inline std::filesystem::path vad_model() { return testdata("models/ggml-silero-v6.2.0.bin"); }
inline std::filesystem::path header_model() { return testdata("models/ggml-tiny-header-only.bin"); }

// Cached under the build tree, shared by every test binary and run (written atomically).
inline std::filesystem::path test_models_dir() { return std::filesystem::path(CINESUB_BINARY_DIR) / "test-models"; }

// The synthetic tiny model (seed 42, f16); empty path when the header file is missing.
inline std::filesystem::path synthetic_tiny() {
    static std::mutex m;
    std::lock_guard lock(m);
    if (!std::filesystem::exists(header_model())) return {};
    return asr::ensure_synthetic_model({"tiny", 42, "f16"}, header_model(), test_models_dir());
}

#define CINESUB_SYNTHETIC_TINY(var)                     \
    const auto var = ::cinesub::test::synthetic_tiny(); \
    if (var.empty()) GTEST_SKIP() << "test data missing: " << ::cinesub::test::header_model();

inline void write_wav_f32(const std::filesystem::path& path, const std::vector<float>& samples, int rate = 16000) {
    std::ofstream out(path, std::ios::binary);
    auto u32 = [&](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
    const auto bytes = static_cast<std::uint32_t>(samples.size() * 4);
    out.write("RIFF", 4);
    u32(36 + bytes);
    out.write("WAVEfmt ", 8);
    u32(16);
    u16(3);  // IEEE float
    u16(1);
    u32(static_cast<std::uint32_t>(rate));
    u32(static_cast<std::uint32_t>(rate) * 4);
    u16(4);
    u16(32);
    out.write("data", 4);
    u32(bytes);
    out.write(reinterpret_cast<const char*>(samples.data()), static_cast<std::streamsize>(bytes));
}

inline bool have_ffmpeg() { return std::system("ffmpeg -version >/dev/null 2>&1") == 0; }

// Any media file → 16 kHz mono samples: read directly when it already is a 16 kHz WAV, otherwise
// through the ffmpeg CLI (the test skips when ffmpeg is missing). Empty on failure.
inline std::vector<float> load_16k(const std::filesystem::path& media) {
    try {
        return asr::read_wav_16k_mono(media);
    } catch (const std::exception&) {
    }
    temp_dir tmp;
    const auto wav = tmp / "audio.wav";
    const auto cmd = "ffmpeg -nostdin -loglevel error -y -i '" + media.string() + "' -ac 1 -ar 16000 -c:a pcm_f32le '" +
                     wav.string() + "'";
    if (std::system(cmd.c_str()) != 0) return {};
    return asr::read_wav_16k_mono(wav);
}

#define CINESUB_LOAD_16K(var, path)                   \
    CINESUB_SKIP_IF_MISSING(path);                    \
    const auto var = ::cinesub::test::load_16k(path); \
    if (var.empty()) GTEST_SKIP() << "cannot decode " << (path) << " to 16 kHz (ffmpeg missing?)";

}  // namespace cinesub::test
