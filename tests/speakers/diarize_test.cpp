// The signal-only diarizer (speakers::diarize) against human references: the diarization sample's
// RTTM (2 speakers) and conversations built from the Hindi clips with exact ground truth
// (tests/support/mixtures; scored against mixture::speech, each turn's pauses of 0.3 s or more left
// out). Prints DER (collar ±0.25 s, overlap scored) per case.
#include "audio_fixtures.hpp"
#include "mixtures.hpp"

#include "asr/wav.hpp"
#include "cinesub/error.hpp"
#include "speakers/der.hpp"
#include "speakers/diarize.hpp"
#include "speakers/rttm.hpp"
#include "vad/vad.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>

namespace cinesub::speakers {
namespace {

namespace fs = std::filesystem;

speech_map vad_of(const std::vector<float>& audio) {
    vad::detector d(test::vad_model());
    return vad::detect(d, audio, {});
}

TEST(Diarize, DiarizationSampleDer) {
    const auto wav = test::testdata("media/diarization/en_pyannote_sample.wav");
    const auto ref = test::testdata("media/diarization/en_pyannote_sample.rttm");
    if (!fs::exists(wav) || !fs::exists(ref) || !fs::exists(test::vad_model())) GTEST_SKIP() << "test data missing";
    const auto audio = asr::read_wav_16k_mono(wav);
    const auto speech = vad_of(audio);
    const auto d = diarize(audio, speech, {});
    const auto r = score_der(read_rttm(ref).front().turns, d.turns, {});
    std::printf(
        "diarization sample: %d speakers found (2 in the reference), DER %.1f %% (missed %.2f s, false alarm "
        "%.2f s, confusion %.2f s of %.2f s; collar ±0.25 s, overlap scored); separation %.3f\n",
        d.speakers, 100 * r.der, r.missed, r.false_alarm, r.confusion, r.total, d.mean_similarity);
    std::string ev;
    for (double e : d.eigenvalues) ev += fmt::format(" {:.2f}", e);
    std::printf("  eigenvalues:%s\n", ev.c_str());
    for (int k = 2; k <= 3; ++k) {
        diarize_options o;
        o.min_speakers = o.max_speakers = k;
        const auto dk = diarize(audio, speech, o);
        const auto rk = score_der(read_rttm(ref).front().turns, dk.turns, {});
        std::printf("  forced %d: DER %.1f %% (missed %.2f, fa %.2f, conf %.2f) separation %.3f, delta BIC %.1f\n", k,
                    100 * rk.der, rk.missed, rk.false_alarm, rk.confusion, dk.mean_similarity, dk.delta_bic);
    }
    EXPECT_EQ(d.speakers, 2);
    EXPECT_LE(r.der, 0.15);
}

// Automatic one-speaker detection is not solved (jfk's 11 s come out as 2 clusters: see
// bench/RESULTS.md); with the count fixed to 1 every speech frame is the one speaker's.
TEST(Diarize, OneSpeakerWhenTold) {
    const auto wav = test::testdata("media/en/en_jfk.wav");
    if (!fs::exists(wav) || !fs::exists(test::vad_model())) GTEST_SKIP() << "test data missing";
    const auto audio = asr::read_wav_16k_mono(wav);
    const auto speech = vad_of(audio);
    diarize_options o;
    o.max_speakers = 1;
    const auto d = diarize(audio, speech, o);
    EXPECT_EQ(d.speakers, 1);
    double speech_s = 0, turns_s = 0;
    for (const auto& s : speech.segments) speech_s += s.end - s.start;
    for (const auto& t : d.turns) {
        EXPECT_EQ(t.speaker, "SPEAKER_00");
        turns_s += t.end - t.start;
    }
    EXPECT_NEAR(turns_s, speech_s, 0.1);
}

// Conversations of 2, 3 and 4 Hindi speakers (5 seeds each): turn-taking with 0.2–0.8 s pauses, 15 %
// of the turns overlapping the previous one; then the 2–3 speaker ones over music at −15 dB.
TEST(Diarize, MixturesDerAndSpeakerCount) {
    if (test::hindi_clips().size() < 8 || !fs::exists(test::vad_model())) GTEST_SKIP() << "test data missing";
    struct totals {
        double error = 0, scored = 0;
        int right = 0, n = 0;
    };
    // Seeds 1–5 by default; CINESUB_MIXTURE_SEEDS=6-15 (say) measures others (bench/RESULTS.md: held out).
    unsigned first = 1, last = 5;
    if (const char* seeds = std::getenv("CINESUB_MIXTURE_SEEDS")) {
        ASSERT_EQ(std::sscanf(seeds, "%u-%u", &first, &last), 2) << "CINESUB_MIXTURE_SEEDS: FROM-TO";
    }
    std::map<std::string, totals> by;
    for (const double music : {-100.0, -15.0})
        for (int k = 2; k <= 4; ++k) {
            if (music > -100 && k == 4) continue;
            for (unsigned seed = first; seed <= last; ++seed) {
                test::mixture_options o;
                o.speakers = k;
                o.turns = 4 * k;
                o.overlap_fraction = 0.15;
                o.music_db = music;
                o.seed = seed;
                const auto m = test::make_conversation(o);
                const auto speech = vad_of(m.audio);
                const auto d = diarize(m.audio, speech, {});
                const auto r = score_der(m.speech, d.turns, {});
                const std::string key = fmt::format("{} speakers{}", k, music > -100 ? " over music" : "");
                auto& t = by[key];
                t.error += r.missed + r.false_alarm + r.confusion;
                t.scored += r.total;
                t.right += d.speakers == k ? 1 : 0;
                ++t.n;
                std::printf("  %s seed %u: %d found, DER %.1f %% (missed %.2f, fa %.2f, conf %.2f of %.2f s)\n",
                            key.c_str(), seed, d.speakers, 100 * r.der, r.missed, r.false_alarm, r.confusion, r.total);
            }
        }
    int right = 0, n = 0;
    for (const auto& [key, t] : by) {
        std::printf("%s: DER %.1f %% (collar ±0.25 s, overlap scored), speaker count right %d/%d\n", key.c_str(),
                    100 * t.error / t.scored, t.right, t.n);
        right += t.right;
        n += t.n;
    }
    std::printf("speaker count right on %d/%d mixtures\n", right, n);
    if (first != 1 || last != 5) GTEST_SKIP() << "other seeds: measured, not checked";
    // The goals (≤ 10 % DER on 2–3 speakers, count right on ≥ 80 %) are met for 2 speakers and for
    // 3 speakers' DER on these seeds (not on seeds 6–15); these floors guard what was measured
    // (bench/RESULTS.md): 2 speakers 2.1 %, 3 speakers 6.5 %, 4 speakers 17.2 %, 16/25.
    auto der_of = [&](const std::string& key) { return by[key].error / by[key].scored; };
    EXPECT_LE(der_of("2 speakers"), 0.05);
    EXPECT_LE(der_of("2 speakers over music"), 0.05);
    EXPECT_EQ(by["2 speakers"].right, 5);
    EXPECT_LE(der_of("3 speakers"), 0.10);
    EXPECT_LE(der_of("4 speakers"), 0.20);
    EXPECT_GE(right, 15);
}

// Bad input: silence, a 0.3 s file, speech at −40 dBFS, pure music — each a sensible result.
TEST(Diarize, SilenceShortQuietAndMusic) {
    const auto wav = test::testdata("media/diarization/en_pyannote_sample.wav");
    const auto ref = test::testdata("media/diarization/en_pyannote_sample.rttm");
    if (!fs::exists(wav) || !fs::exists(ref) || !fs::exists(test::vad_model())) GTEST_SKIP() << "test data missing";
    // 60 s of digital silence: no speech, no turns, no speakers.
    const std::vector<float> silence(16000 * 60, 0.0f);
    const auto none = diarize(silence, vad_of(silence), {});
    EXPECT_TRUE(none.turns.empty());
    EXPECT_EQ(none.speakers, 0);
    // 0.3 s of speech (from 7.0 s of the sample): one window, one speaker.
    const auto audio = asr::read_wav_16k_mono(wav);
    const std::vector<float> short_clip(audio.begin() + 16000 * 7, audio.begin() + 16000 * 7 + 4800);
    speech_map s;
    s.segments = {{0.0, 0.3}};
    const auto one = diarize(short_clip, s, {});
    ASSERT_EQ(one.turns.size(), 1u);
    EXPECT_EQ(one.speakers, 1);
    // The sample at −40 dBFS RMS: the features are level-free, so the same speakers come out.
    double sum = 0;
    for (const float x : audio) sum += static_cast<double>(x) * x;
    const double gain = std::pow(10.0, -40.0 / 20.0) / std::sqrt(sum / static_cast<double>(audio.size()));
    std::vector<float> quiet(audio.size());
    for (std::size_t i = 0; i < audio.size(); ++i) quiet[i] = static_cast<float>(audio[i] * gain);
    const auto speech = vad_of(quiet);
    const auto q = diarize(quiet, speech, {});
    const auto r = score_der(read_rttm(ref).front().turns, q.turns, {});
    std::printf("diarization sample at -40 dBFS: %d speakers, DER %.1f %%\n", q.speakers, 100 * r.der);
    EXPECT_EQ(q.speakers, 2);
    EXPECT_LE(r.der, 0.20);
    // Pure (synthetic) music: whatever the VAD calls speech, the turns stay inside it.
    const auto music_raw = test::make_music_bed(16000 * 30, 3);
    std::vector<float> music(music_raw.size());
    for (std::size_t i = 0; i < music.size(); ++i) music[i] = 0.05f * music_raw[i];
    const auto ms = vad_of(music);
    const auto m = diarize(music, ms, {});
    double speech_s = 0, turns_s = 0;
    for (const auto& seg : ms.segments) speech_s += seg.end - seg.start;
    for (const auto& t : m.turns) turns_s += t.end - t.start;
    std::printf("pure music: %.1f s called speech by the VAD, %d speakers, %zu turns\n", speech_s, m.speakers,
                m.turns.size());
    EXPECT_LE(turns_s, speech_s + 0.05);
}

TEST(Diarize, BadSpeakerCountsAreUsageErrors) {
    std::vector<float> audio(16000, 0.0f);
    speech_map s;
    diarize_options o;
    o.min_speakers = 3;
    o.max_speakers = 2;
    try {
        diarize(audio, s, o);
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::usage);
        EXPECT_NE(std::string(e.what()).find("more than"), std::string::npos);
    }
    EXPECT_TRUE(diarize(audio, s, {}).turns.empty());  // no speech: no turns
}

}  // namespace
}  // namespace cinesub::speakers
