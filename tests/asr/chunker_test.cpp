#include "asr/chunker.hpp"
#include "cinesub/error.hpp"

#include <gtest/gtest.h>

#include <random>

namespace cinesub::asr {
namespace {

speech_map with_segments(std::vector<speech_segment> segs, double duration) {
    speech_map m;
    m.segments = std::move(segs);
    m.duration = duration;
    return m;
}

// Seconds of [a, b] covered by the chunks' audio.
double covered_by_chunks(const std::vector<chunk>& chunks, double a, double b) {
    double c = 0;
    for (const auto& ch : chunks) c += std::max(0.0, std::min(b, ch.end) - std::max(a, ch.start));
    return c;
}

TEST(Chunker, NoSpeechNoChunks) { EXPECT_TRUE(make_chunks(with_segments({}, 3600), 30).empty()); }

TEST(Chunker, MergesNeighboursUpToTheWindow) {
    const auto chunks = make_chunks(with_segments({{1, 5}, {6, 12}, {20, 29}, {31, 40}, {41, 42}}, 60), 30);
    ASSERT_EQ(chunks.size(), 2u);
    EXPECT_DOUBLE_EQ(chunks[0].start, 1);
    EXPECT_DOUBLE_EQ(chunks[0].end, 29);
    EXPECT_EQ(chunks[0].speech.size(), 3u);
    EXPECT_DOUBLE_EQ(chunks[1].start, 31);
    EXPECT_DOUBLE_EQ(chunks[1].end, 42);
    EXPECT_EQ(chunks[1].index, 1);
}

TEST(Chunker, LongGapsAreShortenedSoAWindowHoldsMoreSpeech) {
    const auto m = with_segments({{1, 5}, {5.5, 8}, {20, 29}, {40, 45}, {70, 90}}, 100);
    const auto chunks = make_chunks(m, 30, 1.0);
    ASSERT_EQ(chunks.size(), 2u);
    const auto& c = chunks[0];
    EXPECT_DOUBLE_EQ(c.start, 1);
    EXPECT_DOUBLE_EQ(c.end, 45);
    EXPECT_EQ(c.speech.size(), 4u);
    // [1, 8] keeps its 0.5 s gap (one stretch); the 12 s and 11 s gaps become 1 s each.
    ASSERT_EQ(c.pieces.size(), 3u);
    EXPECT_DOUBLE_EQ(c.pieces[0].end, 8);
    EXPECT_DOUBLE_EQ(c.pieces[1].at, 8);
    EXPECT_DOUBLE_EQ(c.pieces[2].at, 18);
    EXPECT_DOUBLE_EQ(c.audio_seconds(), 23);
    // Times in the chunk's audio back on the clip timeline.
    EXPECT_DOUBLE_EQ(c.to_clip_time(0), 1);
    EXPECT_DOUBLE_EQ(c.to_clip_time(6.5), 7.5);
    EXPECT_NEAR(c.to_clip_time(6.9), 7.9, 1e-9);
    EXPECT_DOUBLE_EQ(c.to_clip_time(7.3), 8);   // in the shortened gap, nearer the end of [1, 8]
    EXPECT_DOUBLE_EQ(c.to_clip_time(7.8), 20);  // nearer the start of [20, 29]
    EXPECT_DOUBLE_EQ(c.to_clip_time(10), 22);
    EXPECT_DOUBLE_EQ(c.to_clip_time(19), 41);
    EXPECT_DOUBLE_EQ(c.to_clip_time(-1), 1);
    EXPECT_DOUBLE_EQ(c.to_clip_time(40), 45);
    EXPECT_DOUBLE_EQ(chunks[1].start, 70);
    EXPECT_DOUBLE_EQ(chunks[1].audio_seconds(), 20);
    // Keeping every gap (WhisperX): a chunk is one stretch from its first to its last segment.
    const auto spans = make_chunks(m, 30);
    ASSERT_EQ(spans.size(), 3u);
    EXPECT_DOUBLE_EQ(spans[0].end, 29);
    ASSERT_EQ(spans[0].pieces.size(), 1u);
    EXPECT_DOUBLE_EQ(spans[0].audio_seconds(), 28);
    EXPECT_DOUBLE_EQ(spans[0].to_clip_time(12.5), 13.5);
    EXPECT_THROW(make_chunks(m, 30, -1), error);
}

TEST(Chunker, LongSegmentIsSplitAtItsQuietestFrame) {
    speech_map m = with_segments({{0, 70}}, 70);
    m.frame_seconds = 0.032;
    m.probabilities.assign(static_cast<std::size_t>(70 / 0.032) + 1, 0.9f);
    m.probabilities[static_cast<std::size_t>(22.0 / 0.032)] = 0.2f;  // the first cut
    m.probabilities[static_cast<std::size_t>(45.0 / 0.032)] = 0.1f;  // the second
    m.probabilities[static_cast<std::size_t>(1.0 / 0.032)] = 0.0f;   // too close to the start
    m.probabilities[static_cast<std::size_t>(69.0 / 0.032)] = 0.0f;  // too close to the end
    const auto pieces = split_long_segments(m, 30);
    ASSERT_EQ(pieces.size(), 3u);
    EXPECT_NEAR(pieces[0].end, 22.0, 0.033);
    EXPECT_NEAR(pieces[1].start, 22.0, 0.033);
    EXPECT_NEAR(pieces[1].end, 45.0, 0.033);
    EXPECT_DOUBLE_EQ(pieces[2].end, 70);
    for (const auto& p : pieces) EXPECT_LE(p.end - p.start, 30.0);
}

TEST(Chunker, LongSegmentWithoutProbabilitiesIsCutEvenly) {
    const auto pieces = split_long_segments(with_segments({{10, 100}}, 100), 30);
    ASSERT_EQ(pieces.size(), 3u);
    EXPECT_DOUBLE_EQ(pieces[0].start, 10);
    EXPECT_DOUBLE_EQ(pieces[2].end, 100);
    for (const auto& p : pieces) EXPECT_NEAR(p.end - p.start, 30.0, 1e-9);
}

TEST(Chunker, RejectsNonPositiveWindow) {
    try {
        make_chunks(with_segments({{0, 1}}, 1), 0);
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::job_invalid);
    }
}

// Properties on random speech maps: nothing lost, every chunk within the window, order kept.
TEST(Chunker, RandomisedProperties) {
    std::mt19937 rng(1234);
    std::uniform_real_distribution<double> gap(0.05, 8.0), len(0.2, 75.0), prob(0.0, 1.0);
    for (int round = 0; round < 200; ++round) {
        const double max_s = round % 3 == 0 ? 30.0 : (round % 3 == 1 ? 10.0 : 29.5);
        speech_map m;
        double t = gap(rng);
        const int n = static_cast<int>(rng() % 40);
        for (int i = 0; i < n; ++i) {
            const double l = len(rng);
            m.segments.push_back({t, t + l});
            t += l + gap(rng);
        }
        m.duration = t;
        m.frame_seconds = 0.032;
        if (round % 2 == 0) {
            m.probabilities.resize(static_cast<std::size_t>(t / 0.032) + 1);
            for (auto& p : m.probabilities) p = static_cast<float>(prob(rng));
        }
        const double max_gap = round % 4 == 0 ? keep_all_gaps : (round % 4 == 1 ? 0.0 : 1.0);
        const auto chunks = make_chunks(m, max_s, max_gap);
        double speech = 0;
        for (const auto& s : m.segments) {
            speech += s.end - s.start;
            EXPECT_NEAR(covered_by_chunks(chunks, s.start, s.end), s.end - s.start, 1e-6) << "segment lost";
        }
        double in_chunks = 0;
        for (std::size_t i = 0; i < chunks.size(); ++i) {
            const auto& c = chunks[i];
            EXPECT_EQ(c.index, static_cast<int>(i));
            EXPECT_LE(c.audio_seconds(), max_s + 1e-6);
            EXPECT_LE(c.audio_seconds(), c.duration() + 1e-6);
            EXPECT_GT(c.audio_seconds(), 0);
            if (max_gap == keep_all_gaps) {
                EXPECT_EQ(c.pieces.size(), 1u);
            }
            // Pieces: in order, gaps at most max_gap, every time inside a piece maps back exactly.
            ASSERT_FALSE(c.pieces.empty());
            EXPECT_DOUBLE_EQ(c.pieces.front().start, c.start);
            EXPECT_DOUBLE_EQ(c.pieces.back().end, c.end);
            for (std::size_t k = 0; k < c.pieces.size(); ++k) {
                const auto& p = c.pieces[k];
                EXPECT_NEAR(c.to_clip_time(p.at + 0.5 * (p.end - p.start)), 0.5 * (p.start + p.end), 1e-6);
                if (k > 0) {
                    const auto& q = c.pieces[k - 1];
                    EXPECT_GT(p.start, q.end + max_gap - 1e-9) << "a short gap should be kept, not shortened";
                    EXPECT_NEAR(p.at - (q.at + q.end - q.start), max_gap, 1e-9);
                }
            }
            if (i > 0) {
                EXPECT_GE(c.start, chunks[i - 1].end - 1e-9) << "order / overlap";
            }
            ASSERT_FALSE(c.speech.empty());
            EXPECT_DOUBLE_EQ(c.start, c.speech.front().start);
            EXPECT_DOUBLE_EQ(c.end, c.speech.back().end);
            for (std::size_t k = 0; k < c.speech.size(); ++k) {
                in_chunks += c.speech[k].end - c.speech[k].start;
                if (k > 0) {
                    EXPECT_GE(c.speech[k].start, c.speech[k - 1].end - 1e-9);
                }
            }
        }
        EXPECT_NEAR(in_chunks, speech, 1e-6);
    }
}

}  // namespace
}  // namespace cinesub::asr
