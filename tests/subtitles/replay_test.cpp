// Replayed human references through the subtitle path: the diarization STM and the Sintel SRT.
#include "asr/engine.hpp"
#include "cinesub/error.hpp"
#include "subtitles/checker.hpp"
#include "subtitles/readers.hpp"
#include "subtitles/segmenter.hpp"
#include "subtitles/text.hpp"
#include "subtitles/timing.hpp"
#include "subtitles/writers.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cinesub::subs {
namespace {

using test::testdata;

transcript replay(const std::filesystem::path& p) {
    auto engine = asr::make_replay_engine(p.string());
    asr::request req;
    return engine->run(req);
}

TEST(Replay, StmGivesSegmentsWithSpeakersAndSpreadWords) {
    const auto stm = testdata("media/diarization/en_pyannote_sample.stm");
    CINESUB_SKIP_IF_MISSING(stm);
    const auto t = replay(stm);
    ASSERT_EQ(t.segments.size(), 13u);
    EXPECT_EQ(t.language, "en");
    EXPECT_EQ(t.segments[0].speaker, "Diane");
    EXPECT_EQ(t.segments[1].speaker, "Sheila");
    EXPECT_DOUBLE_EQ(t.segments[0].start, 6.68);
    for (const auto& s : t.segments) {
        ASSERT_FALSE(s.words.empty());
        EXPECT_DOUBLE_EQ(s.words.front().start, s.start);
        EXPECT_DOUBLE_EQ(s.words.back().end, s.end);
        for (std::size_t i = 1; i < s.words.size(); ++i) EXPECT_GE(s.words[i].start, s.words[i - 1].end);
    }
}

TEST(Replay, ReferenceSrtTakesBracketSpeaker) {
    const auto srt = testdata("media/diarization/en_pyannote_sample.reference.srt");
    CINESUB_SKIP_IF_MISSING(srt);
    const auto t = replay(srt);
    ASSERT_FALSE(t.segments.empty());
    EXPECT_EQ(t.segments[0].speaker, "Diane");
    EXPECT_EQ(t.segments[0].text, "Hello?");
}

TEST(Replay, MissingFileIsInputMissing) {
    try {
        replay("/nonexistent/ref.stm");
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::input_missing);
    }
}

TEST(Replay, DiarizationStmMeetsNetflixEnWithMeasuredStartError) {
    const auto stm = testdata("media/diarization/en_pyannote_sample.stm");
    CINESUB_SKIP_IF_MISSING(stm);
    const auto t = replay(stm);
    segment_options o;
    o.style = get_profile("netflix-en");
    o.fps = 25;
    auto r = segment(t, o);
    apply_timing(r.cues, o.style, o.fps);
    const auto report = check_cues(r.cues, o.style, o.fps);
    for (const auto& v : report.violations)
        if (v.hard) ADD_FAILURE() << v.rule << " cue " << v.cue << ": " << v.message;
    EXPECT_EQ(report.hard(), 0);

    // Start error: each STM utterance start vs the start of the cue that shows its first word.
    std::vector<double> errors;
    for (const auto& s : t.segments) {
        for (const auto& c : r.cues) {
            if (!c.words.empty() && std::abs(c.words.front().start - s.words.front().start) < 1e-9) {
                errors.push_back(std::abs(c.start - s.start));
                break;
            }
        }
    }
    ASSERT_GE(errors.size(), t.segments.size() / 2);
    std::sort(errors.begin(), errors.end());
    const double median = errors[errors.size() / 2];
    const double p90 =
        errors[std::min(errors.size() - 1, static_cast<std::size_t>(0.9 * static_cast<double>(errors.size())))];
    std::printf(
        "[ measure ] diarization STM: %zu cues, %zu utterance starts matched, cue-start error median %.3f s, "
        "p90 %.3f s\n",
        r.cues.size(), errors.size(), median, p90);
    EXPECT_LE(median, 0.12);  // lead-in is at most 0.1 s, plus frame rounding
    EXPECT_LE(p90, 0.2);
}

TEST(Replay, SintelReferenceRoundTripsWithinOneFrame) {
    const auto ref = testdata("media/video/sintel_trailer_first27s_en.reference.srt");
    CINESUB_SKIP_IF_MISSING(ref);
    const auto t = replay(ref);
    const auto reference = read_subtitles(ref);
    segment_options o;
    o.style = get_profile("netflix-en");
    o.fps = 24;
    auto r = segment(t, o);
    apply_timing(r.cues, o.style, o.fps);
    const auto back = parse_srt(to_srt(r.cues));
    ASSERT_EQ(back.cues.size(), reference.cues.size());
    const double frame = 1.0 / o.fps;
    for (std::size_t i = 0; i < back.cues.size(); ++i) {
        EXPECT_NEAR(back.cues[i].start, reference.cues[i].start, frame + 0.101) << "cue " << i + 1;  // lead-in allowed
        EXPECT_LE(back.cues[i].start, reference.cues[i].start + frame);
        EXPECT_NEAR(back.cues[i].end, reference.cues[i].end, frame) << "cue " << i + 1;
        EXPECT_EQ(join(back.cues[i].lines, " "), join(reference.cues[i].lines, " "));
    }
}

}  // namespace
}  // namespace cinesub::subs
