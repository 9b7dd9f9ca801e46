// Name correction across scripts: near-misses of the glossary's names in a transcript ("रोहण",
// "Rohann", "Rouhan") become the glossary's spelling ("रोहन" / "Rohan"), word by word, in every
// track. Matching is on name skeletons (romanizer::name_skeleton of the word, or of its
// romanization when it is Devanagari) with a small edit distance; everyday words (the romanizer's
// stop-list, exception lexicon and English lexicon, plus common English words) are never changed.
#pragma once

#include "cinesub/transcript.hpp"
#include "context/glossary.hpp"
#include "context/romanize.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <unordered_map>
#include <vector>

namespace cinesub::context {

struct correct_options {
    int max_distance = 1;  // edits allowed between skeletons (0: only other spellings of one skeleton)
    int min_length = 5;    // a word or name whose skeleton is shorter than this must match exactly
};

struct correction {
    std::string track;  // "hi", "en"…
    double start = 0, end = 0;
    std::string before, after;
    std::string term;  // the glossary entry
    double score = 1;  // 1 − distance / skeleton length
};

// A word whose time overlaps a name in the other track, where that name is missing.
struct missing_name {
    double start = 0, end = 0;
    std::string name;         // the Latin spelling expected in the English cue
    std::string source_text;  // the source segment
    std::string target_text;  // the overlapping English segments ("" when none overlaps)
};

class corrector {
public:
    corrector(const glossary& g, const romanizer& r, correct_options o = {});

    // Corrects `t` in place (words and segment texts); returns every change, in time order.
    // Devanagari words are corrected only towards a Devanagari form the glossary has (the user's
    // glossary, TMDB's Devanagari names): guessing one from the transcript's own spellings turned
    // everyday words into names on a 10 000-name glossary (bench/context_correction.cpp).
    std::vector<correction> correct(transcript& t) const;

    std::size_t names() const { return targets_.size(); }

    // Names said in `source` (after correction) that the overlapping English segments lack.
    std::vector<missing_name> missing_in_translation(const transcript& source, const transcript& english) const;

private:
    struct target {
        std::string latin;       // "Rohan"
        std::string devanagari;  // "रोहन", or "" when the glossary has no Devanagari form
        std::string skeleton;
        std::string term;  // the entry's term
    };
    std::string skeleton_of(std::string_view word) const;
    // The closest target (nullptr: none, or two equally close) and its distance.
    const target* match(std::string_view word, int* distance) const;
    const romanizer& roman_;
    correct_options opt_;
    std::vector<target> targets_;
    // Skeleton and each of its one-letter deletions → targets (indices): the candidates within one
    // edit of a word are found by looking up the word's own deletions (no scan of 10 000 names).
    std::unordered_map<std::string, std::vector<std::size_t>> deletions_;
};

nlohmann::json to_json(const std::vector<correction>& changes, const std::vector<missing_name>& missing);

}  // namespace cinesub::context
