#include "context/glossary.hpp"

#include "cinesub/error.hpp"
#include "context/transliterate.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace cinesub::context {

namespace {

using nlohmann::json;

std::vector<std::string> gl_split(std::string_view s, std::string_view separators) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= s.size()) {
        std::size_t end = s.find_first_of(separators, pos);
        if (end == std::string_view::npos) end = s.size();
        auto part = util::trim(s.substr(pos, end - pos));
        if (!part.empty()) out.emplace_back(part);
        pos = end + 1;
    }
    return out;
}

std::string gl_join(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
}

void gl_add_alias(glossary_entry& e, std::string alias) {
    if (alias.empty() || util::lower_ascii(alias) == util::lower_ascii(e.term)) return;
    for (const auto& a : e.aliases)
        if (util::lower_ascii(a) == util::lower_ascii(alias)) return;
    e.aliases.push_back(std::move(alias));
}

// Words that begin with a capital in an English overview but are not names.
bool gl_common_capital(std::string_view w) {
    static const std::set<std::string, std::less<>> words{
        "A",      "An",       "The",        "And",     "But",     "Or",       "If",    "When",      "While",
        "After",  "Before",   "As",         "At",      "In",      "On",       "Of",    "To",        "For",
        "From",   "With",     "His",        "Her",     "Their",   "They",     "He",    "She",       "It",
        "Its",    "We",       "I",          "One",     "Two",     "Three",    "This",  "That",      "These",
        "Those",  "There",    "Then",       "Now",     "Soon",    "Years",    "Later", "Meanwhile", "Despite",
        "During", "Everyone", "Everything", "Nothing", "Someone", "Together", "Each",  "All",       "Both"};
    return words.contains(w);
}

}  // namespace

std::vector<glossary_entry> read_user_glossary(const std::filesystem::path& file) {
    util::require_readable_file(file, "glossary");
    const auto text = util::read_file(file);
    std::vector<glossary_entry> out;
    std::size_t line_no = 0, pos = 0;
    const auto name = file.filename().string();
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + pos, end - pos);
        pos = end + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line_no == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
        auto where = [&] { return fmt::format("glossary {} line {}", file.string(), line_no); };
        if (!util::valid_utf8(line)) throw error(errc::input_corrupt, where() + ": not UTF-8 text (save it as UTF-8)");
        if (util::trim(line).empty() || util::trim(line).starts_with('#')) continue;
        std::vector<std::string_view> cols;
        for (std::size_t c = 0;;) {
            const auto tab = line.find('\t', c);
            cols.push_back(line.substr(c, tab == std::string_view::npos ? std::string_view::npos : tab - c));
            if (tab == std::string_view::npos) break;
            c = tab + 1;
        }
        if (cols.size() > 3)
            throw error(
                errc::input_corrupt,
                where() + fmt::format(": {} columns; expected term <TAB> Devanagari <TAB> aliases", cols.size()));
        glossary_entry e;
        e.term = std::string(util::trim(cols[0]));
        if (e.term.empty()) throw error(errc::input_corrupt, where() + ": the term (first column) is empty");
        if (cols.size() > 1) {
            e.devanagari = std::string(util::trim(cols[1]));
            if (!e.devanagari.empty() && !has_devanagari(e.devanagari))
                throw error(errc::input_corrupt,
                            where() + fmt::format(": the second column \"{}\" has no Devanagari (leave it empty)",
                                                  e.devanagari));
        }
        if (cols.size() > 2)
            for (auto& a : gl_split(cols[2], "|,")) gl_add_alias(e, std::move(a));
        e.kind = "user";
        e.source = fmt::format("{} line {}", name, line_no);
        out.push_back(std::move(e));
    }
    return out;
}

