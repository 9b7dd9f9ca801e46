// TTML (IMSC 1.1 Text Profile) writer and the libxml2-based TTML reader. Parsing only, no file access:
// also compiled into the libFuzzer targets in tests/fuzz/ (through parse_subtitles()).
#include "subtitles/ttml.hpp"
#include "subtitles/writers.hpp"

#include "util/text.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace cinesub::subs {

namespace {

// --- Writing -----------------------------------------------------------------------------------

constexpr std::string_view ttml_ns = "http://www.w3.org/ns/ttml";

// Text and attribute values: the five XML specials escaped, characters XML 1.0 cannot hold dropped (C0
// controls but tab, which becomes a space), invalid UTF-8 already replaced by the caller.
std::string xml_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            case '\t':
                out += ' ';
                break;
            default:
                if (static_cast<unsigned char>(c) >= 0x20) out += c;
        }
    }
    return out;
}

std::string ttml_time(double seconds) {
    if (!(seconds > 0)) seconds = 0;
    auto ms = static_cast<long long>(std::llround(seconds * 1000));
    const auto frac = ms % 1000;
    ms /= 1000;
    return fmt::format("{:02}:{:02}:{:02}.{:03}", ms / 3600, ms / 60 % 60, ms % 60, frac);
}

// The language's primary subtag and script subtag, lower case ("hi-Latn" → {"hi", "latn"}).
std::pair<std::string, std::string> language_parts(std::string_view lang) {
    std::string primary, script;
    std::size_t start = 0;
    for (int index = 0; start <= lang.size(); ++index) {
        auto sep = lang.find_first_of("-_", start);
        const auto sub = util::lower_ascii(lang.substr(start, sep == std::string_view::npos ? sep : sep - start));
        if (index == 0)
            primary = sub;
        else if (sub.size() == 4 && script.empty())
            script = sub;
        if (sep == std::string_view::npos) break;
        start = sep + 1;
    }
    return {primary, script};
}

bool right_to_left(std::string_view lang) {
    static const std::set<std::string, std::less<>> rtl{"ar", "fa", "he", "iw", "ps", "ur", "yi"};
    const auto [primary, script] = language_parts(lang);
    if (script == "arab" || script == "hebr") return true;
    return script.empty() && rtl.contains(primary);
}

bool devanagari_language(std::string_view lang) {
    static const std::set<std::string, std::less<>> deva{"hi",  "mr",  "ne",  "sa",  "kok",
                                                         "mai", "bho", "doi", "new", "brx"};
    const auto [primary, script] = language_parts(lang);
    if (!script.empty()) return script == "deva";
    return deva.contains(primary);
}

bool has_devanagari(const std::vector<cue>& cues) {
    // U+0900–U+097F is E0 A4 80 – E0 A5 BF in UTF-8.
    for (const auto& c : cues)
        for (const auto& l : c.lines)
            if (l.find("\xE0\xA4") != std::string::npos || l.find("\xE0\xA5") != std::string::npos) return true;
    return false;
}

}  // namespace

ttml_frame_rate ttml_frame_rate_of(double fps) {
    if (!(fps > 0) || !std::isfinite(fps) || fps > 1000) return {};
    // NTSC rates: an integer rate times 1000/1001 (23.976, 29.97, 47.952, 59.94, 119.88).
    const double ntsc = fps * 1001.0 / 1000.0;
    if (std::abs(fps - std::round(fps)) > 0.005 && std::abs(ntsc - std::round(ntsc)) < 0.01)
        return {static_cast<int>(std::lround(ntsc)), 1000, 1001};
    for (int d : {1, 2, 4, 5, 10, 100, 1000}) {
        const double scaled = fps * d;
        if (std::abs(scaled - std::round(scaled)) < 0.001 * d && std::lround(scaled) >= 1)
            return {static_cast<int>(std::lround(scaled)), 1, d};
    }
    return {static_cast<int>(std::max(1L, std::lround(fps))), 1, 1};
}

