// asr::audio_file: demux's float32 WAV is memory-mapped (no copy) and release() gives pages back;
// other WAVs are read whole, with the same samples.
#include "asr/wav.hpp"
#include "audio_fixtures.hpp"
#include "cinesub/error.hpp"
#include "media/media.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <vector>

namespace cinesub::asr {
namespace {

namespace fs = std::filesystem;
using test::temp_dir;
using test::testdata;

// The process's resident memory in MB (/proc/self/statm, field 2).
double resident_mb() {
    std::ifstream in("/proc/self/statm");
    long long size = 0;
    long long resident = 0;
    in >> size >> resident;
    return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

TEST(AudioFile, DemuxOutputIsMappedAndEqualsTheReader) {
    const auto clip = testdata("media/en/en_jfk.wav");  // 16 kHz 16-bit PCM
    if (!fs::exists(clip)) GTEST_SKIP() << "test data missing: " << clip;
    temp_dir tmp;
    const auto wav = tmp / "audio.wav";
    media::demux_audio(clip, wav, {});
    const audio_file f(wav);
    EXPECT_TRUE(f.mapped()) << "demux's data chunk must be 4-byte aligned";
    const auto whole = read_wav_16k_mono(wav);
    ASSERT_EQ(f.samples().size(), whole.size());
    EXPECT_TRUE(std::equal(whole.begin(), whole.end(), f.samples().begin()));
    // The source itself is 16-bit PCM: read whole, the same samples as the reader gives.
    const audio_file pcm(clip);
    EXPECT_FALSE(pcm.mapped());
    EXPECT_EQ(std::vector<float>(pcm.samples().begin(), pcm.samples().end()), read_wav_16k_mono(clip));
    pcm.release(pcm.samples());  // a no-op
}

TEST(AudioFile, UnalignedFloatDataIsReadNotMapped) {
    // cinesub 0.1.0's header: RIFF 12 + fmt 8+18 + fact 8+4 + data 8 = 58 bytes (not a multiple of 4).
    temp_dir tmp;
    const auto wav = tmp / "old.wav";
    const std::vector<float> samples{0.25f, -0.5f, 0.75f, 1.0f};
    {
        std::ofstream out(wav, std::ios::binary);
        auto u32 = [&](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
        auto u16 = [&](std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
        out.write("RIFF", 4);
        u32(50 + 16);
        out.write("WAVEfmt ", 8);
        u32(18);
        u16(3);
        u16(1);
        u32(16000);
        u32(64000);
        u16(4);
        u16(32);
        u16(0);
        out.write("fact", 4);
        u32(4);
        u32(4);
        out.write("data", 4);
        u32(16);
        out.write(reinterpret_cast<const char*>(samples.data()), 16);
    }
    const audio_file f(wav);
    EXPECT_FALSE(f.mapped());
    EXPECT_EQ(std::vector<float>(f.samples().begin(), f.samples().end()), samples);
    EXPECT_THROW(audio_file(tmp / "missing.wav"), error);
}

// 64 MB of samples: reading them makes them resident, release() takes them out of the process again.
TEST(AudioFile, ReleaseGivesThePagesBack) {
    if (test::rss_inflating_sanitizer)
        GTEST_SKIP() << "resident memory is the sanitizer's here (" << test::rss_inflating_sanitizer << ")";
    temp_dir tmp;
    const auto wav = tmp / "long.wav";
    std::vector<float> samples(16u << 20);
    for (std::size_t i = 0; i < samples.size(); ++i) samples[i] = static_cast<float>(i % 1000) / 1000.0f;
    test::write_wav_f32(wav, samples);
    samples = {};
    samples.shrink_to_fit();
    const audio_file f(wav);
    ASSERT_TRUE(f.mapped());
    const double before = resident_mb();
    double sum = 0;
    for (const float x : f.samples()) sum += x;
    EXPECT_GT(sum, 0.0);
    const double touched = resident_mb();
    EXPECT_GT(touched - before, 50.0) << "reading 64 MB of mapped samples should make them resident";
    // In two halves, as the VAD releases block after block.
    const auto all = f.samples();
    f.release(all.first(all.size() / 2));
    f.release(all.subspan(all.size() / 2));
    const double released = resident_mb();
    EXPECT_LT(released - before, 5.0) << "before " << before << " MB, touched " << touched << " MB, released "
                                      << released << " MB";
    // Still readable: dropped pages come back from the file.
    EXPECT_FLOAT_EQ(all[12345], static_cast<float>(12345 % 1000) / 1000.0f);
}

}  // namespace
}  // namespace cinesub::asr
