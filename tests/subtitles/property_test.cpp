// Property tests: seeded random word streams (pauses, Devanagari and Latin, long names, numbers) →
// segment + timing: no word lost or reordered, every hard violation the checker finds is one the
// segmenter reported.
#include "subtitles/checker.hpp"
#include "subtitles/segmenter.hpp"
#include "subtitles/text.hpp"
#include "subtitles/timing.hpp"
#include "support.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>

namespace cinesub::subs {
namespace {

transcript random_transcript(std::mt19937& rng, bool hindi) {
    const std::vector<std::string> latin{
        "the",    "yaar", "kya",    "baat",     "hai,", "Flipkart", "WhatsApp",
        "okay.",  "Box",  "office", "(really)", "is",   "it?",      "Inspector",
        "Vijay!", "₹500", "10",     "000",      "and",  "—",        "Supercalifragilisticexpialidocious-ness"};
    const std::vector<std::string> deva{"राम",
                                        "ने",
                                        "सीता",
                                        "को",
                                        "किताब",
                                        "दी",
                                        "और",
                                        "घर",
                                        "में",
                                        "गया।",
                                        "क्या",
                                        "बात",
                                        "है?",
                                        "२०२४",
                                        "ज़िंदगी",
                                        "से",
                                        "प्रतिक्रियात्मकताओंसेभरपूरवाक्यांश"};
    std::uniform_int_distribution<int> nwords(1, 400), pick(0, 1000), speaker(0, 4);
    std::uniform_real_distribution<double> dur(0.08, 0.9), pause(0, 1), longpause(0.5, 4);
    transcript t;
    t.language = hindi ? "hi" : "en";
    double now = 0.5;
    const int n = nwords(rng);
    cinesub::segment s;
    for (int i = 0; i < n; ++i) {
        const auto& pool = (hindi && pick(rng) % 3 != 0) ? deva : latin;
        word w;
        w.text = pool[static_cast<std::size_t>(pick(rng)) % pool.size()];
        w.start = now;
        w.end = now + dur(rng);
        now = w.end + (pause(rng) < 0.1 ? longpause(rng) : pause(rng) * 0.2);
        s.words.push_back(w);
        if (pick(rng) % 12 == 0 || i == n - 1) {
            s.start = s.words.front().start;
            s.end = s.words.back().end;
            std::vector<std::string> texts;
            for (const auto& x : s.words) texts.push_back(x.text);
            s.text = join(texts, " ");
            s.speaker = fmt::format("S{}", speaker(rng));
            t.segments.push_back(std::move(s));
            s = cinesub::segment{};
        }
    }
    return t;
}

// Cue text with hyphenation at line ends undone is compared word by word with the input.
std::string squash(const std::string& s) {
    std::string out;
    for (char c : s)
        if (c != ' ' && c != '\n' && c != '-') out += c;
    return out;
}

TEST(Property, NoLossNoReorderAndOnlyReportedHardViolations) {
    int total_cues = 0, reported = 0;
    for (unsigned seed = 1; seed <= 60; ++seed) {
        std::mt19937 rng(seed);
        const bool hindi = seed % 2 == 0;
        const auto t = random_transcript(rng, hindi);
        segment_options o;
        o.style = get_profile(hindi ? "netflix-other" : "netflix-en");
        o.fps = seed % 3 == 0 ? 23.976 : 25;
        auto r = segment(t, o);
        apply_timing(r.cues, o.style, o.fps);
        std::string in, out;
        for (const auto& s : t.segments)
            for (const auto& w : s.words) in += w.text;
        for (const auto& c : r.cues) out += c.text();
        ASSERT_EQ(squash(in), squash(out)) << "seed " << seed;
        for (std::size_t i = 1; i < r.cues.size(); ++i)
            ASSERT_GE(r.cues[i].start, r.cues[i - 1].end) << "seed " << seed;
        const auto report = check_cues(r.cues, o.style, o.fps);
        for (const auto& v : report.violations) {
            if (!v.hard) continue;
            const bool explained = std::any_of(r.violations.begin(), r.violations.end(),
                                               [&](const violation& x) { return x.cue == v.cue; });
            EXPECT_TRUE(explained) << "seed " << seed << ": unreported hard " << v.rule << " cue " << v.cue << ": "
                                   << v.message;
        }
        total_cues += static_cast<int>(r.cues.size());
        reported += static_cast<int>(r.violations.size());
    }
    std::printf("[ measure ] property: 60 seeds, %d cues, %d segmenter-reported findings\n", total_cues, reported);
}

}  // namespace
}  // namespace cinesub::subs