std::string to_ttml(const std::vector<cue>& cues, const write_options& o) {
    const std::string lang = o.language.empty() ? "und" : o.language;
    const bool rtl = right_to_left(lang);
    const auto rate = ttml_frame_rate_of(o.fps);

    // Speakers shown, in order of first appearance: one ttm:agent each (agents are told apart by the
    // name shown, so two labels confirmed as the same person are one agent).
    std::vector<std::pair<std::string, bool>> agents;  // shown name, named (not a bare label)
    auto agent_id = [&](std::string_view label) -> std::string {
        const auto shown = shown_speaker(o, label);
        if (shown.empty()) return {};
        for (std::size_t i = 0; i < agents.size(); ++i)
            if (agents[i].first == shown) return fmt::format("speaker_{}", i + 1);
        return {};
    };
    for (const auto& c : cues) {
        std::vector<std::string> labels{c.speaker};
        labels.insert(labels.end(), c.line_speakers.begin(), c.line_speakers.end());
        for (const auto& label : labels) {
            const auto shown = shown_speaker(o, label);
            if (shown.empty() || !agent_id(label).empty()) continue;
            const auto named = o.speaker_names.find(label);
            agents.emplace_back(util::sanitize_utf8(shown), named != o.speaker_names.end() && !named->second.empty());
        }
    }

    std::string out;
    if (o.bom) out += "\xEF\xBB\xBF";
    out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += fmt::format(
        "<tt xmlns=\"{0}\" xmlns:ttp=\"{0}#parameter\" xmlns:tts=\"{0}#styling\" xmlns:ttm=\"{0}#metadata\" "
        "xmlns:ittp=\"http://www.w3.org/ns/ttml/profile/imsc1#parameter\" "
        "xmlns:itts=\"http://www.w3.org/ns/ttml/profile/imsc1#styling\" xmlns:ebutts=\"urn:ebu:tt:style\" "
        "ttp:profile=\"{1}\" ttp:contentProfiles=\"{1}\" ttp:timeBase=\"media\" ttp:frameRate=\"{2}\" "
        "ttp:frameRateMultiplier=\"{3} {4}\" ittp:aspectRatio=\"16 9\" xml:lang=\"{5}\">\n",
        ttml_ns, imsc11_text_profile, rate.rate, rate.numerator, rate.denominator, xml_escape(lang));
    out += "  <head>\n";
    if (!o.title.empty() || !agents.empty()) {
        out += "    <metadata>\n";
        if (!o.title.empty())
            out += fmt::format("      <ttm:title>{}</ttm:title>\n", xml_escape(util::sanitize_utf8(o.title)));
        for (std::size_t i = 0; i < agents.size(); ++i)
            out += fmt::format(
                "      <ttm:agent type=\"{}\" xml:id=\"speaker_{}\"><ttm:name type=\"{}\">{}</ttm:name></ttm:agent>\n",
                agents[i].second ? "character" : "other", i + 1, agents[i].second ? "full" : "alias",
                xml_escape(agents[i].first));
        out += "    </metadata>\n";
    }
    const std::string font = devanagari_language(lang) || has_devanagari(cues)
                                 ? "'Noto Sans Devanagari', proportionalSansSerif"
                                 : "proportionalSansSerif";
    out += "    <styling>\n";
    out += fmt::format(
        "      <style xml:id=\"s_default\" tts:fontFamily=\"{}\" tts:fontSize=\"100%\" tts:lineHeight=\"125%\" "
        "tts:textAlign=\"center\"{} ebutts:multiRowAlign=\"center\" ebutts:linePadding=\"0.5c\"/>\n",
        font, rtl ? " tts:direction=\"rtl\"" : "");
    // Dialogue: the two lines' dashes line up (rows aligned to the start: the right in a right-to-left language).
    out += "      <style xml:id=\"s_dialogue\" ebutts:multiRowAlign=\"start\"/>\n";
    if (o.italics) out += "      <style xml:id=\"s_italic\" tts:fontStyle=\"italic\"/>\n";
    out += "    </styling>\n";
    out +=
        "    <layout>\n"
        "      <region xml:id=\"bottom\" tts:origin=\"10% 10%\" tts:extent=\"80% 80%\" tts:displayAlign=\"after\" "
        "tts:textAlign=\"center\"/>\n"
        "      <region xml:id=\"top\" tts:origin=\"10% 10%\" tts:extent=\"80% 80%\" tts:displayAlign=\"before\" "
        "tts:textAlign=\"center\"/>\n"
        "    </layout>\n"
        "  </head>\n"
        "  <body style=\"s_default\">\n"
        "    <div>\n";
    int number = 0;
    for (const auto& c : cues) {
        const auto lines = printable_lines(c);
        if (lines.empty()) continue;
        const bool dialogue = c.line_speakers.size() == lines.size() && lines.size() > 1;
        std::vector<std::string> styles;
        if (c.song && o.italics) styles.emplace_back("s_italic");
        if (dialogue) styles.emplace_back("s_dialogue");
        std::vector<std::string> ids;
        auto add_id = [&](const std::string& id) {
            if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
        };
        add_id(agent_id(c.speaker));
        if (dialogue)
            for (const auto& s : c.line_speakers) add_id(agent_id(s));
        out += fmt::format("      <p xml:id=\"c{}\" begin=\"{}\" end=\"{}\" region=\"bottom\"", ++number,
                           ttml_time(c.start), ttml_time(c.end));
        if (!styles.empty()) out += fmt::format(" style=\"{}\"", fmt::join(styles, " "));
        if (!ids.empty()) out += fmt::format(" ttm:agent=\"{}\"", fmt::join(ids, " "));
        out += '>';
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (i) out += "<br/>";
            const auto line_agent = dialogue ? agent_id(c.line_speakers[i]) : std::string{};
            if (!line_agent.empty())
                out += fmt::format("<span ttm:agent=\"{}\">{}</span>", line_agent, xml_escape(lines[i]));
            else
                out += xml_escape(lines[i]);
        }
        out += "</p>\n";
    }
    out +=
        "    </div>\n"
        "  </body>\n"
        "</tt>\n";
    return out;
}

