#include "subtitles/segmenter.hpp"

#include "subtitles/text.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <unordered_set>

namespace cinesub::subs {

namespace {

// Hindi postpositions, auxiliaries and particles that never start a line or a cue: each stays with
// the word before it ("राम ने", "जा रहा है").
const std::unordered_set<std::string> hindi_clitics_devanagari = {
    "ने",   "को",  "से",  "का",   "के",    "की",  "में",    "मे",    "पर",  "तक",  "है",    "हैं",    "हैँ",
    "था",  "थे",   "थी", "थीं",   "हूँ",    "हूं",   "हो",   "हों",   "रहा", "रही", "रहे",   "रहीं",  "गया",
    "गई",  "गए",  "गये", "गयी",  "गईं",   "हुआ",  "हुई",   "हुए",   "भी",  "ही",  "सकता", "सकती", "सकते",
    "चुका", "चुकी", "चुके", "वाला", "वाली", "वाले", "होगा", "होगी", "होंगे", "लिए"};
// The same words as commonly written in Latin letters (Hinglish); used for Hindi-language text only.
// "the" and "me" are left out: in Hinglish they are as often English.
const std::unordered_set<std::string> hindi_clitics_latin = {
    "ne",   "ko",   "se",   "ka",   "ke",   "ki",   "mein", "mei",   "par",   "pe",    "tak",   "hai",   "hain",
    "hei",  "tha",  "thi",  "thin", "hoon", "hun",  "hu",   "raha",  "rahi",  "rahe",  "gaya",  "gayi",  "gaye",
    "gai",  "gae",  "hua",  "hui",  "hue",  "bhi",  "hi",   "sakta", "sakti", "sakte", "chuka", "chuki", "chuke",
    "wala", "wali", "wale", "vala", "vali", "vale", "hoga", "hogi",  "honge", "liye"};

// Lines and cues preferably break before these.
const std::unordered_set<std::string> conjunctions = {
    "and",     "but",   "or",       "because", "that",   "which",  "who",   "so",      "when",
    "while",   "if",    "although", "though",  "since",  "unless", "until", "whether", "where",
    "whereas", "nor",   "yet",      "और",      "लेकिन",   "कि",     "या",    "मगर",     "क्योंकि",
    "जब",      "अगर",   "इसलिए",    "ताकि",    "बल्कि",   "वरना",   "किंतु",   "परंतु",     "तो",
    "aur",     "lekin", "ya",       "magar",   "kyunki", "kyonki", "jab",   "agar",    "isliye"};

// Lines and cues preferably do not end with these (an article or preposition belongs to what follows).
const std::unordered_set<std::string> weak_endings = {"the", "a",     "an",   "of",   "to",    "in",    "on",  "at",
                                                      "for", "with",  "from", "by",   "my",    "your",  "his", "her",
                                                      "our", "their", "its",  "this", "these", "those", "mr",  "mrs",
                                                      "ms",  "dr",    "as",   "into", "than",  "very",  "not", "no"};

enum class glue { none, space, tight };

struct flat_word {
    std::string source;  // original text (rules)
    std::string shown;   // display text (width, lines)
    double start = 0, end = 0;
    float probability = 1.0f;
    std::string speaker;
    bool song = false;
    int segment = 0;
    glue join = glue::none;  // how it attaches to the previous word
};

struct unit {
    std::string shown;
    int width = 0;
    double start = 0, end = 0;
    std::string first_source, last_source;
    std::string speaker;
    bool song = false;
    int first_segment = 0, last_segment = 0;
    bool hyphen_after = false;  // a piece of a hyphenated word: a line break must follow
    int hyphenated = -1;        // index into `hyphenations` for the first piece of a hyphenated word
    std::vector<word> words;
};

bool is_music(std::string_view w) {
    return w.find("\xE2\x99\xAA") != std::string_view::npos || w.find("\xE2\x99\xAB") != std::string_view::npos;
}

bool is_dash_only(std::string_view w) {
    return w == "-" || w == "--" || w == "\xE2\x80\x94" /* — */ || w == "\xE2\x80\x93" /* – */;
}

std::string strip_trailing_punct(std::string_view w) {
    auto g = graphemes(w);
    while (!g.empty() && is_punctuation_only(g.back())) g.pop_back();
    std::string out;
    for (auto& s : g) out += s;
    return out;
}

bool is_digit_group(std::string_view w) {
    auto core = strip_trailing_punct(w);
    return is_number(core) && display_width(core) == 3 && core.find_first_of(".,") == std::string::npos;
}

bool hindi_language(std::string_view lang) {
    return lang == "hi" || lang.starts_with("hi-") || lang.starts_with("hi_");
}

bool clitic(std::string_view source, bool hindi) {
    auto key = normalize_for_match(source);
    if (key.empty()) return false;
    if (hindi_clitics_devanagari.count(key)) return true;
    return hindi && hindi_clitics_latin.count(key) != 0;
}

// ---------------------------------------------------------------------------------------------
// Units

struct unit_builder {
    const segment_options& opt;
    bool hindi;
    std::vector<violation>& violations;

