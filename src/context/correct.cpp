#include "context/correct.hpp"

#include "util/text.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

namespace cinesub::context {

namespace {

// Common English words that look like names once spelling is folded (a Whisper English track).
bool cor_common_english(std::string_view lower) {
    static const std::set<std::string, std::less<>> words{
        "about",   "after",  "again",  "also",  "always",    "another",  "around", "because", "before",  "being",
        "between", "came",   "come",   "could", "doing",     "down",     "during", "every",   "first",   "found",
        "from",    "going",  "good",   "great", "have",      "here",     "home",   "house",   "into",    "just",
        "know",    "later",  "little", "long",  "look",      "made",     "make",   "many",    "maybe",   "money",
        "more",    "most",   "mother", "much",  "must",      "name",     "never",  "night",   "nothing", "only",
        "other",   "over",   "people", "place", "please",    "really",   "right",  "road",    "room",    "said",
        "same",    "should", "since",  "some",  "something", "still",    "such",   "sure",    "take",    "tell",
        "than",    "thank",  "that",   "their", "them",      "then",     "there",  "these",   "they",    "thing",
        "think",   "this",   "those",  "time",  "today",     "together", "under",  "until",   "very",    "wait",
        "want",    "water",  "well",   "were",  "what",      "when",     "where",  "which",   "while",   "will",
        "with",    "woman",  "world",  "would", "year",      "your",     "roman",  "ruin",    "rain",    "ran",
        "run",     "reason", "rather", "raise", "join",      "jail",     "mate",   "meet",    "media",   "amid",
        "admit",   "audit",  "edit",   "adult", "motion",    "moon",     "sanity", "city",    "saviour"};
    return words.contains(lower);
}

// Levenshtein distance, stopping early past `limit`.
int cor_distance(std::string_view a, std::string_view b, int limit) {
    if (std::abs(static_cast<int>(a.size()) - static_cast<int>(b.size())) > limit) return limit + 1;
    std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = static_cast<int>(i);
        int row_min = cur[0];
        for (std::size_t j = 1; j <= b.size(); ++j) {
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            row_min = std::min(row_min, cur[j]);
        }
        if (row_min > limit) return limit + 1;
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

// A word's letters and what surrounds them: "(Rohann," → "(", "Rohann", ",".
struct cor_parts {
    std::string lead, core, tail;
};

cor_parts cor_split(std::string_view w) {
    auto is_letter = [](unsigned char c) { return c >= 0x80 || std::isalnum(c) != 0; };
    std::size_t a = 0, b = w.size();
    while (a < b && !is_letter(static_cast<unsigned char>(w[a]))) ++a;
    while (b > a && !is_letter(static_cast<unsigned char>(w[b - 1]))) --b;
    // Devanagari punctuation (danda U+0964/U+0965: E0 A5 A4/A5) at the end is not a letter.
    while (b >= a + 3 && static_cast<unsigned char>(w[b - 3]) == 0xE0 && static_cast<unsigned char>(w[b - 2]) == 0xA5 &&
           (static_cast<unsigned char>(w[b - 1]) == 0xA4 || static_cast<unsigned char>(w[b - 1]) == 0xA5))
        b -= 3;
    return {std::string(w.substr(0, a)), std::string(w.substr(a, b - a)), std::string(w.substr(b))};
}

std::vector<std::string> cor_words(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && s[i] == ' ') ++i;
        std::size_t j = i;
        while (j < s.size() && s[j] != ' ') ++j;
        if (j > i) out.emplace_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

}  // namespace

corrector::corrector(const glossary& g, const romanizer& r, correct_options o) : roman_(r), opt_(o) {
    std::set<std::string> seen;
    auto add = [&](const std::string& latin, const std::string& devanagari, const std::string& term) {
        if (latin.size() < 3 || has_devanagari(latin) || roman_.is_common_word(latin)) return;
        auto sk = romanizer::name_skeleton(latin);
        if (sk.size() < 3 || !seen.insert(sk).second) return;  // the first (most important) spelling wins
        for (std::size_t i = 0; i <= sk.size(); ++i) {
            const auto key = i == sk.size() ? sk : sk.substr(0, i) + sk.substr(i + 1);
            auto& list = deletions_[key];
            if (list.empty() || list.back() != targets_.size()) list.push_back(targets_.size());
        }
        targets_.push_back({latin, devanagari, std::move(sk), term});
    };
    for (const auto& e : g.entries) {
        if (!is_name(e)) continue;
        // Word by word; the Devanagari form lines up with the term when it has as many words.
        const auto lw = cor_words(e.term);
        // A guessed (transliterated) Devanagari form is not a spelling to correct towards.
        const auto dw = e.devanagari_guessed ? std::vector<std::string>{} : cor_words(e.devanagari);
        for (std::size_t i = 0; i < lw.size(); ++i)
            add(cor_split(lw[i]).core, dw.size() == lw.size() ? cor_split(dw[i]).core : "", e.term);
        for (const auto& a : e.aliases)
            if (!has_devanagari(a)) add(cor_split(a).core, "", e.term);
    }
}

std::string corrector::skeleton_of(std::string_view word) const {
    return romanizer::name_skeleton(has_devanagari(word) ? roman_.text(word) : std::string(word));
}

const corrector::target* corrector::match(std::string_view word, int* distance) const {
    if (word.empty() || roman_.is_common_word(word)) return nullptr;
    if (!has_devanagari(word) && cor_common_english(util::lower_ascii(word))) return nullptr;
    const auto sk = skeleton_of(word);
    if (sk.size() < 3) return nullptr;
    const target* found = nullptr;
    int found_d = opt_.max_distance + 1;
    bool tie = false;
    // Within one edit, the candidates share the word's skeleton or one of its one-letter deletions;
    // more edits (correction.max_distance > 1) scan every name.
    std::vector<const target*> candidates;
    if (opt_.max_distance <= 1) {
        std::vector<std::size_t> seen;
        for (std::size_t i = 0; i <= sk.size(); ++i) {
            const auto key = i == sk.size() ? sk : sk.substr(0, i) + sk.substr(i + 1);
            if (auto it = deletions_.find(key); it != deletions_.end())
                for (auto k : it->second)
                    if (std::find(seen.begin(), seen.end(), k) == seen.end()) seen.push_back(k);
        }
        std::sort(seen.begin(), seen.end());  // the glossary's order: ties are found alike either way
        for (auto k : seen) candidates.push_back(&targets_[k]);
    } else {
        for (const auto& t : targets_) candidates.push_back(&t);
    }
    for (const auto* tp : candidates) {
        const auto& t = *tp;
        // Edits only between skeletons that are both long enough: "mega" is not "Meghna", "Iran" not "Imran".
        const auto shorter = std::min(sk.size(), t.skeleton.size());
        const int allowed = shorter >= static_cast<std::size_t>(opt_.min_length) ? opt_.max_distance : 0;
        const int d = cor_distance(sk, t.skeleton, allowed);
        if (d > allowed) continue;
        if (d < found_d) {
            found = &t;
            found_d = d;
            tie = false;
        } else if (d == found_d) {
            tie = true;
        }
    }
    if (!found || tie) return nullptr;  // two names equally close: leave the word
    *distance = found_d;
    return found;
}

std::vector<correction> corrector::correct(transcript& t) const {
    // A film says the same words again and again: each distinct word is matched once.
    std::unordered_map<std::string, std::pair<const target*, int>> memo;
    auto match_cached = [&](const std::string& w, int* d) {
        auto it = memo.find(w);
        if (it == memo.end()) {
            int dist = 0;
            const target* x = match(w, &dist);
            it = memo.emplace(w, std::make_pair(x, dist)).first;
        }
        *d = it->second.second;
        return it->second.first;
    };
    std::vector<correction> changes;
    for (auto& s : t.segments) {
        bool changed = false;
        auto fix = [&](std::string& text, double start, double end) {
            auto p = cor_split(text);
            if (p.core.empty()) return;
            int d = 0;
            const target* x = match_cached(p.core, &d);
            if (!x) return;
            const bool dev = has_devanagari(p.core);
            const std::string& better = dev ? x->devanagari : x->latin;
            if (better.empty() || better == p.core) return;
            const double score =
                1.0 - static_cast<double>(d) / static_cast<double>(std::max<std::size_t>(x->skeleton.size(), 1));
            changes.push_back({t.language, start, end, p.core, better, x->term, score});
            text = p.lead + better + p.tail;
            changed = true;
        };
        if (!s.words.empty()) {
            for (auto& w : s.words) fix(w.text, w.start, w.end);
            if (changed) {
                std::string text;
                for (const auto& w : s.words) text += (text.empty() ? "" : " ") + w.text;
                s.text = text;
            }
        } else {
            auto words = cor_words(s.text);
            for (auto& w : words) fix(w, s.start, s.end);
            if (changed) {
                std::string text;
                for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
                s.text = text;
            }
        }
    }
    return changes;
}

std::vector<missing_name> corrector::missing_in_translation(const transcript& source, const transcript& english) const {
    std::vector<missing_name> out;
    for (const auto& s : source.segments) {
        std::string target_text;
        for (const auto& e : english.segments)
            if (e.start < s.end && e.end > s.start) target_text += (target_text.empty() ? "" : " ") + e.text;
        const auto target_words = cor_words(target_text);
        for (const auto& w : cor_words(s.text)) {
            const auto core = cor_split(w).core;
            if (core.empty() || roman_.is_common_word(core)) continue;
            const auto sk = skeleton_of(core);
            const auto t =
                std::find_if(targets_.begin(), targets_.end(), [&](const auto& x) { return x.skeleton == sk; });
            if (t == targets_.end()) continue;
            const bool present = std::any_of(target_words.begin(), target_words.end(), [&](const auto& x) {
                return romanizer::name_skeleton(cor_split(x).core) == t->skeleton;
            });
            if (!present) out.push_back({s.start, s.end, t->latin, s.text, target_text});
        }
    }
    return out;
}

nlohmann::json to_json(const std::vector<correction>& changes, const std::vector<missing_name>& missing) {
    nlohmann::json c = nlohmann::json::array(), m = nlohmann::json::array();
    for (const auto& x : changes)
        c.push_back({{"track", x.track},
                     {"start", util::round_ms(x.start)},
                     {"end", util::round_ms(x.end)},
                     {"before", x.before},
                     {"after", x.after},
                     {"term", x.term},
                     {"score", x.score}});
    for (const auto& x : missing)
        m.push_back({{"start", util::round_ms(x.start)},
                     {"end", util::round_ms(x.end)},
                     {"name", x.name},
                     {"source", x.source_text},
                     {"english", x.target_text}});
    return {{"schema", 1}, {"corrections", c}, {"missing_in_english", m}};
}

}  // namespace cinesub::context
