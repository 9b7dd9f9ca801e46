// ASR stage: audio.wav + speech.json → transcript.<lang>.json (one per track), tracks.json, summary.json.
//
// Workflows (job setting "workflow"):
//   transcribe  one pass, task transcribe, language source_lang ("auto": detected) → transcript.<lang>.json
//   translate   one pass, task translate → transcript.en.json
//   subtitle    transcribe, then translate with the language the first pass used, on the same speech map
//               and therefore the same chunks (one timeline) → transcript.<lang>.json + transcript.en.json.
//               An English source needs no translation pass: its transcript is the English track.
// The replay engine (asr.engine = replay) goes through the same stage: it ignores the audio and
// returns the reference. Its transcript is the source track, named by the reference's language
// (source_lang when the reference has none); it cannot translate, so the English track exists only
// when the reference is English — otherwise the stage logs a warning and writes the source track only.
//
// Synthetic models: the engine sets transcript.synthetic from the model file (inspect_whisper_file
// recognises make-synthetic-model's output by its content); this stage copies it into tracks.json and
// summary.json ("synthetic": true) so later stages can name their outputs *.SYNTHETIC.*.
//
// Prompts: with the context stage's glossary and asr.prompt empty, each chunk's prompt names the
// film's names most likely near it (context::prompt_planner, settings context.prompt*): in the
// transcribe pass from the chunks decoded before it in its stream, in the translate pass of the
// subtitle workflow from the source track around it. prompts.json lists every chunk's prompt with
// the names, their weights and its size in tokens (by the model's tokenizer).
//
// summary.json holds what the run produced (deterministic for the same inputs and settings); how it
// ran (wall time, speed, workers) goes to the manifest's metrics.
#include "asr/engine.hpp"
#include "asr/params.hpp"
#include "asr/wav.hpp"
#include "cinesub/error.hpp"
#include "context/glossary.hpp"
#include "context/prompt.hpp"
#include "jobs/params.hpp"
#include "songs/detect.hpp"
#include "songs/params.hpp"
#include "stages/artefacts.hpp"
#include "stages/stages.hpp"
#include "util/fs.hpp"
#include "util/path_json.hpp"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <map>
#include <mutex>

namespace cinesub::stages {

namespace {

using nlohmann::json;

struct track {
    std::string language;
    std::string task;
    std::string role;  // "source" | "translation" | "source+translation"
    std::string file;
    std::size_t segments = 0;
};

// Facts of an engine run that depend on the machine, not on the inputs: kept out of summary.json.
constexpr std::array<std::string_view, 9> run_metrics = {"wall_seconds", "realtime_factor", "x_realtime",
                                                         "workers",      "threads",         "tail_chunks",
                                                         "tail_threads", "encode_seconds",  "decode_seconds"};

// Splits an engine's run info into deterministic facts and metrics.
json take_metrics(json& info) {
    json metrics = json::object();
    for (auto key : run_metrics) {
        const std::string k(key);
        if (info.contains(k)) {
            metrics[k] = info[k];
            info.erase(k);
        }
    }
    return metrics;
}

class asr_stage final : public pipeline::stage {
public:
    std::string_view name() const override { return "asr"; }
    bool critical() const override { return true; }

    std::vector<pipeline::setting_use> settings_read() const override {
        // The model and reference files are inputs (hashed); workers and threads do not change the
        // output (parallel decoding gives the same result as sequential), so they do not re-run it.
        return pipeline::setting_uses()
            .all(asr::params::schema())
            .all(context::prompt_params::schema())
            .only(jobs::job_params::schema(), {"workflow", "source_lang"})
            .only(songs::params::schema(), {"songs.skip_music", "songs.mode"})
            .input({"asr.model", "asr.replay"})
            .not_hashed({"asr.model_name", "asr.workers", "asr.threads", "songs.mode"});
    }

    // Of songs.mode only "skip" changes what Whisper hears (mark and translate differ in the subtitles).
    json derived_settings(const cinesub::job& job) const override {
        return {{"songs.skip_songs", settings::read<songs::params>(job.settings).mode == songs::lyrics_mode::skip}};
    }

    std::vector<std::filesystem::path> inputs(const cinesub::job& job) const override {
        std::vector<std::filesystem::path> in{pipeline::artefact_path(job, demux_files::audio),
                                              pipeline::artefact_path(job, vad_files::speech)};
        const auto p = settings::read<asr::params>(job.settings);
        if (p.engine == asr::engine_kind::replay)
            in.push_back(p.replay);
        else if (!p.model.empty())
            in.push_back(p.model);
        std::error_code ec;
        if (const auto g = pipeline::artefact_path(job, context_files::glossary); std::filesystem::exists(g, ec))
            in.push_back(g);  // the prompts name its names
        if (const auto s = pipeline::artefact_path(job, speakers_files::speakers); std::filesystem::exists(s, ec))
            in.push_back(s);  // named speakers weigh on the prompts
        if (const auto s = pipeline::artefact_path(job, songs_files::songs); std::filesystem::exists(s, ec))
            in.push_back(s);  // instrumental music (and, with songs.mode=skip, songs) is left out
        return in;
    }

