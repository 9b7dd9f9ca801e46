#include "songs/transcript_cues.hpp"

#include "songs/lyrics.hpp"
#include "subtitles/text.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <string>

namespace cinesub::songs {

namespace {

song_evidence judge(const std::vector<const cinesub::segment*>& lines, std::span<const sound_segment> sounds,
                    const transcript_cue_options& o) {
    song_evidence e;
    e.start = lines.front()->start;
    for (const auto* l : lines) e.end = std::max(e.end, l->end);
    e.lines = static_cast<int>(lines.size());
    std::vector<std::string> tokens;
    std::vector<double> durations;
    int noted = 0;
    for (const auto* l : lines) {
        noted += has_music_note(l->text) ? 1 : 0;
        const auto words = l->words.empty() ? subs::segment_words(*l) : l->words;
        for (const auto& x : words) {
            auto t = subs::normalize_for_match(x.text);
            if (t.empty()) continue;
            tokens.push_back(std::move(t));
            if (x.end > x.start) durations.push_back(x.end - x.start);
        }
    }
    e.words = static_cast<int>(tokens.size());
    e.notes = static_cast<double>(noted) / static_cast<double>(lines.size());
    if (tokens.size() >= 3) {
        std::map<std::string, int> count;
        std::vector<std::string> grams;
        for (std::size_t i = 0; i + 3 <= tokens.size(); ++i) {
            grams.push_back(tokens[i] + '\x1f' + tokens[i + 1] + '\x1f' + tokens[i + 2]);
            ++count[grams.back()];
        }
        const auto recurring =
            std::count_if(grams.begin(), grams.end(), [&](const std::string& g) { return count[g] >= 2; });
        e.repetition = static_cast<double>(recurring) / static_cast<double>(grams.size());
    }
    if (!durations.empty()) {
        auto mid = durations.begin() + static_cast<std::ptrdiff_t>(durations.size() / 2);
        std::nth_element(durations.begin(), mid, durations.end());
        e.median_word_s = *mid;
    }
    const std::array span{speech_segment{e.start, e.end}};
    e.music =
        e.end > e.start ? seconds_inside(span, sounds, std::array{sound::music, sound::song}) / (e.end - e.start) : 0.0;
    const int cues =
        (e.repetition >= o.min_repeat ? 1 : 0) + (e.median_word_s >= o.long_word_s ? 1 : 0) + (e.music >= 0.5 ? 1 : 0);
    e.song = e.notes >= 0.5 || cues >= 2;
    if (e.song) e.confidence = 0.5 + 0.5 * std::max(std::min(1.0, e.notes), cues / 3.0);
    return e;
}

}  // namespace

std::vector<song_evidence> transcript_song_evidence(const transcript& t, std::span<const sound_segment> sounds,
                                                    const transcript_cue_options& o) {
    std::vector<const cinesub::segment*> lines;
    for (const auto& s : t.segments)
        if (!util::trim(s.text).empty()) lines.push_back(&s);
    std::stable_sort(lines.begin(), lines.end(),
                     [](const cinesub::segment* a, const cinesub::segment* b) { return a->start < b->start; });
    std::vector<song_evidence> out;
    std::vector<const cinesub::segment*> span;
    double span_end = 0;
    auto close = [&] {
        if (span.empty()) return;
        auto e = judge(span, sounds, o);
        if (e.end - e.start >= o.min_song_s && e.words >= o.min_words) out.push_back(e);
        span.clear();
    };
    // Lines over music (what the songs stage heard at a line's middle) and lines over anything else
    // make separate spans: dialogue next to a song is not judged with it.
    const auto musical = [&](const cinesub::segment* l) {
        const auto k = sound_at(sounds, 0.5 * (l->start + l->end));
        return k == sound::music || k == sound::song;
    };
    for (const auto* l : lines) {
        if (!span.empty() && (l->start - span_end > o.max_gap_s || musical(l) != musical(span.back()))) close();
        if (span.empty()) span_end = l->end;
        span.push_back(l);
        span_end = std::max(span_end, l->end);
    }
    close();
    return out;
}

std::vector<sound_segment> with_transcript_songs(std::span<const sound_segment> sounds,
                                                 std::span<const song_evidence> evidence) {
    std::vector<sound_segment> out(sounds.begin(), sounds.end());
    for (const auto& e : evidence) {
        if (!e.song || e.end <= e.start) continue;
        const std::array span{speech_segment{e.start, e.end}};
        if (seconds_inside(span, out, std::array{sound::song}) >= e.end - e.start - 1e-9) continue;
        std::vector<sound_segment> next;
        bool placed = false;
        const sound_segment song{e.start, e.end, sound::song, e.confidence};
        for (const auto& s : out) {
            if (s.end <= e.start || s.start >= e.end) {
                if (!placed && s.start >= e.end) next.push_back(song), placed = true;
                next.push_back(s);
                continue;
            }
            if (s.start < e.start) next.push_back({s.start, e.start, s.kind, s.confidence});
            if (!placed) next.push_back(song), placed = true;
            if (s.end > e.end) next.push_back({e.end, s.end, s.kind, s.confidence});
        }
        if (!placed) next.push_back(song);
        out = std::move(next);
    }
    return out;
}

}  // namespace cinesub::songs
