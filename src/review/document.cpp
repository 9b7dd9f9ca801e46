// The review page's view of a job: its tracks, their cues as the page shows them, the document of
// GET /api/job, and the validation of what the page sends back.
#include "asr/wav.hpp"
#include "cinesub/error.hpp"
#include "jobs/params.hpp"
#include "pipeline/stage.hpp"
#include "review/review.hpp"
#include "settings/schema.hpp"
#include "stages/artefacts.hpp"
#include "subtitles/checker.hpp"
#include "subtitles/params.hpp"
#include "subtitles/readers.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace cinesub::review {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::size_t max_cues_per_track = 100000;
constexpr std::size_t max_lines_per_cue = 8;
constexpr std::size_t max_line_bytes = 500;
constexpr std::size_t max_words_per_cue = 400;

double number_or(const json& j, const char* key, double fallback) {
    return j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback;
}

json read_json_or_null(const fs::path& p) {
    std::error_code ec;
    if (!fs::exists(p, ec)) return nullptr;
    try {
        return util::read_json(p);
    } catch (const std::exception&) {
        return nullptr;  // an optional stage's file that is not readable is shown as absent
    }
}

// Text the page may put on screen: valid UTF-8, no control characters (tab excepted).
void check_text(std::string_view text, std::string_view what, int number) {
    if (!util::valid_utf8(text)) throw error(errc::usage, fmt::format("cue {}: {} is not valid UTF-8", number, what));
    for (const unsigned char c : text)
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            throw error(errc::usage, fmt::format("cue {}: {} has a control character", number, what));
}

double finite_time(const json& j, const char* key, int number) {
    if (!j.contains(key) || !j[key].is_number())
        throw error(errc::usage, fmt::format("cue {}: '{}' is not a number", number, key));
    const double t = j[key].get<double>();
    if (!std::isfinite(t) || t < 0) throw error(errc::usage, fmt::format("cue {}: '{}' is not a time", number, key));
    return t;
}

std::string string_or_empty(const json& j, const char* key, int number) {
    if (!j.contains(key) || j[key].is_null()) return {};
    if (!j[key].is_string()) throw error(errc::usage, fmt::format("cue {}: '{}' is not text", number, key));
    auto s = j[key].get<std::string>();
    if (s.size() > 100) throw error(errc::usage, fmt::format("cue {}: '{}' is too long", number, key));
    check_text(s, key, number);
    return s;
}

}  // namespace

const track* job_view::find(std::string_view language) const {
    const auto it = std::find_if(tracks.begin(), tracks.end(), [&](const track& t) { return t.language == language; });
    return it == tracks.end() ? nullptr : &*it;
}

job_view load_view(const fs::path& job_dir) {
    job_view v{cinesub::job::load(job_dir)};
    const auto& job = v.job;
    const auto job_p = settings::read<jobs::job_params>(job.settings);
    const auto sp = settings::read<subs::params>(job.settings);
    v.title = jobs::film_title(job, job_p);
    v.offset = job_p.start;
    v.formats = sp.formats;

    const auto tracks_path = pipeline::artefact_path(job, stages::subtitles_files::tracks);
    std::error_code ec;
    if (!fs::exists(tracks_path, ec))
        throw error(errc::job_not_found, fmt::format("{}: no subtitles yet (run the job first: cinesub run {})",
                                                     job_dir.string(), job_dir.string()));
    const auto report = read_json_or_null(pipeline::artefact_path(job, stages::subtitles_files::report));
    const auto media = read_json_or_null(pipeline::artefact_path(job, stages::demux_files::media));
    if (media.is_object()) {
        v.fps = number_or(media, "fps", v.fps);
        if (media.contains("audio") && media["audio"].is_object())
            v.duration = number_or(media["audio"], "duration", 0);
        if (v.duration <= 0) v.duration = number_or(media, "duration", 0);
    }
    if (report.is_object()) v.fps = number_or(report, "fps", v.fps);

    // Confirmed speaker names, as the stage had them (speakers.json turns carry them).
    std::map<std::string, std::string> names;
    const auto speakers = read_json_or_null(pipeline::artefact_path(job, stages::speakers_files::speakers));
    if (speakers.is_object())
        for (const auto& s : speakers.value("per_speaker", json::array()))
            if (s.contains("name") && s["name"].is_string())
                names[s.value("speaker", "")] = s["name"].get<std::string>();

    try {
        const auto doc = util::read_json(tracks_path);
        for (const auto& t : doc.at("tracks")) {
            track tr;
            tr.language = t.value("language", "und");
            tr.name = t.value("title", tr.language);
            tr.stage_file = tracks_path.parent_path() / t.at("file").get<std::string>();
            tr.style = subs::get_profile(sp.profile.empty() ? subs::default_profile_name(tr.language, sp.audience)
                                                            : sp.profile);
            subs::apply_overrides(tr.style, sp);
            tr.write.crlf = sp.crlf;
            tr.write.bom = sp.bom;
            tr.write.title = v.title;
            tr.write.language = tr.language;
            tr.write.speaker_names = names;
            tr.write.unnamed_voices = sp.speaker_labels;
            tr.write.italics = tr.style.italics;
            tr.write.extra = {{"profile", tr.style.name}, {"fps", v.fps}, {"reviewed", true}};
            v.tracks.push_back(std::move(tr));
        }
    } catch (const json::exception& e) {
        throw error(errc::job_invalid, fmt::format("{}: not a tracks list ({})", tracks_path.string(), e.what()));
    }
    if (v.duration <= 0)
        for (const auto& t : v.tracks)
            for (const auto& c : current_cues(v, t, {})) v.duration = std::max(v.duration, c.end);
    return v;
}

