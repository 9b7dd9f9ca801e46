// The synthetic conversations of tests/support/mixtures.hpp: deterministic, exact and well-formed
// ground truth (sorted, inside the audio, the right speakers, pauses and overlaps as asked), levels,
// the music bed, and the RTTM written from the truth.
#include "mixtures.hpp"

#include "cinesub/error.hpp"
#include "media_fixtures.hpp"
#include "scoped_env.hpp"
#include "speakers/rttm.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace cinesub::test {
namespace {

constexpr double mixture_sample_s = 1.0 / mixture_sample_rate;

#define CINESUB_SKIP_WITHOUT_HINDI_CLIPS(n)                                                                          \
    do {                                                                                                             \
        if (::cinesub::test::hindi_clips().size() < static_cast<std::size_t>(n))                                     \
            GTEST_SKIP() << "test data missing: " << ::cinesub::test::testdata("media/hi_commonvoice/hindi_000.wav") \
                         << " (" << (n) << " hindi_NNN.wav clips needed there)";                                     \
    } while (0)

std::size_t mixture_sample(double seconds) {
    return static_cast<std::size_t>(std::llround(seconds * mixture_sample_rate));
}

double mixture_rms(const std::vector<float>& audio, double from_s, double to_s) {
    return rms(audio, mixture_sample(from_s), mixture_sample(to_s));
}

std::set<std::string> mixture_speakers(const mixture& m) {
    std::set<std::string> out;
    for (const auto& t : m.truth) out.insert(t.speaker);
    return out;
}

bool mixture_same_truth(const std::vector<mixture_turn>& a, const std::vector<mixture_turn>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].start != b[i].start || a[i].end != b[i].end || a[i].speaker != b[i].speaker) return false;
    return true;
}

std::string mixture_slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(MixtureConversation, IsDeterministicForASeedAndSeedsPickDifferentClips) {
    CINESUB_SKIP_WITHOUT_HINDI_CLIPS(3);
    const mixture_options o{.speakers = 3, .turns = 10, .overlap_fraction = 0.3, .music_db = -25, .seed = 7};
    const auto a = make_conversation(o);
    const auto b = make_conversation(o);
    EXPECT_EQ(a.audio, b.audio);
    EXPECT_TRUE(mixture_same_truth(a.truth, b.truth));
    EXPECT_EQ(a.clips, b.clips);

    auto other = o;
    other.seed = 8;
    const auto c = make_conversation(other);
    EXPECT_NE(a.clips, c.clips);
    EXPECT_NE(mixture_speakers(a), mixture_speakers(c));
    EXPECT_FALSE(mixture_same_truth(a.truth, c.truth));
}

TEST(MixtureConversation, TruthIsSortedInsideTheAudioWithTheRightSpeakers) {
    CINESUB_SKIP_WITHOUT_HINDI_CLIPS(8);
    for (const int speakers : {2, 3, 5, 8}) {
        for (const bool whole : {false, true}) {
            SCOPED_TRACE(testing::Message() << speakers << " speakers, whole clips " << whole);
            const mixture_options o{.speakers = speakers,
                                    .turns = 3 * speakers,
                                    .overlap_fraction = 0.25,
                                    .seed = static_cast<unsigned>(speakers),
                                    .whole_clips = whole};
            const auto m = make_conversation(o);
            EXPECT_EQ(m.speakers, speakers);
            ASSERT_EQ(m.truth.size(), static_cast<std::size_t>(o.turns));
            ASSERT_EQ(m.clips.size(), static_cast<std::size_t>(speakers));
            std::set<std::string> names;
            for (const auto& clip : m.clips) names.insert(clip.stem().string());
            EXPECT_EQ(mixture_speakers(m), names) << "speaker N is clip N";
            EXPECT_TRUE(std::is_sorted(m.truth.begin(), m.truth.end(),
                                       [](const mixture_turn& x, const mixture_turn& y) { return x.start < y.start; }));
            const double length = static_cast<double>(m.audio.size()) * mixture_sample_s;
            EXPECT_NEAR(m.truth.front().start, mixture_margin_s, mixture_sample_s);
            double last_end = 0;
            for (std::size_t i = 0; i < m.truth.size(); ++i) {
                const auto& t = m.truth[i];
                EXPECT_GE(t.start, 0);
                EXPECT_LT(t.start, t.end);
                EXPECT_LE(t.end, length);
                if (i > 0) {
                    EXPECT_NE(t.speaker, m.truth[i - 1].speaker) << "turn " << i;
                }
                // Times fall on samples: the truth is exact, not rounded.
                EXPECT_NEAR(t.start * mixture_sample_rate, std::round(t.start * mixture_sample_rate), 1e-6);
                if (whole) {
                    EXPECT_LE(t.end - t.start, 10.0) << "a whole clip is 2–10 s";
                } else {
                    EXPECT_LE(t.end - t.start, 4.0 + 0.26) << "a piece is at most 4 s (+ snapping to a quiet frame)";
                }
                last_end = std::max(last_end, t.end);
            }
            EXPECT_NEAR(length - last_end, mixture_margin_s, mixture_sample_s);
        }
    }
}

