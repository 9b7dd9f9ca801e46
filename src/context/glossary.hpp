// The film's glossary: the names (characters, actors, crew, titles, places and terms) later stages
// must spell right, from the metadata stage's film and a user glossary, each with its Latin
// spelling, its Devanagari form when one is known, aliases (nicknames, other spellings) and a name
// skeleton for matching spellings of one name (context::romanizer::name_skeleton).
#pragma once

#include "context/romanize.hpp"
#include "metadata/film.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace cinesub::context {

struct glossary_entry {
    std::string term;                  // Latin spelling: "Jai Singh Rathore", "Mumbai"
    std::string devanagari;            // "" when not known
    std::vector<std::string> aliases;  // nicknames and other spellings, either script: "Rats", "जय"
    std::string kind;                  // character, actor, crew, title, term, user
    std::string source;                // "tmdb cast 0", "overview", "glossary.tsv line 3"
    int rank = 0;                      // importance, 0 first (billing order; user entries 0)
    bool devanagari_guessed = false;   // `devanagari` was transliterated from `term`, not given (TMDB, user)
};

// Whether an entry is a name (a character, actor, crew member, user term, place…): titles and
// keywords are made of everyday words ("Jaane", "friendship"), so the romanizer, the correction and
// the Devanagari guess leave them out.
bool is_name(const glossary_entry& e);

struct glossary {
    std::vector<glossary_entry> entries;  // most important first
};

// User glossary, TSV in UTF-8: term <TAB> Devanagari form (optional) <TAB> aliases (optional,
// separated by '|' or ','). '#' starts a comment line; blank lines are skipped. A line that is not
// UTF-8, has more than three columns, an empty term, or a second column without Devanagari:
// error(input_corrupt) "FILE line N: …".
std::vector<glossary_entry> read_user_glossary(const std::filesystem::path& file);

// Entries from the film: characters (their full name, its words as given and family names, the
// nickname in quotes as an alias: "Naresh 'Nanu' Khanna" → Naresh Khanna, alias Nanu), actors,
// directors/composers/lyricists/writers, the titles, and capitalised names from the overview.
std::vector<glossary_entry> glossary_from_film(const metadata::film& f);

// The user's entries first (they win over the film's for the same term), then the film's; a term
// listed twice (case-insensitively) is kept once, with the other's aliases merged in.
glossary merge_glossary(std::vector<glossary_entry> user, std::vector<glossary_entry> film);

// The built-in romanizer with the glossary's names: Devanagari forms and Devanagari aliases spell
// as the term; the Latin words of characters, actors, crew, user terms and overview names spell the
// Devanagari words that sound like them (romanizer::add_latin_name). Titles and keywords are left
// out: their words are everyday words ("Jaane", "friendship").
romanizer romanizer_for(const glossary& g);

// Entries without a Devanagari form (titles and keywords aside) get one transliterated from the
// term (context::devanagari_name: "Rohan" → रोहन), marked devanagari_guessed. Rules, not a lexicon:
// bench/RESULTS.md has their accuracy on unseen names (about 6 in 10 exact; most misses are one vowel
// length off), so a guessed form names the name in a Hindi prompt, but neither the romanizer nor the
// correction takes it as a spelling.
void add_guessed_devanagari(glossary& g);

// glossary.json: every entry with its name skeleton ("key", romanizer::name_skeleton of the term),
// the phonetic key the correction and the prompts match spellings by.
nlohmann::json to_json(const glossary& g);
glossary glossary_from_json(const nlohmann::json& j);

}  // namespace cinesub::context