    std::vector<std::filesystem::path> run(pipeline::stage_context& ctx) override {
        const auto t0 = std::chrono::steady_clock::now();
        const auto job_p = settings::read<jobs::job_params>(ctx.job.settings);
        const auto p = settings::read<asr::params>(ctx.job.settings);
        const auto workflow = job_p.workflow;
        const auto source_lang = job_p.source_lang;
        const bool replay = p.engine == asr::engine_kind::replay;

        const auto audio_path = ctx.path(demux_files::audio);
        const asr::audio_file audio_map(audio_path);  // mapped: each chunk's pages are dropped once copied
        const auto audio = audio_map.samples();
        if (audio.empty() && !replay)
            throw error(errc::input_empty_audio,
                        fmt::format("{} has no samples: nothing to transcribe", audio_path.string()));
        auto speech = load_speech_map(ctx.path(vad_files::speech));
        const double duration = static_cast<double>(audio.size()) / 16000.0;
        // What Whisper does not hear: instrumental music (songs.skip_music) and, with songs.mode=skip, songs.
        json left_out = json::object();
        {
            std::error_code songs_ec;
            const auto sp = settings::read<songs::params>(ctx.job.settings);
            const auto songs_json = ctx.path(songs_files::songs);
            if (!replay && std::filesystem::exists(songs_json, songs_ec) &&
                (sp.skip_music || sp.mode == songs::lyrics_mode::skip)) {
                const auto sounds = load_sound_segments(songs_json);
                std::vector<songs::sound> kinds;
                if (sp.skip_music) kinds.push_back(songs::sound::music);
                if (sp.mode == songs::lyrics_mode::skip) kinds.push_back(songs::sound::song);
                // Seconds of VAD speech that go, per kind left out.
                const auto gone = [&](songs::sound kind) {
                    const bool out = std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
                    return out ? std::round(seconds_inside(speech.segments, sounds, std::array{kind}) * 1000) / 1000
                               : 0.0;
                };
                const double music_s = gone(songs::sound::music), song_s = gone(songs::sound::song);
                const auto before = speech.segments.size();
                speech.segments = songs::without_sounds(speech.segments, sounds, kinds);
                left_out = {{"music_seconds", music_s},
                            {"song_seconds", song_s},
                            {"speech_segments_before", before},
                            {"speech_segments_after", speech.segments.size()}};
                ctx.log->info("ASR: {:.1f} s of VAD speech inside instrumental music{} left out ({} → {} segments)",
                              music_s,
                              sp.mode == songs::lyrics_mode::skip ? fmt::format(", {:.1f} s inside songs", song_s) : "",
                              before, speech.segments.size());
            }
        }

        auto engine = asr::make_engine(p);
        ctx.log->info("ASR: engine {}, workflow {}, source language {}, {:.1f} s of audio, {} speech segments",
                      engine->name(), workflow_name(workflow), source_lang, duration, speech.segments.size());

        const bool two_passes = workflow == cinesub::workflow::subtitle && !replay && source_lang != "en";
        std::vector<track> tracks;
        json passes = json::array(), pass_metrics = json::array();
        bool synthetic = false;

        // Prompts from the glossary (none: asr.prompt set, context.prompt=off, no glossary, or replay).
        const auto pp = settings::read<context::prompt_params>(ctx.job.settings);
        context::glossary glossary;
        std::unique_ptr<context::prompt_planner> planner;
        std::string no_prompts;
        std::error_code ec;
        if (replay)
            no_prompts = "the replay engine takes no prompt";
        else if (!p.prompt.empty())
            no_prompts = "asr.prompt is set: it is every chunk's prompt";
        else if (pp.mode == context::prompt_mode::off)
            no_prompts = "context.prompt=off";
        else if (!std::filesystem::exists(ctx.path(context_files::glossary), ec))
            no_prompts = "no glossary (the context stage did not run)";
        if (no_prompts.empty()) {
            glossary = context::glossary_from_json(util::read_json(ctx.path(context_files::glossary)));
            planner = std::make_unique<context::prompt_planner>(glossary, pp);
            if (planner->candidates() == 0) {
                planner.reset();
                no_prompts = "the glossary has no character, user or story name";
            }
        }
        // Named speaker turns (the user's speaker map, through the speakers stage) weigh on the prompts.
        std::vector<context::named_turn> named;
        if (planner && std::filesystem::exists(ctx.path(speakers_files::speakers), ec)) {
            const auto doc = util::read_json(ctx.path(speakers_files::speakers));
            for (const auto& t : doc.value("turns", json::array()))
                if (t.contains("name"))
                    named.push_back({t.value("start", 0.0), t.value("end", 0.0), t.value("name", std::string{})});
        }
        json prompt_passes = json::array();

        auto run_pass = [&](const std::string& task, const std::string& language, double from, double to,
                            const transcript* source = nullptr) {
            asr::request req;
            std::map<int, json> plans;
            std::mutex plans_mutex;
            bool warned_unwritable = false;
            if (planner) {
                const bool rolling = pp.mode == context::prompt_mode::rolling;
                req.prompt_streams = rolling && !source ? pp.streams : 0;
                req.prompt_for = [&, rolling, source](const asr::prompt_query& q) {
                    const double window = pp.window_s;
                    std::vector<context::timed_text> near;
                    if (rolling && source) {
                        for (const auto& s : source->segments)
                            if (s.end > q.start - window && s.start < q.end + window)
                                near.push_back({s.start, s.end, s.text});
                    } else if (rolling) {
                        for (int j = q.index - 1; j >= q.first; --j) {
                            const auto& segs = q.segments_of(j);
                            for (const auto& s : segs)
                                if (s.end > q.start - window) near.push_back({s.start, s.end, s.text});
                            if (!segs.empty() && segs.back().end <= q.start - window) break;
                        }
                    }
                    const auto plan = planner->plan_for(q.start, q.end, q.translate ? "en" : q.language, near, named,
                                                        q.count_tokens, q.max_tokens);
                    json names = json::array();
                    for (const auto& n : plan.names)
                        names.push_back({{"term", glossary.entries[n.entry].term},
                                         {"shown", n.shown},
                                         {"weight", std::round(n.weight * 1000) / 1000},
                                         {"importance", std::round(n.importance * 1000) / 1000},
                                         {"nearby", n.nearby},
                                         {"speaking", n.speaking}});
                    if (plan.unwritable && plan.text.empty()) {
                        std::lock_guard lock(plans_mutex);
                        if (!warned_unwritable)
                            ctx.log->warn("ASR: the model's vocabulary cannot write {} prompts ({}): no prompt",
                                          q.translate ? "en" : q.language,
                                          context::writes_devanagari(q.language) ? "Devanagari" : "its script");
                        warned_unwritable = true;
                    }
                    json entry{{"chunk", q.index},           {"start", q.start},    {"end", q.end},
                               {"seen_from_chunk", q.first}, {"prompt", plan.text}, {"tokens", plan.tokens},
                               {"budget", q.max_tokens},     {"names", names}};
                    if (plan.unwritable) entry["unwritable"] = true;
                    std::lock_guard lock(plans_mutex);
                    plans[q.index] = std::move(entry);
                    return plan.text;
                };
            }
            req.audio = audio;
            req.speech = &speech;
            req.task = task;
            req.language = language;
            req.on_progress = [&, task, from, to](double f, std::string_view detail) {
                ctx.progress.report(from + (to - from) * f, fmt::format("{}: {}", task, detail));
            };
            req.should_stop = ctx.stop_flag();
            req.done_with = [&](std::span<const float> done) { audio_map.release(done); };
            auto t = engine->run(req);
            auto info = engine->last_run_info();
            info["task"] = task;
            json chunks_json = json::array();
            for (auto& [i, j] : plans) chunks_json.push_back(std::move(j));
            prompt_passes.push_back(
                {{"task", task}, {"language", info.value("language", language)}, {"chunks", chunks_json}});
            pass_metrics.push_back(take_metrics(info));
            passes.push_back(std::move(info));
            return t;
        };
        auto write_track = [&](transcript t, const std::string& role) {
            if (t.language.empty() || t.language == "auto") t.language = source_lang == "auto" ? "und" : source_lang;
            synthetic = synthetic || t.synthetic;
            const auto file = asr_files::transcript_file_name(t.language);
            for (const auto& tr : tracks)
                if (tr.file == file) return;  // already written (e.g. an English reference in both roles)
            save_transcript(ctx.dir / file, t);
            tracks.push_back({t.language, t.task, role, file, t.segments.size()});
            ctx.log->info("ASR: {} track {} ({}), {} segments{}", role, file, t.task, t.segments.size(),
                          t.synthetic ? " — SYNTHETIC model: mechanics only, the text means nothing" : "");
        };

        if (replay) {
            auto t = run_pass("transcribe", source_lang, 0.0, 1.0);
            const bool english = t.language == "en" || (t.language.empty() && source_lang == "en");
            if (workflow == cinesub::workflow::translate && !english) {
                ctx.log->warn(
                    "ASR: the replay engine cannot translate; the {} reference is written as the source track only",
                    t.language.empty() ? source_lang : t.language);
            }
            const char* role = !english                                   ? "source"
                               : workflow == cinesub::workflow::subtitle  ? "source+translation"
                               : workflow == cinesub::workflow::translate ? "translation"
                                                                          : "source";
            write_track(std::move(t), role);
        } else if (workflow == cinesub::workflow::translate) {
            write_track(run_pass("translate", source_lang, 0.0, 1.0), "translation");
        } else {
            auto t = run_pass("transcribe", source_lang, 0.0, two_passes ? 0.5 : 1.0);
            std::string used = passes.back().value("language", t.language);
            if (used.empty() || used == "und") used = "auto";
            const bool english = t.language == "en";
            if (two_passes && !english) {
                write_track(t, "source");  // a copy: t stays the translate pass's source track (prompts)
                ctx.check_stop();
                write_track(run_pass("translate", used, 0.5, 1.0, &t), "translation");
            } else {
                write_track(std::move(t), "source");
                if (workflow == cinesub::workflow::subtitle)
                    tracks.back().role = "source+translation";  // English source: the same track serves both
            }
        }
        ctx.check_stop();

        json tracks_json = json::array();
        for (const auto& t : tracks)
            tracks_json.push_back({{"language", t.language},
                                   {"task", t.task},
                                   {"role", t.role},
                                   {"file", t.file},
                                   {"segments", t.segments}});
        const json first = passes.empty() ? json::object() : passes.front();
        const json first_metrics = pass_metrics.empty() ? json::object() : pass_metrics.front();
        json summary{{"schema", 1},
                     {"engine", engine->name()},
                     {"workflow", workflow_name(workflow)},
                     {"source_lang", source_lang},
                     {"model", first.value("model", util::display_path(p.model))},
                     {"model_type", first.value("model_type", std::string{})},
                     {"synthetic", synthetic},
                     {"chunks", first.value("chunks", 0)},
                     {"language", first.value("language", tracks.empty() ? std::string{} : tracks.front().language)},
                     {"language_probability", first.value("language_probability", 1.0)},
                     {"language_detected", first.value("language_detected", false)},
                     {"audio_seconds", duration},
                     {"left_out", left_out},
                     {"tracks", tracks_json},
                     {"passes", passes}};
        if (synthetic)
            summary["note"] = "SYNTHETIC: random-weight model, mechanics only; the text is not a transcription";

        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        ctx.record("wall_seconds", wall);
        ctx.record("realtime_factor", duration > 0 ? wall / duration : 0.0);
        ctx.record("x_realtime", wall > 0 ? duration / wall : 0.0);
        ctx.record("workers", first_metrics.value("workers", p.workers));
        ctx.record("threads", first_metrics.value("threads", p.threads));
        ctx.record("passes", pass_metrics);

        std::vector<std::filesystem::path> out;
        out.reserve(tracks.size());
        for (const auto& t : tracks) out.push_back(ctx.dir / t.file);
        const auto tracks_path = ctx.path(asr_files::tracks);
        const auto summary_path = ctx.path(asr_files::summary);
        util::write_json_atomic(tracks_path, json{{"schema", 1}, {"synthetic", synthetic}, {"tracks", tracks_json}});
        util::write_json_atomic(summary_path, summary);
        const auto prompts_path = ctx.path(asr_files::prompts);
        json prompts{{"schema", 1},
                     {"mode", std::string(context::prompt_mode_names[static_cast<std::size_t>(pp.mode)])},
                     {"window_s", pp.window_s},
                     {"names", pp.names},
                     {"streams", pp.streams},
                     {"passes", prompt_passes}};
        if (!no_prompts.empty()) prompts["none"] = no_prompts;
        util::write_json_atomic(prompts_path, prompts);
        out.push_back(tracks_path);
        out.push_back(summary_path);
        out.push_back(prompts_path);
        ctx.log->info("ASR: done in {:.1f} s ({:.2f}x realtime), {} track(s){}", wall, wall > 0 ? duration / wall : 0.0,
                      tracks.size(), synthetic ? ", SYNTHETIC" : "");
        return out;
    }
};

}  // namespace

std::unique_ptr<pipeline::stage> make_asr_stage() { return std::make_unique<asr_stage>(); }

}  // namespace cinesub::stages