TEST(MixtureConversation, PausesAreSilentAndWithinTheRange) {
    CINESUB_SKIP_WITHOUT_HINDI_CLIPS(4);
    const mixture_options o{.speakers = 4, .turns = 16, .pause_min_s = 0.3, .pause_max_s = 1.1, .seed = 3};
    const auto m = make_conversation(o);
    double shortest = 1e9, longest = 0;
    for (std::size_t i = 1; i < m.truth.size(); ++i) {
        const double gap = m.truth[i].start - m.truth[i - 1].end;
        EXPECT_GE(gap, o.pause_min_s - mixture_sample_s) << "turn " << i;
        EXPECT_LE(gap, o.pause_max_s + mixture_sample_s) << "turn " << i;
        shortest = std::min(shortest, gap);
        longest = std::max(longest, gap);
        // Nothing but silence between turns: the turns hold all the speech.
        EXPECT_EQ(mixture_rms(m.audio, m.truth[i - 1].end, m.truth[i].start), 0.0) << "pause before turn " << i;
    }
    EXPECT_GT(longest - shortest, 0.2) << "pauses vary";
    EXPECT_EQ(mixture_rms(m.audio, 0, m.truth.front().start), 0.0);
    EXPECT_EQ(mixture_rms(m.audio, m.truth.back().end, 1e9), 0.0);
}

TEST(MixtureConversation, TurnsStartAndEndOnSpeechAtOneLevel) {
    CINESUB_SKIP_WITHOUT_HINDI_CLIPS(6);
    for (const bool whole : {false, true}) {
        SCOPED_TRACE(testing::Message() << "whole clips " << whole);
        const auto m = make_conversation({.speakers = 6, .turns = 12, .seed = 11, .whole_clips = whole});
        for (std::size_t i = 0; i < m.truth.size(); ++i) {
            const auto& t = m.truth[i];
            // The first and last 20 ms frame of a turn are speech: within 40 dB of the loudest frame of
            // the clip, which is at least the speech level (the fades take a little at the very edge).
            const double floor = 0.5 * mixture_speech_rms * std::pow(10.0, mixture_trim_db / 20.0);
            EXPECT_GT(mixture_rms(m.audio, t.start, t.start + mixture_frame_s), floor) << "turn " << i;
            EXPECT_GT(mixture_rms(m.audio, t.end - mixture_frame_s, t.end), floor) << "turn " << i;
            // Every clip is levelled to the same speech RMS: a turn's RMS is within a few dB of it.
            const double level_db = 20 * std::log10(mixture_rms(m.audio, t.start, t.end) / mixture_speech_rms);
            EXPECT_GT(level_db, -6) << "turn " << i;
            EXPECT_LT(level_db, 3) << "turn " << i;
        }
    }
}

