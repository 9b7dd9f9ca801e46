// Devanagari → Latin romanization as people read and type Hindi (Netflix "Hindi (Romanized)",
// chat spelling): plain ASCII, schwa deletion ("साथ" → "saath", "समझना" → "samajhna"), nasal vowels
// ("में" → "mein", "हूँ" → "hoon"), nukta letters ("ज़रूर" → "zaroor"), and English words spoken
// inside Hindi written back in English ("स्मार्टफोन" → "smartphone", "ऑफर्स" → "offers").
//
// English words are found by pronunciation, not by a Devanagari table: the Devanagari word and each
// word of an English lexicon (one a line) get a phonetic key (consonant classes and coarse vowel
// classes, see romanize.cpp), and a word whose key matches an English key becomes that English
// word, under guards that keep native Hindi words Hindi ("कम" stays "kam", never "come").
//
// A glossary (add_name: film cast names…) wins over everything. All const methods are thread-safe
// (they only read); add_name is not: fill the glossary before sharing the romanizer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace cinesub::context {

// Does the text hold a letter of the Devanagari block (U+0900–U+097F)? Any bytes are accepted.
bool has_devanagari(std::string_view text);

class romanizer {
public:
    // `english_lexicon_text`: one English word (or a phrase such as "thank you") a line; text after
    // '#' is a comment; blank lines are skipped.
    explicit romanizer(std::string_view english_lexicon_text);

    // The romanizer with the built-in lexicon (data/loanwords-en.txt, compiled in), no glossary.
    // Copy it to add names: `context::romanizer r = context::romanizer::builtin();`.
    static const romanizer& builtin();

    // A glossary spelling that wins over every rule: `devanagari` (one word or several separated by
    // spaces) is written `latin`, with its capitalisation.
    void add_name(std::string_view devanagari, std::string_view latin);

    // A name known only in Latin letters (TMDB's cast: "Rohan", "Savitri Rathore"): a Devanagari
    // word whose romanization has the same name skeleton as one of its words (of three or more
    // letters) is written as that word, with its capitalisation ("रोहन" → "Rohan", "राठौर" →
    // "Rathore"). Words of the stop-list of common Hindi words are never names; add_name wins.
    void add_latin_name(std::string_view latin);

    // The name skeleton of a Latin spelling: lower case, vowel length, aspiration, sh/s, v/w, ph/f,
    // z/j, au/ou/o and a final silent e folded ("Rathore", "rathaur" → "rator"). Equal skeletons
    // are spellings of one name.
    static std::string name_skeleton(std::string_view latin);

    // One word (no spaces). Text that is not Devanagari is handled as by text().
    std::string word(std::string_view devanagari_word) const;

    // A line: each Devanagari word romanized, everything else (Latin, digits, punctuation, spaces)
    // kept; Devanagari digits become ASCII digits and the danda "।" a full stop. Invalid UTF-8 is
    // replaced by U+FFFD (one per maximal subpart, as util::sanitize_utf8).
    std::string text(std::string_view line) const;

    // The phonetic key of a Devanagari word (its pronunciation after schwa deletion) or, for a word
    // written in Latin letters, its most likely English pronunciation. Equal keys sound alike.
    std::string key(std::string_view word) const;

    // True when a Devanagari word of `line` is spelled by the exception lexicon (the few frequent
    // words whose conventional spelling no rule gives: "यह" → "yeh"), not by the rules.
    bool uses_exception(std::string_view line) const;

    // An everyday word, never a name: for Devanagari, a word of the stop-list of common Hindi words
    // or the exception lexicon, or one written as an English word; for Latin letters, a word of the
    // English lexicon (any case). Name correction leaves these alone.
    bool is_common_word(std::string_view word) const;

    // Number of English words (and phrases) in the lexicon.
    std::size_t lexicon_size() const { return lexicon_size_; }

    // One candidate of an English key: the word and how far its pronunciation is from the most
    // likely one (0 = the most likely reading). Public for the implementation's helpers only.
    struct english_entry {
        std::string word;
        int cost = 0;
    };

private:
    std::unordered_map<std::string, english_entry> english_;    // key → best English word
    std::unordered_map<std::string, english_entry> phrases_;    // key of "w1 w2" (joined by '_')
    std::unordered_map<std::string, std::string> names_;        // Devanagari → glossary spelling
    std::unordered_map<std::string, std::string> latin_names_;  // name skeleton → Latin name word
    std::size_t names_max_words_ = 0;                           // longest glossary entry, in words
    std::unordered_set<std::string> lexicon_words_;             // lower case
    std::size_t lexicon_size_ = 0;
};

}  // namespace cinesub::context
