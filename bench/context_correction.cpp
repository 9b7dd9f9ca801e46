// Context + correction cost on a 2-hour film: builds a Hindi and an English transcript of 2 hours
// (2400 segments of 8 words: the test list's Hindi words, the loanword list's English words, and the
// film's names with planted misspellings), a glossary of the TMDB film plus N generated names, then
// times what the context, correction, subtitles (hi-Latn) stages and the ASR stage's prompt planning do with them, and
// prints the total against the ASR time of the same 2 hours (side by side: bench/RESULTS.md's fair-mode ASR run, base,
// N = 120, 54.82 s per 10 minutes → 658 s; --asr-seconds to give another).
//   build/bench/context_correction [--names 10000] [--asr-seconds 658]
#include "context/correct.hpp"
#include "context/glossary.hpp"
#include "context/prompt.hpp"
#include "metadata/film.hpp"
#include "util/fs.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace cinesub;
using clock_type = std::chrono::steady_clock;

double since(clock_type::time_point t0) { return std::chrono::duration<double>(clock_type::now() - t0).count(); }

std::vector<std::string> lines_of(const std::string& path, bool first_column) {
    std::ifstream in(path);
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        if (first_column) line = line.substr(0, line.find('\t'));
        if (line.find(' ') == std::string::npos) out.push_back(line);
    }
    return out;
}

transcript make_track(const std::string& language, const std::vector<std::string>& words,
                      const std::vector<std::string>& names, std::mt19937& rng) {
    transcript t;
    t.language = language;
    t.task = language == "en" ? "translate" : "transcribe";
    for (int i = 0; i < 2400; ++i) {
        segment s;
        s.start = i * 3.0;
        s.end = s.start + 2.8;
        for (int k = 0; k < 8; ++k) {
            const bool name = rng() % 12 == 0;
            std::string w = name ? names[rng() % names.size()] : words[rng() % words.size()];
            s.words.push_back({w, s.start + k * 0.35, s.start + k * 0.35 + 0.3, 0.9f});
            s.text += (s.text.empty() ? "" : " ") + w;
        }
        t.segments.push_back(std::move(s));
    }
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    int n_names = 10000;
    int show = 0;  // --show N: the first N distinct changes, to check them by eye
    double asr_seconds = 54.82 * 12;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--names")) n_names = std::atoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--asr-seconds")) asr_seconds = std::atof(argv[i + 1]);
        if (!std::strcmp(argv[i], "--show")) show = std::atoi(argv[i + 1]);
    }
    const std::string src = CINESUB_SOURCE_DIR;
    std::mt19937 rng(42);
    const auto hindi = lines_of(src + "/tests/context/data/hindi_romanization.tsv", true);
    const auto english = lines_of(src + "/data/loanwords-en.txt", false);
    const auto film = metadata::film_from_tmdb(util::read_json(src + "/tests/metadata/data/movie_14873.json"), "film");

    // Generated names: two or three syllables of Indian names, so that they crowd the real ones.
    const std::vector<std::string> syll{"ra", "ro", "han", "vi", "ka", "de", "pi",  "ni",  "sha", "man", "dee", "ja",
                                        "ya", "an", "ur",  "mi", "la", "su", "nil", "tar", "pre", "ma",  "bir", "jit"};
    std::vector<context::glossary_entry> generated;
    for (int i = 0; i < n_names; ++i) {
        std::string n;
        for (unsigned k = 0; k < 2 + rng() % 2; ++k) n += syll[rng() % syll.size()];
        n[0] = static_cast<char>(n[0] - 'a' + 'A');
        generated.push_back({n, "", {}, "user", "generated", 0});
    }

    auto t0 = clock_type::now();
    auto film_entries = context::glossary_from_film(film);
    auto g = context::merge_glossary(generated, film_entries);
    context::add_guessed_devanagari(g);  // as the context stage does
    const auto roman = context::romanizer_for(g);
    const double t_context = since(t0);

    std::vector<std::string> hi_names{"रोहण", "अदिति", "मेघना", "इमराण", "सावित्री", "जय"};
    std::vector<std::string> en_names{"Rohann", "Aditi", "Megna", "Imraan", "Savitree", "Jai"};
    auto hi = make_track("hi", hindi, hi_names, rng);
    auto en = make_track("en", english, en_names, rng);

    t0 = clock_type::now();
    const context::corrector fix(g, roman);
    const auto c_hi = fix.correct(hi);
    const auto c_en = fix.correct(en);
    const auto missing = fix.missing_in_translation(hi, en);
    const double t_correct = since(t0);

    t0 = clock_type::now();
    std::size_t bytes = 0;
    for (const auto& s : hi.segments) bytes += roman.text(s.text).size();
    const double t_roman = since(t0);

    // Rolling prompts: one per 30 s chunk and pass (240 × 2), each weighing the names heard in the
    // 45 s before it. The tokenizer is a stand-in (one token per 3 bytes): whisper_tokenize on a
    // prompt of ≤ 224 tokens costs microseconds next to the planning over the whole glossary.
    t0 = clock_type::now();
    const context::prompt_planner planner(g, {});
    const auto tokens = [](std::string_view text) { return static_cast<int>((text.size() + 2) / 3); };
    std::size_t prompt_names = 0;
    for (const auto* track : {&hi, &en}) {
        std::size_t first = 0;
        for (double start = 0; start < 7200; start += 30) {
            std::vector<context::timed_text> near;
            while (first < track->segments.size() && track->segments[first].end <= start - 45) ++first;
            for (std::size_t k = first; k < track->segments.size() && track->segments[k].start < start; ++k)
                near.push_back({track->segments[k].start, track->segments[k].end, track->segments[k].text});
            prompt_names += planner.plan_for(start, start + 30, track->language, near, {}, tokens, 223).names.size();
        }
    }
    const double t_prompts = since(t0);

    const double total = t_context + t_correct + t_roman + t_prompts;
    std::vector<std::string> distinct;
    for (const auto* list : {&c_hi, &c_en})
        for (const auto& c : *list) {
            const auto d = c.before + " -> " + c.after;
            if (static_cast<int>(distinct.size()) < show &&
                std::find(distinct.begin(), distinct.end(), d) == distinct.end())
                distinct.push_back(d);
        }
    for (const auto& d : distinct) std::printf("  change: %s\n", d.c_str());
    std::printf("2-hour film: 2 tracks x 2400 segments x 8 words; glossary %zu entries (%d generated names)\n",
                g.entries.size(), n_names);
    std::printf("  context (glossary + romanizer)   %8.3f s\n", t_context);
    std::printf("  correction (hi + en + en check)  %8.3f s  (%zu + %zu changes, %zu names missing in en)\n", t_correct,
                c_hi.size(), c_en.size(), missing.size());
    std::printf("  hi-Latn romanization             %8.3f s  (%zu bytes)\n", t_roman, bytes);
    std::printf("  prompts (480 chunks, 2 passes)   %8.3f s  (%zu names in all)\n", t_prompts, prompt_names);
    std::printf(
        "  total                            %8.3f s  vs ASR %.0f s of the same 2 hours: %.3f %% (goal <= 1 %%)\n",
        total, asr_seconds, 100.0 * total / asr_seconds);
    return 0;
}
