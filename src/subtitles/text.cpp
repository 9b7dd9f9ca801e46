#include "subtitles/text.hpp"

#include "cinesub/error.hpp"
#include "util/text.hpp"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <memory>

namespace cinesub::subs {

namespace {

// One character break iterator per thread (creating one costs far more than using it).
icu::BreakIterator& character_iterator() {
    thread_local std::unique_ptr<icu::BreakIterator> it = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::BreakIterator> bi(
            icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
        if (U_FAILURE(status) || !bi)
            throw error(errc::internal, std::string("ICU character break iterator: ") + u_errorName(status));
        return bi;
    }();
    return *it;
}

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Code points of a UTF-8 string (invalid bytes become U+FFFD).
std::vector<UChar32> code_points(std::string_view s) {
    std::vector<UChar32> out;
    out.reserve(s.size());
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    int32_t i = 0;
    const auto n = static_cast<int32_t>(s.size());
    while (i < n) {
        UChar32 c = 0;
        U8_NEXT(p, i, n, c);
        out.push_back(c < 0 ? 0xFFFD : c);
    }
    return out;
}

void append_utf8(std::string& out, UChar32 c) {
    std::array<uint8_t, 4> buf{};
    int32_t len = 0;
    UBool err = false;
    U8_APPEND(buf.data(), len, 4, c, err);
    if (err) return;
    out.append(reinterpret_cast<const char*>(buf.data()), static_cast<std::size_t>(len));
}

bool is_closing_wrapper(UChar32 c) {
    auto type = u_charType(c);
    return type == U_END_PUNCTUATION || type == U_FINAL_PUNCTUATION || c == '"' || c == '\'' || c == 0x2019 ||
           c == 0x201D || c == 0x00BB;
}

// The last code point of the word that is not a closing quote or bracket; 0 if none.
UChar32 last_significant(std::string_view word) {
    auto cps = code_points(word);
    while (!cps.empty() && is_closing_wrapper(cps.back())) cps.pop_back();
    return cps.empty() ? 0 : cps.back();
}

bool is_sentence_mark(UChar32 c) {
    return c == '.' || c == '?' || c == '!' || c == 0x2026 /* … */ || c == 0x0964 /* । */ || c == 0x0965 /* ॥ */ ||
           c == 0x061F || c == 0x3002 || c == 0x203C || c == 0x2049;
}

}  // namespace

int display_width(std::string_view utf8) {
    if (utf8.empty()) return 0;
    if (is_ascii(utf8)) return static_cast<int>(utf8.size());
    auto text = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    auto& it = character_iterator();
    it.setText(text);
    int count = 0;
    it.first();
    while (it.next() != icu::BreakIterator::DONE) ++count;
    return count;
}

std::vector<std::string> graphemes(std::string_view utf8) {
    std::vector<std::string> out;
    if (utf8.empty()) return out;
    if (is_ascii(utf8)) {
        for (char c : utf8) out.emplace_back(1, c);
        return out;
    }
    auto text = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    auto& it = character_iterator();
    it.setText(text);
    int32_t start = it.first();
    for (int32_t end = it.next(); end != icu::BreakIterator::DONE; start = end, end = it.next()) {
        std::string piece;
        text.tempSubStringBetween(start, end).toUTF8String(piece);
        out.push_back(std::move(piece));
    }
    return out;
}

std::string normalize_for_match(std::string_view utf8) {
    auto text = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    text.foldCase();
    std::string out;
    bool pending_space = false;
    for (int32_t i = 0; i < text.length();) {
        UChar32 c = text.char32At(i);
        i += U16_LENGTH(c);
        auto type = u_charType(c);
        bool keep =
            u_isalnum(c) || type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK;
        if (keep) {
            if (pending_space && !out.empty()) out += ' ';
            pending_space = false;
            append_utf8(out, c);
        } else if (c == '\'' || c == 0x2019 || c == 0x02BC) {
            // apostrophes join: "don't" -> "dont"
        } else {
            pending_space = true;
        }
    }
    return out;
}

std::vector<std::string> split_words(std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    for (std::size_t i = 0; i < s.size();) {
        if (const auto space = util::whitespace_at(s, i)) {
            if (!cur.empty()) out.push_back(std::move(cur));
            cur.clear();
            i += space;
        } else {
            cur += s[i++];
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) out += sep;
        out += parts[i];
    }
    return out;
}

bool has_devanagari(std::string_view utf8) {
    for (UChar32 c : code_points(utf8))
        if (c >= 0x0900 && c <= 0x097F && u_isalpha(c)) return true;
    return false;
}

std::string strip_markup(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        char c = text[i];
        if (c == '<' && i + 1 < text.size()) {
            char n = text[i + 1];
            bool tag_start =
                std::isalpha(static_cast<unsigned char>(n)) || n == '/' || std::isdigit(static_cast<unsigned char>(n));
            auto close = text.find('>', i + 1);
            auto next_open = text.find('<', i + 1);
            if (tag_start && close != std::string_view::npos &&
                (next_open == std::string_view::npos || next_open > close)) {
                i = close + 1;
                continue;
            }
        }
        if (c == '{' && i + 1 < text.size() && text[i + 1] == '\\') {
            auto close = text.find('}', i + 1);
            if (close != std::string_view::npos) {
                i = close + 1;
                continue;
            }
        }
        if (c == '&') {
            static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> entities{
                {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&nbsp;", "\xC2\xA0"}, {"&lrm;", ""}, {"&rlm;", ""}}};
            bool done = false;
            for (const auto& [from, to] : entities) {
                if (text.substr(i, from.size()) == from) {
                    out += to;
                    i += from.size();
                    done = true;
                    break;
                }
            }
            if (done) continue;
        }
        out += c;
        ++i;
    }
    return out;
}

bool ends_sentence(std::string_view word) {
    UChar32 last = last_significant(word);
    if (!is_sentence_mark(last)) return false;
    if (last == '.') {
        // "Mr." "Dr." "J." are not sentence ends; "..." is.
        std::string core(word);
        while (!core.empty() && core.back() != '.') core.pop_back();
        if (core.size() >= 2 && core[core.size() - 2] == '.') return true;
        core.pop_back();
        static constexpr std::array<std::string_view, 14> abbreviations{"mr", "mrs",  "ms", "dr",  "st",  "vs",  "jr",
                                                                        "sr", "prof", "no", "etc", "e.g", "i.e", "mt"};
        auto lower = util::lower_ascii(core);
        if (std::find(abbreviations.begin(), abbreviations.end(), lower) != abbreviations.end()) return false;
        if (core.size() == 1 && std::isupper(static_cast<unsigned char>(core[0]))) return false;
    }
    return true;
}

bool ends_clause(std::string_view word) {
    UChar32 last = last_significant(word);
    return last == ',' || last == ';' || last == ':' || last == 0x2014 || last == 0x2013 || last == 0x060C ||
           ends_sentence(word);
}

bool is_punctuation_only(std::string_view word) {
    if (word.empty()) return false;
    for (UChar32 c : code_points(word))
        if (u_isalnum(c)) return false;
    return true;
}

bool is_opening_only(std::string_view word) {
    if (word.empty()) return false;
    for (UChar32 c : code_points(word)) {
        auto type = u_charType(c);
        bool opening = type == U_START_PUNCTUATION || type == U_INITIAL_PUNCTUATION || c == 0x00BF || c == 0x00A1 ||
                       c == '$' || c == 0x20B9 || c == 0x20AC || c == 0x00A3 || c == '#';
        if (!opening) return false;
    }
    return true;
}

bool is_number(std::string_view word) {
    auto cps = code_points(word);
    if (cps.empty()) return false;
    bool digit_seen = false;
    for (std::size_t i = 0; i < cps.size(); ++i) {
        UChar32 c = cps[i];
        if (u_isdigit(c)) {
            digit_seen = true;
        } else if ((c == '.' || c == ',') && i > 0 && i + 1 < cps.size() && u_isdigit(cps[i - 1]) &&
                   u_isdigit(cps[i + 1])) {
            // inner separator
        } else {
            return false;
        }
    }
    return digit_seen;
}

std::vector<cinesub::word> segment_words(const cinesub::segment& s) {
    if (!s.words.empty() || util::trim(s.text).empty()) return s.words;
    std::vector<cinesub::word> out;
    const auto parts = split_words(s.text);
    double total = 0;
    for (const auto& p : parts) total += display_width(p) + 1;
    double pos = 0;
    const double span = std::max(0.0, s.end - s.start);
    for (const auto& p : parts) {
        const double w = display_width(p);
        out.push_back({p, s.start + span * pos / total, s.start + span * (pos + w) / total, 1.0f});
        pos += w + 1;
    }
    return out;
}

}  // namespace cinesub::subs