    std::vector<flat_word> flatten(const transcript& t) const {
        std::vector<flat_word> out;
        double last_start = 0;
        for (std::size_t si = 0; si < t.segments.size(); ++si) {
            const auto& seg = t.segments[si];
            bool song = is_music(seg.text);
            std::vector<word> words = segment_words(seg);  // spread by length when it has no word times
            for (const auto& w : words) {
                const auto text = util::trim(w.text);
                if (text.empty()) continue;
                // A word may carry inner spaces (" 10 000"); keep it one word.
                flat_word f;
                f.source = text;
                f.shown = opt.display ? util::trim(opt.display(text)) : std::string(text);
                if (f.shown.empty()) f.shown = text;
                f.start = std::isfinite(w.start) ? w.start : last_start;
                f.end = std::isfinite(w.end) ? w.end : f.start;
                f.start = std::max(f.start, last_start);
                f.end = std::max(f.end, f.start);
                last_start = f.start;
                f.probability = w.probability;
                f.speaker = w.speaker.empty() ? seg.speaker : w.speaker;
                f.song = song || w.song || is_music(text);
                f.segment = static_cast<int>(si);
                out.push_back(std::move(f));
            }
        }
        return out;
    }

    void assign_glue(std::vector<flat_word>& w) const {
        const double max_pause = opt.style.max_pause;
        // Glossary names: longest match first.
        std::vector<std::vector<std::string>> names;
        for (const auto& g : opt.glossary) {
            auto toks = split_words(normalize_for_match(g));
            if (toks.size() >= 2) names.push_back(std::move(toks));
        }
        std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
        std::vector<std::string> keys;
        keys.reserve(w.size());
        for (const auto& f : w) keys.push_back(normalize_for_match(f.source));
        std::vector<bool> in_name(w.size(), false);
        for (std::size_t i = 0; i < w.size();) {
            std::size_t matched = 0;
            for (const auto& name : names) {
                if (i + name.size() > w.size()) continue;
                bool ok = true;
                for (std::size_t k = 0; k < name.size() && ok; ++k) ok = keys[i + k] == name[k];
                if (ok) {
                    matched = name.size();
                    break;
                }
            }
            if (matched) {
                for (std::size_t k = 1; k < matched; ++k) in_name[i + k] = true;
                i += matched;
            } else {
                ++i;
            }
        }

        for (std::size_t i = 1; i < w.size(); ++i) {
            const auto& prev = w[i - 1];
            auto& cur = w[i];
            bool same_voice = prev.speaker == cur.speaker && prev.song == cur.song;
            bool close = cur.start - prev.end < max_pause;
            bool music = is_music(cur.source) && is_punctuation_only(cur.source);
            bool prev_music = is_music(prev.source) && is_punctuation_only(prev.source);
            if (is_punctuation_only(cur.source) && !is_opening_only(cur.source) && !music &&
                !is_dash_only(cur.source)) {
                cur.join = glue::tight;  // "word ," -> "word,"
            } else if (is_opening_only(prev.source) && !prev_music) {
                cur.join = glue::tight;  // "( word" -> "(word"
            } else if (!same_voice || !close) {
                cur.join = glue::none;
            } else if (prev_music && (i == 1 || w[i - 2].segment != prev.segment)) {
                cur.join = glue::space;  // "♪ la la" at a segment start
            } else if ((music && cur.segment == prev.segment) || is_dash_only(cur.source)) {
                cur.join = glue::space;
            } else if (in_name[i]) {
                cur.join = glue::space;
            } else if (is_number(prev.source) && is_digit_group(cur.source)) {
                cur.join = glue::space;  // "10 000"
            } else if (clitic(cur.source, hindi) && !ends_sentence(prev.source)) {
                cur.join = glue::space;  // "राम ने", "जा रहा है"
            }
        }
    }