// --- Reading -----------------------------------------------------------------------------------

namespace {

struct xml_doc_deleter {
    void operator()(xmlDoc* d) const noexcept { xmlFreeDoc(d); }
};
struct xml_parser_deleter {
    void operator()(xmlParserCtxt* c) const noexcept { xmlFreeParserCtxt(c); }
};
// A string libxml2 allocated, copied and freed.
std::string take_string(xmlChar* s) {
    std::string out = s ? std::string(reinterpret_cast<const char*>(s)) : std::string{};
    if (s) xmlFree(s);
    return out;
}
using xml_doc_ptr = std::unique_ptr<xmlDoc, xml_doc_deleter>;
using xml_parser_ptr = std::unique_ptr<xmlParserCtxt, xml_parser_deleter>;

// The TTML namespaces (TTML 1/2, and the DFXP drafts still found in .dfxp files) and their
// #parameter, #styling and #metadata companions.
constexpr std::array<std::string_view, 3> tt_namespaces{"http://www.w3.org/ns/ttml", "http://www.w3.org/2006/10/ttaf1",
                                                        "http://www.w3.org/2006/04/ttaf1"};
constexpr std::string_view xml_ns = "http://www.w3.org/XML/1998/namespace";

std::string_view as_view(const xmlChar* s) {
    return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view{};
}

// A namespace in the TTML family: "" (the content namespace) or "#styling", "#parameter", "#metadata".
bool tt_namespace(const xmlNs* ns, std::string_view suffix) {
    if (!ns) return suffix.empty();  // unqualified (a TTML file without its xmlns)
    const auto href = as_view(ns->href);
    return std::any_of(tt_namespaces.begin(), tt_namespaces.end(), [&](std::string_view base) {
        return href.size() == base.size() + suffix.size() && href.starts_with(base) && href.ends_with(suffix);
    });
}

bool is_element(const xmlNode* n, std::string_view name, std::string_view suffix = "") {
    return n && n->type == XML_ELEMENT_NODE && as_view(n->name) == name && tt_namespace(n->ns, suffix);
}

// An attribute's value: `suffix` picks the namespace ("" unqualified, "#styling"… TTML's, "xml" the xml: one).
std::optional<std::string> attribute(const xmlNode* n, std::string_view name, std::string_view suffix = "") {
    if (!n || n->type != XML_ELEMENT_NODE) return std::nullopt;
    for (const xmlAttr* a = n->properties; a; a = a->next) {
        if (as_view(a->name) != name) continue;
        bool match = false;
        if (suffix.empty())
            match = a->ns == nullptr;
        else if (suffix == "xml")
            match = a->ns && as_view(a->ns->href) == xml_ns;
        else
            match = a->ns && tt_namespace(a->ns, suffix);
        if (!match) continue;
        return take_string(xmlNodeListGetString(n->doc, a->children, 1));
    }
    return std::nullopt;
}

std::vector<std::string> tokens(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
        std::size_t j = i;
        while (j < s.size() && !(s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r')) ++j;
        if (j > i) out.emplace_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

bool digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "12", "12.5" → the number; nullopt otherwise (no sign, no exponent, at most 15 digits before the point).
std::optional<double> decimal(std::string_view s) {
    const auto dot = s.find('.');
    const auto whole = s.substr(0, dot);
    const auto frac = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
    if (!digits(whole) || whole.size() > 15 || (dot != std::string_view::npos && !digits(frac))) return std::nullopt;
    double v = 0;
    for (char c : whole) v = v * 10 + (c - '0');
    double scale = 1;
    for (char c : frac.substr(0, 15)) {
        scale /= 10;
        v += (c - '0') * scale;
    }
    return v;
}

struct time_params {
    double frame_rate = 30;  // effective: ttp:frameRate × ttp:frameRateMultiplier
    double sub_frame_rate = 1;
    double tick_rate = 1;
};

time_params read_time_params(const xmlNode* tt) {
    time_params p;
    std::optional<double> rate;
    if (auto v = attribute(tt, "frameRate", "#parameter"))
        if (auto r = decimal(util::trim(*v)); r && *r > 0) rate = *r;
    double multiplier = 1;
    if (auto v = attribute(tt, "frameRateMultiplier", "#parameter")) {
        const auto parts = tokens(*v);
        if (parts.size() == 2 && digits(parts[0]) && digits(parts[1])) {
            const auto n = decimal(parts[0]), d = decimal(parts[1]);
            if (n && d && *n > 0 && *d > 0) multiplier = *n / *d;
        }
    }
    p.frame_rate = rate.value_or(30) * multiplier;
    if (auto v = attribute(tt, "subFrameRate", "#parameter"))
        if (auto r = decimal(util::trim(*v)); r && *r > 0) p.sub_frame_rate = *r;
    p.tick_rate = rate ? *rate * p.sub_frame_rate : 1;  // TTML's default when ttp:tickRate is absent
    if (auto v = attribute(tt, "tickRate", "#parameter"))
        if (auto r = decimal(util::trim(*v)); r && *r > 0) p.tick_rate = *r;
    return p;
}

// A TTML time expression → seconds: clock time "HH:MM:SS(.fff)?" or "HH:MM:SS:FF(.s)?", offset time
// "<count>(.<fraction>)?(h|m|s|ms|f|t)". Lenient on one-digit fields and ',' before the fraction.
std::optional<double> parse_time_expression(std::string_view text, const time_params& p) {
    auto t = util::trim(text);
    if (t.empty() || t.size() > 64) return std::nullopt;
    if (t.find(':') != std::string_view::npos) {
        std::vector<std::string_view> parts;
        for (auto colon = t.find(':'); colon != std::string_view::npos; colon = t.find(':')) {
            parts.push_back(t.substr(0, colon));
            t.remove_prefix(colon + 1);
        }
        parts.push_back(t);
        if (parts.size() != 3 && parts.size() != 4) return std::nullopt;
        if (!digits(parts[0]) || parts[0].size() > 9 || !digits(parts[1]) || parts[1].size() > 2) return std::nullopt;
        const auto h = decimal(parts[0]), m = decimal(parts[1]);
        std::string seconds(parts[2]);
        std::replace(seconds.begin(), seconds.end(), ',', '.');
        const auto s = decimal(seconds);
        if (!h || !m || !s || *m >= 60 || *s >= 61 || seconds.substr(0, seconds.find('.')).size() > 2)
            return std::nullopt;
        double v = *h * 3600 + *m * 60 + *s;
        if (parts.size() == 4) {
            if (seconds.find('.') != std::string::npos) return std::nullopt;
            const auto dot = parts[3].find('.');
            const auto frames = parts[3].substr(0, dot);
            const auto sub = dot == std::string_view::npos ? std::string_view{} : parts[3].substr(dot + 1);
            if (!digits(frames) || frames.size() > 9 || (dot != std::string_view::npos && !digits(sub)) ||
                sub.size() > 9)
                return std::nullopt;
            const double f = *decimal(frames) + (sub.empty() ? 0.0 : *decimal(sub) / p.sub_frame_rate);
            v += f / p.frame_rate;
        }
        return v;
    }
    std::size_t n = 0;
    while (n < t.size() && ((t[n] >= '0' && t[n] <= '9') || t[n] == '.')) ++n;
    const auto count = decimal(t.substr(0, n));
    const auto metric = t.substr(n);
    if (!count) return std::nullopt;
    if (metric == "h") return *count * 3600;
    if (metric == "m") return *count * 60;
    if (metric == "s") return *count;
    if (metric == "ms") return *count / 1000;
    if (metric == "f") return *count / p.frame_rate;
    if (metric == "t") return *count / p.tick_rate;
    return std::nullopt;
}

// An element's active interval, in seconds from the start of the document; end nullopt: indefinite.
struct interval {
    double begin = 0;
    std::optional<double> end;
};

struct timing_result {
    interval span;
    bool timed = false;  // the element has begin, end or dur of its own
    std::string bad;     // an unreadable time expression ("begin='x'"), "" when none
};

// The element's interval within its parent's (`sync`: where its times count from — the parent's begin in
// a par container, the previous sibling's end in a seq one).
timing_result resolve_timing(const xmlNode* n, const interval& parent, double sync, const time_params& p) {
    timing_result r;
    std::optional<double> begin, end, dur;
    for (const auto* name : {"begin", "end", "dur"}) {
        const auto v = attribute(n, name);
        if (!v) continue;
        r.timed = true;
        const auto t = parse_time_expression(*v, p);
        if (!t) {
            if (r.bad.empty()) r.bad = fmt::format("{}='{}'", name, util::sanitize_utf8(util::trim(*v)));
            continue;
        }
        if (std::string_view(name) == "begin")
            begin = t;
        else if (std::string_view(name) == "end")
            end = t;
        else
            dur = t;
    }
    r.span.begin = sync + begin.value_or(0);
    std::optional<double> e;
    if (end) e = sync + *end;
    if (dur) e = e ? std::min(*e, r.span.begin + *dur) : r.span.begin + *dur;
    if (!e) e = parent.end;  // no end of its own: it lasts as long as its parent
    if (e && parent.end) e = std::min(*e, *parent.end);
    r.span.end = e;
    return r;
}

struct style_state {
    bool italic = false;
    bool preserve = false;  // xml:space="preserve"
    std::string agent;      // the first ttm:agent in scope
};

struct reader {
    time_params times;
    std::map<std::string, const xmlNode*, std::less<>> styles;   // <style> by xml:id
    std::map<std::string, const xmlNode*, std::less<>> regions;  // <region> by xml:id
    std::map<std::string, std::string, std::less<>> agents;      // ttm:agent xml:id → its name
    subtitle_file* out = nullptr;

    void index(const xmlNode* n, int depth) {
        if (depth > 64) return;
        for (const xmlNode* c = n; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE) continue;
            const auto id = attribute(c, "id", "xml");
            if (id && is_element(c, "style")) styles.emplace(*id, c);
            if (id && is_element(c, "region")) regions.emplace(*id, c);
            if (is_element(c, "agent", "#metadata")) {
                std::string name, first;
                for (const xmlNode* k = c->children; k; k = k->next) {
                    if (!is_element(k, "name", "#metadata")) continue;
                    const auto value = util::sanitize_utf8(util::trim(take_string(xmlNodeGetContent(k))));
                    if (first.empty()) first = value;
                    if (name.empty() && attribute(k, "type") == "full") name = value;
                }
                if (name.empty()) name = first;
                if (id) agents.emplace(*id, name.empty() ? *id : name);
            }
            if (c->children) index(c->children, depth + 1);
        }
    }

    // tts:fontStyle from an element's referenced styles (chained references followed), then its own attribute.
    std::optional<bool> italic_of(const xmlNode* n, int depth = 0) const {
        if (depth > 16) return std::nullopt;
        std::optional<bool> italic;
        if (auto refs = attribute(n, "style"))
            for (const auto& id : tokens(*refs))
                if (auto it = styles.find(id); it != styles.end() && it->second != n)
                    if (auto v = italic_of(it->second, depth + 1)) italic = v;
        if (auto v = attribute(n, "fontStyle", "#styling")) {
            const auto s = util::lower_ascii(util::trim(*v));
            italic = s == "italic" || s == "oblique";
        }
        return italic;
    }

    style_state inherit(const xmlNode* n, style_state s) const {
        if (auto v = italic_of(n)) s.italic = *v;
        if (auto v = attribute(n, "space", "xml")) s.preserve = util::trim(*v) == "preserve";
        if (auto v = attribute(n, "agent", "#metadata")) {
            const auto ids = tokens(*v);
            if (!ids.empty()) {
                const auto it = agents.find(ids.front());
                s.agent = it != agents.end() ? it->second : util::sanitize_utf8(ids.front());
            }
        }
        return s;
    }

    // A cue's text, line by line, as it is collected from a <p>.
    struct text_line {
        std::string text, raw, agent;
    };
    struct collected {
        std::vector<text_line> lines{1};
        bool all_italic = true;
        bool any_text = false;
    };

    void collect(const xmlNode* n, const style_state& s, collected& c, int depth) const {
        if (depth > 64) return;
        for (const xmlNode* k = n->children; k; k = k->next) {
            if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
                auto text = std::string(as_view(k->content));
                if (!util::trim(text).empty()) {
                    c.any_text = true;
                    c.all_italic = c.all_italic && s.italic;
                    if (c.lines.back().agent.empty()) c.lines.back().agent = s.agent;
                }
                std::string escaped;
                for (char ch : text)
                    escaped += ch == '&' ? "&amp;" : ch == '<' ? "&lt;" : ch == '>' ? "&gt;" : std::string(1, ch);
                if (s.preserve) {  // line feeds are line breaks
                    std::size_t pos = 0;
                    for (auto nl = text.find('\n');; nl = text.find('\n', pos)) {
                        c.lines.back().text += text.substr(pos, nl == std::string::npos ? nl : nl - pos);
                        if (nl == std::string::npos) break;
                        c.lines.emplace_back();
                        pos = nl + 1;
                    }
                } else {
                    c.lines.back().text += text;
                }
                c.lines.back().raw += escaped;
            } else if (is_element(k, "br")) {
                c.lines.emplace_back();
            } else if (k->type == XML_ELEMENT_NODE && !is_element(k, "metadata") && !is_element(k, "set") &&
                       !is_element(k, "animate")) {
                const auto inner = inherit(k, s);
                auto& line = c.lines.back();
                const auto name = std::string(as_view(k->name));
                std::string open = name;
                for (const xmlAttr* a = k->properties; a; a = a->next) {
                    const auto value = take_string(xmlNodeListGetString(k->doc, a->children, 1));
                    const auto prefix = a->ns && a->ns->prefix ? std::string(as_view(a->ns->prefix)) + ":" : "";
                    open += fmt::format(" {}{}=\"{}\"", prefix, as_view(a->name), xml_escape(value));
                }
                line.raw += "<" + open + ">";
                collect(k, inner, c, depth + 1);
                c.lines.back().raw += "</" + name + ">";
            }
        }
    }

    void add_cue(const xmlNode* p, const interval& when, const style_state& s) {
        collected c;
        collect(p, s, c, 0);
        cue q;
        q.start = when.begin;
        q.end = *when.end;
        std::vector<std::string> voices;
        std::string raw;
        for (const auto& l : c.lines) {
            std::string text;
            if (s.preserve) {
                text = std::string(util::trim(l.text));
            } else {  // XML whitespace collapsed to one space
                bool space = false;
                for (char ch : l.text) {
                    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
                        space = true;
                        continue;
                    }
                    if (space && !text.empty()) text += ' ';
                    space = false;
                    text += ch;
                }
            }
            text = util::trim(util::sanitize_utf8(text));
            if (text.empty()) continue;
            q.lines.push_back(text);
            voices.push_back(l.agent);
            std::string r;
            bool space = false;
            for (char ch : l.raw) {
                if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
                    space = true;
                    continue;
                }
                if (space && !r.empty()) r += ' ';
                space = false;
                r += ch;
            }
            if (!raw.empty()) raw += '\n';
            raw += util::trim(util::sanitize_utf8(r));
        }
        q.speaker = s.agent.empty() && !voices.empty() ? voices.front() : s.agent;
        if (voices.size() > 1 && std::none_of(voices.begin(), voices.end(), [](const auto& v) { return v.empty(); }) &&
            std::any_of(voices.begin(), voices.end(), [&](const auto& v) { return v != voices.front(); }))
            q.line_speakers = std::move(voices);
        const bool music = !q.lines.empty() &&
                           (q.lines.front().starts_with("\xE2\x99\xAA") || q.lines.front().starts_with("\xE2\x99\xAB"));
        q.song = (c.any_text && c.all_italic && !q.lines.empty()) || music;
        out->cues.push_back(std::move(q));
        out->raw.push_back(std::move(raw));
        out->numbers.push_back(out->blocks);
        out->lines.push_back(static_cast<int>(std::min<long>(xmlGetLineNo(p), INT_MAX)));
    }

