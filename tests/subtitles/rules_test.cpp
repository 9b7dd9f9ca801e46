// Rules of the subtitle library: Hindi clitics, grapheme widths, cleaning, writers, the checker and the
// `cinesub check` command.
#include "subtitles/checker.hpp"
#include "subtitles/cleaner.hpp"
#include "subtitles/readers.hpp"
#include "subtitles/segmenter.hpp"
#include "subtitles/text.hpp"
#include "subtitles/writers.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cinesub::subs {
namespace {

using test::testdata;

cinesub::segment seg(double start, double end, const std::string& text, float no_speech = 0, float logprob = -0.2f) {
    cinesub::segment s;
    s.start = start;
    s.end = end;
    s.text = text;
    const auto ws = split_words(text);
    const double step = (end - start) / static_cast<double>(std::max<std::size_t>(1, ws.size()));
    for (std::size_t i = 0; i < ws.size(); ++i)
        s.words.push_back(
            {ws[i], start + step * static_cast<double>(i), start + step * static_cast<double>(i + 1), 0.9f});
    s.no_speech_prob = no_speech;
    s.avg_logprob = logprob;
    return s;
}

TEST(Text, DevanagariConjunctsCountOneGrapheme) {
    EXPECT_EQ(display_width("क्ष"), 1);    // conjunct: ka + virama + ssa
    EXPECT_EQ(display_width("हिंदी"), 2);  // हिं + दी: vowel signs and anusvara join their consonant
    EXPECT_EQ(display_width("नमस्ते"), 3);
    EXPECT_EQ(display_width("e\xCC\x81"), 1);  // e + combining acute
    EXPECT_EQ(display_width("abc"), 3);
}

TEST(Segmenter, HindiPostpositionStaysWithItsWord) {
    EXPECT_TRUE(is_hindi_clitic("ने"));
    EXPECT_TRUE(is_hindi_clitic("में,"));
    EXPECT_FALSE(is_hindi_clitic("राम"));
    profile p = get_profile("netflix-other");
    p.max_cpl = 12;
    const auto lines = break_lines("राम ने सीता को किताब दी और घर में गया", p, "hi");
    for (const auto& l : lines) {
        const auto ws = split_words(l);
        ASSERT_FALSE(ws.empty());
        EXPECT_FALSE(is_hindi_clitic(ws.front())) << "line starts with a postposition: " << l;
    }
}

TEST(Cleaner, RemovesHallucinationLoopsNoSpeechAndSilence) {
    transcript t;
    t.language = "en";
    t.segments.push_back(seg(1, 3, "Hello there, how are you?"));
    t.segments.push_back(seg(4, 6, "Thanks for watching!"));
    t.segments.push_back(seg(7, 9, "the end of the world", 0.95f, -1.6f));
    t.segments.push_back(seg(10, 14, "go go go go go go go go go go go go"));
    t.segments.push_back(seg(20, 22, "Nobody speaks here"));
    speech_map speech;
    speech.segments = {{0.9, 3.1}, {3.9, 6.1}, {6.9, 9.1}, {9.9, 14.1}};
    speech.duration = 30;
    clean_options o;
    o.speech = &speech;
    const auto r = clean(t, o);
    std::map<std::string, int> reasons;
    for (const auto& x : r.removed) ++reasons[x.reason];
    EXPECT_EQ(reasons["hallucination"], 1);
    EXPECT_EQ(reasons["no_speech"], 1);
    EXPECT_GE(reasons["repetition"] + reasons["compression_ratio"], 1);
    EXPECT_EQ(reasons["silence"], 1);
    ASSERT_FALSE(r.kept.segments.empty());
    EXPECT_EQ(r.kept.segments.front().text, "Hello there, how are you?");
    nlohmann::json j = r.removed.front();
    EXPECT_TRUE(j.contains("reason"));
    EXPECT_TRUE(j.contains("start"));
}

std::vector<cue> sample_cues() {
    cue a;
    a.start = 1;
    a.end = 2.5;
    a.lines = {"Hello?"};
    a.speaker = "Diane";
    cue b;
    b.start = 3;
    b.end = 5;
    b.lines = {"Tere bina", "zindagi se koi"};
    b.song = true;
    b.speaker = "Sheila";
    return {a, b};
}

TEST(Writers, SrtCrlfAndBom) {
    write_options o;
    o.crlf = true;
    o.bom = true;
    const auto s = to_srt(sample_cues(), o);
    EXPECT_EQ(s.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_NE(s.find("1\r\n00:00:01,000 --> 00:00:02,500\r\n"), std::string::npos);
    EXPECT_EQ(s.find("\n\n"), std::string::npos);  // every line end is CRLF
    const auto back = parse_srt(s);
    EXPECT_TRUE(back.bom);
    EXPECT_TRUE(back.crlf);
    ASSERT_EQ(back.cues.size(), 2u);
    EXPECT_TRUE(back.cues[1].song);
}

TEST(Writers, VttVoiceTags) {
    const auto v = to_vtt(sample_cues());
    EXPECT_EQ(v.rfind("WEBVTT", 0), 0u);
    EXPECT_NE(v.find("00:00:01.000 --> 00:00:02.500"), std::string::npos);
    EXPECT_NE(v.find("<v Diane>"), std::string::npos);
    const auto back = parse_vtt(v);
    ASSERT_EQ(back.cues.size(), 2u);
    EXPECT_EQ(back.cues[0].speaker, "Diane");
}

TEST(Writers, AssSongStyleAndSpeakerColours) {
    const auto a = to_ass(sample_cues());
    EXPECT_NE(a.find("[Script Info]"), std::string::npos);
    EXPECT_NE(a.find("Dialogue: 0,0:00:01.00,0:00:02.50"), std::string::npos);
    EXPECT_NE(a.find("Style: Song"), std::string::npos);
    EXPECT_NE(a.find(",Song,"), std::string::npos);
    EXPECT_NE(a.find("\\N"), std::string::npos);
}

TEST(Writers, JsonDocumentAndFileName) {
    write_options o;
    o.language = "hi";
    o.title = "Sholay";
    const auto j = to_json_document(sample_cues(), o);
    EXPECT_EQ(j.at("language"), "hi");
    EXPECT_EQ(j.at("cues").size(), 2u);
    EXPECT_EQ(subtitle_file_name("Sholay: 1975/x", "hi", "srt").find('/'), std::string::npos);
}

void write(const std::filesystem::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

TEST(Checker, EachViolationKind) {
    const auto style = get_profile("netflix-en");
    struct bad {
        std::string rule, srt;
    };
    const std::vector<bad> cases{
        {"cpl", "1\n00:00:01,000 --> 00:00:03,000\nThis line is much much longer than forty-two characters wide\n"},
        {"lines", "1\n00:00:01,000 --> 00:00:05,000\none\ntwo\nthree\n"},
        {"max_duration", "1\n00:00:01,000 --> 00:00:09,000\nlong\n"},
        {"overlap", "1\n00:00:01,000 --> 00:00:03,000\na\n\n2\n00:00:02,000 --> 00:00:04,000\nb\n"},
        {"gap", "1\n00:00:01,000 --> 00:00:03,000\na\n\n2\n00:00:03,040 --> 00:00:05,000\nb\n"},
        {"timestamp_order", "1\n00:00:03,000 --> 00:00:02,000\na\n"},
        {"bad_timestamp", "1\n00:00:xx,000 --> 00:00:02,000\na\n"},
        {"empty", "1\n00:00:01,000 --> 00:00:03,000\n\n2\n00:00:04,000 --> 00:00:06,000\nb\n"},
        {"utf8", "1\n00:00:01,000 --> 00:00:03,000\nbad \xC3\x28 byte\n"},
    };
    for (const auto& c : cases) {
        const auto report = check_file(parse_srt(c.srt), style, 25);
        EXPECT_FALSE(report.passed()) << c.rule;
        EXPECT_GE(report.counts()[c.rule], 1) << c.rule << "\n" << format_report(report, c.rule);
    }
    // Soft only: fast reading speed fails nothing.
    const auto fast = check_file(
        parse_srt("1\n00:00:01,000 --> 00:00:02,000\nThis is rather a lot to read in a second\n"), style, 25);
    EXPECT_TRUE(fast.passed());
    EXPECT_GE(fast.counts()["cps"], 1);
}

TEST(Checker, SharedReferencesRead) {
    for (const auto* name : {"media/video/sintel_trailer_first27s_en.reference.srt",
                             "media/video/sintel_trailer_first27s_en.reference.vtt",
                             "media/diarization/en_pyannote_sample.reference.srt"}) {
        const auto p = testdata(name);
        if (!std::filesystem::exists(p)) continue;
        const auto f = read_subtitles(p);
        EXPECT_FALSE(f.cues.empty()) << name;
        const auto report = check_file(f, get_profile("relaxed"), 25);
        for (const auto& v : report.violations) EXPECT_NE(v.rule, "bad_timestamp") << name << ": " << v.message;
        std::printf("[ measure ] %s: %d cues, %d hard, %d soft (relaxed)\n", name, report.cues, report.hard(),
                    report.soft());
    }
}

TEST(CheckCommand, ExitCodes) {
    test::temp_dir dir;
    write(dir / "good.srt",
          "1\n00:00:01,000 --> 00:00:03,000\nHello there.\n\n2\n00:00:04,000 --> 00:00:06,000\nBye.\n");
    write(dir / "bad.srt", "1\n00:00:01,000 --> 00:00:03,000\na\n\n2\n00:00:02,000 --> 00:00:04,000\nb\n");
    auto good = test::run_cli({"check", (dir / "good.srt").string()});
    EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
    auto bad = test::run_cli({"check", (dir / "bad.srt").string(), "--profile", "netflix-other", "--json"});
    EXPECT_EQ(bad.exit_code, 50) << bad.out << bad.err;
    const auto j = nlohmann::json::parse(bad.out);
    EXPECT_FALSE(j.at("passed").get<bool>());
    auto missing = test::run_cli({"check", (dir / "none.srt").string()});
    EXPECT_EQ(missing.exit_code, 10);
    auto usage = test::run_cli({"check", (dir / "good.srt").string(), "--profile", "nope"});
    EXPECT_EQ(usage.exit_code, 2);
}

}  // namespace
}  // namespace cinesub::subs