TEST(MixtureSpeech, TrimsSilenceHissAndClicks) {
    constexpr std::size_t second = mixture_sample_rate;
    auto tone = [](std::vector<float>& v, std::size_t from, std::size_t to, double amplitude) {
        for (std::size_t i = from; i < to; ++i)
            v[i] += static_cast<float>(
                amplitude * std::sin(2 * 3.141592653589793 * 440.0 * static_cast<double>(i) / mixture_sample_rate));
    };
    // Digital silence around a loud tone with a soft (−30 dB) lead-in: the lead-in is speech.
    std::vector<float> clean(3 * second, 0.0f);
    tone(clean, second, 2 * second, 0.3);
    tone(clean, second * 8 / 10, second, 0.01);
    const auto c = find_speech(clean);
    EXPECT_EQ(c.start_sample(), second * 8 / 10);
    EXPECT_EQ(c.end_sample(clean.size()), 2 * second);
    EXPECT_NEAR(c.speech_rms, 0.3 / std::sqrt(2.0), 0.02);

    // Hiss only 31 dB below the tone, a 20 ms click and a 40 ms blip: none of them is speech.
    std::vector<float> hissy(3 * second, 0.0f);
    unsigned state = 12345;
    for (float& x : hissy) {
        state = state * 1664525u + 1013904223u;
        x = static_cast<float>(0.01 * (static_cast<double>(state >> 8) / 8388608.0 - 1.0));
    }
    tone(hissy, second, 2 * second, 0.3);
    tone(hissy, second * 3 / 10, second * 3 / 10 + mixture_frame_samples, 0.5);
    tone(hissy, second * 25 / 10, second * 25 / 10 + 2 * mixture_frame_samples, 0.5);
    const auto h = find_speech(hissy);
    EXPECT_EQ(h.start_sample(), second);
    EXPECT_EQ(h.end_sample(hissy.size()), 2 * second);
    EXPECT_EQ(std::count(h.speech.begin(), h.speech.end(), true), 50);

    EXPECT_EQ(find_speech(std::vector<float>(second, 0.0f)).first, find_speech(std::vector<float>(second, 0.0f)).end);
    EXPECT_EQ(find_speech({}).speech_rms, 0.0);
}

TEST(MixtureConversation, WholeClipTurnsAreTheClipsSpeech) {
    CINESUB_SKIP_WITHOUT_HINDI_CLIPS(8);
    const auto m = make_conversation({.speakers = 8, .turns = 8, .seed = 21, .whole_clips = true});
    double trimmed = 0;
    for (const auto& t : m.truth) {
        const auto clip = std::find_if(m.clips.begin(), m.clips.end(),
                                       [&](const std::filesystem::path& p) { return p.stem() == t.speaker; });
        ASSERT_NE(clip, m.clips.end()) << t.speaker;
        const auto& samples = clip_16k(*clip);
        const auto speech = find_speech(samples);
        const auto extent = speech.end_sample(samples.size()) - speech.start_sample();
        EXPECT_EQ(mixture_sample(t.end - t.start), extent) << t.speaker;
        trimmed += static_cast<double>(samples.size() - extent) * mixture_sample_s;
    }
    EXPECT_GT(trimmed, 8 * 0.3) << "Common Voice clips have silence at both ends; the truth leaves it out";
}

// mixture::speech, what DER is scored against: each turn's speech with its pauses of 0.3 s or more
// left out. Without overlaps or music, the pieces lie inside their turns (same speaker, a turn's
// first piece starts it and its last ends it), and what is left out is at most pause-level audio.
TEST(MixtureConversation, SpeechLeavesOutPausesInsideTurns) {
    CINESUB_SKIP_WITHOUT_HINDI_CLIPS(2);
    int pauses = 0;
    for (unsigned seed = 1; seed <= 15; ++seed) {
        const auto m = make_conversation({.speakers = 2, .turns = 8, .seed = seed});
        std::size_t next = 0;  // the first speech piece not yet matched to a turn
        for (const auto& t : m.truth) {
            const std::size_t first = next;
            while (next < m.speech.size() && m.speech[next].start < t.end) {
                EXPECT_EQ(m.speech[next].speaker, t.speaker) << "seed " << seed;
                EXPECT_GE(m.speech[next].start, t.start - 1e-9);
                EXPECT_LE(m.speech[next].end, t.end + 1e-9);
                EXPECT_GT(m.speech[next].end, m.speech[next].start);
                ++next;
            }
            ASSERT_GT(next, first) << "seed " << seed << ": a turn without speech at " << t.start;
            EXPECT_DOUBLE_EQ(m.speech[first].start, t.start);
            EXPECT_DOUBLE_EQ(m.speech[next - 1].end, t.end);
            for (std::size_t i = first + 1; i < next; ++i) {
                const double from = m.speech[i - 1].end, to = m.speech[i].start;
                EXPECT_GE(to - from, mixture_min_pause_s - 1e-9) << "seed " << seed << " at " << from;
                EXPECT_LT(mixture_rms(m.audio, from, to), 0.5 * mixture_speech_rms)
                    << "seed " << seed << " at " << from;
                ++pauses;
            }
        }
        EXPECT_EQ(next, m.speech.size()) << "seed " << seed;
    }
    EXPECT_GT(pauses, 0) << "some turns of these seeds have pauses (seed 6's first turn: 1.98–2.42 s)";
}

