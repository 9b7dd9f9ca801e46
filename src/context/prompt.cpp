#include "context/prompt.hpp"

#include "util/text.hpp"

#include <algorithm>
#include <numeric>
#include <set>

namespace cinesub::context {

namespace {

// Importance of a name that was not heard yet: the user's entries count as the lead character;
// characters fall with their billing (the 4th-billed weighs half the lead); overview names (places,
// people of the story) weigh as a character billed around 10th.
constexpr double user_importance = 1.0;
constexpr double term_importance = 0.25;
double character_importance(int rank) { return 1.0 / (1.0 + rank / 3.0); }
// What being heard adds: a mention right at the chunk counts as much as the lead's importance and
// falls linearly to nothing at the window's edge; a named speaker talking in the chunk adds as much.
constexpr double mention_weight = 1.0;
constexpr double speaker_weight = 1.0;
// A name that does not fit the budget is skipped for the next; this many tries at most per name.
constexpr int tries_per_name = 4;

// The words of a text: split at ASCII spaces and punctuation and at the danda (।, ॥).
std::vector<std::string_view> pr_words(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t i = 0, start = 0;
    auto flush = [&](std::size_t end) {
        if (end > start) out.push_back(text.substr(start, end - start));
    };
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t sep = 0;
        if (c < 0x80 &&
            std::string_view(" \t\n\r.,;:!?\"()[]{}<>/\\|*~_=+-").find(static_cast<char>(c)) != std::string_view::npos)
            sep = 1;
        else if (text.substr(i, 3) == "\xE0\xA5\xA4" || text.substr(i, 3) == "\xE0\xA5\xA5")  // । ॥
            sep = 3;
        else if (const auto ws = util::whitespace_at(text, i); ws > 0)
            sep = ws;
        if (sep) {
            flush(i);
            i += sep;
            start = i;
        } else {
            ++i;
        }
    }
    flush(text.size());
    return out;
}

// Distance in seconds between [a0, a1] and [b0, b1] (0 when they overlap).
double pr_distance(double a0, double a1, double b0, double b1) { return std::max({0.0, b0 - a1, a0 - b1}); }

std::string pr_join(const std::vector<std::string>& names, std::string_view comma, std::string_view last) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i) out += i + 1 == names.size() ? last : comma;
        out += names[i];
    }
    return out;
}

}  // namespace

const settings::schema<prompt_params>& prompt_params::schema() {
    static const auto s =
        settings::schema<prompt_params>()
            .add_enum("context.prompt", &prompt_params::mode, prompt_mode_names,
                      "Whisper prompts naming the glossary's names: rolling (per chunk, by the names heard near it "
                      "and who speaks), global (one prompt by importance), off; asr.prompt, when set, replaces them")
            .add("context.prompt_window_s", &prompt_params::window_s,
                 "Names recognised this far from a chunk weigh on its prompt", {.min = 1, .max = 600, .unit = "s"})
            .add("context.prompt_names", &prompt_params::names,
                 "Most names in one prompt (fewer when the 224-token budget is reached)", {.min = 1, .max = 100})
            .add("context.prompt_streams", &prompt_params::streams,
                 "Rolling prompts: chunks decode as this many streams, each in time order (a chunk's prompt sees "
                 "the chunks before it in its stream); at most this many ASR workers run at once",
                 {.min = 1, .max = 256});
    return s;
}

bool writes_devanagari(std::string_view language) {
    static constexpr std::array<std::string_view, 7> codes = {"hi", "mr", "ne", "sa", "mai", "bho", "kok"};
    return std::find(codes.begin(), codes.end(), language) != codes.end();
}

prompt_planner::prompt_planner(const glossary& g, prompt_params p) : params_(p), romanizer_(romanizer_for(g)) {
    for (std::size_t i = 0; i < g.entries.size(); ++i) {
        const auto& e = g.entries[i];
        double importance = 0;
        if (e.kind == "user")
            importance = user_importance;
        else if (e.kind == "character")
            importance = character_importance(e.rank);
        else if (e.kind == "term")
            importance = term_importance;
        else
            continue;                          // actors, crew, titles and keywords are rarely said in the dialogue
        if (has_devanagari(e.term)) continue;  // a user term given only in Devanagari: no Latin spelling
        candidate c{i, e.term, e.devanagari, importance, {}};
        if (c.devanagari.empty())
            for (const auto& a : e.aliases)
                if (has_devanagari(a)) {
                    c.devanagari = a;
                    break;
                }
        std::set<std::string> keys;
        auto add_words = [&](std::string_view text) {
            for (const auto w : pr_words(text)) {
                if (romanizer_.is_common_word(w)) continue;
                const auto key = romanizer::name_skeleton(has_devanagari(w) ? romanizer_.word(w) : std::string(w));
                if (key.size() >= 3) keys.insert(key);
            }
        };
        add_words(e.term);
        add_words(e.devanagari);
        for (const auto& a : e.aliases) add_words(a);
        c.keys.assign(keys.begin(), keys.end());
        candidates_.push_back(std::move(c));
    }
    // Most important first; the glossary's order breaks ties.
    std::stable_sort(candidates_.begin(), candidates_.end(),
                     [](const candidate& a, const candidate& b) { return a.importance > b.importance; });
    for (std::size_t k = 0; k < candidates_.size(); ++k)
        for (const auto& key : candidates_[k].keys) by_skeleton_[key].push_back(k);
}