    // The latest end among a <p>'s timed descendants (a <p> timed only through its spans).
    std::optional<interval> descendant_span(const xmlNode* n, const interval& parent, int depth) const {
        if (depth > 64) return std::nullopt;
        std::optional<interval> out_span;
        for (const xmlNode* k = n->children; k; k = k->next) {
            if (k->type != XML_ELEMENT_NODE) continue;
            const auto t = resolve_timing(k, parent, parent.begin, times);
            std::optional<interval> here;
            if (t.timed && t.span.end) here = t.span;
            if (auto inner = descendant_span(k, t.span, depth + 1)) here = here ? here : inner;
            if (!here) continue;
            if (!out_span)
                out_span = here;
            else {
                out_span->begin = std::min(out_span->begin, here->begin);
                out_span->end = std::max(*out_span->end, *here->end);
            }
        }
        return out_span;
    }

    // body, div and p elements below `n`, each timed within its parent.
    void walk(const xmlNode* n, const interval& parent, const style_state& s, int depth) {
        if (depth > 64) return;
        const bool seq = attribute(n, "timeContainer") == "seq";
        double previous_end = parent.begin;
        for (const xmlNode* k = n->children; k; k = k->next) {
            if (k->type != XML_ELEMENT_NODE) continue;
            const bool p = is_element(k, "p");
            if (!p && !is_element(k, "div")) continue;
            const auto t = resolve_timing(k, parent, seq ? previous_end : parent.begin, times);
            if (t.span.end) previous_end = *t.span.end;
            auto inner = inherit(k, s);
            if (!p) {
                if (t.bad.empty()) {
                    walk(k, t.span, inner, depth + 1);
                } else {  // every <p> inside loses its timing
                    out->issues.push_back({static_cast<int>(std::min<long>(xmlGetLineNo(k), INT_MAX)), 0,
                                           "bad_timestamp", fmt::format("unreadable time in <div>: {}", t.bad)});
                }
                continue;
            }
            ++out->blocks;
            const int line = static_cast<int>(std::min<long>(xmlGetLineNo(k), INT_MAX));
            if (!t.bad.empty()) {
                out->issues.push_back(
                    {line, out->blocks, "bad_timestamp", fmt::format("unreadable time in <p>: {}", t.bad)});
                continue;
            }
            auto when = t.span;
            if (!t.timed || !when.end)  // timed through its spans
                if (auto inner_span = descendant_span(k, when, 0)) when = *inner_span;
            if (!when.end) {
                out->issues.push_back({line, out->blocks, "bad_timestamp",
                                       t.timed ? "a <p> without an end (no end or dur, nor on its div or body)"
                                               : "a <p> without timing (begin, end or dur)"});
                continue;
            }
            add_cue(k, when, inner);
        }
    }
};

