#include "vad/vad.hpp"
#include "audio_fixtures.hpp"
#include "cinesub/error.hpp"

#include <gtest/gtest.h>
#include <algorithm>
#include <cmath>

#include <chrono>
#include <fstream>

namespace cinesub {
namespace {

using test::testdata;

// Seconds of [a, b] covered by the segments.
double covered(const std::vector<speech_segment>& segs, double a, double b) {
    double c = 0;
    for (const auto& s : segs) c += std::max(0.0, std::min(b, s.end) - std::max(a, s.start));
    return c;
}

std::vector<float> frames(double seconds) {
    return std::vector<float>(static_cast<std::size_t>(seconds * 16000 / 512), 0.0f);
}
void set(std::vector<float>& p, double a, double b, float v) {
    for (auto i = static_cast<std::size_t>(a * 16000 / 512);
         i < static_cast<std::size_t>(b * 16000 / 512) && i < p.size(); ++i)
        p[i] = v;
}

TEST(VadSegmentation, SilenceGivesNothing) {
    auto p = frames(10);
    EXPECT_TRUE(vad::segments_from_probs(p, 512, 160000, {}).empty());
    EXPECT_TRUE(vad::segments_from_probs({}, 512, 0, {}).empty());
}

TEST(VadSegmentation, OneBlockWithPadding) {
    auto p = frames(10);
    set(p, 2.0, 4.0, 0.9f);
    const auto segs = vad::segments_from_probs(p, 512, 160000, {});
    ASSERT_EQ(segs.size(), 1u);
    EXPECT_NEAR(segs[0].start, 2.0 - 0.03, 0.04);
    EXPECT_NEAR(segs[0].end, 4.0 + 0.03, 0.04);
}

TEST(VadSegmentation, ShortBlipsDroppedAndShortGapsMerged) {
    auto p = frames(10);
    set(p, 1.0, 1.1, 0.9f);  // 100 ms < 250 ms: dropped
    set(p, 3.0, 4.0, 0.9f);
    set(p, 4.05, 5.0, 0.9f);  // 50 ms gap < min silence: one segment
    set(p, 7.0, 8.0, 0.9f);
    const auto segs = vad::segments_from_probs(p, 512, 160000, {});
    ASSERT_EQ(segs.size(), 2u);
    EXPECT_NEAR(segs[0].start, 2.97, 0.04);
    EXPECT_NEAR(segs[0].end, 5.03, 0.04);
    EXPECT_NEAR(segs[1].start, 6.97, 0.04);
}

TEST(VadSegmentation, LongSpeechIsSplitAtMaxSpeech) {
    auto p = frames(100);
    set(p, 1.0, 91.0, 0.9f);
    set(p, 40.0, 40.3, 0.1f);  // a 300 ms pause: the preferred cut
    vad::params prm;
    prm.min_silence_ms = 500;  // the pause does not end the segment by itself
    const auto segs = vad::segments_from_probs(p, 512, 1600000, prm);
    ASSERT_GE(segs.size(), 3u);
    for (const auto& s : segs) EXPECT_LE(s.end - s.start, 30.0 + 0.1);
    EXPECT_NEAR(segs[0].end, 30.0, 1.5);  // nothing before 30 s to cut at (the pause is at 40 s)
    EXPECT_NEAR(covered(segs, 1.0, 91.0), 90.0, 1.0);
}

// The VAD settings come from the schema: defaults from the struct, values checked on read.
settings::value_map vad_values(std::initializer_list<std::pair<const char*, nlohmann::json>> kv) {
    settings::value_map m;
    for (const auto& [k, v] : kv) m[k] = {v, setting_source::flag};
    return m;
}

TEST(VadParams, FromSettings) {
    const auto p = settings::read<vad::params>(
        vad_values({{"vad.threshold", 0.4}, {"vad.min_speech_ms", 300}, {"vad.max_speech_s", 20.0}}));
    EXPECT_FLOAT_EQ(p.threshold, 0.4f);
    EXPECT_EQ(p.min_speech_ms, 300);
    EXPECT_EQ(p.min_silence_ms, 100);
    EXPECT_DOUBLE_EQ(p.max_speech_s, 20.0);
    try {
        settings::read<vad::params>(vad_values({{"vad.threshold", 1.5}}));
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::job_invalid);
    }
    try {
        settings::read<vad::params>(vad_values({{"vad.threshold", "high"}}));
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::job_invalid);
    }
}

class SileroTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!std::filesystem::exists(test::vad_model())) GTEST_SKIP() << "test data missing: " << test::vad_model();
    }
};

TEST_F(SileroTest, JfkHasFourSegments) {
    CINESUB_LOAD_16K(audio, testdata("media/en/en_jfk.wav"));
    vad::detector d(test::vad_model());
    EXPECT_EQ(d.frame_samples(), 512);
    const auto map = vad::detect(d, audio, {});
    EXPECT_EQ(map.segments.size(), 4u);
    EXPECT_NEAR(map.duration, 11.0, 0.01);
    EXPECT_DOUBLE_EQ(map.frame_seconds, 0.032);
    EXPECT_EQ(map.probabilities.size(), (audio.size() + 511) / 512);
    for (float p : map.probabilities) {
        EXPECT_GE(p, 0.0f);
        EXPECT_LE(p, 1.0f);
    }
    for (std::size_t i = 1; i < map.segments.size(); ++i) EXPECT_GE(map.segments[i].start, map.segments[i - 1].end);
}

TEST_F(SileroTest, PyannoteSpeechStartsAt668) {
    CINESUB_LOAD_16K(audio, testdata("media/diarization/en_pyannote_sample.wav"));
    vad::detector d(test::vad_model());
    const auto map = vad::detect(d, audio, {});
    ASSERT_FALSE(map.segments.empty());
    EXPECT_NEAR(map.segments.front().start, 6.68, 0.2);
}