std::vector<std::size_t> prompt_planner::candidates_in(std::string_view text) const {
    std::vector<std::size_t> out;
    for (const auto w : pr_words(text)) {
        if (romanizer_.is_common_word(w)) continue;
        const auto key = romanizer::name_skeleton(has_devanagari(w) ? romanizer_.word(w) : std::string(w));
        const auto it = by_skeleton_.find(key);
        if (it == by_skeleton_.end()) continue;
        for (const auto k : it->second)
            if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
    }
    return out;
}

std::vector<std::size_t> prompt_planner::names_in(std::string_view text) const {
    auto out = candidates_in(text);
    for (auto& k : out) k = candidates_[k].entry;  // one candidate per entry: still each once
    return out;
}

std::string prompt_planner::sentence(const std::vector<std::string>& names, std::string_view language) {
    if (names.empty()) return {};
    if (writes_devanagari(language))
        return "इस फ़िल्म में " + pr_join(names, ", ", " और ") + (names.size() > 1 ? " हैं।" : " है।");
    if (language == "en") return "With " + pr_join(names, ", ", " and ") + ".";
    return pr_join(names, ", ", ", ") + ".";
}

prompt_planner::plan prompt_planner::plan_for(double start, double end, std::string_view language,
                                              std::span<const timed_text> recognised,
                                              std::span<const named_turn> speakers,
                                              const std::function<int(std::string_view)>& count_tokens,
                                              int max_tokens) const {
    plan out;
    if (params_.mode == prompt_mode::off || candidates_.empty()) return out;
    const bool devanagari = writes_devanagari(language);
    std::vector<weighted_name> all(candidates_.size());  // by candidate
    for (std::size_t k = 0; k < candidates_.size(); ++k) {
        all[k].entry = candidates_[k].entry;
        all[k].importance = all[k].weight = candidates_[k].importance;
    }
    if (params_.mode == prompt_mode::rolling) {
        const double window = params_.window_s;
        for (const auto& r : recognised) {
            const double d = pr_distance(start, end, r.start, r.end);
            if (d >= window) continue;
            for (const auto k : candidates_in(r.text)) {
                auto& n = all[k];
                n.weight += mention_weight * (1.0 - d / window);
                ++n.nearby;
            }
        }
        for (const auto& t : speakers) {
            if (pr_distance(start, end, t.start, t.end) > 0) continue;
            for (const auto k : candidates_in(t.name)) {
                auto& n = all[k];
                if (n.speaking) continue;
                n.speaking = true;
                n.weight += speaker_weight;
            }
        }
    }
    // By weight, then importance, then the candidates' order (stable): deterministic.
    std::vector<std::size_t> order(all.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    const auto limit = static_cast<std::size_t>(params_.names);
    const std::size_t tries = std::min(order.size(), limit * tries_per_name);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(tries), order.end(),
                      [&](std::size_t a, std::size_t b) {
                          if (all[a].weight != all[b].weight) return all[a].weight > all[b].weight;
                          if (all[a].importance != all[b].importance) return all[a].importance > all[b].importance;
                          return a < b;
                      });
    std::vector<std::string> shown;
    std::set<std::string> seen;
    for (std::size_t t = 0; t < tries && out.names.size() < limit; ++t) {
        auto n = all[order[t]];
        const auto& c = candidates_[order[t]];
        n.shown = devanagari && !c.devanagari.empty() ? c.devanagari : c.latin;
        if (!seen.insert(n.shown).second) continue;
        shown.push_back(n.shown);
        const auto text = sentence(shown, language);
        const int tokens = count_tokens(text);
        if (tokens < 0) out.unwritable = true;
        if (tokens < 0 || tokens > max_tokens) {
            shown.pop_back();
            continue;
        }
        out.text = text;
        out.tokens = tokens;
        out.names.push_back(std::move(n));
    }
    return out;
}

}  // namespace cinesub::context
