// Helpers for the media tests: error expectations, WAV generation, the ffmpeg CLI for fixtures.
#pragma once

#include "cinesub/error.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace cinesub::test {

#define EXPECT_CINESUB_ERROR(statement, expected_code)                                                           \
    do {                                                                                                         \
        try {                                                                                                    \
            statement;                                                                                           \
            ADD_FAILURE() << "expected cinesub::error " << cinesub::errc_name(expected_code) << ", got none";    \
        } catch (const cinesub::error& e_) {                                                                     \
            EXPECT_EQ(e_.code(), expected_code) << "got " << cinesub::errc_name(e_.code()) << ": " << e_.what(); \
        }                                                                                                        \
    } while (0)

inline double rms(const std::vector<float>& v, std::size_t from = 0, std::size_t to = SIZE_MAX) {
    to = std::min(to, v.size());
    if (to <= from) return 0;
    double s = 0;
    for (std::size_t i = from; i < to; ++i) s += static_cast<double>(v[i]) * v[i];
    return std::sqrt(s / static_cast<double>(to - from));
}

// A PCM s16 WAV of `frames` frames, written in chunks (a sine of `hz`, or silence).
inline void write_sine_wav(const std::filesystem::path& path, int rate, int channels, std::int64_t frames,
                           double hz = 440.0) {
    std::ofstream f(path, std::ios::binary);
    auto u32 = [&](std::uint32_t v) { f.write(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](std::uint16_t v) { f.write(reinterpret_cast<const char*>(&v), 2); };
    const auto data = static_cast<std::uint32_t>(frames * channels * 2);
    f.write("RIFF", 4);
    u32(36 + data);
    f.write("WAVEfmt ", 8);
    u32(16);
    u16(1);
    u16(static_cast<std::uint16_t>(channels));
    u32(static_cast<std::uint32_t>(rate));
    u32(static_cast<std::uint32_t>(rate * channels * 2));
    u16(static_cast<std::uint16_t>(channels * 2));
    u16(16);
    f.write("data", 4);
    u32(data);
    std::vector<std::int16_t> buf;
    for (std::int64_t at = 0; at < frames;) {
        const std::int64_t n = std::min<std::int64_t>(frames - at, 65536);
        buf.assign(static_cast<std::size_t>(n * channels), 0);
        if (hz > 0)
            for (std::int64_t i = 0; i < n; ++i)
                for (int c = 0; c < channels; ++c)
                    buf[static_cast<std::size_t>(i * channels + c)] =
                        static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * hz * static_cast<double>(at + i) / rate));
        f.write(reinterpret_cast<const char*>(buf.data()), static_cast<std::streamsize>(buf.size() * 2));
        at += n;
    }
}

inline bool have_ffmpeg_cli() { return std::system("command -v ffmpeg >/dev/null 2>&1") == 0; }

// Runs `ffmpeg -v error -y ARGS` (for fixtures only; the code under test never uses the CLI).
inline bool ffmpeg(const std::string& args) {
    return std::system(("ffmpeg -nostdin -v error -y " + args).c_str()) == 0;
}

inline std::filesystem::path sintel() { return testdata("media/video/sintel_trailer_first27s.webm"); }
inline std::filesystem::path sintel_srt() { return testdata("media/video/sintel_trailer_first27s_en.reference.srt"); }
inline std::filesystem::path sintel_vtt() { return testdata("media/video/sintel_trailer_first27s_en.reference.vtt"); }

}  // namespace cinesub::test