    static unit make_unit(const std::vector<flat_word>& w, std::size_t b, std::size_t e) {
        unit u;
        for (std::size_t k = b; k < e; ++k) {
            if (k > b && w[k].join == glue::space) u.shown += ' ';
            u.shown += w[k].shown;
            u.words.push_back({w[k].shown, w[k].start, w[k].end, w[k].probability, w[k].speaker, w[k].song});
        }
        u.width = display_width(u.shown);
        u.start = w[b].start;
        u.end = w[e - 1].end;
        u.first_source = w[b].source;
        u.last_source = w[e - 1].source;
        u.speaker = w[b].speaker;
        u.song = w[b].song;
        u.first_segment = w[b].segment;
        u.last_segment = w[e - 1].segment;
        return u;
    }

    // A unit wider than a line: first give up space joins (names, clitics, digit groups), then
    // hyphenate what is still too wide.
    void split_overlong(const std::vector<flat_word>& w, std::size_t b, std::size_t e, std::vector<unit>& out) const {
        const int cpl = opt.style.max_cpl;
        std::vector<std::pair<std::size_t, std::size_t>> parts;
        std::size_t part_begin = b;
        int width = 0;
        for (std::size_t k = b; k < e; ++k) {
            int ww = display_width(w[k].shown);
            int add = (k > part_begin && w[k].join == glue::space) ? ww + 1 : ww;
            if (k > part_begin && w[k].join == glue::space && width + add > cpl) {
                parts.emplace_back(part_begin, k);
                part_begin = k;
                width = ww;
            } else {
                width += add;
            }
        }
        parts.emplace_back(part_begin, e);
        if (parts.size() > 1) {
            auto u = make_unit(w, b, e);
            violations.push_back(
                {"split_unit", false, 0, u.start, u.end,
                 fmt::format("'{}' is wider than a line ({} > {}): split between its words", u.shown, u.width, cpl)});
        }
        for (auto [pb, pe] : parts) {
            auto u = make_unit(w, pb, pe);
            if (u.width <= cpl) {
                out.push_back(std::move(u));
                continue;
            }
            hyphenate(u, out);
        }
    }

    void hyphenate(const unit& u, std::vector<unit>& out) const {
        const int cpl = opt.style.max_cpl;
        const int piece = std::max(1, cpl - 1);
        auto g = graphemes(u.shown);
        const double span = u.end - u.start;
        const auto total = static_cast<double>(g.size());
        int index = static_cast<int>(violations.size());
        violations.push_back(
            {"hyphenated_word", true, 0, u.start, u.end,
             fmt::format("'{}' is wider than a line ({} > {}): broken with a hyphen", u.shown, u.width, cpl)});
        float prob = 0;
        for (const auto& wd : u.words) prob += wd.probability;
        prob /= static_cast<float>(std::max<std::size_t>(1, u.words.size()));
        for (std::size_t pos = 0; pos < g.size(); pos += static_cast<std::size_t>(piece)) {
            std::size_t stop = std::min(g.size(), pos + static_cast<std::size_t>(piece));
            // The last piece may take one more grapheme (no hyphen needed).
            if (g.size() - pos == static_cast<std::size_t>(cpl)) stop = g.size();
            unit p = u;
            p.shown.clear();
            for (std::size_t k = pos; k < stop; ++k) p.shown += g[k];
            p.start = u.start + span * static_cast<double>(pos) / total;
            p.end = u.start + span * static_cast<double>(stop) / total;
            p.words = {word{p.shown, p.start, p.end, prob, u.speaker, u.song}};
            p.hyphen_after = stop < g.size();
            if (p.hyphen_after) p.shown += '-';
            p.width = display_width(p.shown);
            p.hyphenated = pos == 0 ? index : -1;
            if (pos > 0) p.first_source = p.shown;
            if (p.hyphen_after) p.last_source = p.shown;
            out.push_back(std::move(p));
            if (stop == g.size()) break;
        }
    }

