// Subtitles stage: transcript.<lang>.json (asr) + speech.json (vad) + media.json (demux, for fps) →
// <title>.<lang>.srt|vtt|ass|json|ttml per track, removed.json, report.json, tracks.json (for mux).
//
// Per track: clean (hallucinations, loops, no-speech, text over VAD silence) → segment (profile) →
// timing (frame grid, VAD snapping) → check (the same profile) → write. A Hindi source also gets a
// romanized track <title>.hi-Latn.* (context::romanizer: Hinglish as people write it, "musibat mein
// homework"; the glossary's names — glossary.json of the context stage — in their credited
// spelling), laid out with its language's profile.
// Lyrics: words inside the songs stage's songs (songs.json), inside spans of the source transcript
// that its cues call sung (songs/transcript_cues.hpp), and segments Whisper wrapped in ♪ are
// lyrics — cues of their own, "♪ … ♪", their own reading speed; songs.mode=skip drops them, mark
// shows the English track's lyrics as sung (romanized), translate keeps Whisper's translation.
// Synthetic transcripts (transcript.synthetic or job setting asr.synthetic) name every file
// <title>.SYNTHETIC.<lang>.* and report.json says "SYNTHETIC".
#include "asr/params.hpp"
#include "cinesub/error.hpp"
#include "context/glossary.hpp"
#include "jobs/params.hpp"
#include "jobs/revisions.hpp"
#include "songs/lyrics.hpp"
#include "songs/params.hpp"
#include "songs/transcript_cues.hpp"
#include "speakers/assign.hpp"
#include "stages/artefacts.hpp"
#include "stages/stages.hpp"
#include "subtitles/checker.hpp"
#include "subtitles/cleaner.hpp"
#include "subtitles/params.hpp"
#include "subtitles/profile.hpp"
#include "subtitles/segmenter.hpp"
#include "subtitles/text.hpp"
#include "subtitles/timing.hpp"
#include "subtitles/writers.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <optional>

namespace cinesub::stages {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string language_title(std::string_view lang) {
    static const std::map<std::string, std::string, std::less<>> names{
        {"hi", "Hindi"},    {"en", "English"}, {"hi-Latn", "Hindi (Latin)"},
        {"ur", "Urdu"},     {"bn", "Bengali"}, {"ta", "Tamil"},
        {"te", "Telugu"},   {"mr", "Marathi"}, {"pa", "Punjabi"},
        {"gu", "Gujarati"}, {"de", "German"},  {"fr", "French"},
        {"es", "Spanish"}};
    auto it = names.find(lang);
    return it != names.end() ? it->second : std::string(lang);
}

double media_fps(const fs::path& media_json) {
    std::error_code ec;
    if (!fs::exists(media_json, ec)) return 25;
    try {
        const auto j = util::read_json(media_json);
        for (const auto* key : {"fps", "frame_rate"}) {
            if (j.contains(key) && j[key].is_number() && j[key].get<double>() > 1) return j[key].get<double>();
            if (j.contains("video") && j["video"].is_object() && j["video"].contains(key) &&
                j["video"][key].is_number() && j["video"][key].get<double>() > 1)
                return j["video"][key].get<double>();
        }
    } catch (const std::exception&) {
    }
    return 25;
}

class subtitles_stage final : public pipeline::stage {
public:
    std::string_view name() const override { return "subtitles"; }
    bool critical() const override { return true; }

    std::vector<pipeline::setting_use> settings_read() const override {
        return pipeline::setting_uses()
            .all(subs::params::schema())
            .only(jobs::job_params::schema(), {"title"})
            .only(asr::params::schema(), {"asr.synthetic"})
            .only(songs::params::schema(),
                  {"songs.enabled", "songs.mode", "songs.min_song_s", "songs.transcript_cues"});
    }

    std::vector<fs::path> inputs(const cinesub::job& job) const override {
        const auto tracks = transcript_tracks(job);
        auto in = listed_transcripts(tracks);
        in.push_back(tracks);
        std::error_code ec;
        for (const auto& a : {vad_files::speech, demux_files::media, context_files::glossary, speakers_files::speakers,
                              songs_files::songs}) {
            auto p = pipeline::artefact_path(job, a);
            if (fs::exists(p, ec)) in.push_back(p);
        }
        return in;
    }

