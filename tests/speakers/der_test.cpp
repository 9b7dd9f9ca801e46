// Diarization Error Rate: hand-made reference/hypothesis pairs whose answers are worked out in the
// comments (md-eval's definition: per elementary piece of the timeline, missed d·max(0, Nref−Nhyp),
// false alarm d·max(0, Nhyp−Nref), confusion d·(min(Nref, Nhyp) − Ncorrect), total d·Nref).
#include "speakers/der.hpp"

#include "cinesub/error.hpp"
#include "support.hpp"
#include "util/fs.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cinesub::test {
namespace {

using speakers::der_options;
using speakers::score_der;
using speakers::turn;

constexpr double der_eps = 1e-9;
const der_options no_collar{.collar = 0.0};

// The reference most cases use: A speaks 1–4 s, B 5–9 s; total 3 + 4 = 7 s.
const std::vector<turn> two_speakers = {{1, 4, "A"}, {5, 9, "B"}};

void expect_der(const speakers::der_result& r, double total, double missed, double fa, double confusion) {
    EXPECT_NEAR(r.total, total, der_eps);
    EXPECT_NEAR(r.missed, missed, der_eps);
    EXPECT_NEAR(r.false_alarm, fa, der_eps);
    EXPECT_NEAR(r.confusion, confusion, der_eps);
    EXPECT_NEAR(r.der, total > 0 ? (missed + fa + confusion) / total : (fa > 0 ? 1.0 : 0.0), der_eps);
}

TEST(Der, PerfectHypothesisIsZero) {
    const auto r = score_der(two_speakers, two_speakers, no_collar);
    expect_der(r, 7, 0, 0, 0);
    EXPECT_EQ(r.ref_speakers, 2);
    EXPECT_EQ(r.hyp_speakers, 2);
    ASSERT_EQ(r.mapping.size(), 2u);
    EXPECT_EQ(r.mapping[0].ref, "A");
    EXPECT_EQ(r.mapping[0].hyp, "A");
    EXPECT_NEAR(r.mapping[0].overlap, 3, der_eps);
}

TEST(Der, SwappedLabelsAreMappedBack) {
    // hyp calls A "spk2" and B "spk1": the mapping A→spk2, B→spk1 makes every second correct: 0 %.
    const auto r = score_der(two_speakers, {{1, 4, "spk2"}, {5, 9, "spk1"}}, no_collar);
    expect_der(r, 7, 0, 0, 0);
    ASSERT_EQ(r.mapping.size(), 2u);
    EXPECT_EQ(r.mapping[0].ref, "A");
    EXPECT_EQ(r.mapping[0].hyp, "spk2");
    EXPECT_EQ(r.mapping[1].ref, "B");
    EXPECT_EQ(r.mapping[1].hyp, "spk1");
    EXPECT_NEAR(r.mapping[1].overlap, 4, der_eps);
}

TEST(Der, MissingSpeaker) {
    // B's 4 s are not in the hypothesis: missed 4 of 7 → 57.14 %.
    const auto r = score_der(two_speakers, {{1, 4, "A"}}, no_collar);
    expect_der(r, 7, 4, 0, 0);
    EXPECT_NEAR(r.der, 4.0 / 7.0, der_eps);
    ASSERT_EQ(r.mapping.size(), 1u);
}

TEST(Der, FalseAlarmInSilence) {
    // A also "speaks" 10–12 s, where the reference is silent: false alarm 2 of 7 → 28.57 %.
    const auto r = score_der(two_speakers, {{1, 4, "A"}, {5, 9, "B"}, {10, 12, "A"}}, no_collar);
    expect_der(r, 7, 0, 2, 0);
    EXPECT_NEAR(r.der, 2.0 / 7.0, der_eps);
}

TEST(Der, Confusion) {
    // hyp: A 1–4, B 5–7, A 7–9. Overlaps: A–A 3, B–B 2, B–A 2 → mapping A→A, B→B (5 s) beats
    // A→B, B→A (0 + 2). B's 7–9 s is labelled A: confusion 2 of 7 → 28.57 %.
    const auto r = score_der(two_speakers, {{1, 4, "A"}, {5, 7, "B"}, {7, 9, "A"}}, no_collar);
    expect_der(r, 7, 0, 0, 2);
    ASSERT_EQ(r.mapping.size(), 2u);
    EXPECT_EQ(r.mapping[1].ref, "B");
    EXPECT_EQ(r.mapping[1].hyp, "B");
}

TEST(Der, OverlapInTheReference) {
    // ref: A 0–6, B 4–10 (both speak 4–6); hyp: X 0–5, Y 5–10 (one speaker at a time).
    // Pieces: 0–4 {A}/{X}; 4–5 {A,B}/{X}; 5–6 {A,B}/{Y}; 6–10 {B}/{Y}.
    // Overlaps A–X 5, A–Y 1, B–X 1, B–Y 5 → A→X, B→Y.
    // total = 4 + 2·1 + 2·1 + 4 = 12; in 4–5 and 5–6 one of the two is missed: missed 2; → 16.67 %.
    const std::vector<turn> ref = {{0, 6, "A"}, {4, 10, "B"}};
    const std::vector<turn> hyp = {{0, 5, "X"}, {5, 10, "Y"}};
    auto r = score_der(ref, hyp, no_collar);
    expect_der(r, 12, 2, 0, 0);
    EXPECT_NEAR(r.der, 2.0 / 12.0, der_eps);

    // --skip-overlap: 4–6 is not scored; total 4 + 4 = 8, no error: 0 %.
    r = score_der(ref, hyp, {.collar = 0.0, .skip_overlap = true});
    expect_der(r, 8, 0, 0, 0);
    ASSERT_EQ(r.mapping.size(), 2u);
    EXPECT_EQ(r.mapping[0].hyp, "X");
    EXPECT_NEAR(r.mapping[0].overlap, 4, der_eps);
}

TEST(Der, CollarAroundReferenceBoundaries) {
    // hyp starts A 0.2 s late (1.2) and ends B 0.1 s late (9.1).
    const std::vector<turn> hyp = {{1.2, 4, "A"}, {5, 9.1, "B"}};
    // Collar 0: missed 0.2 (1–1.2) + false alarm 0.1 (9–9.1) of 7 → 4.29 %.
    auto r = score_der(two_speakers, hyp, no_collar);
    expect_der(r, 7, 0.2, 0.1, 0);
    // Collar ±0.25 (the default): 0.75–1.25, 3.75–4.25, 4.75–5.25 and 8.75–9.25 are not scored, both
    // errors lie inside. Scored reference: A 1.25–3.75 (2.5) + B 5.25–8.75 (3.5) = 6; DER 0 %.
    // (Were 0.25 the total width, ±0.125, 1.125–1.2 would still count as missed.)
    r = score_der(two_speakers, hyp, der_options{});
    expect_der(r, 6, 0, 0, 0);
    // An error reaching past the collar counts for the part outside it: A from 1.5, missed
    // 1.25–1.5 = 0.25 of 6 → 4.17 %.
    r = score_der(two_speakers, {{1.5, 4, "A"}, {5, 9, "B"}}, der_options{});
    expect_der(r, 6, 0.25, 0, 0);
    // Collars are around reference boundaries only: a hypothesis boundary in the middle of a
    // reference turn gets none (A labelled X 2–3 s: confusion 1 of 6 with collar 0.25).
    r = score_der(two_speakers, {{1, 2, "A"}, {2, 3, "X"}, {3, 4, "A"}, {5, 9, "B"}}, der_options{});
    expect_der(r, 6, 0, 0, 1);
}

TEST(Der, MoreHypothesisSpeakersThanReference) {
    // ref: A 0–10; hyp: X 0–6, Y 6–9, Z 9–10. 1×3 matrix (6, 3, 1): A→X; Y and Z unmapped:
    // confusion 3 + 1 = 4 of 10 → 40 %.
    const auto r = score_der({{0, 10, "A"}}, {{0, 6, "X"}, {6, 9, "Y"}, {9, 10, "Z"}}, no_collar);
    expect_der(r, 10, 0, 0, 4);
    EXPECT_EQ(r.ref_speakers, 1);
    EXPECT_EQ(r.hyp_speakers, 3);
    ASSERT_EQ(r.mapping.size(), 1u);
    EXPECT_EQ(r.mapping[0].hyp, "X");
}

TEST(Der, MoreReferenceSpeakersThanHypothesis) {
    // ref: A 0–4, B 4–7, C 7–10; hyp: X 0–10. 3×1 matrix (4, 3, 3): A→X; B and C are
    // confused: 3 + 3 = 6 of 10 → 60 %.
    const auto r = score_der({{0, 4, "A"}, {4, 7, "B"}, {7, 10, "C"}}, {{0, 10, "X"}}, no_collar);
    expect_der(r, 10, 0, 0, 6);
    ASSERT_EQ(r.mapping.size(), 1u);
    EXPECT_EQ(r.mapping[0].ref, "A");
}

TEST(Der, HungarianBeatsGreedyMapping) {
    // ref: A 0–18, B 18–27, C 27–32; hyp: X 0–10, Y 10–18, X 18–27, Z 27–32. Overlap matrix
    //        X   Y   Z
    //   A   10   8   0
    //   B    9   0   0
    //   C    0   0   5
    // Greedy (largest first) takes A→X (10), then C→Z (5), B left with nothing: 15 s correct,
    // confusion 17 → 53.1 %. The optimum is A→Y, B→X, C→Z: 8 + 9 + 5 = 22 s correct; confusion is
    // A's 0–10 s: 10 of 32 → 31.25 %.
    const auto r = score_der({{0, 18, "A"}, {18, 27, "B"}, {27, 32, "C"}},
                             {{0, 10, "X"}, {10, 18, "Y"}, {18, 27, "X"}, {27, 32, "Z"}}, no_collar);
    expect_der(r, 32, 0, 0, 10);
    EXPECT_NEAR(r.der, 0.3125, der_eps);
    ASSERT_EQ(r.mapping.size(), 3u);
    EXPECT_EQ(r.mapping[0].hyp, "Y");
    EXPECT_EQ(r.mapping[1].hyp, "X");
    EXPECT_EQ(r.mapping[2].hyp, "Z");
}

TEST(Der, MaxWeightAssignment) {
    // The matrix above: rows → columns 1, 0, 2 (22).
    EXPECT_EQ(speakers::max_weight_assignment({{10, 8, 0}, {9, 0, 0}, {0, 0, 5}}), (std::vector<int>{1, 0, 2}));
    // Rectangular both ways.
    EXPECT_EQ(speakers::max_weight_assignment({{1, 5, 4}, {4, 6, 0}}), (std::vector<int>{2, 1}));  // 4 + 6 > 5 + 4
    EXPECT_EQ(speakers::max_weight_assignment({{1, 4}, {5, 6}, {2, 0}}),
              (std::vector<int>{1, 0, -1}));  // 4 + 5 > 6 + 2
    // Degenerate shapes.
    EXPECT_TRUE(speakers::max_weight_assignment({}).empty());
    EXPECT_EQ(speakers::max_weight_assignment({{}, {}}), (std::vector<int>{-1, -1}));
    // A 4×4 where taking each row's best (9, 9, 9: 27) misses the optimum 7 + 7 + 7 + 7 = 28.
    EXPECT_EQ(speakers::max_weight_assignment({{9, 7, 0, 0}, {7, 0, 0, 0}, {0, 9, 7, 0}, {0, 0, 9, 7}}),
              (std::vector<int>{1, 0, 2, 3}));
}

TEST(Der, EmptyHypothesisIsAllMissed) {
    // Nothing found: missed 7 of 7 → 100 %.
    const auto r = score_der(two_speakers, {}, no_collar);
    expect_der(r, 7, 7, 0, 0);
    EXPECT_NEAR(r.der, 1.0, der_eps);
    EXPECT_TRUE(r.mapping.empty());
    EXPECT_EQ(r.hyp_speakers, 0);
}

TEST(Der, EmptyReference) {
    // No reference speech: total 0. With a false alarm DER is defined as 1 (100 %), as
    // pyannote.metrics does; the 2 s of false alarm are reported. Nothing on either side: 0.
    auto r = score_der({}, {{0, 2, "X"}}, no_collar);
    expect_der(r, 0, 0, 2, 0);
    EXPECT_EQ(r.der, 1.0);
    r = score_der(std::vector<turn>{}, std::vector<turn>{}, no_collar);
    expect_der(r, 0, 0, 0, 0);
    EXPECT_EQ(r.der, 0.0);
    EXPECT_EQ(speakers::error_rate(0, 0), 0.0);
    EXPECT_EQ(speakers::error_rate(3, 0), 1.0);
    EXPECT_EQ(speakers::error_rate(3, 12), 0.25);
}

TEST(Der, DuplicateAndSelfOverlappingTurnsAreMerged) {
    // ref: A 1–4 twice and A 3–5 → one turn A 1–5 (4 s, not 3 + 3 + 2 = 8).
    const std::vector<turn> ref = {{1, 4, "A"}, {1, 4, "A"}, {3, 5, "A"}};
    auto r = score_der(ref, {{1, 5, "X"}}, no_collar);
    expect_der(r, 4, 0, 0, 0);
    // The same in the hypothesis: no false alarm from the duplicate.
    r = score_der({{1, 5, "A"}}, ref, no_collar);
    expect_der(r, 4, 0, 0, 0);
    const auto merged = speakers::merge_speaker_turns({{3, 5, "A"}, {0, 1, "B"}, {1, 4, "A"}, {5, 6, "A"}});
    ASSERT_EQ(merged.size(), 3u);  // A 1–5, A 5–6 (touching: kept), B 0–1
    EXPECT_EQ(merged[0].start, 1);
    EXPECT_EQ(merged[0].end, 5);
    EXPECT_EQ(merged[1].start, 5);
    EXPECT_EQ(merged[2].speaker, "B");
}

TEST(Der, SeveralFileIdsAreScoredApartAndSummed) {
    // f1: ref A 0–4, hyp X 0–4. f2: ref A 0–2, hyp Y 0–1. Each file has its own mapping (f1 A→X,
    // f2 A→Y): missed 1 (f2 1–2) of 6 → 16.67 %. (One mapping for both would confuse f2's second.)
    const std::vector<speakers::rttm_file> ref = {{"f1", {{0, 4, "A"}}}, {"f2", {{0, 2, "A"}}}};
    const std::vector<speakers::rttm_file> hyp = {{"f2", {{0, 1, "Y"}}}, {"f1", {{0, 4, "X"}}}};
    auto r = score_der(ref, hyp, no_collar);
    expect_der(r, 6, 1, 0, 0);
    ASSERT_EQ(r.mapping.size(), 2u);
    EXPECT_EQ(r.mapping[0].file_id, "f1");
    EXPECT_EQ(r.mapping[0].hyp, "X");
    EXPECT_EQ(r.mapping[1].file_id, "f2");
    EXPECT_EQ(r.mapping[1].hyp, "Y");
    EXPECT_EQ(r.ref_speakers, 2);

    // A file id only the hypothesis has is all false alarm (f3: 3 s); one only the reference has,
    // all missed.
    auto hyp3 = hyp;
    hyp3.push_back({"f3", {{0, 3, "Z"}}});
    r = score_der(ref, hyp3, no_collar);
    expect_der(r, 6, 1, 3, 0);
    r = score_der(ref, {hyp[1]}, no_collar);  // f2 missing: missed 2
    expect_der(r, 6, 2, 0, 0);

    // One file id each, named differently: scored against each other.
    r = score_der({{"sample", two_speakers}}, {{"en_pyannote_sample", two_speakers}}, no_collar);
    expect_der(r, 7, 0, 0, 0);
    EXPECT_EQ(r.mapping[0].file_id, "sample");
}

TEST(Der, NegativeCollarIsAUsageError) {
    try {
        score_der(two_speakers, two_speakers, {.collar = -0.25});
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::usage);
    }
}