TEST(MixtureConversation, OverlapsArePresentWhenRequested) {
    CINESUB_SKIP_WITHOUT_HINDI_CLIPS(3);
    const auto none = make_conversation({.speakers = 3, .turns = 12, .seed = 5});
    for (std::size_t i = 1; i < none.truth.size(); ++i) EXPECT_GE(none.truth[i].start, none.truth[i - 1].end);

    const mixture_options o{.speakers = 3, .turns = 12, .overlap_fraction = 0.5, .seed = 5};
    const auto m = make_conversation(o);
    int overlapping = 0;
    for (std::size_t i = 1; i < m.truth.size(); ++i) {
        const auto& prev = m.truth[i - 1];
        const auto& t = m.truth[i];
        if (t.start >= prev.end) {
            EXPECT_GE(t.start - prev.end, o.pause_min_s - mixture_sample_s);
            continue;
        }
        ++overlapping;
        EXPECT_NE(t.speaker, prev.speaker);
        const double by = prev.end - t.start;
        EXPECT_LE(by, 1.0 + mixture_sample_s) << "turn " << i;
        EXPECT_GE(by + 1e-9, std::min(0.3, 0.5 * std::min(prev.end - prev.start, t.end - t.start))) << "turn " << i;
        EXPECT_GT(t.end, prev.end) << "an overlapping turn outlasts the previous one";
        if (i >= 2) {
            EXPECT_GE(t.start, m.truth[i - 2].end) << "never three speakers at once";
        }
    }
    EXPECT_EQ(overlapping, 6) << "half of the 11 turns after the first, rounded";

    // Any fraction above 0 gives at least one overlap.
    const auto few = make_conversation({.speakers = 2, .turns = 4, .overlap_fraction = 0.01, .seed = 5});
    int few_overlapping = 0;
    for (std::size_t i = 1; i < few.truth.size(); ++i) few_overlapping += few.truth[i].start < few.truth[i - 1].end;
    EXPECT_EQ(few_overlapping, 1);
}

