// subtitles/ttml: the IMSC 1.1 Text Profile writer (checked with libxml2 itself: well-formed, the
// attributes IMSC and Netflix ask for, by XPath) and the TTML reader (clock, frame, offset and tick
// times, nested and sequential timing, styles, agents, malformed documents); parse_subtitles()
// sniffing, read_subtitles() by extension, and `cinesub check` on a .ttml file.
#include "subtitles/ttml.hpp"

#include "cinesub/error.hpp"
#include "subtitle_fixtures.hpp"
#include "subtitles/checker.hpp"
#include "subtitles/profile.hpp"
#include "subtitles/readers.hpp"
#include "subtitles/writers.hpp"
#include "support.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace cinesub::subs {
namespace {

using test::testdata;

// --- libxml2 on the written document ---------------------------------------------------------------

struct ttml_doc_deleter {
    void operator()(xmlDoc* d) const noexcept { xmlFreeDoc(d); }
};
struct ttml_xpath_context_deleter {
    void operator()(xmlXPathContext* c) const noexcept { xmlXPathFreeContext(c); }
};
struct ttml_xpath_object_deleter {
    void operator()(xmlXPathObject* o) const noexcept { xmlXPathFreeObject(o); }
};

// A document libxml2 reads without recovery (nullptr when it is not well-formed XML).
class strict_xml {
public:
    explicit strict_xml(const std::string& text)
        : doc_(xmlReadMemory(text.data(), static_cast<int>(text.size()), nullptr, nullptr,
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)) {
        if (!doc_) return;
        ctx_.reset(xmlXPathNewContext(doc_.get()));
        const std::pair<const char*, const char*> ns[] = {{"tt", "http://www.w3.org/ns/ttml"},
                                                          {"ttp", "http://www.w3.org/ns/ttml#parameter"},
                                                          {"tts", "http://www.w3.org/ns/ttml#styling"},
                                                          {"ttm", "http://www.w3.org/ns/ttml#metadata"},
                                                          {"ittp", "http://www.w3.org/ns/ttml/profile/imsc1#parameter"},
                                                          {"itts", "http://www.w3.org/ns/ttml/profile/imsc1#styling"},
                                                          {"ebutts", "urn:ebu:tt:style"}};
        for (const auto& [prefix, href] : ns)
            xmlXPathRegisterNs(ctx_.get(), reinterpret_cast<const xmlChar*>(prefix),
                               reinterpret_cast<const xmlChar*>(href));
    }
    bool well_formed() const { return doc_ != nullptr; }

    double number(const std::string& expr) const {
        std::unique_ptr<xmlXPathObject, ttml_xpath_object_deleter> r(
            xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(expr.c_str()), ctx_.get()));
        EXPECT_TRUE(r) << expr;
        return r ? xmlXPathCastToNumber(r.get()) : std::nan("");
    }
    std::string text(const std::string& expr) const {
        std::unique_ptr<xmlXPathObject, ttml_xpath_object_deleter> r(
            xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(expr.c_str()), ctx_.get()));
        EXPECT_TRUE(r) << expr;
        if (!r) return {};
        xmlChar* s = xmlXPathCastToString(r.get());
        std::string out = s ? reinterpret_cast<const char*>(s) : "";
        xmlFree(s);
        return out;
    }
    // Every value the node-set expression selects, as strings.
    std::vector<std::string> all(const std::string& expr) const {
        std::unique_ptr<xmlXPathObject, ttml_xpath_object_deleter> r(
            xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(expr.c_str()), ctx_.get()));
        std::vector<std::string> out;
        if (!r || r->type != XPATH_NODESET || !r->nodesetval) return out;
        for (int i = 0; i < r->nodesetval->nodeNr; ++i) {
            xmlChar* s = xmlNodeGetContent(r->nodesetval->nodeTab[i]);
            out.emplace_back(s ? reinterpret_cast<const char*>(s) : "");
            xmlFree(s);
        }
        return out;
    }

private:
    std::unique_ptr<xmlDoc, ttml_doc_deleter> doc_;
    std::unique_ptr<xmlXPathContext, ttml_xpath_context_deleter> ctx_;
};

cue make(double start, double end, std::vector<std::string> lines, std::string speaker = {}, bool song = false) {
    cue c;
    c.start = start;
    c.end = end;
    c.lines = std::move(lines);
    c.speaker = std::move(speaker);
    c.song = song;
    return c;
}

