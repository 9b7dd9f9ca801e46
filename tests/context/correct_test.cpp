// Name correction on transcripts with planted misspellings (both scripts) and a decoy list of
// close everyday words: precision and recall printed (goal ≥ 0.95 / ≥ 0.85), and the rules behind
// them (Devanagari forms, learned spellings, the English track check).
#include "context/correct.hpp"
#include "context/glossary.hpp"
#include "metadata/film.hpp"
#include "tmdb_server.hpp"
#include "util/fs.hpp"

#include <gtest/gtest.h>

#include <iostream>

namespace cinesub::context {
namespace {

glossary cor_test_glossary() {
    const auto film =
        metadata::film_from_tmdb(util::read_json(test::tmdb_data("movie_14873.json")), "movie_14873.json");
    std::vector<glossary_entry> user{
        {"Rohan", "रोहन", {}, "user", "t", 0},     {"Deepika", "दीपिका", {}, "user", "t", 0},
        {"Ranbir", "रणबीर", {}, "user", "t", 0},   {"Savitri", "सावित्री", {}, "user", "t", 0},
        {"Imran", "इमरान", {}, "user", "t", 0},    {"Jignesh", "जिग्नेश", {}, "user", "t", 0},
        {"Waghmare", "वाघमारे", {}, "user", "t", 0}};
    return merge_glossary(user, glossary_from_film(film));
}

transcript cor_test_transcript(const std::string& language, const std::vector<std::string>& words) {
    transcript t;
    t.language = language;
    double time = 0;
    for (std::size_t i = 0; i < words.size(); i += 4) {
        segment s;
        s.start = time;
        for (std::size_t k = i; k < words.size() && k < i + 4; ++k) {
            s.words.push_back({words[k], time, time + 0.4, 0.9f});
            s.text += (s.text.empty() ? "" : " ") + words[k];
            time += 0.5;
        }
        s.end = time;
        t.segments.push_back(std::move(s));
    }
    return t;
}

struct cor_test_case {
    std::string written, expected;  // expected == written: a decoy
};

TEST(Correction, PlantedMisspellingsPrecisionAndRecall) {
    const auto g = cor_test_glossary();
    const auto r = romanizer_for(g);
    const corrector fix(g, r);
    const std::vector<cor_test_case> latin{{"Rohann", "Rohan"},
                                           {"Rouhan", "Rohan"},
                                           {"Roohan", "Rohan"},
                                           {"Deepeka", "Deepika"},
                                           {"Dipika", "Deepika"},
                                           {"Deepikaa", "Deepika"},
                                           {"Ranbeer", "Ranbir"},
                                           {"Ranbhir", "Ranbir"},
                                           {"Savitree", "Savitri"},
                                           {"Saavitri", "Savitri"},
                                           {"Imraan", "Imran"},
                                           {"Jignes", "Jignesh"},
                                           {"Jigness", "Jignesh"},
                                           {"Wagmare", "Waghmare"},
                                           {"Waghmaare", "Waghmare"},
                                           {"Meghana", "Meghna"},
                                           {"Aditee", "Aditi"},
                                           {"Adithi", "Aditi"},
                                           {"Rathor", "Rathore"},
                                           {"Raathore", "Rathore"},
                                           {"Mahanth", "Mahant"},
                                           {"Sushaant", "Sushant"},
                                           {"Genellia", "Genelia"},
                                           {"Prateek", "Prateik"},
                                           // decoys: everyday English words and other names close to the glossary's
                                           {"rain", "rain"},
                                           {"ruin", "ruin"},
                                           {"roman", "roman"},
                                           {"media", "media"},
                                           {"rather", "rather"},
                                           {"saviour", "saviour"},
                                           {"admit", "admit"},
                                           {"motion", "motion"},
                                           {"mega", "mega"},
                                           {"Rohit", "Rohit"},
                                           {"Deepak", "Deepak"},
                                           {"Iran", "Iran"},
                                           {"sanity", "sanity"},
                                           {"man", "man"},
                                           {"jail", "jail"},
                                           {"meet", "meet"}};
    const std::vector<cor_test_case> devanagari{{"रोहण", "रोहन"},
                                                {"रौहन", "रोहन"},
                                                {"दिपिका", "दीपिका"},
                                                {"दीपीका", "दीपिका"},
                                                {"रनबीर", "रणबीर"},
                                                {"रणबिर", "रणबीर"},
                                                {"सावित्रि", "सावित्री"},
                                                {"सवित्री", "सावित्री"},
                                                {"इमराण", "इमरान"},
                                                {"जिगनेश", "जिग्नेश"},
                                                {"वागमारे", "वाघमारे"},
                                                {"वाघमरे", "वाघमारे"},
                                                // decoys: everyday Hindi words close to the names
                                                {"रोना", "रोना"},
                                                {"मेघ", "मेघ"},
                                                {"दीपक", "दीपक"},
                                                {"आदत", "आदत"},
                                                {"सवारी", "सवारी"},
                                                {"रोज़", "रोज़"},
                                                {"इमारत", "इमारत"},
                                                {"रानी", "रानी"},
                                                {"मरे", "मरे"},
                                                {"जाग", "जाग"},
                                                {"सवाल", "सवाल"},
                                                {"रहना", "रहना"}};
    std::size_t planted = 0, right = 0, wrong = 0;
    for (const auto* cases : {&latin, &devanagari}) {
        std::vector<std::string> words;
        for (const auto& c : *cases) words.push_back(c.written);
        auto t = cor_test_transcript(cases == &latin ? "en" : "hi", words);
        fix.correct(t);
        std::size_t k = 0;
        for (const auto& s : t.segments)
            for (const auto& w : s.words) {
                const auto& c = (*cases)[k++];
                const bool is_planted = c.expected != c.written;
                planted += is_planted;
                if (w.text == c.expected) {
                    right += is_planted;
                } else {
                    wrong += 1;  // a decoy changed, a misspelling missed or changed into another name
                    std::cout << "  " << (is_planted ? "missed" : "decoy changed") << ": " << c.written << " -> "
                              << w.text << " (want " << c.expected << ")\n";
                }
            }
    }
    std::size_t changed_wrongly = 0;  // decoys changed or plants turned into another name
    for (const auto* cases : {&latin, &devanagari}) {
        std::vector<std::string> words;
        for (const auto& c : *cases) words.push_back(c.written);
        auto t = cor_test_transcript("x", words);
        fix.correct(t);
        std::size_t k = 0;
        for (const auto& s : t.segments)
            for (const auto& w : s.words) {
                const auto& c = (*cases)[k++];
                if (w.text != c.written && w.text != c.expected) ++changed_wrongly;
            }
    }
    const double recall = static_cast<double>(right) / static_cast<double>(planted);
    const double precision = static_cast<double>(right) / static_cast<double>(right + changed_wrongly);
    std::cout << "name correction: " << planted << " planted misspellings, " << right << " corrected, "
              << changed_wrongly << " wrong changes (decoys or wrong names); precision " << precision << ", recall "
              << recall << "\n";
    EXPECT_GE(precision, 0.95);
    EXPECT_GE(recall, 0.85);
    (void)wrong;
}

TEST(Correction, LogsEveryChangeAndKeepsPunctuation) {
    const auto g = cor_test_glossary();
    const auto r = romanizer_for(g);
    const corrector fix(g, r);
    auto t = cor_test_transcript("en", {"\"Rohann,", "where", "is", "Deepeka?\""});
    const auto changes = fix.correct(t);
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(t.segments[0].text, "\"Rohan, where is Deepika?\"");
    EXPECT_EQ(changes[0].before, "Rohann");
    EXPECT_EQ(changes[0].after, "Rohan");
    EXPECT_EQ(changes[0].term, "Rohan");
    EXPECT_DOUBLE_EQ(changes[0].start, 0);
    EXPECT_LT(changes[1].score, 1.0);
    EXPECT_GT(changes[1].score, 0.5);
    const auto j = to_json(changes, {});
    EXPECT_EQ(j["corrections"].size(), 2u);
    EXPECT_EQ(j["corrections"][1]["before"], "Deepeka");
}

TEST(Correction, NoDevanagariFormNoDevanagariChange) {
    // "Meghna" has no Devanagari form in the glossary: Devanagari text keeps its spellings (the
    // English track is still corrected).
    const auto g = cor_test_glossary();
    const auto r = romanizer_for(g);
    const corrector fix(g, r);
    auto t = cor_test_transcript("hi", {"मेघना", "आई", "मेघना", "गई", "मेगना", "?"});
    EXPECT_TRUE(fix.correct(t).empty());
    EXPECT_EQ(t.segments[1].words[0].text, "मेगना");
    auto en = cor_test_transcript("en", {"Megna"});
    EXPECT_EQ(fix.correct(en).size(), 1u);
    EXPECT_EQ(en.segments[0].text, "Meghna");
}

TEST(Correction, MaxDistanceSetting) {
    const auto g = cor_test_glossary();
    const auto r = romanizer_for(g);
    auto t0 = cor_test_transcript("en", {"Rohann", "Deepeka"});
    corrector(g, r, {.max_distance = 0, .min_length = 5}).correct(t0);
    EXPECT_EQ(t0.segments[0].text, "Rohan Deepeka");  // same skeleton only
    auto t2 = cor_test_transcript("en", {"Deepekaa", "Waagmarre"});
    corrector(g, r, {.max_distance = 2, .min_length = 5}).correct(t2);
    EXPECT_EQ(t2.segments[0].text, "Deepika Waghmare");  // two edits, found by scanning every name
}

TEST(Correction, NamesMissingFromTheEnglishTrack) {
    const auto g = cor_test_glossary();
    const auto r = romanizer_for(g);
    const corrector fix(g, r);
    const auto hi = cor_test_transcript("hi", {"रोहन", "कहाँ", "है", "?", "दीपिका", "आई"});
    auto en = cor_test_transcript("en", {"Where", "is", "Rohan?", "", "She", "came"});
    const auto missing = fix.missing_in_translation(hi, en);
    ASSERT_EQ(missing.size(), 1u);
    EXPECT_EQ(missing[0].name, "Deepika");
    EXPECT_EQ(missing[0].target_text, "She came");
}

TEST(Correction, TenThousandNamesStayCorrect) {
    // A 10 000-name glossary: the planted names are still found and an everyday sentence is untouched.
    auto g = cor_test_glossary();
    for (int i = 0; i < 10000; ++i)
        g.entries.push_back({"Zq" + std::to_string(i) + "x", "", {}, "user", "generated", 5000});
    const auto r = romanizer_for(g);
    const corrector fix(g, r);
    auto t = cor_test_transcript("en", {"Rohann", "came", "home", "today"});
    fix.correct(t);
    EXPECT_EQ(t.segments[0].text, "Rohan came home today");
}

}  // namespace
}  // namespace cinesub::context
