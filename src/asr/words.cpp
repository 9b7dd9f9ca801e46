#include "asr/words.hpp"

#include "util/text.hpp"

#include <algorithm>

namespace cinesub::asr {

std::vector<word> join_tokens(const std::vector<token_piece>& tokens) {
    std::vector<word> words;
    std::string bytes;
    double start = 0, end = 0;
    double psum = 0;
    int n = 0;
    auto flush = [&] {
        if (n > 0) {
            // An incomplete character at the end of the word is left out, not shown as U+FFFD:
            // nothing can complete it here (rebalance_utf8 has moved what the next segment
            // completes; a whitespace-led token after it starts another word).
            auto raw = util::trim(bytes);
            raw.remove_suffix(util::incomplete_utf8_tail(raw));
            const auto text = util::sanitize_utf8(raw);
            const auto t = util::trim(text);
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
        const bool starts_word = util::whitespace_at(tok.bytes) > 0;
        // A space-led token starts a new word unless nothing but spaces came before it.
        if (starts_word && !util::trim(bytes).empty()) flush();
        if (n == 0 || util::trim(bytes).empty()) start = tok.start;
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
        std::size_t tail = util::incomplete_utf8_tail(all);
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