// Cues equal as a subtitle file keeps them: times to the millisecond, lines, song, speakers shown.
void expect_same_cues(const std::vector<cue>& want, const std::vector<cue>& got, const write_options& o) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        SCOPED_TRACE("cue " + std::to_string(i + 1));
        EXPECT_DOUBLE_EQ(got[i].start, util::round_ms(want[i].start));
        EXPECT_DOUBLE_EQ(got[i].end, util::round_ms(want[i].end));
        EXPECT_EQ(got[i].lines, want[i].lines);
        EXPECT_EQ(got[i].song, want[i].song && o.italics);
        EXPECT_EQ(got[i].speaker, shown_speaker(o, want[i].speaker));
        // A dialogue cue keeps its line speakers when every line's is shown (as VTT voices do).
        std::vector<std::string> shown;
        for (const auto& s : want[i].line_speakers) shown.push_back(shown_speaker(o, s));
        if (std::find(shown.begin(), shown.end(), "") != shown.end()) shown.clear();
        EXPECT_EQ(got[i].line_speakers, shown);
    }
}

// A TTML document around `body` (the <body> element's content) with `tt_attributes` on <tt>.
std::string document(const std::string& tt_attributes, const std::string& body, const std::string& head = "") {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<tt xmlns=\"http://www.w3.org/ns/ttml\" xmlns:ttp=\"http://www.w3.org/ns/ttml#parameter\" "
           "xmlns:tts=\"http://www.w3.org/ns/ttml#styling\" xmlns:ttm=\"http://www.w3.org/ns/ttml#metadata\" "
           "xml:lang=\"en\" " +
           tt_attributes + ">\n<head>" + head + "</head>\n<body>\n" + body + "\n</body>\n</tt>\n";
}

// --- Writer ----------------------------------------------------------------------------------------

TEST(Ttml, ReferenceSrtRoundTrip) {
    for (const auto* name : {"media/video/sintel_trailer_first27s_en.reference.srt",
                             "media/diarization/en_pyannote_sample.reference.srt"}) {
        SCOPED_TRACE(name);
        const auto srt_path = testdata(name);
        CINESUB_SKIP_IF_MISSING(srt_path);
        const auto srt = read_subtitles(srt_path);
        ASSERT_FALSE(srt.cues.empty());
        write_options o;
        o.language = "en";
        o.title = "Reference";
        o.fps = 24;
        const auto ttml = to_ttml(srt.cues, o);
        EXPECT_TRUE(strict_xml(ttml).well_formed());
        const auto back = parse_ttml(ttml);
        EXPECT_EQ(back.format, "ttml");
        EXPECT_TRUE(back.issues.empty()) << back.issues.front().message;
        expect_same_cues(srt.cues, back.cues, o);
        EXPECT_EQ(back.blocks, static_cast<int>(srt.cues.size()));
        ASSERT_EQ(back.numbers.size(), back.cues.size());
        EXPECT_EQ(back.numbers.front(), 1);
        EXPECT_GT(back.lines.front(), 1);  // the line of the first <p>
        // The same cues back as SRT: byte for byte what the reference file reads as.
        EXPECT_EQ(to_srt(back.cues), to_srt(srt.cues));
        std::printf("[ measure ] %s: %zu cues, SRT %zu bytes, TTML %zu bytes\n", name, srt.cues.size(),
                    to_srt(srt.cues).size(), ttml.size());
    }
}

TEST(Ttml, SongsSpeakersDialogueAndEscapingRoundTrip) {
    auto cues = test::sample_cues();  // "Hello?" (Diane), a two-line song cue (Sheila)
    auto d = make(6, 8.25, {"-Tom & Jerry <3", "-\"Quotes\" > 'apostrophes'"}, "SPEAKER_00");
    d.line_speakers = {"SPEAKER_00", "SPEAKER_01"};
    cues.push_back(d);
    cues.push_back(make(9.0004, 10.9996, {"A&B; <i>not markup</i> &amp;"}, "SPEAKER_01"));
    cues.push_back(make(3723.5, 3725, {"An hour in."}));
    write_options o;
    o.speaker_names = {{"SPEAKER_00", "Rohan"}};
    o.fps = 25;
    const auto ttml = to_ttml(cues, o);
    const strict_xml x(ttml);
    ASSERT_TRUE(x.well_formed()) << ttml;
    // Every speaker shown is one agent, named.
    EXPECT_EQ(x.all("/tt:tt/tt:head/tt:metadata/ttm:agent/ttm:name"),
              (std::vector<std::string>{"Diane", "Sheila", "Rohan", "SPEAKER_01"}));
    EXPECT_EQ(x.text("//tt:p[4]/@ttm:agent"), x.text("//ttm:agent[ttm:name='SPEAKER_01']/@xml:id"));
    EXPECT_EQ(x.number("count(//tt:p[3]/tt:span[@ttm:agent])"), 2);
    EXPECT_EQ(x.text("//tt:p[2]/@style"), "s_italic");
    EXPECT_EQ(x.text("//tt:p[3]/@style"), "s_dialogue");
    EXPECT_EQ(x.text("//tt:p[5]/@begin"), "01:02:03.500");
    EXPECT_NE(ttml.find("-Tom &amp; Jerry &lt;3"), std::string::npos) << ttml;
    EXPECT_NE(ttml.find("&lt;i&gt;not markup&lt;/i&gt; &amp;amp;"), std::string::npos) << ttml;

    const auto back = parse_ttml(ttml);
    EXPECT_TRUE(back.issues.empty());
    expect_same_cues(cues, back.cues, o);
    EXPECT_EQ(back.cues[2].line_speakers, (std::vector<std::string>{"Rohan", "SPEAKER_01"}));
    EXPECT_EQ(back.cues[3].lines.front(), "A&B; <i>not markup</i> &amp;");
    EXPECT_EQ(back.raw[3], "A&amp;B; &lt;i&gt;not markup&lt;/i&gt; &amp;amp;");
    EXPECT_TRUE(back.cues[1].song);

    // Without italics (a profile that does not use them) no italic style exists and songs are plain.
    o.italics = false;
    o.unnamed_voices = false;
    const auto plain = to_ttml(cues, o);
    const strict_xml px(plain);
    ASSERT_TRUE(px.well_formed());
    EXPECT_EQ(px.number("count(//tt:style[@tts:fontStyle])"), 0);
    EXPECT_EQ(px.all("//ttm:agent/ttm:name"), (std::vector<std::string>{"Rohan"}));  // labels are not shown
    expect_same_cues(cues, parse_ttml(plain).cues, o);
}

