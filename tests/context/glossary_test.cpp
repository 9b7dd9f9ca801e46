// The glossary: the user's TSV (errors with line numbers), entries from TMDB's film (characters
// with nicknames, actors, crew, overview names), merging, and the romanizer it makes.
#include "context/glossary.hpp"
#include "cinesub/error.hpp"
#include "metadata/film.hpp"
#include "support.hpp"
#include "tmdb_server.hpp"
#include "util/fs.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace cinesub::context {
namespace {

using test::temp_dir;

const glossary_entry* find_term(const std::vector<glossary_entry>& v, const std::string& term) {
    const auto it = std::find_if(v.begin(), v.end(), [&](const auto& e) { return e.term == term; });
    return it == v.end() ? nullptr : &*it;
}

std::string glossary_error(const std::string& content) {
    temp_dir d;
    const auto f = d / "names.tsv";
    util::write_file_atomic(f, content);
    try {
        read_user_glossary(f);
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::input_corrupt) << e.what();
        return e.what();
    }
    return "no error";
}

TEST(Glossary, UserTsvColumnsCommentsAndAliases) {
    temp_dir d;
    const auto f = d / "names.tsv";
    util::write_file_atomic(f,
                            "\xEF\xBB\xBF# term\tdevanagari\taliases\n"
                            "Rohan\tरोहन\tRohu|Ro\n"
                            "\n"
                            "Chandni Chowk\r\n"
                            "Nanu\t\tनानू, Naresh\n");
    const auto v = read_user_glossary(f);
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(v[0].term, "Rohan");
    EXPECT_EQ(v[0].devanagari, "रोहन");
    EXPECT_EQ(v[0].aliases, (std::vector<std::string>{"Rohu", "Ro"}));
    EXPECT_EQ(v[0].source, "names.tsv line 2");
    EXPECT_EQ(v[1].term, "Chandni Chowk");
    EXPECT_EQ(v[2].aliases, (std::vector<std::string>{"नानू", "Naresh"}));
    EXPECT_EQ(v[2].kind, "user");
}

TEST(Glossary, BadLinesNameTheirNumber) {
    EXPECT_NE(glossary_error("Rohan\n\tरोहन\n").find("line 2: the term (first column) is empty"), std::string::npos);
    EXPECT_NE(glossary_error("Rohan\tRohan\n").find("line 1: the second column \"Rohan\" has no Devanagari"),
              std::string::npos);
    EXPECT_NE(glossary_error("a\tb\tc\td\n").find("line 1: 4 columns"), std::string::npos);
    EXPECT_NE(glossary_error("ok\nRoh\xE9n\n").find("line 2: not UTF-8"), std::string::npos);
    temp_dir d;
    try {
        read_user_glossary(d / "absent.tsv");
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::input_missing) << e.what();
    }
}

TEST(Glossary, FromTmdbFilm) {
    const auto film =
        metadata::film_from_tmdb(util::read_json(test::tmdb_data("movie_14873.json")), "movie_14873.json");
    const auto v = glossary_from_film(film);
    const auto* jai = find_term(v, "Jai Singh Rathore");
    ASSERT_NE(jai, nullptr);
    EXPECT_EQ(jai->kind, "character");
    EXPECT_EQ(jai->rank, 0);
    EXPECT_EQ(jai->aliases, (std::vector<std::string>{"Rats", "Jai", "Rathore"}));  // nickname, given, family
    const auto* aditi = find_term(v, "Aditi Mahant");
    ASSERT_NE(aditi, nullptr);
    EXPECT_EQ(aditi->aliases.front(), "Meow");
    EXPECT_NE(find_term(v, "Inspector P.K. Waghmare"), nullptr);
    const auto* imran = find_term(v, "Imran Khan");
    ASSERT_NE(imran, nullptr);
    EXPECT_EQ(imran->kind, "actor");
    EXPECT_NE(find_term(v, "A.R. Rahman"), nullptr);         // composer
    EXPECT_EQ(find_term(v, "Aamir Khan"), nullptr);          // producer: not a name said on screen
    EXPECT_NE(find_term(v, "Mumbai"), nullptr);              // overview
    EXPECT_NE(find_term(v, "Amar Singh Rathore"), nullptr);  // a run of capitals is one term
    EXPECT_NE(find_term(v, "Rajput"), nullptr);
    EXPECT_EQ(find_term(v, "Their"), nullptr);
    const auto* title = find_term(v, "Jaane Tu... Ya Jaane Na");
    ASSERT_NE(title, nullptr);
    EXPECT_EQ(title->devanagari, "जाने तू... या जाने ना");  // the Hindi translation's title
}