std::vector<glossary_entry> glossary_from_film(const metadata::film& f) {
    std::vector<glossary_entry> out;
    for (std::size_t i = 0; i < f.cast.size(); ++i) {
        const auto& c = f.cast[i];
        const int rank = static_cast<int>(i);
        // "Naresh 'Nanu' Khanna" → Naresh Khanna + alias Nanu; "Bhalu (voice)" → Bhalu; "Himself" → none.
        std::string character = c.character;
        std::vector<std::string> nicknames;
        for (const char q : {'\'', '"'}) {
            for (std::size_t a = character.find(q); a != std::string::npos; a = character.find(q)) {
                const auto b = character.find(q, a + 1);
                if (b == std::string::npos) break;
                nicknames.push_back(std::string(util::trim(std::string_view(character).substr(a + 1, b - a - 1))));
                character.erase(a, b - a + 1);
            }
        }
        for (auto a = character.find('('); a != std::string::npos; a = character.find('(')) {
            const auto b = character.find(')', a);
            character.erase(a, b == std::string::npos ? std::string::npos : b - a + 1);
        }
        for (const auto& part : gl_split(character, "/;")) {
            const auto words = gl_split(part, " ");
            if (words.empty() || part == "Himself" || part == "Herself" || part == "Self") continue;
            glossary_entry e;
            e.term = gl_join(words);
            e.kind = "character";
            e.source = fmt::format("tmdb cast {} ({})", i, c.name);
            e.rank = rank;
            for (auto& n : nicknames) gl_add_alias(e, n);
            // Given and family names alone: people call Jai Singh Rathore "Jai" and "Rathore".
            if (words.size() > 1) {
                gl_add_alias(e, words.front());
                gl_add_alias(e, words.back());
            }
            out.push_back(std::move(e));
        }
        if (!c.name.empty()) {
            glossary_entry e;
            e.term = c.name;
            e.kind = "actor";
            e.source = fmt::format("tmdb cast {}", i);
            e.rank = rank + 1000;
            if (!c.original_name.empty() && c.original_name != c.name) gl_add_alias(e, c.original_name);
            out.push_back(std::move(e));
        }
    }
    for (const auto& c : f.crew) out.push_back({c.name, "", {}, "crew", fmt::format("tmdb crew ({})", c.job), 2000});
    for (const auto* t : {&f.title, &f.original_title})
        if (!t->empty()) out.push_back({*t, "", {}, "title", "tmdb title", 500});
    for (const auto& t : f.translated_titles)
        if (has_devanagari(t) && !out.empty()) {
            for (auto& e : out)
                if (e.kind == "title" && e.devanagari.empty()) e.devanagari = t;
        }
    // Capitalised words of the overview that are not sentence starts or common words: places and
    // names ("Mumbai", "Rajput"), runs of them as one term ("Amar Singh Rathore").
    const auto words = gl_split(f.overview, " \t\n");
    std::vector<std::string> run;
    bool sentence_start = true;
    auto flush = [&] {
        if (!run.empty()) out.push_back({gl_join(run), "", {}, "term", "overview", 3000});
        run.clear();
    };
    for (const auto& raw : words) {
        std::string w = raw;
        bool ends_sentence = false, ends_phrase = false;
        while (!w.empty() && std::string_view(".,;:!?)\"").find(w.back()) != std::string_view::npos) {
            ends_sentence = ends_sentence || w.back() == '.' || w.back() == '!' || w.back() == '?';
            ends_phrase = true;
            w.pop_back();
        }
        if (w.ends_with("'s")) {
            w.resize(w.size() - 2);
            ends_phrase = true;
        }
        while (!w.empty() && (w.front() == '(' || w.front() == '"')) w.erase(0, 1);
        const bool capital = !w.empty() && w.front() >= 'A' && w.front() <= 'Z';
        if (capital && !sentence_start && !gl_common_capital(w) && w.size() >= 3)
            run.push_back(w);
        else
            flush();
        if (ends_phrase) flush();
        sentence_start = ends_sentence;
    }
    flush();
    for (const auto& k : f.keywords)
        for (auto& part : gl_split(k, ",()"))
            if (part.find(' ') == std::string::npos && part.size() >= 4)
                out.push_back({part, "", {}, "keyword", "tmdb keywords", 4000});
    return out;
}

bool is_name(const glossary_entry& e) { return e.kind != "title" && e.kind != "keyword"; }

glossary merge_glossary(std::vector<glossary_entry> user, std::vector<glossary_entry> film) {
    glossary g;
    std::map<std::string, std::size_t> index;  // lower-case term → position
    auto add = [&](glossary_entry e) {
        const auto key = util::lower_ascii(e.term);
        if (auto it = index.find(key); it != index.end()) {
            auto& kept = g.entries[it->second];
            if (kept.devanagari.empty() ||
                (kept.devanagari_guessed && !e.devanagari_guessed && !e.devanagari.empty())) {
                kept.devanagari = e.devanagari;
                kept.devanagari_guessed = e.devanagari_guessed;
            }
            for (auto& a : e.aliases) gl_add_alias(kept, std::move(a));
            return;
        }
        index.emplace(key, g.entries.size());
        g.entries.push_back(std::move(e));
    };
    for (auto& e : user) add(std::move(e));
    std::stable_sort(film.begin(), film.end(), [](const auto& a, const auto& b) { return a.rank < b.rank; });
    for (auto& e : film) add(std::move(e));
    return g;
}

romanizer romanizer_for(const glossary& g) {
    romanizer r = romanizer::builtin();
    for (const auto& e : g.entries) {
        if (!e.devanagari.empty() && !e.devanagari_guessed) r.add_name(e.devanagari, e.term);
        for (const auto& a : e.aliases)
            if (has_devanagari(a)) r.add_name(a, e.term);
    }
    for (const auto& e : g.entries) {
        if (!is_name(e)) continue;
        if (!has_devanagari(e.term)) r.add_latin_name(e.term);
        for (const auto& a : e.aliases)
            if (!has_devanagari(a)) r.add_latin_name(a);
    }
    return r;
}

void add_guessed_devanagari(glossary& g) {
    for (auto& e : g.entries) {
        if (!e.devanagari.empty() || !is_name(e) || has_devanagari(e.term)) continue;
        e.devanagari = devanagari_name(e.term);
        e.devanagari_guessed = !e.devanagari.empty();
    }
}

json to_json(const glossary& g) {
    json entries = json::array();
    for (const auto& e : g.entries)
        entries.push_back({{"term", e.term},
                           {"key", romanizer::name_skeleton(e.term)},
                           {"devanagari", e.devanagari},
                           {"devanagari_guessed", e.devanagari_guessed},
                           {"aliases", e.aliases},
                           {"kind", e.kind},
                           {"source", e.source},
                           {"rank", e.rank}});
    return {{"schema", 1}, {"entries", entries}};
}

glossary glossary_from_json(const json& j) {
    glossary g;
    for (const auto& e : j.at("entries"))
        g.entries.push_back({e.value("term", ""), e.value("devanagari", ""),
                             e.value("aliases", std::vector<std::string>{}), e.value("kind", ""), e.value("source", ""),
                             e.value("rank", 0), e.value("devanagari_guessed", false)});
    return g;
}

}  // namespace cinesub::context
