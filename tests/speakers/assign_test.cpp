// speakers/assign: words and segments get speakers by overlap with the diarization's turns.
#include "speakers/assign.hpp"
#include "speakers/rttm.hpp"
#include "subtitle_fixtures.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

namespace cinesub::speakers {
namespace {

TEST(AssignSpeakers, EachWordTakesTheTurnCoveringMostOfIt) {
    transcript t;
    t.segments.push_back(test::seg(0.0, 4.0, "one two three four"));  // words of 1 s each
    const std::vector<turn> turns{{0.0, 1.4, "A"}, {1.4, 2.9, "B"}, {2.9, 4.0, "A"}};
    assign_speakers(t, turns);
    const auto& w = t.segments[0].words;
    ASSERT_EQ(w.size(), 4u);
    EXPECT_EQ(w[0].speaker, "A");  // 0–1 inside A
    EXPECT_EQ(w[1].speaker, "B");  // 1–2: 0.4 A, 0.6 B
    EXPECT_EQ(w[2].speaker, "B");  // 2–3: 0.9 B, 0.1 A
    EXPECT_EQ(w[3].speaker, "A");
    EXPECT_EQ(t.segments[0].speaker, "A");  // A and B 2 s each: the first largest is kept deterministic
}

TEST(AssignSpeakers, OverlapGoesToTheLargerShareAndSegmentsToTheMajority) {
    transcript t;
    t.segments.push_back(test::seg(10.0, 13.0, "a b c"));
    // B overlaps the end of A; the last word is mostly B's.
    const std::vector<turn> turns{{12.2, 14.0, "B"}, {9.0, 12.4, "A"}};  // any order
    assign_speakers(t, turns);
    const auto& w = t.segments[0].words;
    EXPECT_EQ(w[0].speaker, "A");
    EXPECT_EQ(w[1].speaker, "A");
    EXPECT_EQ(w[2].speaker, "B");  // 12–13: A 0.4, B 0.8
    EXPECT_EQ(t.segments[0].speaker, "A");
}

TEST(AssignSpeakers, NearestTurnWithinTheDistanceElseUnknown) {
    transcript t;
    t.segments.push_back(test::seg(5.0, 5.5, "near"));
    t.segments.push_back(test::seg(20.0, 20.5, "far"));
    t.segments[1].speaker = "stale";
    const std::vector<turn> turns{{0.0, 4.6, "A"}, {6.2, 7.0, "B"}};
    assign_speakers(t, turns);
    EXPECT_EQ(t.segments[0].words[0].speaker, "A");  // 0.4 s from A, 0.7 s from B
    EXPECT_EQ(t.segments[0].speaker, "A");
    EXPECT_EQ(t.segments[1].words[0].speaker, "");  // 13 s from anything
    EXPECT_EQ(t.segments[1].speaker, "");           // cleared, not kept
    assign_options strict;
    strict.max_distance_s = 0.1;
    assign_speakers(t, turns, strict);
    EXPECT_EQ(t.segments[0].words[0].speaker, "");
}

TEST(AssignSpeakers, NoTurnsClearsAndManyTurnsStayCorrect) {
    transcript t;
    t.segments.push_back(test::seg(0.0, 1.0, "x"));
    t.segments[0].speaker = "old";
    assign_speakers(t, {});
    EXPECT_EQ(t.segments[0].speaker, "");
    // 2 000 alternating 1 s turns; 4 000 words of 0.5 s: each word lies inside one turn.
    std::vector<turn> turns;
    for (int i = 0; i < 2000; ++i) turns.push_back({i * 1.0, i * 1.0 + 1.0, i % 2 ? "B" : "A"});
    transcript big;
    cinesub::segment s;
    for (int i = 0; i < 4000; ++i) s.words.push_back({"w", i * 0.5, i * 0.5 + 0.5, 1.0f});
    big.segments.push_back(s);
    assign_speakers(big, turns);
    for (int i = 0; i < 4000; ++i)
        ASSERT_EQ(big.segments[0].words[static_cast<std::size_t>(i)].speaker, (i / 2) % 2 ? "B" : "A") << i;
}

TEST(AssignSpeakers, TheSamplesReferenceTurnsGiveItsStmSpeakers) {
    // The STM's utterances (Diane/Sheila) against the RTTM's reference turns (speaker90/91): every
    // word gets the RTTM speaker that maps to its STM speaker.
    const auto stm = test::testdata("media/diarization/en_pyannote_sample.stm");
    const auto rttm = test::testdata("media/diarization/en_pyannote_sample.rttm");
    CINESUB_SKIP_IF_MISSING(stm);
    CINESUB_SKIP_IF_MISSING(rttm);
    transcript t;
    std::ifstream in(stm);
    std::string file, channel, who, line;
    double a = 0, b = 0;
    while (in >> file >> channel >> who >> a >> b && std::getline(in, line)) {
        t.segments.push_back(test::seg(a, b, line));
        t.segments.back().speaker = who;  // kept to compare, overwritten below
    }
    ASSERT_EQ(t.segments.size(), 13u);
    const auto truth = t;
    const auto ref = read_rttm(rttm);
    ASSERT_EQ(ref.size(), 1u);
    assign_speakers(t, ref[0].turns);
    std::map<std::string, std::string> mapping;
    int words = 0, agree = 0;
    for (std::size_t i = 0; i < t.segments.size(); ++i)
        for (const auto& w : t.segments[i].words) {
            ++words;
            auto [it, fresh] = mapping.emplace(truth.segments[i].speaker, w.speaker);
            agree += it->second == w.speaker;
        }
    std::printf("[ measure ] sample: %d of %d words get the reference speaker of their STM line\n", agree, words);
    EXPECT_GE(agree, words * 95 / 100);
    EXPECT_EQ(mapping.size(), 2u);
    EXPECT_NE(mapping["Diane"], mapping["Sheila"]);
}

}  // namespace
}  // namespace cinesub::speakers