std::vector<subs::cue> current_cues(const job_view& view, const track& t, const jobs::review_state& state) {
    fs::path json_file;
    if (const auto* r = state.find(t.language)) {
        json_file = view.job.dir / r->json;
    } else {
        json_file = t.stage_file;
        json_file.replace_extension(".json");
    }
    std::error_code ec;
    if (fs::exists(json_file, ec)) {
        const auto doc = util::read_json(json_file);
        try {
            return doc.at("cues").get<std::vector<subs::cue>>();
        } catch (const json::exception& e) {
            throw error(errc::job_invalid,
                        fmt::format("{}: not a subtitle document ({})", json_file.string(), e.what()));
        }
    }
    return subs::read_subtitles(t.stage_file).cues;
}

json page_cue(const subs::cue& c) {
    json words = json::array();
    for (const auto& w : c.words)
        words.push_back({{"text", w.text},
                         {"start", util::round_ms(w.start)},
                         {"end", util::round_ms(w.end)},
                         {"p", std::round(w.probability * 1000.0f) / 1000.0f}});
    return {{"start", util::round_ms(c.start)},
            {"end", util::round_ms(c.end)},
            {"lines", c.lines},
            {"speaker", c.speaker},
            {"line_speakers", c.line_speakers},
            {"song", c.song},
            {"confidence", std::round(c.confidence * 1000.0f) / 1000.0f},
            {"words", words}};
}

json page_violation(const subs::violation& v) {
    return {{"rule", v.rule},
            {"hard", v.hard},
            {"cue", v.cue},
            {"start", util::round_ms(v.start)},
            {"end", util::round_ms(v.end)},
            {"message", v.message}};
}

subs::cue cue_from_page(const json& j, int number, double max_end) {
    if (!j.is_object()) throw error(errc::usage, fmt::format("cue {}: not an object", number));
    subs::cue c;
    c.start = finite_time(j, "start", number);
    c.end = finite_time(j, "end", number);
    if (!(c.end > c.start))
        throw error(errc::usage, fmt::format("cue {}: end {:.3f} is not after start {:.3f}", number, c.end, c.start));
    if (c.end > max_end)
        throw error(errc::usage, fmt::format("cue {}: end {:.3f} is past the end of the film", number, c.end));
    if (!j.contains("lines") || !j["lines"].is_array())
        throw error(errc::usage, fmt::format("cue {}: 'lines' is not a list", number));
    if (j["lines"].size() > max_lines_per_cue)
        throw error(errc::usage, fmt::format("cue {}: more than {} lines", number, max_lines_per_cue));
    for (const auto& l : j["lines"]) {
        if (!l.is_string()) throw error(errc::usage, fmt::format("cue {}: a line is not text", number));
        auto line = l.get<std::string>();
        if (line.size() > max_line_bytes)
            throw error(errc::usage, fmt::format("cue {}: a line is longer than {} bytes", number, max_line_bytes));
        check_text(line, "a line", number);
        c.lines.push_back(std::move(line));
    }
    c.speaker = string_or_empty(j, "speaker", number);
    if (j.contains("line_speakers") && j["line_speakers"].is_array())
        for (const auto& s : j["line_speakers"]) {
            if (!s.is_string()) throw error(errc::usage, fmt::format("cue {}: a line speaker is not text", number));
            c.line_speakers.push_back(s.get<std::string>());
        }
    if (c.line_speakers.size() > c.lines.size()) c.line_speakers.resize(c.lines.size());
    c.song = j.contains("song") && j["song"].is_boolean() && j["song"].get<bool>();
    if (j.contains("confidence") && j["confidence"].is_number())
        c.confidence = std::clamp(j["confidence"].get<float>(), 0.0f, 1.0f);
    if (j.contains("words") && j["words"].is_array()) {
        if (j["words"].size() > max_words_per_cue)
            throw error(errc::usage, fmt::format("cue {}: more than {} words", number, max_words_per_cue));
        for (const auto& wj : j["words"]) {
            if (!wj.is_object()) throw error(errc::usage, fmt::format("cue {}: a word is not an object", number));
            word w;
            w.text = string_or_empty(wj, "text", number);
            w.start = finite_time(wj, "start", number);
            w.end = std::max(w.start, finite_time(wj, "end", number));
            w.probability =
                wj.contains("p") && wj["p"].is_number() ? std::clamp(wj["p"].get<float>(), 0.0f, 1.0f) : 1.0f;
            w.speaker = c.speaker;
            w.song = c.song;
            c.words.push_back(std::move(w));
        }
    }
    return c;
}

