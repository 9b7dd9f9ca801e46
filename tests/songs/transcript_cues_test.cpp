// Songs from the transcript's cues: a cue_chorus of recurring 3-grams, held words, music under the
// span, Whisper's own ♪ — two cues (or the notes) make a song; cue_dialogue over a music bed does not;
// the songs are laid over the songs stage's segments.
#include "songs/transcript_cues.hpp"

#include "songs/lyrics.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace cinesub {
namespace {

using songs::sound;

// One line: its words `word_s` long, one after another from `start`.
cinesub::segment cue_line(double start, const std::string& text, double word_s) {
    cinesub::segment s;
    s.start = start;
    s.text = text;
    std::istringstream in(text);
    std::string w;
    double t = start;
    while (in >> w) {
        s.words.push_back({w, t, t + word_s, 0.9f});
        t += word_s;
    }
    s.end = t;
    return s;
}

// Lines from `texts` in turn, `count` of them, one every `every` seconds from `start`.
transcript cue_lines(double start, const std::vector<std::string>& texts, int count, double every, double word_s) {
    transcript t;
    t.language = "hi";
    for (int i = 0; i < count; ++i)
        t.segments.push_back(cue_line(start + i * every, texts[static_cast<std::size_t>(i) % texts.size()], word_s));
    return t;
}

const std::vector<std::string> cue_chorus{"tum hi ho ab tum hi ho", "zindagi ab tum hi ho", "chain bhi mera dard bhi",
                                          "meri aashiqui ab tum hi ho"};
// Dialogue: no 3-gram twice.
const std::vector<std::string> cue_dialogue{"kal subah station pe milna", "gaadi saat baje nikalti hai",
                                            "mujhe der ho gayi thi",      "maa ne khana bheja hai",
                                            "tumne chitthi padhi kya",    "haan padhi par samjhi nahi",
                                            "bazaar band ho chuka hai",   "phir kal dekhenge ye sab",
                                            "chai banaun tumhare liye",   "nahi abhi bahut kaam baaki hai"};

const std::vector<songs::sound_segment> cue_music_bed{{0, 60, sound::music, 0.8}};
const std::vector<songs::sound_segment> cue_all_speech{{0, 60, sound::speech, 0.9}};

TEST(TranscriptCues, ChorusOverMusicIsASong) {
    // 12 lines, 2.5 s apart, 0.3 s words (a speech rate): the cue_chorus recurs, the songs stage heard music.
    const auto t = cue_lines(5, cue_chorus, 12, 2.5, 0.3);
    const auto e = songs::transcript_song_evidence(t, cue_music_bed, {});
    ASSERT_EQ(e.size(), 1u);
    EXPECT_DOUBLE_EQ(e[0].start, 5);
    EXPECT_EQ(e[0].lines, 12);
    EXPECT_GT(e[0].repetition, 0.9);  // every 3-gram of the cue_chorus comes round three times
    EXPECT_NEAR(e[0].median_word_s, 0.3, 1e-9);
    EXPECT_DOUBLE_EQ(e[0].music, 1.0);
    EXPECT_TRUE(e[0].song);
    EXPECT_NEAR(e[0].confidence, 0.5 + 0.5 * 2 / 3.0, 1e-9);
    // The same lines heard as speech: one cue (the repetition) is not enough.
    const auto spoken = songs::transcript_song_evidence(t, cue_all_speech, {});
    ASSERT_EQ(spoken.size(), 1u);
    EXPECT_FALSE(spoken[0].song);
    EXPECT_DOUBLE_EQ(spoken[0].music, 0.0);
}

TEST(TranscriptCues, HeldWordsAndAChorusAreASongWithoutMusic) {
    const auto t = cue_lines(0, cue_chorus, 8, 4.0, 0.6);  // 0.6 s a word: sung
    const auto e = songs::transcript_song_evidence(t, cue_all_speech, {});
    ASSERT_EQ(e.size(), 1u);
    EXPECT_NEAR(e[0].median_word_s, 0.6, 1e-9);
    EXPECT_TRUE(e[0].song);
    // Held words alone (no cue_chorus, no music) are not.
    const auto slow = songs::transcript_song_evidence(cue_lines(0, cue_dialogue, 8, 4.0, 0.6), cue_all_speech, {});
    ASSERT_EQ(slow.size(), 1u);
    EXPECT_LT(slow[0].repetition, 0.01);
    EXPECT_FALSE(slow[0].song);
}

TEST(TranscriptCues, DialogueOverAMusicBedStaysSpeech) {
    const auto t = cue_lines(2, cue_dialogue, 10, 3.0, 0.3);
    const auto e = songs::transcript_song_evidence(t, cue_music_bed, {});
    ASSERT_EQ(e.size(), 1u);
    EXPECT_DOUBLE_EQ(e[0].repetition, 0.0);
    EXPECT_FALSE(e[0].song);
    EXPECT_DOUBLE_EQ(e[0].confidence, 0.0);
    auto marked = t;
    EXPECT_EQ(songs::mark_lyrics(marked, songs::with_transcript_songs(cue_all_speech, e)), 0u);
}

TEST(TranscriptCues, WhispersNotesOnHalfTheLinesMakeASong) {
    auto t = cue_lines(0, cue_dialogue, 10, 3.0, 0.3);
    for (std::size_t i = 0; i < t.segments.size(); i += 2) t.segments[i].text = "♪ " + t.segments[i].text + " ♪";
    const auto e = songs::transcript_song_evidence(t, cue_all_speech, {});
    ASSERT_EQ(e.size(), 1u);
    EXPECT_DOUBLE_EQ(e[0].notes, 0.5);
    EXPECT_TRUE(e[0].song);
}

TEST(TranscriptCues, ShortSpansAndFewWordsAreNotJudged) {
    // 6 cue_chorus lines 2.5 s apart: 13.8 s, under min_song_s (20 s).
    EXPECT_TRUE(songs::transcript_song_evidence(cue_lines(0, cue_chorus, 6, 2.5, 0.3), cue_music_bed, {}).empty());
    EXPECT_EQ(songs::transcript_song_evidence(cue_lines(0, cue_chorus, 6, 2.5, 0.3), cue_music_bed, {.min_song_s = 10})
                  .size(),
              1u);
    // 25 s but 10 words.
    EXPECT_TRUE(songs::transcript_song_evidence(cue_lines(0, {"la la"}, 5, 6.0, 0.3), cue_music_bed, {}).empty());
    EXPECT_TRUE(songs::transcript_song_evidence({}, cue_music_bed, {}).empty());
}

TEST(TranscriptCues, AGapLongerThanMaxGapStartsANewSpan) {
    auto t = cue_lines(0, cue_chorus, 10, 2.5, 0.3);              // 0 … 24.3 s
    const auto later = cue_lines(40, cue_dialogue, 9, 3.0, 0.3);  // 40 … 65.5 s: 15.7 s after
    t.segments.insert(t.segments.end(), later.segments.begin(), later.segments.end());
    const std::vector<songs::sound_segment> bed{{0, 100, sound::music, 0.8}};
    const auto e = songs::transcript_song_evidence(t, bed, {});
    ASSERT_EQ(e.size(), 2u);
    EXPECT_DOUBLE_EQ(e[0].start, 0);
    EXPECT_DOUBLE_EQ(e[1].start, 40);
    EXPECT_TRUE(e[0].song);
    EXPECT_FALSE(e[1].song);
    // One span when the gap is allowed.
    EXPECT_EQ(songs::transcript_song_evidence(t, bed, {.max_gap_s = 20}).size(), 1u);
}

TEST(TranscriptCues, DialogueBesideASongIsASpanOfItsOwn) {
    // Dialogue 0–28 s over speech, then the chorus 30–57 s over music, 2 s apart: two spans.
    auto t = cue_lines(0, cue_dialogue, 10, 3.0, 0.3);
    const auto chorus = cue_lines(30, cue_chorus, 12, 2.5, 0.3);
    t.segments.insert(t.segments.end(), chorus.segments.begin(), chorus.segments.end());
    const std::vector<songs::sound_segment> scene{{0, 29.5, sound::speech, 0.9}, {29.5, 70, sound::music, 0.7}};
    const auto e = songs::transcript_song_evidence(t, scene, {});
    ASSERT_EQ(e.size(), 2u);
    EXPECT_FALSE(e[0].song);
    EXPECT_TRUE(e[1].song);
    EXPECT_DOUBLE_EQ(e[1].start, 30);
    auto marked = t;
    songs::mark_lyrics(marked, songs::with_transcript_songs(scene, e));
    EXPECT_FALSE(marked.segments[9].words.back().song);
    EXPECT_TRUE(marked.segments[10].words.front().song);
}

TEST(TranscriptCues, WordsCompareWithoutCaseOrPunctuation) {
    // The cue_chorus with its case and punctuation varied each time round (and a danda on the Hindi).
    const std::vector<std::string> varied{"Tum hi ho, ab tum hi ho!", "\"tum HI ho\" ab tum hi ho…",
                                          "तुम ही हो। तुम ही हो", "तुम ही हो तुम ही हो॥"};
    const auto e = songs::transcript_song_evidence(cue_lines(0, varied, 8, 3.0, 0.6), cue_all_speech, {});
    ASSERT_EQ(e.size(), 1u);
    EXPECT_GT(e[0].repetition, 0.9);
}

TEST(TranscriptCues, SongsAreLaidOverTheSoundSegments) {
    const std::vector<songs::sound_segment> scene{
        {0, 10, sound::speech, 0.9}, {10, 50, sound::music, 0.7}, {50, 60, sound::speech, 0.9}};
    songs::song_evidence e;
    e.start = 20;
    e.end = 55;
    e.song = true;
    e.confidence = 0.8;
    const auto out = songs::with_transcript_songs(scene, std::vector{e});
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(out[1].kind, sound::music);
    EXPECT_DOUBLE_EQ(out[1].end, 20);
    EXPECT_EQ(out[2].kind, sound::song);
    EXPECT_DOUBLE_EQ(out[2].start, 20);
    EXPECT_DOUBLE_EQ(out[2].end, 55);
    EXPECT_DOUBLE_EQ(out[2].confidence, 0.8);
    EXPECT_EQ(out[3].kind, sound::speech);
    EXPECT_DOUBLE_EQ(out[3].start, 55);
    for (std::size_t i = 1; i < out.size(); ++i) EXPECT_DOUBLE_EQ(out[i].start, out[i - 1].end);
    // Inside one segment: it is split around the song.
    const auto inside = songs::with_transcript_songs(cue_all_speech, std::vector{e});
    ASSERT_EQ(inside.size(), 3u);
    EXPECT_EQ(inside[1].kind, sound::song);
    EXPECT_DOUBLE_EQ(inside[2].start, 55);
    EXPECT_DOUBLE_EQ(inside[2].end, 60);
    // Already a song throughout, or not judged a song: nothing changes.
    const std::vector<songs::sound_segment> sung{{0, 60, sound::song, 0.9}};
    const auto same = songs::with_transcript_songs(sung, std::vector{e});
    ASSERT_EQ(same.size(), 1u);
    EXPECT_DOUBLE_EQ(same[0].confidence, 0.9);
    e.song = false;
    EXPECT_EQ(songs::with_transcript_songs(scene, std::vector{e}).size(), 3u);
    // No songs stage output at all: the song alone.
    e.song = true;
    const auto alone = songs::with_transcript_songs({}, std::vector{e});
    ASSERT_EQ(alone.size(), 1u);
    EXPECT_EQ(songs::sound_at(alone, 30), sound::song);
    EXPECT_EQ(songs::sound_at(alone, 10), sound::silence);
}

}  // namespace
}  // namespace cinesub