TEST(Ttml, DevanagariCuesKeepTheirBytesAndFont) {
    const std::vector<cue> cues{make(1, 2.5, {"नमस्ते, आप कैसे हैं?"}, "SPEAKER_00"),
                                make(3, 5.04, {"तेरे बिना ज़िंदगी से", "कोई शिकवा तो नहीं"}, "", true),
                                make(6, 7, {"क्षत्रिय — श्रीमान् “ज्ञान”"})};
    write_options o;
    o.language = "hi";
    const auto ttml = to_ttml(cues, o);
    EXPECT_NE(ttml.find("तेरे बिना ज़िंदगी से<br/>कोई शिकवा तो नहीं"), std::string::npos) << "UTF-8 as is";
    const strict_xml x(ttml);
    ASSERT_TRUE(x.well_formed());
    EXPECT_NE(x.text("//tt:style[@xml:id='s_default']/@tts:fontFamily").find("Noto Sans Devanagari"),
              std::string::npos);
    EXPECT_EQ(x.text("/tt:tt/@xml:lang"), "hi");
    expect_same_cues(cues, parse_ttml(ttml).cues, o);
    // Romanized Hindi is Latin script: no Devanagari font.
    o.language = "hi-Latn";
    const std::vector<cue> latin{make(1, 2, {"musibat mein homework"})};
    EXPECT_EQ(strict_xml(to_ttml(latin, o)).text("//tt:style[@xml:id='s_default']/@tts:fontFamily"),
              "proportionalSansSerif");
}

