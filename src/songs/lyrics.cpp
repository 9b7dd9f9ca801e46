#include "songs/lyrics.hpp"

#include "subtitles/text.hpp"
#include "util/text.hpp"

#include <algorithm>

namespace cinesub::songs {

namespace {

// A segment made of `words` (in order, at least one), with the rest of `like`'s fields.
cinesub::segment segment_of(const cinesub::segment& like, std::vector<word> words) {
    cinesub::segment s = like;
    s.words = std::move(words);
    s.text.clear();
    for (const auto& w : s.words) {
        const auto t = util::trim(w.text);
        if (t.empty()) continue;
        if (!s.text.empty()) s.text += ' ';
        s.text += t;
    }
    s.start = s.words.front().start;
    s.end = std::max(s.words.back().end, s.start);
    return s;
}

}  // namespace

bool has_music_note(std::string_view text) {
    return text.find("\xE2\x99\xAA") != std::string_view::npos || text.find("\xE2\x99\xAB") != std::string_view::npos;
}

std::size_t mark_lyrics(transcript& t, std::span<const sound_segment> sounds) {
    std::size_t marked = 0;
    for (auto& seg : t.segments) {
        if (seg.words.empty() && !util::trim(seg.text).empty()) seg.words = subs::segment_words(seg);
        const bool noted = has_music_note(seg.text);
        for (auto& w : seg.words) {
            const bool sung = noted || sound_at(sounds, 0.5 * (w.start + w.end)) == sound::song;
            if (sung && !w.song) ++marked;
            w.song = w.song || sung;
        }
    }
    return marked;
}

std::size_t drop_lyrics(transcript& t) {
    std::size_t dropped = 0;
    std::vector<cinesub::segment> kept;
    for (auto& seg : t.segments) {
        const auto lyric = [](const word& w) { return w.song; };
        const auto n = static_cast<std::size_t>(std::count_if(seg.words.begin(), seg.words.end(), lyric));
        if (n == 0) {
            kept.push_back(std::move(seg));
            continue;
        }
        dropped += n;
        std::vector<word> rest;
        for (auto& w : seg.words)
            if (!w.song) rest.push_back(std::move(w));
        if (!rest.empty()) kept.push_back(segment_of(seg, std::move(rest)));
    }
    t.segments = std::move(kept);
    return dropped;
}

transcript lyrics_as_sung(const transcript& translation, const transcript& source,
                          const std::function<std::string(std::string_view)>& display) {
    transcript out = translation;
    drop_lyrics(out);
    for (const auto& seg : source.segments) {
        std::vector<word> sung;
        for (const auto& w : seg.words)
            if (w.song) {
                sung.push_back(w);
                if (display) sung.back().text = display(w.text);
            }
        if (!sung.empty()) out.segments.push_back(segment_of(seg, std::move(sung)));
    }
    std::stable_sort(out.segments.begin(), out.segments.end(),
                     [](const cinesub::segment& a, const cinesub::segment& b) { return a.start < b.start; });
    return out;
}

}  // namespace cinesub::songs