    std::vector<fs::path> run(pipeline::stage_context& ctx) override {
        const auto& job = ctx.job;
        const auto files = listed_transcripts(transcript_tracks(job));
        if (files.empty())
            throw error(errc::input_missing, fmt::format("no transcript listed in {} (run the asr stage first)",
                                                         ctx.path(asr_files::tracks).string()));
        const double fps = media_fps(ctx.path(demux_files::media));
        std::optional<speech_map> speech;
        if (auto p = ctx.path(vad_files::speech); fs::exists(p))
            speech = load_speech_map(p);
        else
            ctx.log->warn("subtitles: no speech.json; no VAD snapping or silence check");

        const auto p = settings::read<subs::params>(job.settings);
        // Who speaks when, and the names the user confirmed (speakers.json turns carry them).
        std::vector<speakers::turn> turns;
        std::map<std::string, std::string> speaker_names;
        if (auto sp = ctx.path(speakers_files::speakers); fs::exists(sp)) {
            const auto doc = util::read_json(sp);
            for (const auto& t : doc.value("turns", json::array())) {
                turns.push_back({t.value("start", 0.0), t.value("end", 0.0), t.value("speaker", std::string{})});
                if (t.contains("name") && t["name"].is_string())
                    speaker_names[turns.back().speaker] = t["name"].get<std::string>();
            }
        }
        const auto& formats = p.formats;
        const auto title = jobs::film_title(job, settings::read<jobs::job_params>(job.settings));

        std::vector<transcript> transcripts;
        bool synthetic = settings::read<asr::params>(job.settings).synthetic;
        for (const auto& f : files) {
            transcripts.push_back(load_transcript(f));
            synthetic = synthetic || transcripts.back().synthetic;
            if (!turns.empty()) speakers::assign_speakers(transcripts.back(), turns);
        }
        if (!turns.empty())
            ctx.log->info("subtitles: words get speakers from {} turns ({} named)", turns.size(), speaker_names.size());
        const std::string tag = synthetic ? "SYNTHETIC." : "";

        // Lyrics: words sung inside the songs stage's songs (and segments Whisper wrapped in ♪).
        std::optional<context::romanizer> roman;
        std::size_t glossary_entries = 0;
        const auto romanizer = [&]() -> const context::romanizer& {
            if (!roman) {
                if (auto g = ctx.path(context_files::glossary); fs::exists(g)) {
                    const auto glossary = context::glossary_from_json(util::read_json(g));
                    glossary_entries = glossary.entries.size();
                    roman.emplace(context::romanizer_for(glossary));
                } else {
                    roman.emplace(context::romanizer::builtin());
                }
            }
            return *roman;
        };
        const auto sp = settings::read<songs::params>(job.settings);
        std::vector<songs::sound_segment> sounds;
        if (auto sj = ctx.path(songs_files::songs); fs::exists(sj)) sounds = load_sound_segments(sj);
        // What the words add: spans of the source transcript that sound sung become songs too.
        std::vector<songs::song_evidence> evidence;
        if (sp.enabled && sp.transcript_cues) {
            const auto source = std::find_if(transcripts.begin(), transcripts.end(),
                                             [](const transcript& t) { return t.task != "translate"; });
            if (source != transcripts.end()) {
                // Judged without what the cleaner drops as Whisper's own junk (known hallucinated phrases,
                // no-speech segments, text that compresses too well), but with the lines it would collapse as
                // a loop and those the VAD hardly heard: a chorus repeats, and Silero hears some singers only
                // faintly. A loop over silence or speech has no second cue (no music, no held words).
                subs::clean_options co;
                co.repeat_min = std::numeric_limits<int>::max();
                const auto lines = p.clean ? subs::clean(*source, co).kept : *source;
                evidence = songs::transcript_song_evidence(lines, sounds, {.min_song_s = sp.min_song_s});
            }
            sounds = songs::with_transcript_songs(sounds, evidence);
        }
        const auto transcript_songs =
            std::count_if(evidence.begin(), evidence.end(), [](const auto& e) { return e.song; });
        std::size_t lyric_words = 0, dropped_lyrics = 0;
        for (auto& t : transcripts) lyric_words += songs::mark_lyrics(t, sounds);
        if (sp.mode == songs::lyrics_mode::skip) {
            for (auto& t : transcripts) dropped_lyrics += songs::drop_lyrics(t);
        } else if (sp.mode == songs::lyrics_mode::mark && lyric_words > 0) {
            // The English track shows the lyrics as sung (romanized for a Hindi film), not translated.
            const auto source = std::find_if(transcripts.begin(), transcripts.end(), [](const transcript& t) {
                return t.task != "translate" && t.language != "en";
            });
            if (source != transcripts.end())
                for (auto& t : transcripts)
                    if (t.language == "en" && t.task == "translate") {
                        std::function<std::string(std::string_view)> display;
                        if (source->language == "hi") display = [&](std::string_view w) { return romanizer().text(w); };
                        t = songs::lyrics_as_sung(t, *source, display);
                    }
        }
        const auto song_count =
            std::count_if(sounds.begin(), sounds.end(), [](const auto& x) { return x.kind == songs::sound::song; });
        if (lyric_words > 0 || song_count > 0)
            ctx.log->info("subtitles: {} song(s) ({} from the transcript's cues), {} lyric words marked ({}{})",
                          song_count, transcript_songs, lyric_words,
                          songs::lyrics_mode_names[static_cast<std::size_t>(sp.mode)],
                          dropped_lyrics ? fmt::format(": {} dropped", dropped_lyrics) : "");
        json removed = json::array(), report_tracks = json::array(), tracks = json::array();
        std::vector<fs::path> out;
        bool first = true;

        auto emit = [&](const transcript& t, const std::string& lang, const subs::clean_result& cleaned,
                        const std::function<std::string(std::string_view)>& display) {
            auto style =
                subs::get_profile(p.profile.empty() ? subs::default_profile_name(lang, p.audience) : p.profile);
            subs::apply_overrides(style, p);
            subs::segment_options so;
            so.style = style;
            so.fps = fps;
            so.language = t.language;
            so.display = display;
            auto seg = subs::segment(cleaned.kept, so);
            subs::apply_timing(seg.cues, style, fps, speech ? &*speech : nullptr);
            auto check = subs::check_cues(seg.cues, style, fps);
            for (auto v : seg.violations) check.violations.push_back(std::move(v));
            subs::write_options wo;
            wo.crlf = p.crlf;
            wo.bom = p.bom;
            wo.title = title;
            wo.language = lang;
            wo.speaker_names = speaker_names;
            wo.unnamed_voices = p.speaker_labels;
            wo.italics = style.italics;
            wo.fps = fps;
            wo.extra = {{"profile", style.name}, {"fps", fps}, {"synthetic", synthetic}};
            const auto lang_tag = tag + lang;
            for (const auto& f : formats) {
                const auto path = ctx.dir / subs::subtitle_file_name(title, lang_tag, f);
                subs::write_subtitles(path, f, seg.cues, wo);
                out.push_back(path);
            }
            // The track mux carries: SRT when written, else the first format a player reads as text cues
            // (JSON is cinesub's own and TTML does not go into MKV/MP4 here: none when only those are written).
            std::string main_format;
            if (std::find(formats.begin(), formats.end(), "srt") != formats.end())
                main_format = "srt";
            else if (const auto it = std::find_if(formats.begin(), formats.end(),
                                                  [](const std::string& f) { return f != "json" && f != "ttml"; });
                     it != formats.end())
                main_format = *it;
            if (!main_format.empty()) {
                json tr{{"file", subs::subtitle_file_name(title, lang_tag, main_format)},
                        {"language", lang},
                        {"title", language_title(lang) + (synthetic ? " (SYNTHETIC)" : "")},
                        {"default", first}};
                tracks.push_back(std::move(tr));
                first = false;
            }
            auto rj = check.to_json();
            rj["language"] = lang;
            rj["profile_values"] = style.to_json();
            rj["removed"] = cleaned.removed.size();
            rj["words"] = [&] {
                std::size_t n = 0;
                for (const auto& s : cleaned.kept.segments) n += s.words.size();
                return n;
            }();
            report_tracks.push_back(std::move(rj));
            ctx.log->info("subtitles: {} → {} cues, {} hard / {} soft violations, {} removed ({})", lang,
                          seg.cues.size(), check.hard(), check.soft(), cleaned.removed.size(), style.name);
        };

        for (std::size_t i = 0; i < transcripts.size(); ++i) {
            ctx.check_stop();
            const auto& t = transcripts[i];
            const std::string lang = t.language.empty() ? "und" : t.language;
            subs::clean_options co;
            co.speech = speech ? &*speech : nullptr;
            subs::clean_result cleaned;
            if (p.clean)
                cleaned = subs::clean(t, co);
            else
                cleaned.kept = t;
            for (const auto& r : cleaned.removed) {
                json rj = r;
                rj["language"] = lang;
                removed.push_back(std::move(rj));
            }
            emit(t, lang, cleaned, {});
            if (p.romanize && lang == "hi") {
                const auto* r = &romanizer();
                emit(t, "hi-Latn", cleaned, [r](std::string_view s) { return r->text(s); });
            }
            ctx.progress.report(static_cast<double>(i + 1) / static_cast<double>(transcripts.size()), lang);
        }

        int hard = 0;
        for (const auto& r : report_tracks) hard += r.value("hard", 0);
        json report{{"schema", 1}, {"fps", fps}, {"synthetic", synthetic}, {"hard", hard}, {"tracks", report_tracks}};
        report["songs"] = {{"mode", songs::lyrics_mode_names[static_cast<std::size_t>(sp.mode)]},
                           {"songs", song_count},
                           {"lyric_words", lyric_words},
                           {"dropped_words", dropped_lyrics}};
        json spans = json::array();
        for (const auto& e : evidence)
            spans.push_back({{"start", util::round_ms(e.start)},
                             {"end", util::round_ms(e.end)},
                             {"lines", e.lines},
                             {"words", e.words},
                             {"notes", std::round(e.notes * 1000) / 1000},
                             {"repetition", std::round(e.repetition * 1000) / 1000},
                             {"median_word_s", util::round_ms(e.median_word_s)},
                             {"music", std::round(e.music * 1000) / 1000},
                             {"song", e.song},
                             {"confidence", std::round(e.confidence * 1000) / 1000}});
        report["songs"]["transcript_spans"] = spans;
        if (synthetic)
            report["note"] = "SYNTHETIC: random-weight model, mechanics only; the text is not a transcription";
        if (roman)
            report["romanization"] = {{"method", "cinesub romanizer (schwa deletion, English words back to English)"},
                                      {"glossary_entries", glossary_entries}};
        const auto removed_path = ctx.path(subtitles_files::removed);
        const auto report_path = ctx.path(subtitles_files::report);
        const auto tracks_path = ctx.path(subtitles_files::tracks);
        util::write_json_atomic(removed_path, json{{"schema", 1}, {"removed", removed}});
        util::write_json_atomic(report_path, report);
        util::write_json_atomic(tracks_path, json{{"schema", 1}, {"synthetic", synthetic}, {"tracks", tracks}});
        out.push_back(removed_path);
        out.push_back(report_path);
        out.push_back(tracks_path);
        // The user's edits live under review/ and are never overwritten; say so, since the new output
        // differs from what they edited and the mux stage keeps muxing the reviewed files.
        try {
            const auto review = jobs::read_review_state(job.dir);
            for (const auto& r : review.tracks)
                ctx.log->warn(
                    "subtitles: {} has reviewed edits (revision {}, {}): kept; mux uses them, not this "
                    "output — `cinesub review` shows both",
                    r.language, r.revision, r.file.generic_string());
        } catch (const error& e) {
            ctx.log->warn("subtitles: {}", e.what());
        }
        return out;
    }
};

}  // namespace

std::unique_ptr<pipeline::stage> make_subtitles_stage() { return std::make_unique<subtitles_stage>(); }

}  // namespace cinesub::stages