std::vector<std::pair<const track*, std::vector<subs::cue>>> tracks_from_page(const job_view& view, const json& body) {
    if (!body.is_object() || !body.contains("tracks") || !body["tracks"].is_array())
        throw error(errc::usage, "the request has no 'tracks' list");
    // The film may run past the demuxed clip by a little (the last cue's lead-out); more is an error.
    const double max_end = (view.duration > 0 ? view.duration : 1e9) + 10;
    std::vector<std::pair<const track*, std::vector<subs::cue>>> out;
    for (const auto& t : body["tracks"]) {
        if (!t.is_object() || !t.contains("lang") || !t["lang"].is_string())
            throw error(errc::usage, "a track has no 'lang'");
        const auto lang = t["lang"].get<std::string>();
        const auto* tr = view.find(lang);
        if (!tr) throw error(errc::usage, fmt::format("the job has no track '{}'", util::sanitize_utf8(lang)));
        if (std::any_of(out.begin(), out.end(), [&](const auto& p) { return p.first == tr; }))
            throw error(errc::usage, fmt::format("track '{}' is given twice", lang));
        if (!t.contains("cues") || !t["cues"].is_array())
            throw error(errc::usage, fmt::format("track '{}' has no 'cues' list", lang));
        if (t["cues"].size() > max_cues_per_track)
            throw error(errc::usage, fmt::format("track '{}' has more than {} cues", lang, max_cues_per_track));
        std::vector<subs::cue> cues;
        int number = 0;
        for (const auto& cj : t["cues"]) {
            auto c = cue_from_page(cj, ++number, max_end);
            if (!cues.empty() && c.start < cues.back().start)
                throw error(errc::usage,
                            fmt::format("track '{}': cue {} starts before cue {}", lang, number, number - 1));
            cues.push_back(std::move(c));
        }
        out.emplace_back(tr, std::move(cues));
    }
    return out;
}

json check_tracks(const job_view& view, const std::vector<std::pair<const track*, std::vector<subs::cue>>>& tracks) {
    json out = json::array();
    for (const auto& [tr, cues] : tracks) {
        const auto report = subs::check_cues(cues, tr->style, view.fps);
        json vs = json::array();
        for (const auto& v : report.violations) vs.push_back(page_violation(v));
        out.push_back({{"lang", tr->language}, {"violations", vs}, {"hard", report.hard()}, {"soft", report.soft()}});
    }
    return {{"tracks", out}};
}

json waveform(const job_view& view, int rate) {
    const auto audio = pipeline::artefact_path(view.job, stages::demux_files::audio);
    std::error_code ec;
    json peaks = json::array();
    if (!fs::exists(audio, ec) || rate <= 0) return {{"rate", rate}, {"peaks", peaks}};
    const asr::audio_file file(audio);
    const auto samples = file.samples();
    const std::size_t step = static_cast<std::size_t>(16000 / rate);
    for (std::size_t i = 0; i < samples.size(); i += step) {
        const auto piece = samples.subspan(i, std::min(step, samples.size() - i));
        float peak = 0;
        for (const float s : piece) peak = std::max(peak, std::fabs(s));
        peaks.push_back(std::round(std::min(peak, 1.0f) * 100.0f) / 100.0f);
        file.release(piece);
    }
    return {{"rate", rate}, {"peaks", peaks}};
}