    std::vector<unit> build(const transcript& t) const {
        auto w = flatten(t);
        assign_glue(w);
        std::vector<unit> units;
        for (std::size_t b = 0; b < w.size();) {
            std::size_t e = b + 1;
            while (e < w.size() && w[e].join != glue::none) ++e;
            auto u = make_unit(w, b, e);
            if (u.width <= opt.style.max_cpl)
                units.push_back(std::move(u));
            else
                split_overlong(w, b, e, units);
            b = e;
        }
        return units;
    }
};

// ---------------------------------------------------------------------------------------------
// Boundaries and layout

struct boundary_info {
    bool forced = false;
    bool speaker_change = false;  // not forced when the profile allows dialogue cues: see segment()
    bool sentence = false;
    bool clause = false;
    bool conjunction = false;
    bool weak = false;
    bool segment_end = false;
    bool hyphen = false;
    double gap = 0;
};

boundary_info boundary_after(const std::vector<unit>& u, std::size_t k, const profile& style) {
    boundary_info b;
    if (k + 1 >= u.size()) {
        b.forced = true;
        return b;
    }
    const auto& a = u[k];
    const auto& n = u[k + 1];
    b.gap = n.start - a.end;
    b.speaker_change = !a.speaker.empty() && !n.speaker.empty() && a.speaker != n.speaker;
    b.forced = (b.speaker_change && style.dialogue_dash.empty()) || a.song != n.song || b.gap >= style.max_pause;
    b.hyphen = a.hyphen_after;
    if (!b.hyphen) {
        b.sentence = ends_sentence(a.last_source);
        b.clause = ends_clause(a.last_source);
        b.weak = weak_endings.count(normalize_for_match(a.last_source)) != 0;
    }
    b.conjunction = conjunctions.count(normalize_for_match(n.first_source)) != 0;
    b.segment_end = a.last_segment != n.first_segment;
    return b;
}

// Cost of breaking a cue after unit k (lower is better).
double cue_break_cost(const boundary_info& b) {
    if (b.forced || b.speaker_change) return 0;
    if (b.hyphen) return 6;
    if (b.sentence) return 0;
    double cost = b.clause ? 2 : 8;
    if (!b.clause) {
        if (b.gap >= 0.5) cost = std::min(cost, 3.0);
        if (b.segment_end) cost = std::min(cost, 4.5);
        if (b.conjunction) cost = std::min(cost, 5.0);
        if (b.weak) cost += 3;
    }
    if (b.gap > 0.2) cost -= std::min(b.gap, 1.0) * 0.5;
    return cost;
}

// Quality of a line break after unit k (lower is better; may be negative).
double line_break_cost(const boundary_info& b) {
    if (b.hyphen) return 0;
    double cost = 0;
    if (b.sentence)
        cost -= 3;
    else if (b.clause)
        cost -= 2;
    else if (b.conjunction)
        cost -= 1.5;
    if (b.weak) cost += 3;
    if (b.segment_end) cost -= 0.5;
    if (b.gap >= 0.3) cost -= 1;
    return cost;
}

int span_width(const std::vector<int>& prefix, std::size_t i, std::size_t j) {
    // units [i, j) joined by single spaces
    return prefix[j] - prefix[i] + static_cast<int>(j - i) - 1;
}

struct layout {
    std::vector<std::pair<std::size_t, std::size_t>> lines;  // unit ranges
    double cost = 0;
    bool fits = false;
};

class layouter {
public:
    layouter(const std::vector<unit>& u, const std::vector<boundary_info>& b, const profile& style)
        : u_(u), b_(b), style_(style) {
        prefix_.assign(u.size() + 1, 0);
        for (std::size_t k = 0; k < u.size(); ++k) prefix_[k + 1] = prefix_[k] + u[k].width;
    }

    int width(std::size_t i, std::size_t j) const { return span_width(prefix_, i, j); }

    // Lines needed when filling greedily (the minimum possible).
    int greedy_lines(std::size_t i, std::size_t j) const {
        int lines = 1, cur = -1;
        for (std::size_t k = i; k < j; ++k) {
            int w = u_[k].width;
            bool must_break = k > i && u_[k - 1].hyphen_after;
            if (cur < 0) {
                cur = w;
            } else if (!must_break && cur + 1 + w <= style_.max_cpl) {
                cur += 1 + w;
            } else {
                ++lines;
                cur = w;
            }
        }
        return lines;
    }

