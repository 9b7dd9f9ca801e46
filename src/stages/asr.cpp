// ASR stage: audio.wav + speech.json → transcript.<lang>.json (one per track), tracks.json, summary.json.
//
// Workflows (job setting "workflow"):
//   transcribe  one pass, task transcribe, language source_lang ("auto": detected) → transcript.<lang>.json
//   translate   one pass, task translate → transcript.en.json
//   subtitle    transcribe, then translate with the language the first pass used, on the same speech map
//               and therefore the same chunks (one timeline) → transcript.<lang>.json + transcript.en.json.
//               An English source needs no translation pass: its transcript is the English track.
// The replay engine (asr.engine = replay:FILE) goes through the same stage: it ignores the audio and
// returns the reference. Its transcript is the source track, named by the reference's language
// (source_lang when the reference has none); it cannot translate, so the English track exists only
// when the reference is English — otherwise the stage logs a warning and writes the source track only.
//
// Synthetic models: the engine sets transcript.synthetic from the model file (inspect_whisper_file
// recognises make-synthetic-model's output by its content); this stage copies it into tracks.json and
// summary.json ("synthetic": true) so later stages can name their outputs *.SYNTHETIC.*.
#include "asr/engine.hpp"
#include "asr/wav.hpp"
#include "cinesub/error.hpp"
#include "stages/stages.hpp"
#include "util/fs.hpp"

#include <fmt/format.h>

#include <chrono>

namespace cinesub::stages {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view replay_prefix = "replay:";

// asr.* settings with the prefix stripped, as the engine reads them.
json engine_options(const jobs::job& job) {
    json out = json::object();
    const auto flat = job.values_with_prefix("asr.");
    for (auto it = flat.begin(); it != flat.end(); ++it) out[it.key().substr(4)] = it.value();
    return out;
}

std::string engine_spec(const jobs::job& job) { return job.get_or<std::string>("asr.engine", "whisper"); }

bool is_replay(std::string_view spec) { return spec.substr(0, replay_prefix.size()) == replay_prefix; }

struct track {
    std::string language;
    std::string task;
    std::string role;  // "source" | "translation"
    fs::path file;
    std::size_t segments = 0;
};

class asr_stage final : public pipeline::stage {
public:
    std::string_view name() const override { return "asr"; }
    bool critical() const override { return true; }

    json defaults() const override {
        // asr.model, asr.workers and asr.threads are set by `cinesub prepare` from the model cache and the
        // hardware recommendation; the values here are the fallbacks.
        return {{"asr.engine", "whisper"},
                {"asr.model", ""},
                {"asr.workers", 1},
                {"asr.threads", 2},
                {"asr.beam_size", 5},
                {"asr.best_of", 5},
                {"asr.temperature", 0.0},
                {"asr.temperature_inc", 0.2},
                {"asr.entropy_thold", 2.4},
                {"asr.logprob_thold", -1.0},
                {"asr.no_speech_thold", 0.6},
                {"asr.chunk_s", 30.0},
                {"asr.max_gap_s", 1.0},
                {"asr.max_tokens", 0},
                {"asr.dtw", true},
                {"asr.gpu", true},
                {"asr.suppress_nst", false},
                {"asr.detect_chunks", 1},
                {"asr.prompt", ""}};
    }

    std::vector<fs::path> inputs(const jobs::job& job) const override {
        std::vector<fs::path> in{pipeline::stage_output(job, "demux", "audio.wav"),
                                 pipeline::stage_output(job, "vad", "speech.json")};
        const auto spec = engine_spec(job);
        if (is_replay(spec)) {
            in.emplace_back(spec.substr(replay_prefix.size()));
        } else if (auto model = job.get_or<std::string>("asr.model", ""); !model.empty()) {
            in.emplace_back(model);
        }
        return in;
    }

    json settings(const jobs::job& job) const override {
        auto s = job.values_with_prefix("asr.");
        // The model file is an input (hashed); workers and threads do not change the output (parallel
        // decoding gives the same result as sequential), so changing them does not re-run the stage.
        for (const char* k : {"asr.model", "asr.model_name", "asr.workers", "asr.threads"}) s.erase(k);
        s["workflow"] = job.get_or<std::string>("workflow", "subtitle");
        s["source_lang"] = job.get_or<std::string>("source_lang", "auto");
        return s;
    }