TEST_F(SileroTest, SintelSpeechVersusMusic) {
    CINESUB_LOAD_16K(audio, testdata("media/video/sintel_trailer_first27s.webm"));
    vad::detector d(test::vad_model());
    const auto map = vad::detect(d, audio, {});
    // Both spoken lines (reference captions 12.0–15.0 and 18.5–20.5; Silero 12.32–14.62 and 18.82–20.13).
    EXPECT_GT(covered(map.segments, 12.4, 14.5), 0.8 * 2.1);
    EXPECT_GT(covered(map.segments, 18.9, 20.1), 0.8 * 1.2);
    // Orchestral music only before 11 s.
    EXPECT_LT(covered(map.segments, 0.0, 11.0), 0.3 * 11.0);
}

// Parallel runs (cut at block boundaries, one block of warm-up each) against one pass.
TEST_F(SileroTest, ParallelRunsMatchOnePass) {
    CINESUB_LOAD_16K(diar, testdata("media/diarization/en_pyannote_sample.wav"));
    CINESUB_LOAD_16K(jfk, testdata("media/en/en_jfk.wav"));
    std::vector<float> audio = diar;
    audio.insert(audio.end(), jfk.begin(), jfk.end());
    audio.insert(audio.end(), diar.begin(), diar.end());  // ~71 s: 7 blocks, speech across the cuts
    vad::detector d(test::vad_model());
    const auto one = vad::detect(d, audio, {});
    std::vector<double> seen;
    const auto par = vad::detect_parallel(
        d, test::vad_model(), audio, {}, 3, [&](double f) { seen.push_back(f); }, {}, 1);
    ASSERT_EQ(par.probabilities.size(), one.probabilities.size());
    std::size_t differ = 0;
    for (std::size_t i = 0; i < one.probabilities.size(); ++i)
        differ += std::fabs(par.probabilities[i] - one.probabilities[i]) > 0.05f;
    EXPECT_LT(differ, one.probabilities.size() / 50) << differ << " of " << one.probabilities.size() << " frames";
    ASSERT_EQ(par.segments.size(), one.segments.size());
    for (std::size_t i = 0; i < one.segments.size(); ++i) {
        EXPECT_NEAR(par.segments[i].start, one.segments[i].start, 0.1);
        EXPECT_NEAR(par.segments[i].end, one.segments[i].end, 0.1);
    }
    ASSERT_FALSE(seen.empty());
    EXPECT_DOUBLE_EQ(seen.back(), 1.0);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    // Short audio: one part, exactly one pass.
    const auto short_par = vad::detect_parallel(d, test::vad_model(), jfk, {}, 4);
    const auto short_one = vad::detect(d, jfk, {});
    EXPECT_EQ(short_par.probabilities, short_one.probabilities);
    // A stop request reaches every part.
    try {
        vad::detect_parallel(
            d, test::vad_model(), audio, {}, 3, {}, [] { return true; }, 1);
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::interrupted);
    }
}

TEST_F(SileroTest, ProgressAndInterruption) {
    std::vector<float> audio(16000 * 150, 0.0f);  // 150 s: 15 blocks of 10.24 s
    vad::detector d(test::vad_model());
    std::vector<double> seen;
    const auto map = vad::detect(d, audio, {}, [&](double f) { seen.push_back(f); });
    EXPECT_TRUE(map.segments.empty());
    ASSERT_EQ(seen.size(), 15u);
    EXPECT_DOUBLE_EQ(seen.back(), 1.0);
    int calls = 0;
    try {
        vad::detect(d, audio, {}, {}, [&] { return ++calls > 1; });
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::interrupted);
    }
}

TEST_F(SileroTest, EmptyAudio) {
    vad::detector d(test::vad_model());
    try {
        vad::detect(d, {}, {});
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::input_empty_audio);
    }
}

errc load_error(const std::filesystem::path& p) {
    try {
        vad::detector d(p);
    } catch (const error& e) {
        return e.code();
    }
    return errc::internal;
}

TEST_F(SileroTest, BadModelFiles) {
    test::temp_dir tmp;
    EXPECT_EQ(load_error(tmp / "missing.bin"), errc::model_missing);
    { std::ofstream(tmp / "garbage.bin") << "this is not a model at all, just text"; }
    EXPECT_EQ(load_error(tmp / "garbage.bin"), errc::model_invalid);
    // Truncated: the first half of the real file.
    {
        std::ifstream in(test::vad_model(), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::ofstream(tmp / "half.bin", std::ios::binary)
            .write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
    }
    EXPECT_EQ(load_error(tmp / "half.bin"), errc::model_invalid);
    // A Whisper model is not a VAD model.
    CINESUB_SKIP_IF_MISSING(test::header_model());
    EXPECT_EQ(load_error(test::header_model()), errc::model_invalid);
    try {
        vad::detector d(test::header_model());
    } catch (const error& e) {
        EXPECT_NE(std::string(e.what()).find("Whisper model"), std::string::npos) << e.what();
    }
}

TEST_F(SileroTest, OneHourOfSilenceIsQuick) {
    const std::vector<float> audio(16000 * 3600, 0.0f);
    vad::detector d(test::vad_model());
    const auto t0 = std::chrono::steady_clock::now();
    const auto map = vad::detect(d, audio, {});
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_TRUE(map.segments.empty());
    EXPECT_EQ(map.probabilities.size(), 112500u);
    RecordProperty("vad_seconds_for_1h", std::to_string(s));
    std::printf("VAD of 1 h of silence: %.2f s\n", s);
    EXPECT_LT(s, 5.0) << "digital silence must not run the model frame by frame";
}

}  // namespace
}  // namespace cinesub