    bool line_ok(std::size_t i, std::size_t j) const {
        if (width(i, j) > style_.max_cpl) return false;
        for (std::size_t k = i; k + 1 < j; ++k)
            if (u_[k].hyphen_after) return false;
        return true;
    }

    layout best(std::size_t i, std::size_t j) const {
        layout out;
        int need = greedy_lines(i, j);
        if (need > style_.max_lines) return out;
        out.fits = true;
        if (need == 1) {
            out.lines = {{i, j}};
            return out;
        }
        if (style_.max_lines == 2) {
            double best_cost = std::numeric_limits<double>::infinity();
            std::size_t best_split = i + 1;
            for (std::size_t s = i + 1; s < j; ++s) {
                if (!line_ok(i, s) || !line_ok(s, j)) continue;
                int w1 = width(i, s), w2 = width(s, j);
                double cost = line_break_cost(b_[s - 1]) + 0.12 * std::abs(w1 - w2) + (w1 > w2 ? 0.8 : 0.0);
                if (cost < best_cost) best_cost = cost, best_split = s;
            }
            out.lines = {{i, best_split}, {best_split, j}};
            out.cost = 1 + best_cost;
            return out;
        }
        // General case: DP over (lines used, units placed), raggedness of all but the last line.
        const std::size_t n = j - i;
        const auto max_lines = static_cast<std::size_t>(style_.max_lines);
        const double inf = std::numeric_limits<double>::infinity();
        std::vector<std::vector<double>> dp(max_lines + 1, std::vector<double>(n + 1, inf));
        std::vector<std::vector<std::size_t>> from(max_lines + 1, std::vector<std::size_t>(n + 1, 0));
        dp[0][0] = 0;
        for (std::size_t l = 1; l <= max_lines; ++l)
            for (std::size_t m = 1; m <= n; ++m)
                for (std::size_t s = 0; s < m; ++s) {
                    if (dp[l - 1][s] == inf || !line_ok(i + s, i + m)) continue;
                    double c = dp[l - 1][s];
                    if (m < n) {
                        double slack = style_.max_cpl - width(i + s, i + m);
                        c += line_break_cost(b_[i + m - 1]) + 0.1 * slack * slack / style_.max_cpl;
                    }
                    if (c < dp[l][m]) dp[l][m] = c, from[l][m] = s;
                }
        std::size_t best_l = 0;
        for (std::size_t l = static_cast<std::size_t>(need); l <= max_lines; ++l)
            if (dp[l][n] < inf &&
                (best_l == 0 || dp[l][n] + static_cast<double>(l) < dp[best_l][n] + static_cast<double>(best_l)))
                best_l = l;
        if (best_l == 0) {
            out.fits = false;
            return out;
        }
        std::vector<std::pair<std::size_t, std::size_t>> lines;
        for (std::size_t l = best_l, m = n; l > 0; --l) {
            std::size_t s = from[l][m];
            lines.emplace_back(i + s, i + m);
            m = s;
        }
        std::reverse(lines.begin(), lines.end());
        out.lines = std::move(lines);
        out.cost = static_cast<double>(best_l - 1) + dp[best_l][n];
        return out;
    }

    std::vector<std::string> render(const layout& l) const {
        std::vector<std::string> lines;
        for (auto [a, b] : l.lines) {
            std::string line;
            for (std::size_t k = a; k < b; ++k) {
                if (k > a) line += ' ';
                line += u_[k].shown;
            }
            lines.push_back(std::move(line));
        }
        return lines;
    }