    std::vector<fs::path> run(pipeline::stage_context& ctx) override {
        const auto t0 = std::chrono::steady_clock::now();
        const auto workflow = ctx.job.get_or<std::string>("workflow", "subtitle");
        if (workflow != "subtitle" && workflow != "transcribe" && workflow != "translate")
            throw error(errc::job_invalid,
                        fmt::format("unknown workflow '{}' (subtitle, transcribe, translate)", workflow));
        auto source_lang = ctx.job.get_or<std::string>("source_lang", "auto");
        if (source_lang.empty()) source_lang = "auto";
        const auto spec = engine_spec(ctx.job);
        const bool replay = is_replay(spec);
        const auto options = engine_options(ctx.job);

        const auto audio_path = ctx.output_of("demux", "audio.wav");
        const auto audio = asr::read_wav_16k_mono(audio_path);
        if (audio.empty() && !replay)
            throw error(errc::input_empty_audio,
                        fmt::format("{} has no samples: nothing to transcribe", audio_path.string()));
        const auto speech = load_speech_map(ctx.output_of("vad", "speech.json"));
        const double duration = static_cast<double>(audio.size()) / 16000.0;

        auto engine = asr::make_engine(spec, options);
        ctx.log->info("ASR: engine {}, workflow {}, source language {}, {:.1f} s of audio, {} speech segments",
                      engine->name(), workflow, source_lang, duration, speech.segments.size());

        // Passes: (task, language, progress share).
        const bool two_passes = workflow == "subtitle" && !replay && source_lang != "en";
        std::vector<track> tracks;
        json passes = json::array();
        bool synthetic = false;

        auto run_pass = [&](const std::string& task, const std::string& language, double from, double to) {
            asr::request req;
            req.audio = audio;
            req.speech = &speech;
            req.task = task;
            req.language = language;
            req.options = options;
            req.on_progress = [&, task, from, to](double f, std::string_view detail) {
                ctx.progress.report(from + (to - from) * f, fmt::format("{}: {}", task, detail));
            };
            req.should_stop = [&] { return ctx.should_stop(); };
            try {
                auto t = engine->run(req);
                auto info = engine->last_run_info();
                info["task"] = task;
                passes.push_back(std::move(info));
                return t;
            } catch (const error& e) {
                if (e.code() == errc::interrupted) ctx.check_stop();  // stage_timeout when the deadline passed
                throw;
            }
        };
        auto write_track = [&](transcript t, const std::string& role) {
            if (t.language.empty() || t.language == "auto") t.language = source_lang == "auto" ? "und" : source_lang;
            synthetic = synthetic || t.synthetic;
            const auto file = ctx.dir / fmt::format("transcript.{}.json", t.language);
            for (const auto& tr : tracks)
                if (tr.file == file) return;  // already written (e.g. an English reference in both roles)
            save_transcript(file, t);
            tracks.push_back({t.language, t.task, role, file, t.segments.size()});
            ctx.log->info("ASR: {} track {} ({}), {} segments{}", role, file.filename().string(), t.task,
                          t.segments.size(),
                          t.synthetic ? " — SYNTHETIC model: mechanics only, the text means nothing" : "");
        };

        if (replay) {
            auto t = run_pass("transcribe", source_lang, 0.0, 1.0);
            const bool english = t.language == "en" || (t.language.empty() && source_lang == "en");
            if (workflow == "translate" && !english) {
                ctx.log->warn(
                    "ASR: the replay engine cannot translate; the {} reference is written as the source track only",
                    t.language.empty() ? source_lang : t.language);
            }
            const char* role = !english                  ? "source"
                               : workflow == "subtitle"  ? "source+translation"
                               : workflow == "translate" ? "translation"
                                                         : "source";
            write_track(std::move(t), role);
        } else if (workflow == "translate") {
            write_track(run_pass("translate", source_lang, 0.0, 1.0), "translation");
        } else {
            auto t = run_pass("transcribe", source_lang, 0.0, two_passes ? 0.5 : 1.0);
            std::string used = passes.back().value("language", t.language);
            if (used.empty() || used == "und") used = "auto";
            const bool english = t.language == "en";
            write_track(std::move(t), "source");
            if (two_passes && !english) {
                ctx.check_stop();
                write_track(run_pass("translate", used, 0.5, 1.0), "translation");
            } else if (workflow == "subtitle") {
                tracks.back().role = "source+translation";  // English source: the same track serves both
            }
        }
        ctx.check_stop();

        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        json tracks_json = json::array();
        for (const auto& t : tracks)
            tracks_json.push_back({{"language", t.language},
                                   {"task", t.task},
                                   {"role", t.role},
                                   {"file", t.file.filename().string()},
                                   {"segments", t.segments}});
        const json first = passes.empty() ? json::object() : passes.front();
        const json tracks_doc{{"schema", 1}, {"synthetic", synthetic}, {"tracks", tracks_json}};
        json summary{{"schema", 1},
                     {"engine", engine->name()},
                     {"workflow", workflow},
                     {"source_lang", source_lang},
                     {"model", first.value("model", options.value("model", std::string{}))},
                     {"model_type", first.value("model_type", std::string{})},
                     {"synthetic", synthetic},
                     {"chunks", first.value("chunks", 0)},
                     {"language", first.value("language", tracks.empty() ? std::string{} : tracks.front().language)},
                     {"language_probability", first.value("language_probability", 1.0)},
                     {"language_detected", first.value("language_detected", false)},
                     {"audio_seconds", duration},
                     {"wall_seconds", wall},
                     {"realtime_factor", duration > 0 ? wall / duration : 0.0},
                     {"x_realtime", wall > 0 ? duration / wall : 0.0},
                     {"workers", first.value("workers", options.value("workers", 1))},
                     {"threads", first.value("threads", options.value("threads", 1))},
                     {"tracks", tracks_json},
                     {"passes", passes}};
        if (synthetic)
            summary["note"] = "SYNTHETIC: random-weight model, mechanics only; the text is not a transcription";

        std::vector<fs::path> out;
        for (const auto& t : tracks) out.push_back(t.file);
        util::write_json_atomic(ctx.dir / "tracks.json", tracks_doc);
        util::write_json_atomic(ctx.dir / "summary.json", summary);
        out.push_back(ctx.dir / "tracks.json");
        out.push_back(ctx.dir / "summary.json");
        ctx.log->info("ASR: done in {:.1f} s ({:.2f}x realtime), {} track(s){}", wall, wall > 0 ? duration / wall : 0.0,
                      tracks.size(), synthetic ? ", SYNTHETIC" : "");
        return out;
    }
};

}  // namespace

std::unique_ptr<pipeline::stage> make_asr_stage() { return std::make_unique<asr_stage>(); }

}  // namespace cinesub::stages