TEST(MixtureConversation, MusicBedFillsThePausesAtItsLevel) {
    CINESUB_SKIP_WITHOUT_HINDI_CLIPS(2);
    mixture_options o{.speakers = 2, .turns = 8, .pause_min_s = 0.6, .pause_max_s = 1.0, .seed = 9};
    const auto dry = make_conversation(o);
    o.music_db = -20;
    const auto wet = make_conversation(o);
    ASSERT_TRUE(mixture_same_truth(dry.truth, wet.truth)) << "music changes neither the speech nor the truth";
    ASSERT_EQ(dry.audio.size(), wet.audio.size());

    // The bed alone is exactly at its level relative to the speech RMS.
    std::vector<float> bed(wet.audio.size());
    for (std::size_t i = 0; i < bed.size(); ++i) bed[i] = wet.audio[i] - dry.audio[i];
    EXPECT_NEAR(rms(bed), mixture_speech_rms * 0.1, mixture_speech_rms * 0.1 * 0.01);

    for (std::size_t i = 1; i < wet.truth.size(); ++i) {
        const double from = wet.truth[i - 1].end, to = wet.truth[i].start;
        EXPECT_EQ(mixture_rms(dry.audio, from, to), 0.0);
        const double level = mixture_rms(wet.audio, from, to);
        EXPECT_GT(level, mixture_speech_rms * 0.1 / 2) << "pause before turn " << i;
        EXPECT_LT(level, mixture_speech_rms * 0.1 * 2) << "pause before turn " << i;
    }

    // The bed has chords and a beat: never silent for long, louder on the beats.
    const auto music = make_music_bed(4 * mixture_sample_rate, 1);
    EXPECT_NEAR(rms(music), 1.0, 1e-3);
    for (double at = 0; at + 0.1 <= 4.0; at += 0.1) EXPECT_GT(mixture_rms(music, at, at + 0.1), 0.1) << at;
    EXPECT_GT(mixture_rms(music, 1.0, 1.1), 1.5 * mixture_rms(music, 1.3, 1.4)) << "a kick at 1.0 s";
    EXPECT_EQ(music, make_music_bed(4 * mixture_sample_rate, 1));
}

TEST(MixtureConversation, RejectsOptionsOutOfRange) {
    EXPECT_CINESUB_ERROR(make_conversation({.speakers = 1}), errc::usage);
    EXPECT_CINESUB_ERROR(make_conversation({.speakers = 9, .turns = 20}), errc::usage);
    EXPECT_CINESUB_ERROR(make_conversation({.speakers = 4, .turns = 3}), errc::usage);
    EXPECT_CINESUB_ERROR(make_conversation({.pause_min_s = 0.9, .pause_max_s = 0.5}), errc::usage);
    EXPECT_CINESUB_ERROR(make_conversation({.overlap_fraction = 1.5}), errc::usage);
}

TEST(MixtureConversation, ThrowsWhenTheClipsAreMissing) {
    temp_dir empty;
    const scoped_env env("CINESUB_TESTDATA", empty.path().string());
    EXPECT_TRUE(hindi_clips().empty());
    EXPECT_CINESUB_ERROR(make_conversation({}), errc::input_missing);
}

TEST(MixtureRttm, WritesNistSpeakerLines) {
    temp_dir tmp;
    const auto path = tmp / "truth.rttm";
    write_rttm_truth(path, "conv_1", {{0.5, 2.25, "hindi_003"}, {2.0, 4.0004, "hindi_017"}, {4.5, 6.0, "hindi_003"}});
    EXPECT_EQ(mixture_slurp(path),
              "SPEAKER conv_1 1 0.500 1.750 <NA> <NA> hindi_003 <NA> <NA>\n"
              "SPEAKER conv_1 1 2.000 2.000 <NA> <NA> hindi_017 <NA> <NA>\n"
              "SPEAKER conv_1 1 4.500 1.500 <NA> <NA> hindi_003 <NA> <NA>\n");
    EXPECT_TRUE(leftover_temporaries(tmp.path()).empty());
}

TEST(MixtureRttm, TruthOfAConversationRoundTrips) {
    CINESUB_SKIP_WITHOUT_HINDI_CLIPS(3);
    const auto m = make_conversation({.speakers = 3, .turns = 9, .overlap_fraction = 0.3, .seed = 4});
    temp_dir tmp;
    write_rttm_truth(tmp / "conv.rttm", "conv", m.truth);
    const auto files = speakers::read_rttm(tmp / "conv.rttm");
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].file_id, "conv");
    ASSERT_EQ(files[0].turns.size(), m.truth.size());
    for (std::size_t i = 0; i < m.truth.size(); ++i) {
        EXPECT_EQ(files[0].turns[i].speaker, m.truth[i].speaker);
        EXPECT_NEAR(files[0].turns[i].start, m.truth[i].start, 0.0005 + 1e-9);
        EXPECT_NEAR(files[0].turns[i].end, m.truth[i].end, 0.0005 + 1e-9);
    }
}

}  // namespace
}  // namespace cinesub::test

#undef CINESUB_SKIP_WITHOUT_HINDI_CLIPS