TEST(Glossary, UserEntriesWinAndDuplicatesMerge) {
    std::vector<glossary_entry> user{{"Jai Singh Rathore", "जय सिंह राठौर", {"Jaiu"}, "user", "u line 1", 0}};
    std::vector<glossary_entry> film{{"Meghna", "", {}, "character", "tmdb cast 2", 2},
                                     {"jai singh rathore", "", {"Rats"}, "character", "tmdb cast 0", 0}};
    const auto g = merge_glossary(user, film);
    ASSERT_EQ(g.entries.size(), 2u);
    EXPECT_EQ(g.entries[0].term, "Jai Singh Rathore");
    EXPECT_EQ(g.entries[0].kind, "user");
    EXPECT_EQ(g.entries[0].aliases, (std::vector<std::string>{"Jaiu", "Rats"}));
    EXPECT_EQ(g.entries[1].term, "Meghna");
    EXPECT_EQ(glossary_from_json(to_json(g)).entries.size(), 2u);
}

TEST(Glossary, GuessedDevanagariNamesPromptsButSpellsNothing) {
    auto g = merge_glossary({{"Savitri Rathore", "सावित्री राठौड़", {}, "user", "u", 0}},
                            {{"Rohan", "", {}, "character", "tmdb cast 1", 1},
                             {"Jaane Tu", "", {}, "title", "tmdb title", 500},
                             {"Ranbir Kapoor", "", {}, "actor", "tmdb cast 1", 1001}});
    add_guessed_devanagari(g);
    EXPECT_EQ(g.entries[0].devanagari, "सावित्री राठौड़");  // given: kept
    EXPECT_FALSE(g.entries[0].devanagari_guessed);
    EXPECT_EQ(g.entries[1].devanagari, "रोहन");
    EXPECT_TRUE(g.entries[1].devanagari_guessed);
    EXPECT_EQ(g.entries[2].devanagari, "");  // titles are words, not names
    EXPECT_EQ(g.entries[3].devanagari, "रणबीर कपूर");
    const auto j = to_json(g);
    EXPECT_EQ(j["entries"][1]["key"], "rohan");
    EXPECT_EQ(j["entries"][0]["key"], "savitrirator");
    EXPECT_EQ(j["entries"][1]["devanagari_guessed"], true);
    EXPECT_TRUE(glossary_from_json(j).entries[1].devanagari_guessed);
    // The romanizer takes only given forms as spellings; a guessed one would be a guess twice.
    const auto r = romanizer_for(g);
    EXPECT_EQ(r.text("सावित्री राठौड़"), "Savitri Rathore");
    EXPECT_EQ(r.text("रोहन"), "Rohan");  // by the Latin name's skeleton (add_latin_name), as before
}

TEST(Glossary, RomanizerSpellsTheFilmsNames) {
    const auto film =
        metadata::film_from_tmdb(util::read_json(test::tmdb_data("movie_14873.json")), "movie_14873.json");
    const auto r = romanizer_for(
        merge_glossary({{"Savitri Rathore", "सावित्री राठौड़", {}, "user", "u", 0}}, glossary_from_film(film)));
    EXPECT_EQ(r.text("मेघना और अदिति कहाँ हैं"), "Meghna aur Aditi kahaan hain");
    EXPECT_EQ(r.text("सावित्री राठौड़ ने कहा"), "Savitri Rathore ne kaha");  // the user's Devanagari form
    EXPECT_EQ(r.text("मुंबई में"), "Mumbai mein");                            // a place from the overview
    EXPECT_EQ(r.text("जाने दो"), "jane do");                               // title words stay words: not "Jaane"
}

}  // namespace
}  // namespace cinesub::context