json document(const job_view& view, const std::string& media_url, const json& media_extra) {
    const auto& job = view.job;
    const auto state = jobs::read_review_state(job.dir);
    json doc{{"schema", 1}, {"title", view.title}, {"fps", view.fps}, {"duration", util::round_ms(view.duration)}};
    json media{{"url", media_url.empty() ? json(nullptr) : json(media_url)}, {"offset", view.offset}};
    media.update(media_extra);
    doc["media"] = media;
    doc["revision"] = state.revision;
    json revisions = json::array();
    for (int n = 1; n <= state.revision; ++n) {
        const auto meta = read_json_or_null(jobs::revision_dir(job.dir, n) / "revision.json");
        revisions.push_back({{"number", n},
                             {"time", meta.is_object() ? meta.value("time", "") : ""},
                             {"tracks", meta.is_object() ? meta.value("tracks", json::array()) : json::array()}});
    }
    doc["revisions"] = revisions;

    json tracks = json::array();
    for (const auto& t : view.tracks) {
        const auto cues = current_cues(view, t, state);
        json cj = json::array();
        for (const auto& c : cues) cj.push_back(page_cue(c));
        const auto report = subs::check_cues(cues, t.style, view.fps);
        json vs = json::array();
        for (const auto& v : report.violations) vs.push_back(page_violation(v));
        auto profile = t.style.to_json();
        const auto* reviewed = state.find(t.language);
        tracks.push_back({{"lang", t.language},
                          {"name", t.name},
                          {"file", reviewed ? reviewed->file.filename().string() : t.stage_file.filename().string()},
                          {"script", t.language == "hi" ? "Deva" : "Latn"},
                          {"revision", reviewed ? reviewed->revision : 0},
                          {"profile", profile},
                          {"cues", cj},
                          {"violations", vs}});
    }
    doc["tracks"] = tracks;

    json names = json::object(), guesses = json::object(), turns = json::array();
    const auto speakers = read_json_or_null(pipeline::artefact_path(job, stages::speakers_files::speakers));
    if (speakers.is_object()) {
        for (const auto& s : speakers.value("per_speaker", json::array())) {
            const auto label = s.value("speaker", "");
            if (s.contains("name") && s["name"].is_string()) names[label] = s["name"];
            if (s.contains("suggested") && s["suggested"].is_object() && s["suggested"].contains("name"))
                guesses[label] = s["suggested"]["name"];
        }
        for (const auto& t : speakers.value("turns", json::array()))
            turns.push_back({{"start", util::round_ms(number_or(t, "start", 0))},
                             {"end", util::round_ms(number_or(t, "end", 0))},
                             {"speaker", t.value("speaker", "")}});
    }
    doc["speakers"] = {{"names", names}, {"guesses", guesses}, {"turns", turns}};

    json speech = json::array();
    const auto vad = read_json_or_null(pipeline::artefact_path(job, stages::vad_files::speech));
    if (vad.is_object())
        for (const auto& s : vad.value("segments", json::array()))
            speech.push_back(
                {{"start", util::round_ms(number_or(s, "start", 0))}, {"end", util::round_ms(number_or(s, "end", 0))}});
    doc["speech"] = speech;

    json songs = json::array();
    const auto sj = read_json_or_null(pipeline::artefact_path(job, stages::songs_files::songs));
    if (sj.is_object())
        for (const auto& s : sj.value("segments", json::array())) {
            const auto kind = s.value("kind", "");
            if (kind != "song" && kind != "music") continue;
            songs.push_back({{"start", util::round_ms(number_or(s, "start", 0))},
                             {"end", util::round_ms(number_or(s, "end", 0))},
                             {"kind", kind},
                             {"confidence", number_or(s, "confidence", 0)}});
        }
    doc["songs"] = songs;

    json removed = json::array();
    const auto rj = read_json_or_null(pipeline::artefact_path(job, stages::subtitles_files::removed));
    if (rj.is_object())
        for (const auto& r : rj.value("removed", json::array())) {
            removed.push_back({{"track", r.value("language", "")},
                               {"start", util::round_ms(number_or(r, "start", 0))},
                               {"end", util::round_ms(number_or(r, "end", 0))},
                               {"text", r.value("text", "")},
                               {"reason", r.value("reason", "")},
                               {"action", r.value("action", "")},
                               {"detail", r.value("detail", "")}});
        }
    doc["removed"] = removed;

    json corrections = json::array();
    const auto cj = read_json_or_null(pipeline::artefact_path(job, stages::correction_files::corrections));
    if (cj.is_object())
        for (const auto& c : cj.value("corrections", json::array()))
            corrections.push_back({{"track", c.value("track", "")},
                                   {"start", util::round_ms(number_or(c, "start", 0))},
                                   {"from", c.value("before", "")},
                                   {"to", c.value("after", "")},
                                   {"term", c.value("term", "")}});
    doc["corrections"] = corrections;
    doc["waveform"] = waveform(view);
    return doc;
}

}  // namespace cinesub::review
