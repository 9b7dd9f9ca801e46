// Fuzz target: arbitrary text (split into words with synthetic times) through segment + timing + writers:
// no crash, no word lost.
#include "subtitles/segmenter.hpp"
#include "subtitles/text.hpp"
#include "subtitles/timing.hpp"
#include "subtitles/writers.hpp"
#include "util/text.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cinesub;
    const auto text = util::sanitize_utf8(std::string_view(reinterpret_cast<const char*>(data), size));
    transcript t;
    t.language.assign(size % 2 ? "hi" : "en", 2);
    segment s;
    double now = 0;
    for (const auto& w : subs::split_words(text)) {
        const double d = 0.05 + static_cast<double>(static_cast<unsigned char>(w[0]) % 50) / 40.0;
        s.words.push_back({w, now, now + d, 1.0f});
        now += d + (w.size() % 3 == 0 ? 1.5 : 0.05);
    }
    if (s.words.empty()) return 0;
    s.start = s.words.front().start;
    s.end = s.words.back().end;
    s.text = text;
    t.segments.push_back(s);
    subs::segment_options o;
    o.style = subs::get_profile(size % 3 ? "netflix-en" : "netflix-other");
    auto r = subs::segment(t, o);
    subs::apply_timing(r.cues, o.style, 25);
    // No visible text lost: every ASCII letter/digit of the input is shown (invisible marks such as
    // U+FEFF may be dropped, hyphenation only adds '-').
    auto alnum = [](std::string_view x) {
        std::size_t n = 0;
        for (char c : x) n += std::isalnum(static_cast<unsigned char>(c)) ? 1 : 0;
        return n;
    };
    std::size_t in = 0, out = 0;
    for (const auto& w : s.words) in += alnum(w.text);
    for (const auto& c : r.cues)
        for (const auto& l : c.lines) out += alnum(l);
    if (out != in) {  // lost text: say which input
        std::fprintf(stderr, "lost text: %zu of %zu letters/digits shown for input:\n%s\n", out, in, text.c_str());
        std::abort();
    }
    (void)subs::to_srt(r.cues);
    (void)subs::to_ass(r.cues);
    return 0;
}
