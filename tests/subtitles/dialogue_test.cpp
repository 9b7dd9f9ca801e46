// Speakers on cues: dialogue (dash) cues, cues that never span a speaker change otherwise, VTT
// voices, ASS styles, JSON speakers per word; the Netflix profiles per language and audience.
#include "asr/engine.hpp"
#include "subtitle_fixtures.hpp"
#include "subtitles/checker.hpp"
#include "subtitles/profile.hpp"
#include "subtitles/readers.hpp"
#include "subtitles/segmenter.hpp"
#include "subtitles/timing.hpp"
#include "subtitles/writers.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>

namespace cinesub::subs {
namespace {

using test::seg;

cinesub::segment spoken(double a, double b, const std::string& text, const std::string& who) {
    auto s = seg(a, b, text);
    for (auto& w : s.words) w.speaker = who;
    return s;
}

// Every cue's words come from one speaker, except dialogue cues, whose lines each hold one.
void expect_one_speaker_per_line(const std::vector<cue>& cues) {
    for (const auto& c : cues) {
        std::set<std::string> who;
        for (const auto& w : c.words) who.insert(w.speaker);
        if (c.line_speakers.empty()) {
            EXPECT_LE(who.size(), 1u) << c.text();
        } else {
            EXPECT_EQ(c.lines.size(), 2u);
            EXPECT_EQ(who.size(), 2u) << c.text();
            EXPECT_NE(c.line_speakers[0], c.line_speakers[1]);
        }
    }
}

TEST(Dialogue, TwoQuickLinesBecomeOneDashCue) {
    transcript t;
    t.language = "en";
    t.segments = {spoken(6.68, 7.16, "Hello?", "A"), spoken(7.634, 8.155, "Hello?", "B"),
                  spoken(10.0, 12.5, "This is Diane in New Jersey.", "A")};
    segment_options o;
    o.style = get_profile("netflix-en");
    auto r = segment(t, o);
    ASSERT_EQ(r.cues.size(), 2u);
    EXPECT_EQ(r.cues[0].lines, (std::vector<std::string>{"-Hello?", "-Hello?"}));
    EXPECT_EQ(r.cues[0].line_speakers, (std::vector<std::string>{"A", "B"}));
    EXPECT_EQ(r.cues[0].words.at(0).speaker, "A");
    EXPECT_EQ(r.cues[0].words.at(1).speaker, "B");
    apply_timing(r.cues, o.style, 25);
    EXPECT_GE(r.cues[0].duration(), o.style.min_duration - 1e-9);
    EXPECT_EQ(check_cues(r.cues, o.style, 25).hard(), 0);
    expect_one_speaker_per_line(r.cues);
}

TEST(Dialogue, LinesThatReadWellAloneKeepCuesOfTheirOwn) {
    transcript t;
    t.language = "en";
    t.segments = {spoken(1.0, 3.0, "I have been waiting here all day.", "A"),
                  spoken(3.4, 5.4, "So have I, since the morning.", "B")};
    segment_options o;
    o.style = get_profile("netflix-en");
    auto r = segment(t, o);
    ASSERT_EQ(r.cues.size(), 2u);
    for (const auto& c : r.cues) EXPECT_TRUE(c.line_speakers.empty());
    EXPECT_EQ(r.cues[0].speaker, "A");
    EXPECT_EQ(r.cues[1].speaker, "B");
    expect_one_speaker_per_line(r.cues);
}

TEST(Dialogue, NoDashMeansNoTwoSpeakersInACueAndThreeNever) {
    transcript t;
    t.language = "en";
    t.segments = {spoken(1.0, 1.4, "Hi.", "A"), spoken(1.6, 2.0, "Hi.", "B"), spoken(2.2, 2.6, "Hey.", "C")};
    segment_options o;
    o.style = get_profile("netflix-en");
    auto r = segment(t, o);
    expect_one_speaker_per_line(r.cues);  // at most two speakers in a cue, one per line
    int dialogue = 0;
    for (const auto& c : r.cues) dialogue += !c.line_speakers.empty();
    EXPECT_GE(dialogue, 1);
    o.style.dialogue_dash = "";
    r = segment(t, o);
    ASSERT_EQ(r.cues.size(), 3u);
    for (const auto& c : r.cues) EXPECT_TRUE(c.line_speakers.empty());
    expect_one_speaker_per_line(r.cues);
}

TEST(Dialogue, HindiDashAndALineTooLongForADashCue) {
    transcript t;
    t.language = "hi";
    t.segments = {spoken(1.0, 1.3, "क्या?", "A"), spoken(1.5, 1.8, "हाँ।", "B")};
    segment_options o;
    o.style = get_profile("netflix-hi");
    auto r = segment(t, o);
    ASSERT_EQ(r.cues.size(), 1u);
    EXPECT_EQ(r.cues[0].lines, (std::vector<std::string>{"-क्या?", "-हाँ।"}));
    // 42 characters of B cannot take a dash: cues of their own.
    t.segments[1] = spoken(1.5, 3.5, "हम सब यहाँ बहुत देर से इंतज़ार कर रहे थे भाई", "B");
    r = segment(t, o);
    for (const auto& c : r.cues)
        for (const auto& l : c.lines) EXPECT_LE(display_width(l), o.style.max_cpl) << l;
    expect_one_speaker_per_line(r.cues);
}

TEST(Dialogue, DiarizationSampleHelloHelloIsOneDashCue) {
    // The STM of the diarization sample, replayed: "Hello?" (Diane 6.68–7.16) and "Hello?" (Sheila
    // 7.634–8.155) were two cues, the first 0.64 s, under the 5/6 s minimum.
    const auto stm = test::testdata("media/diarization/en_pyannote_sample.stm");
    CINESUB_SKIP_IF_MISSING(stm);
    auto engine = asr::make_replay_engine(stm.string());
    const auto t = engine->run(asr::request{});
    segment_options o;
    o.style = get_profile("netflix-en");
    o.fps = 25;
    auto r = segment(t, o);
    apply_timing(r.cues, o.style, o.fps);
    ASSERT_FALSE(r.cues.empty());
    const auto& first = r.cues[0];
    EXPECT_EQ(first.lines, (std::vector<std::string>{"-Hello?", "-Hello?"}));
    EXPECT_EQ(first.line_speakers, (std::vector<std::string>{"Diane", "Sheila"}));
    EXPECT_GE(first.duration(), o.style.min_duration - 1e-9);
    const auto report = check_cues(r.cues, o.style, o.fps);
    EXPECT_EQ(report.hard(), 0);
    for (const auto& c : r.cues) std::printf("  %.3f-%.3f %s\n", c.start, c.end, c.text().c_str());
    int min_duration = 0, dialogue = 0;
    for (const auto& v : report.violations) min_duration += v.rule == "min_duration";
    for (const auto& c : r.cues) dialogue += !c.line_speakers.empty();
    std::printf("[ measure ] diarization STM: %zu cues, %d dialogue cues, %d under the minimum duration\n",
                r.cues.size(), dialogue, min_duration);
    EXPECT_EQ(min_duration, 0);
    // Without the words' speakers changing (segment speakers only), the rule is the same.
    for (const auto& c : r.cues) {
        if (!c.line_speakers.empty()) continue;
        std::set<std::string> who;
        for (const auto& w : c.words) who.insert(w.speaker);
        EXPECT_LE(who.size(), 1u) << c.text();
    }
}

TEST(Dialogue, WritersNameSpeakersTheUserConfirmed) {
    cue d;
    d.start = 1;
    d.end = 2.5;
    d.lines = {"-Hello?", "-Hello?"};
    d.speaker = "SPEAKER_00";
    d.line_speakers = {"SPEAKER_00", "SPEAKER_01"};
    d.words = {{"Hello?", 1.0, 1.4, 0.9f, "SPEAKER_00"}, {"Hello?", 1.8, 2.2, 0.9f, "SPEAKER_01"}};
    cue s;
    s.start = 3;
    s.end = 5;
    s.lines = {"Who is there?"};
    s.speaker = "SPEAKER_01";
    s.words = {{"Who", 3.0, 3.3, 0.9f, "SPEAKER_01"}};
    const std::vector<cue> cues{d, s};
    write_options o;
    o.speaker_names = {{"SPEAKER_00", "Rohan"}};
    o.unnamed_voices = false;

    const auto vtt = to_vtt(cues, o);
    EXPECT_NE(vtt.find("<v Rohan>-Hello?\n-Hello?\n"), std::string::npos) << vtt;
    EXPECT_EQ(vtt.find("SPEAKER_01"), std::string::npos) << "an unconfirmed label is not shown";
    o.unnamed_voices = true;
    const auto vtt2 = to_vtt(cues, o);
    EXPECT_NE(vtt2.find("<v Rohan>-Hello?\n<v SPEAKER_01>-Hello?\n"), std::string::npos) << vtt2;
    EXPECT_NE(vtt2.find("<v SPEAKER_01>Who is there?"), std::string::npos);
    const auto back = parse_vtt(vtt2);
    ASSERT_EQ(back.cues.size(), 2u);
    EXPECT_EQ(back.cues[0].line_speakers, (std::vector<std::string>{"Rohan", "SPEAKER_01"}));
    EXPECT_EQ(back.cues[0].lines, d.lines);
    EXPECT_EQ(back.cues[1].speaker, "SPEAKER_01");

    const auto ass = to_ass(cues, o);
    EXPECT_NE(ass.find("Style: Speaker1,"), std::string::npos);
    EXPECT_NE(ass.find("Style: Speaker2,"), std::string::npos);
    EXPECT_NE(ass.find(",Speaker1,Rohan / SPEAKER_01,0,0,0,,-Hello?\\N{\\rSpeaker2}-Hello?"), std::string::npos) << ass;
    EXPECT_NE(ass.find(",Speaker2,SPEAKER_01,0,0,0,,Who is there?"), std::string::npos) << ass;
    const auto ass_back = parse_ass(ass);
    ASSERT_EQ(ass_back.cues.size(), 2u);
    EXPECT_EQ(ass_back.cues[0].lines, d.lines);  // the style switch is markup, not text

    const auto doc = to_json_document(cues, o);
    EXPECT_EQ(doc["speaker_names"]["SPEAKER_00"], "Rohan");
    EXPECT_EQ(doc["cues"][0]["speaker"], "SPEAKER_00");
    EXPECT_EQ(doc["cues"][0]["speaker_name"], "Rohan");
    EXPECT_EQ(doc["cues"][0]["line_speakers"][1], "SPEAKER_01");
    EXPECT_EQ(doc["cues"][0]["words"][1]["speaker"], "SPEAKER_01");
    EXPECT_FALSE(doc["cues"][1].contains("speaker_name"));
    const auto round = doc["cues"][0].get<cue>();
    EXPECT_EQ(round.line_speakers, d.line_speakers);
    EXPECT_EQ(round.words[1].speaker, "SPEAKER_01");
}

TEST(Profiles, NetflixReadingSpeedsPerLanguageAndAudience) {
    EXPECT_EQ(default_profile_name("hi"), "netflix-hi");
    EXPECT_EQ(default_profile_name("hi-Latn"), "netflix-hi");
    EXPECT_EQ(default_profile_name("hi", "children"), "netflix-hi-children");
    EXPECT_EQ(default_profile_name("hi", "sdh"), "netflix-hi-sdh");
    EXPECT_EQ(default_profile_name("en"), "netflix-en");
    EXPECT_EQ(default_profile_name("en", "children"), "netflix-en-children");
    EXPECT_EQ(default_profile_name("ta"), "netflix-other");
    EXPECT_EQ(default_profile_name("hin"), "netflix-other");  // not "hi"
    EXPECT_THROW(default_profile_name("hi", "teens"), error);
    EXPECT_EQ(get_profile("netflix-hi").max_cps, 22);
    EXPECT_EQ(get_profile("netflix-hi-children").max_cps, 18);
    EXPECT_EQ(get_profile("netflix-hi-sdh").max_cps, 25);
    EXPECT_EQ(get_profile("netflix-en").max_cps, 20);
    EXPECT_EQ(get_profile("netflix-en-children").max_cps, 17);
    EXPECT_EQ(get_profile("netflix-other").max_cps, 17);
    for (const auto& name : profile_names()) {
        const auto p = get_profile(name);
        EXPECT_GT(p.song_max_cps, p.max_cps) << name;
        EXPECT_EQ(p.dialogue_dash, "-") << name;
        if (name.starts_with("netflix")) {
            EXPECT_EQ(p.max_cpl, 42) << name;
        }
    }
}

TEST(Profiles, SongCuesHaveTheirOwnReadingSpeed) {
    const auto p = get_profile("netflix-hi");
    cue c;
    c.start = 0;
    c.lines = {"तेरे बिना ज़िंदगी से कोई शिकवा", "तो नहीं, शिकवा नहीं"};
    const double chars = cue_characters(c);
    c.end = chars / 24;  // 24 cps: over 22, under the song limit 27
    auto report = check_cues({c}, p, 25);
    ASSERT_EQ(report.violations.size(), 1u) << format_report(report, "song");
    EXPECT_EQ(report.violations[0].rule, "cps");
    c.song = true;
    report = check_cues({c}, p, 25);
    EXPECT_TRUE(report.violations.empty()) << report.violations[0].message;
    c.end = chars / 30;  // too fast even for a song
    report = check_cues({c}, p, 25);
    ASSERT_EQ(report.violations.size(), 1u);
    EXPECT_NE(report.violations[0].message.find("for songs"), std::string::npos);
}

}  // namespace
}  // namespace cinesub::subs
