#include "asr/words.hpp"

#include "util/text.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <optional>

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

namespace {
// The pause of `speech` that t lies in (strictly between two segments, or before the first / after the
// last): {end of the speech before, start of the speech after}; nullopt when t is inside speech.
struct speech_pause {
    double before = 0;  // -inf: no speech before
    double after = 0;   // +inf: no speech after
};
std::optional<speech_pause> pause_at(const std::vector<speech_segment>& speech, double t) {
    const auto it = std::upper_bound(speech.begin(), speech.end(), t,
                                     [](double v, const speech_segment& s) { return v < s.start; });
    // it: the first segment starting after t
    if (it != speech.begin() && t <= std::prev(it)->end) return std::nullopt;
    speech_pause p;
    p.before = it == speech.begin() ? -std::numeric_limits<double>::infinity() : std::prev(it)->end;
    p.after = it == speech.end() ? std::numeric_limits<double>::infinity() : it->start;
    return p;
}
}  // namespace

void keep_words_in_speech(std::vector<word>& words, const std::vector<speech_segment>& speech) {
    if (speech.empty()) return;
    for (auto& w : words) {
        const auto ps = pause_at(speech, w.start);
        const auto pe = pause_at(speech, w.end);
        if (ps && pe && ps->after == pe->after) {
            // Wholly inside one pause: to the nearer speech edge.
            const double mid = 0.5 * (w.start + w.end);
            const double t = mid - ps->before <= ps->after - mid ? ps->before : ps->after;
            if (std::isfinite(t)) w.start = w.end = t;
            continue;
        }
        if (ps && std::isfinite(ps->after)) w.start = ps->after;
        if (pe && std::isfinite(pe->before)) w.end = std::max(w.start, pe->before);
    }
}

void spread_words(std::vector<word>& words, double start, double end) {
    double total = 0;
    for (const auto& w : words) total += static_cast<double>(std::max<std::size_t>(1, w.text.size()));
    double at = start;
    const double span = std::max(0.0, end - start);
    for (auto& w : words) {
        w.start = at;
        at += total > 0 ? span * static_cast<double>(std::max<std::size_t>(1, w.text.size())) / total : 0;
        w.end = std::min(end, at);
    }
    if (!words.empty()) words.back().end = std::max(words.back().start, end);
}

}  // namespace cinesub::asr