TEST(Ttml, ImscAndNetflixAttributes) {
    const auto cues = test::sample_cues();
    write_options o;
    o.language = "en";
    o.title = "Tom & Jerry";
    o.fps = 23.976;
    const auto ttml = to_ttml(cues, o);
    const strict_xml x(ttml);
    ASSERT_TRUE(x.well_formed()) << ttml;
    EXPECT_EQ(ttml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0u);
    EXPECT_EQ(x.text("/tt:tt/@ttp:profile"), "http://www.w3.org/ns/ttml/profile/imsc1.1/text");
    EXPECT_EQ(x.text("/tt:tt/@ttp:contentProfiles"), "http://www.w3.org/ns/ttml/profile/imsc1.1/text");
    EXPECT_EQ(x.text("/tt:tt/@ttp:timeBase"), "media");
    EXPECT_EQ(x.text("/tt:tt/@ttp:frameRate"), "24");
    EXPECT_EQ(x.text("/tt:tt/@ttp:frameRateMultiplier"), "1000 1001");
    EXPECT_EQ(x.text("/tt:tt/@xml:lang"), "en");
    EXPECT_EQ(x.text("/tt:tt/@ittp:aspectRatio"), "16 9");
    EXPECT_EQ(x.number("count(/tt:tt/@tts:extent)"), 0) << "IMSC: a root extent is in px only; none is needed";
    EXPECT_EQ(x.text("/tt:tt/tt:head/tt:metadata/ttm:title"), "Tom & Jerry");
    // Regions: a bottom and a top one, each with an origin and an extent in %.
    EXPECT_EQ(x.all("//tt:layout/tt:region/@xml:id"), (std::vector<std::string>{"bottom", "top"}));
    EXPECT_EQ(x.number("count(//tt:region[not(@tts:origin) or not(@tts:extent)])"), 0);
    EXPECT_EQ(x.text("//tt:region[@xml:id='bottom']/@tts:displayAlign"), "after");
    EXPECT_EQ(x.text("//tt:region[@xml:id='top']/@tts:displayAlign"), "before");
    // Every <p> is timed and placed in a region that exists; its times are HH:MM:SS.mmm.
    EXPECT_EQ(x.number("count(//tt:body//tt:p)"), 2);
    EXPECT_EQ(x.number("count(//tt:p[not(@begin) or not(@end) or not(@region)])"), 0);
    EXPECT_EQ(x.number("count(//tt:p[not(@region = //tt:region/@xml:id)])"), 0);
    EXPECT_EQ(x.number("count(//tt:p[@ttm:agent][not(@ttm:agent = //ttm:agent/@xml:id)])"), 0);
    const std::regex clock(R"(\d{2}:\d{2}:\d{2}\.\d{3})");
    for (const auto& t : x.all("//tt:p/@begin | //tt:p/@end")) EXPECT_TRUE(std::regex_match(t, clock)) << t;
    EXPECT_EQ(x.all("//tt:p/@begin"), (std::vector<std::string>{"00:00:01.000", "00:00:03.000"}));
    EXPECT_EQ(x.all("//tt:p/@end"), (std::vector<std::string>{"00:00:02.500", "00:00:05.000"}));
    // Styles on <body>: centred rows with line padding (EBU-TT-D extensions IMSC allows), no direction.
    EXPECT_EQ(x.text("/tt:tt/tt:body/@style"), "s_default");
    EXPECT_EQ(x.text("//tt:style[@xml:id='s_default']/@ebutts:linePadding"), "0.5c");
    EXPECT_EQ(x.text("//tt:style[@xml:id='s_default']/@ebutts:multiRowAlign"), "center");
    EXPECT_EQ(x.text("//tt:style[@xml:id='s_default']/@tts:textAlign"), "center");
    EXPECT_EQ(x.number("count(//tt:style[@tts:direction])"), 0);
    EXPECT_EQ(x.text("//tt:style[@xml:id='s_italic']/@tts:fontStyle"), "italic");
    EXPECT_EQ(x.number("count(//tt:p[@style and not(@style = //tt:style/@xml:id)])"), 0);

    // Right to left: tts:direction (the only place Netflix allows #bidi).
    for (const auto* lang : {"ur", "ar", "fa", "he"}) {
        o.language = lang;
        const strict_xml rtl(to_ttml(cues, o));
        EXPECT_EQ(rtl.text("//tt:style[@xml:id='s_default']/@tts:direction"), "rtl") << lang;
    }
    // A BOM when asked; an empty cue is left out (as in SRT).
    o.bom = true;
    auto with_empty = cues;
    with_empty.push_back(make(8, 9, {"  ", ""}));
    const auto bom = to_ttml(with_empty, o);
    EXPECT_EQ(bom.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_EQ(strict_xml(bom.substr(3)).number("count(//tt:p)"), 2);
    EXPECT_EQ(parse_ttml(bom).cues.size(), 2u);
    EXPECT_TRUE(parse_ttml(bom).bom);
}

TEST(Ttml, FrameRates) {
    struct expected {
        double fps;
        int rate, numerator, denominator;
    };
    for (const auto& e :
         {expected{23.976, 24, 1000, 1001}, expected{24000.0 / 1001, 24, 1000, 1001}, expected{29.97, 30, 1000, 1001},
          expected{59.94, 60, 1000, 1001}, expected{25, 25, 1, 1}, expected{24, 24, 1, 1}, expected{50, 50, 1, 1},
          expected{12.5, 25, 1, 2}, expected{0, 25, 1, 1}, expected{-3, 25, 1, 1}}) {
        const auto r = ttml_frame_rate_of(e.fps);
        EXPECT_EQ(r.rate, e.rate) << e.fps;
        EXPECT_EQ(r.numerator, e.numerator) << e.fps;
        EXPECT_EQ(r.denominator, e.denominator) << e.fps;
    }
    write_options o;
    o.fps = 29.97;
    const strict_xml x(to_ttml(test::sample_cues(), o));
    EXPECT_EQ(x.text("/tt:tt/@ttp:frameRate"), "30");
    EXPECT_EQ(x.text("/tt:tt/@ttp:frameRateMultiplier"), "1000 1001");
    EXPECT_EQ(x.text("/tt:tt/@xml:lang"), "und");  // no language given
    o.fps = 25;
    EXPECT_EQ(strict_xml(to_ttml(test::sample_cues(), o)).text("/tt:tt/@ttp:frameRateMultiplier"), "1 1");
}

TEST(Ttml, RenderAndWrite) {
    test::temp_dir dir;
    write_options o;
    o.language = "en";
    EXPECT_EQ(render("ttml", test::sample_cues(), o), to_ttml(test::sample_cues(), o));
    const auto path = dir / subtitle_file_name("Film", "en", "ttml");
    EXPECT_EQ(path.filename(), "Film.en.ttml");
    write_subtitles(path, "ttml", test::sample_cues(), o);
    const auto f = read_subtitles(path);
    EXPECT_EQ(f.format, "ttml");
    EXPECT_EQ(f.cues.size(), 2u);
}

// --- Reader ----------------------------------------------------------------------------------------

TEST(TtmlReader, ClockTimesWithFrames) {
    const auto f = parse_ttml(document(R"(ttp:frameRate="24" ttp:frameRateMultiplier="1000 1001" ttp:subFrameRate="2")",
                                       R"(<div><p begin="00:00:01:12" end="00:00:02:00">a</p>
<p begin="00:01:00.5" end="01:00:00.250">b</p>
<p begin="00:00:00:01.1" end="00:00:03:23">c</p></div>)"));
    EXPECT_TRUE(f.issues.empty()) << f.issues.front().message;
    ASSERT_EQ(f.cues.size(), 3u);
    const double rate = 24 * 1000.0 / 1001;
    EXPECT_NEAR(f.cues[0].start, 1 + 12 / rate, 1e-9);
    EXPECT_DOUBLE_EQ(f.cues[0].end, 2);
    EXPECT_DOUBLE_EQ(f.cues[1].start, 60.5);
    EXPECT_DOUBLE_EQ(f.cues[1].end, 3600.25);
    EXPECT_NEAR(f.cues[2].start, 1.5 / rate, 1e-9);  // frame 1 and half a frame (sub-frame 1 of 2)
    EXPECT_NEAR(f.cues[2].end, 3 + 23 / rate, 1e-9);
    // Without a multiplier, frames count at ttp:frameRate; without ttp:frameRate at TTML's 30.
    const auto pal = parse_ttml(document(R"(ttp:frameRate="25")", R"(<p begin="00:00:10:05" end="00:00:11:00">x</p>)"));
    ASSERT_EQ(pal.cues.size(), 1u);
    EXPECT_DOUBLE_EQ(pal.cues[0].start, 10.2);
    const auto dflt = parse_ttml(document("", R"(<p begin="00:00:00:15" end="1s">x</p>)"));
    ASSERT_EQ(dflt.cues.size(), 1u);
    EXPECT_DOUBLE_EQ(dflt.cues[0].start, 0.5);
}

TEST(TtmlReader, OffsetTimes) {
    const auto f = parse_ttml(document(R"(ttp:frameRate="25" ttp:tickRate="10000")", R"(<div>
<p begin="12.5s" end="13s">s</p>
<p begin="300ms" dur="1000t">ms and ticks</p>
<p begin="75f" end="0.05m">frames and minutes</p>
<p begin="0.5h" dur="2s">hours</p>
<p begin="1s" end="2s" dur="0.5s">dur before end</p>
</div>)"));
    EXPECT_TRUE(f.issues.empty()) << f.issues.front().message;
    ASSERT_EQ(f.cues.size(), 5u);
    EXPECT_DOUBLE_EQ(f.cues[0].start, 12.5);
    EXPECT_DOUBLE_EQ(f.cues[0].end, 13);
    EXPECT_DOUBLE_EQ(f.cues[1].start, 0.3);
    EXPECT_DOUBLE_EQ(f.cues[1].end, 0.4);
    EXPECT_DOUBLE_EQ(f.cues[2].start, 3);
    EXPECT_DOUBLE_EQ(f.cues[2].end, 3);
    EXPECT_DOUBLE_EQ(f.cues[3].start, 1800);
    EXPECT_DOUBLE_EQ(f.cues[3].end, 1802);
    EXPECT_DOUBLE_EQ(f.cues[4].end, 1.5);  // the earlier of end and begin + dur
    // Ticks without ttp:tickRate: frameRate × subFrameRate ticks a second (TTML's default), else 1.
    const auto ticks = parse_ttml(document(R"(ttp:frameRate="25")", R"(<p begin="50t" end="100t">x</p>)"));
    ASSERT_EQ(ticks.cues.size(), 1u);
    EXPECT_DOUBLE_EQ(ticks.cues[0].start, 2);
    const auto netflix =
        parse_ttml(document(R"(ttp:tickRate="10000000")", R"(<p begin="25000000t" end="40000000t">x</p>)"));
    ASSERT_EQ(netflix.cues.size(), 1u);
    EXPECT_DOUBLE_EQ(netflix.cues[0].start, 2.5);
    EXPECT_DOUBLE_EQ(netflix.cues[0].end, 4);
}

TEST(TtmlReader, NestedAndSequentialTiming) {
    const auto f = parse_ttml(document(R"(ttp:frameRate="25")", R"(
<div begin="5s" end="20s">
  <p begin="1s" dur="2s">within a div</p>
  <p begin="14s">until the div ends</p>
  <p begin="10s" end="40s">cut at the div's end</p>
  <p>the whole div</p>
  <div begin="2s"><p begin="1s" end="2s">two levels</p></div>
</div>
<div begin="30s" timeContainer="seq">
  <p dur="1s">first</p>
  <p dur="2s">second</p>
  <p begin="1s" dur="1s">after a pause</p>
</div>
<div begin="40s"><p><span begin="1s" end="2s">spans</span> <span begin="2s" end="3.5s">only</span></p></div>)"));
    EXPECT_TRUE(f.issues.empty()) << f.issues.front().message;
    ASSERT_EQ(f.cues.size(), 9u);
    const std::vector<std::pair<double, double>> want{{6, 8},   {19, 20}, {15, 20}, {5, 20},   {8, 9},
                                                      {30, 31}, {31, 33}, {34, 35}, {41, 43.5}};
    for (std::size_t i = 0; i < want.size(); ++i) {
        EXPECT_DOUBLE_EQ(f.cues[i].start, want[i].first) << f.cues[i].text();
        EXPECT_DOUBLE_EQ(f.cues[i].end, want[i].second) << f.cues[i].text();
    }
    EXPECT_EQ(f.cues[8].text(), "spans only");
    // body's own begin moves everything.
    const auto body = parse_ttml(
        "<tt xmlns=\"http://www.w3.org/ns/ttml\"><body begin=\"10s\"><div><p begin=\"1s\" end=\"2s\">x</p></div>"
        "</body></tt>");
    ASSERT_EQ(body.cues.size(), 1u);
    EXPECT_DOUBLE_EQ(body.cues[0].start, 11);
    EXPECT_DOUBLE_EQ(body.cues[0].end, 12);
}

TEST(TtmlReader, TextLinesItalicsAndAgents) {
    const std::string head = R"(<metadata>
  <ttm:agent type="character" xml:id="a1"><ttm:name type="alias">Di</ttm:name><ttm:name type="full">Diane</ttm:name></ttm:agent>
  <ttm:agent type="person" xml:id="a2"/>
</metadata>
<styling>
  <style xml:id="lyrics" tts:fontStyle="italic"/>
  <style xml:id="chained" style="lyrics" tts:color="white"/>
  <style xml:id="upright" tts:fontStyle="normal"/>
</styling>)";
    const auto f = parse_ttml(document("", R"(<div>
<p begin="1s" end="2s" ttm:agent="a1">  Hello
      there,   <br/>  you &amp; me &lt;3 &#x0928;  </p>
<p begin="2s" end="3s"><span tts:fontStyle="italic">All</span> <span tts:fontStyle="italic">italic</span></p>
<p begin="3s" end="4s">Half <span tts:fontStyle="italic">italic</span></p>
<p begin="4s" end="5s" style="chained">By a chained style</p>
<p begin="5s" end="6s" ttm:agent="a2 a1"><span ttm:agent="a1">-Hi.</span><br/><span ttm:agent="a2">-Bye.</span></p>
<p begin="6s" end="7s" ttm:agent="nobody" xml:space="preserve">one
two</p>
<p begin="7s" end="8s">&#x266A; la la</p>
</div>
<div tts:fontStyle="italic"><p begin="8s" end="9s">From the div</p><p begin="9s" end="10s" style="upright">Not italic</p></div>)",
                                       head));
    EXPECT_TRUE(f.issues.empty()) << f.issues.front().message;
    ASSERT_EQ(f.cues.size(), 9u);
    EXPECT_EQ(f.cues[0].lines, (std::vector<std::string>{"Hello there,", "you & me <3 न"}));
    EXPECT_EQ(f.raw[0], "Hello there,\nyou &amp; me &lt;3 न");
    EXPECT_EQ(f.cues[0].speaker, "Diane");  // the full name before an alias
    EXPECT_FALSE(f.cues[0].song);
    EXPECT_TRUE(f.cues[1].song);
    EXPECT_EQ(f.cues[1].text(), "All italic");
    EXPECT_EQ(f.raw[1], "<span tts:fontStyle=\"italic\">All</span> <span tts:fontStyle=\"italic\">italic</span>");
    EXPECT_FALSE(f.cues[2].song);
    EXPECT_TRUE(f.cues[3].song);
    EXPECT_EQ(f.cues[4].speaker, "a2");  // an agent without a name is known by its id
    EXPECT_EQ(f.cues[4].line_speakers, (std::vector<std::string>{"Diane", "a2"}));
    EXPECT_EQ(f.cues[5].lines, (std::vector<std::string>{"one", "two"}));
    EXPECT_EQ(f.cues[5].speaker, "nobody");
    EXPECT_TRUE(f.cues[6].song);  // ♪ marks lyrics, as in the other readers
    EXPECT_TRUE(f.cues[7].song);
    EXPECT_FALSE(f.cues[8].song);
    EXPECT_EQ(f.numbers, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
    EXPECT_EQ(f.lines[1], 16);  // the line each <p> starts on (the head takes 9 lines)
}

TEST(TtmlReader, MalformedDocumentsAreIssuesNotCrashes) {
    // A <p> closed by </div>: libxml2's error, with its line; the checker fails the file on it.
    const auto bad =
        parse_ttml(document("", "<div>\n<p begin=\"1s\" end=\"2s\">a</p>\n<p begin=\"3s\" end=\"4s\">b</div>"));
    ASSERT_FALSE(bad.issues.empty());
    EXPECT_EQ(bad.issues.front().rule, "xml");
    EXPECT_EQ(bad.issues.front().line, 7);
    EXPECT_NE(bad.issues.front().message.find("not well-formed XML"), std::string::npos);
    EXPECT_FALSE(check_file(bad, get_profile("relaxed"), 25).passed());
    EXPECT_GE(bad.cues.size(), 1u);  // what libxml2 recovers is still read
    EXPECT_EQ(bad.cues.front().text(), "a");

    for (const std::string& s :
         {std::string(), std::string("<"), std::string("<tt"), std::string("<tt><body><p begin='1s'"),
          std::string("<?xml version='1.0'?>"), std::string("\xEF\xBB\xBF<tt/>"),
          std::string("<tt xmlns='http://www.w3.org/ns/ttml'><body><p begin='1s' end='2s'>&undefined;</p></body></tt>"),
          std::string("<!DOCTYPE tt [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><tt><body><p begin='1s' "
                      "end='2s'>&b;</p></body></tt>"),
          std::string("\0\0\0<tt>", 8)}) {
        const auto f = parse_ttml(s);
        EXPECT_EQ(f.raw.size(), f.cues.size());
        EXPECT_EQ(f.format, "ttml");
    }
    // Not TTML at all.
    const auto html = parse_ttml("<?xml version=\"1.0\"?>\n<html><body><p>x</p></body></html>");
    ASSERT_EQ(html.issues.size(), 1u);
    EXPECT_EQ(html.issues[0].rule, "xml");
    EXPECT_NE(html.issues[0].message.find("<html>"), std::string::npos);
    EXPECT_TRUE(html.cues.empty());
}

TEST(TtmlReader, ParagraphsWithoutTimesAndBadTimes) {
    const auto f = parse_ttml(document("", R"(<div>
<p begin="1s" end="2s">good</p>
<p>no times at all</p>
<p begin="3s">no end</p>
<p begin="soon" end="4s">unreadable</p>
<p begin="00:00:05.000" end="00:00:06.000">good too</p>
</div>)"));
    ASSERT_EQ(f.cues.size(), 2u);
    EXPECT_EQ(f.cues[1].text(), "good too");
    EXPECT_EQ(f.numbers, (std::vector<int>{1, 5}));
    EXPECT_EQ(f.blocks, 5);
    ASSERT_EQ(f.issues.size(), 3u);
    for (const auto& i : f.issues) EXPECT_EQ(i.rule, "bad_timestamp");
    EXPECT_EQ(f.issues[0].line, 7);
    EXPECT_EQ(f.issues[0].cue, 2);
    EXPECT_NE(f.issues[0].message.find("without timing"), std::string::npos);
    EXPECT_NE(f.issues[1].message.find("without an end"), std::string::npos);
    EXPECT_NE(f.issues[2].message.find("begin='soon'"), std::string::npos);
    const auto report = check_file(f, get_profile("relaxed"), 25);
    EXPECT_FALSE(report.passed());
    EXPECT_EQ(report.cues, 5);
}

TEST(TtmlReader, EncodingsAndLegacyNamespaces) {
    // Invalid UTF-8: an issue on its line, the text read with U+FFFD.
    const auto bad = parse_ttml(document("", "<p begin=\"1s\" end=\"2s\">caf\xE9</p>"));
    ASSERT_EQ(bad.cues.size(), 1u);
    EXPECT_EQ(bad.cues[0].text(), "caf\xEF\xBF\xBD");
    ASSERT_EQ(bad.issues.size(), 1u);
    EXPECT_EQ(bad.issues[0].rule, "utf8");
    EXPECT_EQ(bad.issues[0].line, 5);
    // A declared Latin-1 document is converted, not an error.
    const auto latin1 = parse_ttml(
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><tt xmlns=\"http://www.w3.org/ns/ttml\"><body><p begin=\"1s\" "
        "end=\"2s\">caf\xE9</p></body></tt>");
    EXPECT_TRUE(latin1.issues.empty());
    ASSERT_EQ(latin1.cues.size(), 1u);
    EXPECT_EQ(latin1.cues[0].text(), "café");
    // DFXP's draft namespace, and CRLF line ends.
    const auto dfxp = parse_ttml(
        "<tt xmlns=\"http://www.w3.org/2006/10/ttaf1\" xmlns:tts=\"http://www.w3.org/2006/10/ttaf1#styling\">\r\n"
        "<body><div><p begin=\"1.5s\" end=\"2s\"><span tts:fontStyle=\"italic\">old</span></p></div></body></tt>\r\n");
    EXPECT_TRUE(dfxp.issues.empty());
    EXPECT_TRUE(dfxp.crlf);
    ASSERT_EQ(dfxp.cues.size(), 1u);
    EXPECT_TRUE(dfxp.cues[0].song);
    EXPECT_DOUBLE_EQ(dfxp.cues[0].start, 1.5);
}

// --- Sniffing, files, the CLI --------------------------------------------------------------------------

TEST(TtmlReader, SniffedByContentAndReadByExtension) {
    const std::string body = R"(<body><p begin="1s" end="2s">x</p></body></tt>)";
    for (const std::string& s :
         {"<tt xmlns=\"http://www.w3.org/ns/ttml\">" + body,
          "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<!-- made by hand -->\n<!DOCTYPE tt>\n  "
          "<tt xmlns=\"http://www.w3.org/ns/ttml\" xml:lang=\"en\">" +
              body,
          std::string(R"(<tt:tt xmlns:tt="http://www.w3.org/ns/ttml"><tt:body><tt:p begin="1s" end="2s">x</tt:p>)"
                      R"(</tt:body></tt:tt>)")}) {
        EXPECT_TRUE(looks_like_ttml(s)) << s;
        const auto f = parse_subtitles(s);
        EXPECT_EQ(f.format, "ttml") << s;
        ASSERT_EQ(f.cues.size(), 1u) << s;
        EXPECT_EQ(f.cues[0].text(), "x");
        EXPECT_TRUE(f.issues.empty()) << s;
    }
    EXPECT_TRUE(looks_like_ttml(" \n<tt>"));
    EXPECT_FALSE(looks_like_ttml("<?xml version=\"1.0\"?><html/>"));
    EXPECT_FALSE(looks_like_ttml("<ttx/>"));
    EXPECT_FALSE(looks_like_ttml("1\n00:00:01,000 --> 00:00:02,000\n<tt>\n"));
    EXPECT_EQ(parse_subtitles("1\n00:00:01,000 --> 00:00:02,000\nHi\n").format, "srt");
    EXPECT_EQ(parse_subtitles("WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n").format, "vtt");
    EXPECT_EQ(parse_subtitles("<p begin='1s' end='2s'>x</p>", "ttml").format, "ttml");

    test::temp_dir dir;
    const auto ttml = to_ttml(test::sample_cues());
    for (const auto* name : {"a.ttml", "b.dfxp", "c.xml", "d.TTML", "e.txt"}) {
        util::write_file_atomic(dir / name, ttml);
        const auto f = read_subtitles(dir / name);
        EXPECT_EQ(f.format, "ttml") << name;
        EXPECT_EQ(f.cues.size(), 2u) << name;
    }
    // What mux reads is SRT or WebVTT only: a TTML document is refused by name.
    try {
        (void)parse_cues_strict(ttml, "in.ttml");
        ADD_FAILURE() << "a TTML document passed the strict SRT/WebVTT reader";
    } catch (const cinesub::error& e) {
        EXPECT_EQ(e.code(), errc::input_corrupt);
        EXPECT_NE(std::string(e.what()).find("TTML"), std::string::npos) << e.what();
    }
}

TEST(TtmlCheck, CheckCommandReadsTtml) {
    test::temp_dir dir;
    write_options o;
    o.language = "en";
    const std::vector<cue> cues{make(1, 3, {"Hello there."}), make(4, 6, {"Bye."})};
    util::write_file_atomic(dir / "good.ttml", to_ttml(cues, o));
    const auto good = test::run_cli({"check", (dir / "good.ttml").string(), "--json"});
    EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
    EXPECT_EQ(good.out.find("stray_text"), std::string::npos) << good.out;
    const auto j = nlohmann::json::parse(good.out);
    EXPECT_EQ(j.at("format"), "ttml");
    EXPECT_TRUE(j.at("passed").get<bool>());
    const auto text = test::run_cli({"check", (dir / "good.ttml").string()});
    EXPECT_EQ(text.exit_code, 0) << text.out;
    EXPECT_EQ(text.out.find("stray_text"), std::string::npos) << text.out;

    util::write_file_atomic(dir / "broken.ttml", to_ttml(cues, o).substr(0, 900));
    const auto broken = test::run_cli({"check", (dir / "broken.ttml").string()});
    EXPECT_EQ(broken.exit_code, 50) << broken.out << broken.err;
    EXPECT_NE(broken.out.find("xml"), std::string::npos) << broken.out;
    EXPECT_EQ(broken.out.find("stray_text"), std::string::npos) << broken.out;
}

}  // namespace
}  // namespace cinesub::subs