// The first error libxml2 reports while parse_ttml() parses on this thread.
struct xml_error_sink {
    bool seen = false;
    read_issue issue;
};
thread_local xml_error_sink* current_sink = nullptr;

#if LIBXML_VERSION >= 21200
void on_xml_error(void* /*data*/, const xmlError* e) {
#else
void on_xml_error(void* /*data*/, xmlErrorPtr e) {
#endif
    auto* sink = current_sink;
    if (!sink || !e || sink->seen || e->level < XML_ERR_ERROR) return;
    sink->seen = true;
    std::string message = util::sanitize_utf8(util::trim(e->message ? std::string_view(e->message) : "malformed XML"));
    sink->issue = {e->line, 0, "xml", fmt::format("not well-formed XML: {}", message)};
}

// Where the document's XML declaration names an encoding other than UTF-8 (or a UTF-16 BOM says so),
// libxml2 converts it and the UTF-8 check does not apply.
bool declared_non_utf8(std::string_view content) {
    if (content.starts_with("\xFF\xFE") || content.starts_with("\xFE\xFF")) return true;
    if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
    if (!content.starts_with("<?xml")) return false;
    const auto decl = content.substr(0, content.find("?>"));
    const auto pos = decl.find("encoding");
    if (pos == std::string_view::npos) return false;
    auto rest = decl.substr(pos + 8);
    const auto q = rest.find_first_of("'\"");
    if (q == std::string_view::npos) return false;
    rest.remove_prefix(q + 1);
    const auto name = util::lower_ascii(rest.substr(0, rest.find_first_of("'\"")));
    return name != "utf-8" && name != "utf8";
}

void init_libxml2() {
    static std::once_flag once;
    std::call_once(once, [] { xmlInitParser(); });
}

}  // namespace

