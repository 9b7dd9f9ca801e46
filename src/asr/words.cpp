#include "asr/words.hpp"

#include <algorithm>

namespace cinesub::asr {

namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at s[i]; 0 when invalid; -n when it is a valid but
// incomplete prefix of n bytes that reaches the end of s.
int sequence_at(std::string_view s, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) return 1;
    int len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF)
        len = 2;
    else if (b0 == 0xE0)
        len = 3, lo = 0xA0;
    else if (b0 >= 0xE1 && b0 <= 0xEC)
        len = 3;
    else if (b0 == 0xED)
        len = 3, hi = 0x9F;  // no surrogates
    else if (b0 >= 0xEE && b0 <= 0xEF)
        len = 3;
    else if (b0 == 0xF0)
        len = 4, lo = 0x90;
    else if (b0 >= 0xF1 && b0 <= 0xF3)
        len = 4;
    else if (b0 == 0xF4)
        len = 4, hi = 0x8F;
    else
        return 0;
    for (int k = 1; k < len; ++k) {
        if (i + static_cast<std::size_t>(k) >= s.size()) return -k;
        const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
    }
    return len;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

}  // namespace

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const int n = sequence_at(s, i);
        if (n <= 0) return false;
        i += static_cast<std::size_t>(n);
    }
    return true;
}

std::size_t incomplete_utf8_tail(std::string_view s) {
    // A lead byte within the last 3 bytes whose sequence runs past the end, valid so far.
    for (std::size_t back = 1; back <= 3 && back <= s.size(); ++back) {
        const std::size_t i = s.size() - back;
        const auto b = static_cast<unsigned char>(s[i]);
        if (b >= 0x80 && b <= 0xBF) continue;  // continuation byte: keep looking for the lead
        const int n = sequence_at(s, i);
        return n < 0 ? back : 0;
    }
    return 0;
}

std::string sanitize_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const int n = sequence_at(s, i);
        if (n > 0) {
            out.append(s.substr(i, static_cast<std::size_t>(n)));
            i += static_cast<std::size_t>(n);
        } else if (n < 0) {
            break;  // incomplete character at the end: dropped
        } else {
            out.append(replacement);
            ++i;
            // skip the stray continuation bytes of the same broken sequence
            while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
        }
    }
    return out;
}

std::vector<word> join_tokens(const std::vector<token_piece>& tokens) {
    std::vector<word> words;
    std::string bytes;
    double start = 0, end = 0;
    double psum = 0;
    int n = 0;
    auto flush = [&] {
        if (n > 0) {
            auto text = sanitize_utf8(trim(bytes));
            auto t = trim(text);
            if (!t.empty()) {
                word w;
                w.text = std::string(t);
                w.start = start;
                w.end = std::max(start, end);
                w.probability = static_cast<float>(psum / n);
                words.push_back(std::move(w));
            }
        }
        bytes.clear();
        psum = 0;
        n = 0;
    };
    for (const auto& tok : tokens) {
        const bool starts_word = !tok.bytes.empty() && is_space(tok.bytes.front());
        // A space-led token starts a new word unless nothing but spaces came before it.
        if (starts_word && !trim(bytes).empty()) flush();
        if (n == 0 || trim(bytes).empty()) start = tok.start;
        bytes += tok.bytes;
        end = tok.end;
        psum += tok.p;
        ++n;
    }
    flush();
    return words;
}

void rebalance_utf8(std::vector<std::vector<token_piece>>& segments) {
    for (std::size_t s = 0; s + 1 < segments.size(); ++s) {
        auto& cur = segments[s];
        auto& next = segments[s + 1];
        if (cur.empty() || next.empty() || next.front().bytes.empty()) continue;
        const auto first = static_cast<unsigned char>(next.front().bytes.front());
        if ((first & 0xC0) != 0x80) continue;  // the next segment does not continue a character
        std::string all;
        for (const auto& t : cur) all += t.bytes;
        std::size_t tail = incomplete_utf8_tail(all);
        if (tail == 0) continue;
        std::string moved;
        while (tail > 0 && !cur.empty()) {
            auto& last = cur.back().bytes;
            const std::size_t take = std::min(tail, last.size());
            moved.insert(0, last.substr(last.size() - take));
            last.erase(last.size() - take);
            tail -= take;
            if (last.empty()) cur.pop_back();
        }
        next.front().bytes.insert(0, moved);
    }
}

}  // namespace cinesub::asr