    // Greedy fill without a line limit (for text that cannot fit).
    layout greedy(std::size_t i, std::size_t j) const {
        layout out;
        std::size_t start = i;
        int cur = -1;
        for (std::size_t k = i; k < j; ++k) {
            bool must_break = k > i && u_[k - 1].hyphen_after;
            if (cur < 0) {
                cur = u_[k].width;
            } else if (!must_break && cur + 1 + u_[k].width <= style_.max_cpl) {
                cur += 1 + u_[k].width;
            } else {
                out.lines.emplace_back(start, k);
                start = k;
                cur = u_[k].width;
            }
        }
        if (j > i) out.lines.emplace_back(start, j);
        out.fits = static_cast<int>(out.lines.size()) <= style_.max_lines;
        return out;
    }

private:
    const std::vector<unit>& u_;
    const std::vector<boundary_info>& b_;
    const profile& style_;
    std::vector<int> prefix_;
};

}  // namespace

bool is_hindi_clitic(std::string_view word) { return clitic(word, true); }

segment_result segment(const transcript& t, const segment_options& options) {
    segment_result result;
    const auto& style = options.style;
    const std::string language = options.language.empty() ? t.language : options.language;
    unit_builder builder{options, hindi_language(language), result.violations};
    auto units = builder.build(t);
    const std::size_t n = units.size();
    if (n == 0) return result;

    std::vector<boundary_info> bounds(n);
    for (std::size_t k = 0; k < n; ++k) bounds[k] = boundary_after(units, k, style);
    layouter plain_lay(units, bounds, style);
    // Lyric cues carry the profile's song mark at the start of their first line and the end of their
    // last ("♪ … ♪"): their lines are laid out narrower by both marks. (A cue is all lyrics or none:
    // a song/speech change always breaks.)
    const int mark_width = style.song_mark.empty() ? 0 : 2 * (display_width(style.song_mark) + 1);
    profile song_style = style;
    song_style.max_cpl = std::max(1, style.max_cpl - mark_width);
    layouter song_lay(units, bounds, song_style);
    const auto layout_for = [&](std::size_t i) -> const layouter& { return units[i].song ? song_lay : plain_lay; };
    const double fps = options.fps > 0 ? options.fps : 25;
    const double gap_s = style.min_gap_frames / fps;

    // A dialogue cue holds two speakers, one line each, each line starting with the profile's dash.
    // Its cost grows with how long the second line is shown before it is spoken and the first after
    // it was: a quick exchange ("-Hello?" / "-Hello?", each within a second of the other) is one cue,
    // two lines that each read well for seconds stay cues of their own, and a pair that alone would
    // be too short or too fast to read joins more readily.
    const bool dialogue = !style.dialogue_dash.empty() && style.max_lines >= 2;
    const int dash_width = display_width(style.dialogue_dash);
    auto dialogue_cost = [](double early_s, double late_s) {
        return 2.0 + 2.0 * std::max(0.0, early_s - 1.0) + 2.0 * std::max(0.0, late_s - 1.0);
    };

    // best[j]: cost of the best cue sequence covering units [0, j); second[j]: where the second
    // speaker of its last cue starts when that cue is a dialogue cue (0: it is not).
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> best(n + 1, inf);
    std::vector<std::size_t> parent(n + 1, 0), second(n + 1, 0);
    best[0] = 0;
    for (std::size_t j = 1; j <= n; ++j) {
        std::size_t changes = 0, split = 0;
        for (std::size_t i = j; i-- > 0;) {
            if (i + 1 < j && bounds[i].forced) break;  // a forced break inside [i, j)
            if (i + 1 < j && bounds[i].speaker_change) {
                if (++changes > 1 || !dialogue || units[i].song) break;  // a duet's lines stay cues of their own
                split = i + 1;
            }
            const layouter& lay = layout_for(i);
            if (i + 1 < j && units[j - 1].end - units[i].start > style.max_duration) break;
            layout l;
            int chars = 0;
            double extra = 0;
            if (changes == 1) {
                if (!lay.line_ok(i, split) || !lay.line_ok(split, j) ||
                    lay.width(i, split) + dash_width > style.max_cpl ||
                    lay.width(split, j) + dash_width > style.max_cpl)
                    break;
                if (best[i] == inf) continue;
                l.lines = {{i, split}, {split, j}};
                l.fits = true;
                l.cost = 1;
                chars = lay.width(i, split) + lay.width(split, j) + 2 * dash_width;
                extra = dialogue_cost(units[split].start - units[i].start, units[j - 1].end - units[split - 1].end);
            } else {
                if (lay.greedy_lines(i, j) > style.max_lines) break;
                if (best[i] == inf) continue;
                l = lay.best(i, j);
                if (!l.fits) continue;
                for (auto [a, b] : l.lines) chars += lay.width(a, b);
            }
            double cost = best[i] + 3.0 + extra + 0.5 * std::max(0.0, l.cost);
            // Reading speed and minimum duration, with the time available up to the next cue.
            double avail_end = j < n ? units[j].start - gap_s : units[j - 1].end + 1.0;
            double avail = std::min(style.max_duration, avail_end - units[i].start);
            avail = std::max({avail, units[j - 1].end - units[i].start, 1.0 / fps});
            const double max_cps = units[i].song ? style.song_max_cps : style.max_cps;
            double need = std::max(style.min_duration, chars / max_cps);
            if (need > avail) cost += 8.0 * (need - avail) / need;
            for (std::size_t k = i; k + 1 < j; ++k)
                if (bounds[k].sentence && !bounds[k].speaker_change) cost += 1.0;
            if (j < n) cost += cue_break_cost(bounds[j - 1]);
            if (cost < best[j]) best[j] = cost, parent[j] = i, second[j] = changes == 1 ? split : 0;
        }
        if (best[j] == inf) {
            // Cannot happen (a single unit always fits); keep going with a one-unit cue.
            best[j] = best[j - 1] + 100;
            parent[j] = j - 1;
            second[j] = 0;
        }
    }

    struct span {
        std::size_t i, j, split;
    };
    std::vector<span> spans;
    for (std::size_t j = n; j > 0; j = parent[j]) spans.push_back({parent[j], j, second[j]});
    std::reverse(spans.begin(), spans.end());

    for (auto [i, j, split] : spans) {
        cue c;
        const layouter& lay = layout_for(i);
        if (split > i) {
            layout l;
            l.lines = {{i, split}, {split, j}};
            c.lines = lay.render(l);
            for (auto& line : c.lines) line.insert(0, style.dialogue_dash);
            c.line_speakers = {units[i].speaker, units[split].speaker};
        } else {
            auto l = lay.best(i, j);
            if (!l.fits) l = lay.greedy(i, j);
            c.lines = lay.render(l);
        }
        c.start = units[i].start;
        c.end = units[j - 1].end;
        c.speaker = units[i].speaker;
        float prob = 0;
        for (std::size_t k = i; k < j; ++k) {
            c.song = c.song || units[k].song;
            for (const auto& w : units[k].words) {
                c.words.push_back(w);
                prob += w.probability;
            }
            if (units[k].hyphenated >= 0) {
                auto& v = result.violations[static_cast<std::size_t>(units[k].hyphenated)];
                v.cue = static_cast<int>(result.cues.size()) + 1;
            }
        }
        c.confidence = c.words.empty() ? 1.0f : prob / static_cast<float>(c.words.size());
        if (c.song && !style.song_mark.empty() && !c.lines.empty()) {
            const std::string& mark = style.song_mark;
            if (!c.lines.front().starts_with(mark)) c.lines.front().insert(0, mark + " ");
            if (!c.lines.back().ends_with(mark)) c.lines.back().append(" ").append(mark);
        }
        result.cues.push_back(std::move(c));
    }
    // split_unit notes: tie to the cue that holds their start.
    for (auto& v : result.violations) {
        if (v.cue != 0) continue;
        for (std::size_t k = 0; k < result.cues.size(); ++k)
            if (result.cues[k].start <= v.start + 1e-9) v.cue = static_cast<int>(k) + 1;
    }
    return result;
}

std::vector<std::string> break_lines(std::string_view text, const profile& style, std::string_view language) {
    transcript t;
    t.language = std::string(language);
    cinesub::segment s;
    s.text = std::string(text);
    double pos = 0;
    for (const auto& w : split_words(text)) {
        s.words.push_back({w, pos, pos + 0.1, 1.0f});
        pos += 0.1;
    }
    s.end = pos;
    t.segments.push_back(std::move(s));
    segment_options opt;
    opt.style = style;
    opt.style.max_pause = 1e9;
    std::vector<violation> ignored;
    unit_builder builder{opt, hindi_language(language), ignored};
    auto units = builder.build(t);
    if (units.empty()) return {};
    std::vector<boundary_info> bounds(units.size());
    for (std::size_t k = 0; k < units.size(); ++k) bounds[k] = boundary_after(units, k, opt.style);
    layouter lay(units, bounds, opt.style);
    auto l = lay.best(0, units.size());
    if (!l.fits) l = lay.greedy(0, units.size());
    return lay.render(l);
}

}  // namespace cinesub::subs
