// Whisper prompts from the glossary (context::prompt_planner): importance, time-local weighting by
// names heard near a chunk and by named speakers, the sentence per script, the token budget.
#include "context/prompt.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace cinesub::context {
namespace {

glossary_entry character(std::string term, int rank, std::string devanagari = {},
                         std::vector<std::string> aliases = {}) {
    return {std::move(term), std::move(devanagari), std::move(aliases), "character", "test", rank};
}

// Jaane Tu… Ya Jaane Na's first characters, and an overview place; actors and titles never prompt.
glossary film_glossary() {
    glossary g;
    g.entries = {character("Jai Singh Rathore", 0, "जय सिंह राठौर", {"Jai", "Rathore", "Rats"}),
                 character("Aditi Mahant", 1, "अदिति महंत", {"Aditi", "Mahant", "Meow"}),
                 character("Meghna", 2, "मेघना"),
                 character("Sushant Modi", 3, "", {"Sushant"}),
                 character("Amar Singh Rathore", 4, "", {"Amar"}),
                 character("Bhaalu", 5),
                 character("Rotlu", 6),
                 character("Bombs", 7),
                 character("Shaleen", 8),
                 character("Jiggy", 9),
                 character("Rohan", 14, "रोहन"),
                 {"Imran Khan", "", {}, "actor", "tmdb cast 0", 1000},
                 {"Jaane Tu... Ya Jaane Na", "", {}, "title", "tmdb title", 500},
                 {"Mumbai", "", {}, "term", "overview", 3000}};
    return g;
}

// A stand-in tokenizer for the planner's logic: one token per 3 bytes (Devanagari letters are 3).
int three_bytes_a_token(std::string_view s) { return static_cast<int>((s.size() + 2) / 3); }

std::vector<std::string> shown(const prompt_planner::plan& p) {
    std::vector<std::string> out;
    for (const auto& n : p.names) out.push_back(n.shown);
    return out;
}

TEST(Prompt, GlobalRanksCharactersByBillingInTheSourceScript) {
    const auto g = film_glossary();
    prompt_params p;
    p.mode = prompt_mode::global;
    p.names = 3;
    const prompt_planner planner(g, p);
    EXPECT_EQ(planner.candidates(), 12u);  // 11 characters + Mumbai; no actor, no title
    const auto hi = planner.plan_for(0, 30, "hi", {}, {}, three_bytes_a_token, 223);
    EXPECT_EQ(shown(hi), (std::vector<std::string>{"जय सिंह राठौर", "अदिति महंत", "मेघना"}));
    EXPECT_EQ(hi.text, "इस फ़िल्म में जय सिंह राठौर, अदिति महंत और मेघना हैं।");
    EXPECT_EQ(hi.tokens, three_bytes_a_token(hi.text));
    const auto en = planner.plan_for(0, 30, "en", {}, {}, three_bytes_a_token, 223);
    EXPECT_EQ(en.text, "With Jai Singh Rathore, Aditi Mahant and Meghna.");
    // A name without a Devanagari form is written in Latin letters in a Hindi prompt.
    p.names = 4;
    const auto four = prompt_planner(g, p).plan_for(0, 30, "hi", {}, {}, three_bytes_a_token, 223);
    EXPECT_EQ(four.names.back().shown, "Sushant Modi");
    // Global: what was heard does not matter.
    const std::vector<timed_text> heard = {{10, 12, "Rohan Rohan Rohan"}};
    EXPECT_EQ(planner.plan_for(0, 30, "hi", heard, {}, three_bytes_a_token, 223).text, hi.text);
}

TEST(Prompt, RollingPromotesNamesHeardNearTheChunk) {
    const auto g = film_glossary();
    prompt_params p;  // rolling, 45 s, 10 names
    p.names = 3;
    const prompt_planner planner(g, p);
    // Rohan (billed 15th) is not in a 3-name prompt until he is heard near the chunk.
    const auto quiet = planner.plan_for(100, 130, "en", {}, {}, three_bytes_a_token, 223);
    EXPECT_EQ(std::count(quiet.text.begin(), quiet.text.end(), ','), 1);  // "With A, B and C."
    EXPECT_EQ(quiet.text.find("Rohan"), std::string::npos);
    // Heard in Devanagari 20 s before the chunk: 0.18 + 0.56 puts him above Meghna (0.6), below the
    // two leads (1.0, 0.75).
    const std::vector<timed_text> near = {{75, 80, "रोहन, इधर आओ।"}};
    const auto heard = planner.plan_for(100, 130, "en", near, {}, three_bytes_a_token, 223);
    ASSERT_EQ(heard.names.size(), 3u);
    EXPECT_EQ(heard.names[2].shown, "Rohan");
    EXPECT_EQ(heard.names[2].nearby, 1);
    EXPECT_NEAR(heard.names[2].weight, 1.0 / (1.0 + 14 / 3.0) + (1.0 - 20.0 / 45.0), 1e-9);
    EXPECT_EQ(heard.text, "With Jai Singh Rathore, Aditi Mahant and Rohan.");
    // Beyond the window (50 s before): no effect; after the chunk counts too (the source track).
    const std::vector<timed_text> far = {{45, 50, "Rohan"}};
    EXPECT_EQ(planner.plan_for(100, 130, "en", far, {}, three_bytes_a_token, 223).text, quiet.text);
    const std::vector<timed_text> after = {{131, 133, "Rohan!"}};
    EXPECT_EQ(planner.plan_for(100, 130, "en", after, {}, three_bytes_a_token, 223).names[0].shown,
              "Rohan");  // 1 s away: 0.18 + 0.98
    // Mentions add up: Bombs heard three times outweighs the lead.
    const std::vector<timed_text> bombs = {{101, 102, "Bombs"}, {110, 111, "Bombs?"}, {120, 121, "bombs"}};
    const auto b = planner.plan_for(100, 130, "en", bombs, {}, three_bytes_a_token, 223);
    EXPECT_EQ(b.names[0].shown, "Bombs");
    EXPECT_EQ(b.names[0].nearby, 3);
}

TEST(Prompt, NamedSpeakersWeighTheirNames) {
    const auto g = film_glossary();
    prompt_params p;
    p.names = 2;
    const prompt_planner planner(g, p);
    const std::vector<named_turn> turns = {{105, 110, "Jiggy"}, {200, 210, "Rotlu"}};
    const auto plan = planner.plan_for(100, 130, "en", {}, turns, three_bytes_a_token, 223);
    ASSERT_EQ(plan.names.size(), 2u);
    EXPECT_EQ(plan.names[0].shown, "Jiggy");  // speaks in the chunk: 0.25 + 1
    EXPECT_TRUE(plan.names[0].speaking);
    EXPECT_EQ(plan.names[1].shown, "Jai Singh Rathore");  // Rotlu speaks later: no weight
}

TEST(Prompt, BudgetIsMeasuredAndLongNamesAreSkippedForShorterOnes) {
    const auto g = film_glossary();
    prompt_params p;
    p.mode = prompt_mode::global;
    p.names = 10;
    const prompt_planner planner(g, p);
    const auto full = planner.plan_for(0, 30, "hi", {}, {}, three_bytes_a_token, 223);
    EXPECT_EQ(full.names.size(), 10u);
    EXPECT_LE(full.tokens, 223);
    // A budget of 40 such tokens: names go in by weight while they fit; a long one that does not
    // fit is skipped and a shorter later one taken.
    const auto small = planner.plan_for(0, 30, "hi", {}, {}, three_bytes_a_token, 40);
    EXPECT_LE(small.tokens, 40);
    EXPECT_EQ(small.tokens, three_bytes_a_token(small.text));
    EXPECT_LT(small.names.size(), full.names.size());
    EXPECT_GE(small.names.size(), 2u);
    for (std::size_t i = 1; i < small.names.size(); ++i) EXPECT_GE(small.names[i - 1].weight, small.names[i].weight);
    // Nothing fits: no prompt.
    EXPECT_TRUE(planner.plan_for(0, 30, "hi", {}, {}, three_bytes_a_token, 3).text.empty());
}

TEST(Prompt, NamesInEitherScriptAndEverydayWordsIgnored) {
    const auto g = film_glossary();
    const prompt_planner planner(g, {});
    auto term_of = [&](std::size_t e) { return g.entries[e].term; };
    std::vector<std::string> found;
    for (const auto e : planner.names_in("Jai aur Meow, रोहन कहाँ है? Mumbai")) found.push_back(term_of(e));
    EXPECT_EQ(found, (std::vector<std::string>{"Jai Singh Rathore", "Aditi Mahant", "Rohan", "Mumbai"}));
    // A family name shared by two characters names both; spellings fold (Raathore, रठौर).
    found.clear();
    for (const auto e : planner.names_in("Raathore")) found.push_back(term_of(e));
    EXPECT_EQ(found, (std::vector<std::string>{"Jai Singh Rathore", "Amar Singh Rathore"}));
    EXPECT_TRUE(planner.names_in("the man said that is it").empty());
    EXPECT_TRUE(planner.names_in("Imran Khan").empty());  // actors are not prompt names
    EXPECT_TRUE(planner.names_in("").empty());
}

TEST(Prompt, OffAndEmptyGlossaryGiveNoPrompt) {
    const auto g = film_glossary();
    prompt_params p;
    p.mode = prompt_mode::off;
    EXPECT_TRUE(prompt_planner(g, p).plan_for(0, 30, "hi", {}, {}, three_bytes_a_token, 223).text.empty());
    const glossary empty;
    const prompt_planner none(empty, {});
    EXPECT_EQ(none.candidates(), 0u);
    EXPECT_TRUE(none.plan_for(0, 30, "hi", {}, {}, three_bytes_a_token, 223).names.empty());
}

TEST(Prompt, SentencePerLanguage) {
    EXPECT_EQ(prompt_planner::sentence({"रोहन"}, "hi"), "इस फ़िल्म में रोहन है।");
    EXPECT_EQ(prompt_planner::sentence({"Rohan", "Aditi"}, "en"), "With Rohan and Aditi.");
    EXPECT_EQ(prompt_planner::sentence({"Rohan", "Aditi", "Jai"}, "ta"), "Rohan, Aditi, Jai.");
    EXPECT_EQ(prompt_planner::sentence({}, "hi"), "");
    EXPECT_TRUE(writes_devanagari("mr"));
    EXPECT_FALSE(writes_devanagari("ur"));
}

}  // namespace
}  // namespace cinesub::context