bool looks_like_ttml(std::string_view content) {
    auto s = content.substr(0, 8192);
    if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
    auto skip_space = [&] {
        while (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) s.remove_prefix(1);
    };
    for (int guard = 0; guard < 64; ++guard) {
        skip_space();
        std::string_view close;
        if (s.starts_with("<?"))
            close = "?>";
        else if (s.starts_with("<!--"))
            close = "-->";
        else if (s.starts_with("<!"))
            close = ">";
        else
            break;
        const auto end = s.find(close);
        if (end == std::string_view::npos) return false;
        s.remove_prefix(end + close.size());
    }
    if (!s.starts_with("<")) return false;
    s.remove_prefix(1);
    std::size_t n = 0;
    while (n < s.size() && s[n] != ' ' && s[n] != '\t' && s[n] != '\r' && s[n] != '\n' && s[n] != '>' && s[n] != '/')
        ++n;
    const auto name = s.substr(0, n);
    const auto colon = name.find(':');
    return (colon == std::string_view::npos ? name : name.substr(colon + 1)) == "tt";
}

subtitle_file parse_ttml(std::string_view content) {
    init_libxml2();
    subtitle_file f;
    f.format = "ttml";
    f.bom = content.starts_with("\xEF\xBB\xBF");
    f.crlf = content.find("\r\n") != std::string_view::npos;

    std::string repaired;
    if (!declared_non_utf8(content) && !util::valid_utf8(content)) {
        // One issue per line with invalid bytes ('\n' is never inside a UTF-8 sequence); read as U+FFFD.
        int line = 1;
        std::size_t pos = 0;
        for (auto nl = content.find('\n');; nl = content.find('\n', pos)) {
            const auto piece = content.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
            if (!util::valid_utf8(piece)) f.issues.push_back({line, 0, "utf8", "invalid UTF-8 in the document"});
            if (nl == std::string_view::npos) break;
            pos = nl + 1;
            ++line;
        }
        repaired = util::sanitize_utf8(content);
        content = repaired;
    }
    if (content.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        f.issues.push_back({0, 0, "xml", "the document is too large to read"});
        return f;
    }

    // Strictly first; a document that is not well-formed is reported (libxml2's first error, with its
    // line) and read again in libxml2's recovery mode, which keeps what it can.
    xml_error_sink sink;
    xml_doc_ptr doc;
    for (const bool recover : {false, true}) {
        xml_parser_ptr ctxt(xmlNewParserCtxt());
        if (!ctxt || !ctxt->sax) return f;
        ctxt->sax->serror = on_xml_error;  // also keeps libxml2 from printing to stderr
        current_sink = &sink;
        // Errors raised without the parser context (encoding conversion) go to this thread's structured
        // handler: ours while parsing, whatever it was after.
        const auto previous_handler = xmlStructuredError;
        void* const previous_context = xmlStructuredErrorContext;
        xmlSetStructuredErrorFunc(nullptr, on_xml_error);
        const int options =
            XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES | (recover ? XML_PARSE_RECOVER : 0);
        doc.reset(
            xmlCtxtReadMemory(ctxt.get(), content.data(), static_cast<int>(content.size()), nullptr, nullptr, options));
        xmlSetStructuredErrorFunc(previous_context, previous_handler);
        current_sink = nullptr;
        if (doc && !sink.seen && ctxt->wellFormed) break;
        if (!sink.seen) {
            const auto* last = xmlCtxtGetLastError(ctxt.get());
            sink.seen = true;
            sink.issue = {last ? last->line : 0, 0, "xml",
                          last && last->message
                              ? fmt::format("not well-formed XML: {}", util::sanitize_utf8(util::trim(last->message)))
                              : std::string("not well-formed XML")};
        }
        if (recover) break;
        doc.reset();
    }
    if (sink.seen) f.issues.push_back(sink.issue);
    if (!doc) return f;

    const xmlNode* root = xmlDocGetRootElement(doc.get());
    if (!is_element(root, "tt")) {
        f.issues.push_back({root ? static_cast<int>(std::min<long>(xmlGetLineNo(root), INT_MAX)) : 0, 0, "xml",
                            fmt::format("the root element is <{}>, not TTML's <tt>",
                                        root ? util::sanitize_utf8(as_view(root->name)) : std::string("none"))});
        return f;
    }
    reader r;
    r.out = &f;
    r.times = read_time_params(root);
    r.index(root->children, 0);
    for (const xmlNode* body = root->children; body; body = body->next) {
        if (!is_element(body, "body")) continue;
        const auto t = resolve_timing(body, interval{}, 0, r.times);
        if (!t.bad.empty()) {
            f.issues.push_back({static_cast<int>(std::min<long>(xmlGetLineNo(body), INT_MAX)), 0, "bad_timestamp",
                                fmt::format("unreadable time in <body>: {}", t.bad)});
            continue;
        }
        // Styles flow from the region named on body (a <p>'s own region is taken where it is set).
        style_state s;
        if (auto region = attribute(body, "region"))
            if (auto it = r.regions.find(util::trim(*region)); it != r.regions.end()) s = r.inherit(it->second, s);
        r.walk(body, t.span, r.inherit(body, s), 0);
    }
    return f;
}

}  // namespace cinesub::subs
