// VAD stage: audio.wav → speech.json (speech segments + per-frame speech probabilities).
#include "vad/vad.hpp"
#include "asr/wav.hpp"
#include "cinesub/error.hpp"
#include "stages/stages.hpp"

#include <fmt/format.h>

#include <cstdlib>

namespace cinesub::stages {

namespace {

namespace fs = std::filesystem;

// vad.model holds the resolved path (written by `cinesub prepare`); when empty, CINESUB_VAD_MODEL.
fs::path vad_model_path(const jobs::job& job) {
    auto model = job.get_or<std::string>("vad.model", "");
    if (model.empty()) {
        if (const char* env = std::getenv("CINESUB_VAD_MODEL")) model = env;
    }
    return model;
}

// Silero's LSTM runs one frame after another, so threads inside one context barely help: the
// audio is cut into runs decoded side by side, one per CPU thread the job may use. The cuts shift
// a few probabilities near them, so the count is one of the stage's settings.
int vad_parts(const jobs::job& job) {
    return std::max(1, job.get_or<int>("asr.workers", 1) * job.get_or<int>("asr.threads", 1));
}

class vad_stage final : public pipeline::stage {
public:
    std::string_view name() const override { return "vad"; }
    bool critical() const override { return true; }

    nlohmann::json defaults() const override {
        return {{"vad.model", ""},           {"vad.threshold", 0.5},    {"vad.min_speech_ms", 250},
                {"vad.min_silence_ms", 100}, {"vad.speech_pad_ms", 30}, {"vad.max_speech_s", 30.0}};
    }

    std::vector<fs::path> inputs(const jobs::job& job) const override {
        std::vector<fs::path> in{pipeline::stage_output(job, "demux", "audio.wav")};
        if (auto model = vad_model_path(job); !model.empty()) in.push_back(model);
        return in;
    }

    nlohmann::json settings(const jobs::job& job) const override {
        auto s = job.values_with_prefix("vad.");
        s.erase("vad.model");  // the model file itself is an input (hashed)
        s["vad.parts"] = vad_parts(job);
        return s;
    }

    std::vector<fs::path> run(pipeline::stage_context& ctx) override {
        const auto model = vad_model_path(ctx.job);
        if (model.empty())
            throw error(errc::model_missing,
                        "no VAD model: vad.model is empty and CINESUB_VAD_MODEL is unset (run `cinesub models download "
                        "silero-v6.2.0`)");
        const auto p = vad::params_from_json(strip_prefix(ctx.job.values_with_prefix("vad."), "vad."));
        const auto audio_path = ctx.output_of("demux", "audio.wav");
        const auto audio = asr::read_wav_16k_mono(audio_path);
        if (audio.empty()) throw error(errc::input_empty_audio, fmt::format("{} has no samples", audio_path.string()));

        const int parts = vad_parts(ctx.job);
        vad::detector detector(model, 1);
        ctx.log->info(
            "VAD: {} on {:.1f} s of audio, up to {} parallel runs (threshold {}, min speech {} ms, min silence {} ms, "
            "pad {} ms, max {} s)",
            detector.model_version(), static_cast<double>(audio.size()) / vad::sample_rate, parts, p.threshold,
            p.min_speech_ms, p.min_silence_ms, p.speech_pad_ms, p.max_speech_s);
        speech_map map;
        try {
            map = vad::detect_parallel(
                detector, model, audio, p, parts, [&](double f) { ctx.progress.report(f, "speech detection"); },
                [&] { return ctx.should_stop(); });
        } catch (const error& e) {
            if (e.code() == errc::interrupted) ctx.check_stop();  // stage_timeout when the deadline passed
            throw;
        }
        ctx.check_stop();

        double speech = 0;
        for (const auto& s : map.segments) speech += s.end - s.start;
        ctx.log->info("VAD: {} speech segments, {:.1f} s of speech in {:.1f} s ({:.0f} %)", map.segments.size(), speech,
                      map.duration, map.duration > 0 ? 100.0 * speech / map.duration : 0.0);
        const auto out = ctx.dir / "speech.json";
        save_speech_map(out, map);
        return {out};
    }

private:
    static nlohmann::json strip_prefix(const nlohmann::json& flat, std::string_view prefix) {
        nlohmann::json out = nlohmann::json::object();
        for (auto it = flat.begin(); it != flat.end(); ++it) {
            std::string_view key = it.key();
            if (key.substr(0, prefix.size()) == prefix) key.remove_prefix(prefix.size());
            out[std::string(key)] = it.value();
        }
        return out;
    }
};

}  // namespace

std::unique_ptr<pipeline::stage> make_vad_stage() { return std::make_unique<vad_stage>(); }

}  // namespace cinesub::stages
