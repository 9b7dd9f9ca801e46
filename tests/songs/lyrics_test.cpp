// Lyrics in transcripts: words inside songs and segments Whisper wrapped in ♪ are marked; skip drops
// them; "as sung" puts the source's lyrics in the translation track.
#include "songs/lyrics.hpp"

#include <gtest/gtest.h>

namespace cinesub {
namespace {

using songs::sound;

cinesub::segment seg(double start, double end, std::vector<std::pair<std::string, double>> words) {
    cinesub::segment s;
    s.start = start;
    s.end = end;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const double b = words[i].second;
        const double e = i + 1 < words.size() ? words[i + 1].second : end;
        s.words.push_back({words[i].first, b, e, 0.9f});
        s.text += (i ? " " : "") + words[i].first;
    }
    return s;
}

const std::vector<songs::sound_segment> sounds{
    {0, 8, sound::speech, 0.9}, {8, 30, sound::song, 0.8}, {30, 40, sound::speech, 0.9}};

TEST(Lyrics, WordsInsideSongsAndSegmentsWithNotesAreMarked) {
    transcript t;
    t.segments.push_back(seg(6, 9, {{"before", 6}, {"the", 7.5}, {"song", 8.2}}));  // "song" is sung
    t.segments.push_back(seg(31, 33, {{"♪", 31}, {"la", 31.5}, {"la", 32}}));       // Whisper's own notes
    cinesub::segment bare;  // a reference segment: text, no word times
    bare.start = 12;
    bare.end = 14;
    bare.text = "tum hi ho";
    t.segments.push_back(bare);
    EXPECT_EQ(songs::mark_lyrics(t, sounds), 1u + 3u + 3u);
    EXPECT_FALSE(t.segments[0].words[0].song);
    EXPECT_FALSE(t.segments[0].words[1].song);
    EXPECT_TRUE(t.segments[0].words[2].song);
    for (const auto& w : t.segments[1].words) EXPECT_TRUE(w.song);
    ASSERT_EQ(t.segments[2].words.size(), 3u);  // spread over the segment, then marked
    for (const auto& w : t.segments[2].words) EXPECT_TRUE(w.song);
    EXPECT_EQ(songs::mark_lyrics(t, sounds), 0u);  // already marked
}

TEST(Lyrics, DropRemovesLyricsAndEmptySegments) {
    transcript t;
    t.segments.push_back(seg(6, 9, {{"before", 6}, {"the", 7.5}, {"song", 8.2}}));
    t.segments.push_back(seg(10, 14, {{"tum", 10}, {"hi", 11}, {"ho", 12}}));
    songs::mark_lyrics(t, sounds);
    EXPECT_EQ(songs::drop_lyrics(t), 4u);
    ASSERT_EQ(t.segments.size(), 1u);
    EXPECT_EQ(t.segments[0].text, "before the");
    EXPECT_DOUBLE_EQ(t.segments[0].end, 8.2);
}

TEST(Lyrics, AsSungTakesTheSourceLyricsIntoTheTranslation) {
    transcript hi, en;
    hi.language = "hi";
    en.language = "en";
    en.task = "translate";
    hi.segments.push_back(seg(1, 3, {{"क्या", 1}, {"बात", 2}}));
    hi.segments.push_back(seg(10, 14, {{"तुम", 10}, {"ही", 11}, {"हो", 12}}));
    en.segments.push_back(seg(1, 3, {{"What", 1}, {"a", 1.5}, {"thing", 2}}));
    en.segments.push_back(seg(10, 14, {{"You", 10}, {"are", 11}, {"the", 12}, {"one", 13}}));
    songs::mark_lyrics(hi, sounds);
    songs::mark_lyrics(en, sounds);
    const auto sung = songs::lyrics_as_sung(en, hi, [](std::string_view w) { return "<" + std::string(w) + ">"; });
    ASSERT_EQ(sung.segments.size(), 2u);
    EXPECT_EQ(sung.segments[0].text, "What a thing");
    EXPECT_EQ(sung.segments[1].text, "<तुम> <ही> <हो>");
    EXPECT_DOUBLE_EQ(sung.segments[1].start, 10);
    for (const auto& w : sung.segments[1].words) EXPECT_TRUE(w.song);
    EXPECT_EQ(sung.language, "en");
}

}  // namespace
}  // namespace cinesub
