// Whisper prompts from the glossary: a short sentence in the language and script of the pass's
// output naming the film's most important names, so Whisper spells them as the film does.
//
// Each chunk gets its own prompt (rolling, time-local): every name has a weight — its importance
// (characters by billing order, the user's glossary entries as the first character, places and
// terms from the overview below them) plus where the name was recognised near the chunk (in the
// chunks decoded before it, or in the source track when the pass is the translation) plus whether a
// named speaker talks near it — and the top `names` by weight go into the sentence, as many as fit the
// token budget measured with the model's own tokenizer. With mode `global` only the importance
// counts: every chunk gets the same prompt.
#pragma once

#include "context/glossary.hpp"
#include "context/romanize.hpp"
#include "settings/schema.hpp"

#include <array>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cinesub::context {

enum class prompt_mode { off, global, rolling };
inline constexpr std::array<std::string_view, 3> prompt_mode_names = {"off", "global", "rolling"};

// Settings of the prompts ("context.prompt*"); the ASR stage reads them. The initialisers are the defaults.
struct prompt_params {
    prompt_mode mode = prompt_mode::rolling;
    double window_s = 45.0;  // names recognised this far before/after a chunk weigh on its prompt
    int names = 10;          // at most this many names in a prompt
    int streams = 8;         // rolling: chunks decode as this many streams, each in time order

    static const settings::schema<prompt_params>& schema();
};

// A stretch of recognised text on the clip timeline (a transcript segment), and a speaker's turn
// whose speaker is a glossary name (a confirmed speaker map: SPEAKER_00 → "Jai").
struct timed_text {
    double start = 0;
    double end = 0;
    std::string_view text;
};
struct named_turn {
    double start = 0;
    double end = 0;
    std::string name;
};

class prompt_planner {
public:
    prompt_planner(const glossary& g, prompt_params p);

    struct weighted_name {
        std::size_t entry = 0;  // index into the glossary
        std::string shown;      // as written in the prompt (its script)
        double weight = 0;
        double importance = 0;  // the part of the weight that does not depend on time
        int nearby = 0;         // times recognised within the window
        bool speaking = false;  // a named speaker turn near the chunk is this name
    };
    struct plan {
        std::vector<weighted_name> names;  // those in the prompt, by weight
        std::string text;                  // "" when no name
        int tokens = 0;                    // count_tokens(text)
        bool unwritable = false;           // count_tokens said −1 for a try: the vocabulary lacks its script
    };

    // The prompt of a chunk [start, end] decoded in `language` (the output's: "en" when translating).
    // `recognised`: text near the chunk (any order; what lies outside the window is ignored);
    // `speakers`: named turns (may be empty). Names are added by weight while the sentence stays
    // within `max_tokens` by `count_tokens`; a name that does not fit is skipped for a shorter one.
    // count_tokens returns −1 for a text the model cannot write: that try is skipped too.
    plan plan_for(double start, double end, std::string_view language, std::span<const timed_text> recognised,
                  std::span<const named_turn> speakers, const std::function<int(std::string_view)>& count_tokens,
                  int max_tokens) const;

    // The sentence naming `names` in `language`: Hindi "इस फ़िल्म में रोहन, अदिति और जय हैं।",
    // English "With Rohan, Aditi and Jai.", others the names separated by commas.
    static std::string sentence(const std::vector<std::string>& names, std::string_view language);

    // The glossary entries a text names (a word's name skeleton equals that of a name's word, in
    // either script; everyday words never count), each once, in order of first mention.
    std::vector<std::size_t> names_in(std::string_view text) const;

    // The names a prompt may hold (characters, user entries, overview names), most important first.
    std::size_t candidates() const { return candidates_.size(); }
    const prompt_params& settings() const { return params_; }

private:
    struct candidate {
        std::size_t entry = 0;
        std::string latin;
        std::string devanagari;  // "" when the glossary has none
        double importance = 0;
        std::vector<std::string> keys;  // name skeletons of its words, either script
    };
    // The candidates (indices into candidates_) a text names, each once, in order of first mention.
    std::vector<std::size_t> candidates_in(std::string_view text) const;

    prompt_params params_;
    romanizer romanizer_;
    std::vector<candidate> candidates_;
    std::unordered_map<std::string, std::vector<std::size_t>> by_skeleton_;  // word skeleton → candidates
};

// Languages written in Devanagari (hi, mr, ne, sa…): their prompts name the Devanagari forms.
bool writes_devanagari(std::string_view language);

}  // namespace cinesub::context