TEST(Der, SharedReferenceAgainstItself) {
    const auto path = testdata("media/diarization/en_pyannote_sample.rttm");
    CINESUB_SKIP_IF_MISSING(path);
    const auto ref = speakers::read_rttm(path);
    // Collar 0: every second of the 10 turns is scored: 0.43 + 0.80 + 1.70 + 1.11 + 4.13 + 3.43 +
    // 3.44 + 0.44 + 6.72 + 2.15 = 24.35 s (speaker90 and speaker91 overlap in places: counted per
    // speaker), DER 0.
    auto r = score_der(ref, ref, no_collar);
    expect_der(r, 24.35, 0, 0, 0);
    EXPECT_EQ(r.ref_speakers, 2);
    ASSERT_EQ(r.mapping.size(), 2u);
    EXPECT_EQ(r.mapping[0].ref, r.mapping[0].hyp);
    // Collar 0.25 removes some time, still 0 %; skip-overlap removes the overlaps, still 0 %.
    r = score_der(ref, ref, der_options{});
    EXPECT_LT(r.total, 24.35);
    EXPECT_GT(r.total, 15.0);
    EXPECT_EQ(r.der, 0.0);
    r = score_der(ref, ref, {.collar = 0.0, .skip_overlap = true});
    EXPECT_LT(r.total, 24.35);
    EXPECT_EQ(r.der, 0.0);
    // Two of speaker91's turns labelled speaker90 (7.55–8.35 and 18.15–18.59); the mapping stays
    // speaker90→speaker90 (11.85 s), speaker91→speaker91 (11.26 s). In the hypothesis speaker90's
    // 7.55–8.35 merges with its 8.32–10.02 and 18.15–18.59 lies inside its 18.05–21.49. Pieces:
    // 7.55–8.32 ref {91} / hyp {90}: confusion 0.77; 8.32–8.35 ref {90, 91} / hyp {90}: missed 0.03;
    // 18.15–18.59 ref {90, 91} / hyp {90}: missed 0.44. DER (0.47 + 0.77) / 24.35 = 5.09 %.
    auto hyp = ref;
    for (auto& t : hyp[0].turns)
        if (t.speaker == "speaker91" && (t.start == 7.55 || t.start == 18.15)) t.speaker = "speaker90";
    r = score_der(ref, hyp, no_collar);
    expect_der(r, 24.35, 0.47, 0, 0.77);
}

}  // namespace
}  // namespace cinesub::test
