// VAD stage: audio.wav → speech.json (speech segments + per-frame speech probabilities).
#include "vad/vad.hpp"
#include "asr/params.hpp"
#include "asr/wav.hpp"
#include "cinesub/error.hpp"
#include "stages/artefacts.hpp"
#include "stages/stages.hpp"

#include <fmt/format.h>

#include <cstdlib>

namespace cinesub::stages {

namespace {

// vad.model holds the resolved path (written by `cinesub prepare`); when empty, CINESUB_VAD_MODEL.
std::filesystem::path vad_model_path(const vad::params& p) {
    if (!p.model.empty()) return p.model;
    if (const char* env = std::getenv("CINESUB_VAD_MODEL")) return env;
    return {};
}

// Silero's LSTM runs one frame after another, so threads inside one context barely help: the
// audio is cut into runs decoded side by side, one per CPU thread the job may use. The cuts shift
// a few probabilities near them, so their number is one of the stage's (derived) settings.
int vad_parts(const asr::params& a) { return std::max(1, a.workers * a.threads); }

class vad_stage final : public pipeline::stage {
public:
    std::string_view name() const override { return "vad"; }
    bool critical() const override { return true; }

    std::vector<pipeline::setting_use> settings_read() const override {
        return pipeline::setting_uses()
            .all(vad::params::schema())
            .only(asr::params::schema(), {"asr.workers", "asr.threads"})
            .input({"vad.model"});
    }

    nlohmann::json derived_settings(const cinesub::job& job) const override {
        return {{"vad.parts", vad_parts(settings::read<asr::params>(job.settings))}};
    }

    std::vector<std::filesystem::path> inputs(const cinesub::job& job) const override {
        std::vector<std::filesystem::path> in{pipeline::artefact_path(job, demux_files::audio)};
        if (auto model = vad_model_path(settings::read<vad::params>(job.settings)); !model.empty()) in.push_back(model);
        return in;
    }

    std::vector<std::filesystem::path> run(pipeline::stage_context& ctx) override {
        const auto p = settings::read<vad::params>(ctx.job.settings);
        const auto model = vad_model_path(p);
        if (model.empty())
            throw error(errc::model_missing,
                        "no VAD model: vad.model is empty and CINESUB_VAD_MODEL is unset (run `cinesub models download "
                        "silero-v6.2.0`)");
        const auto audio_path = ctx.path(demux_files::audio);
        const asr::audio_file file(audio_path);  // mapped: pages are dropped as the VAD passes them
        const auto audio = file.samples();
        if (audio.empty()) throw error(errc::input_empty_audio, fmt::format("{} has no samples", audio_path.string()));

        const int parts = vad_parts(settings::read<asr::params>(ctx.job.settings));
        vad::detector detector(model, 1);
        ctx.log->info(
            "VAD: {} on {:.1f} s of audio, up to {} parallel runs (threshold {}, min speech {} ms, min silence {} ms, "
            "pad {} ms, max {} s)",
            detector.model_version(), static_cast<double>(audio.size()) / vad::sample_rate, parts, p.threshold,
            p.min_speech_ms, p.min_silence_ms, p.speech_pad_ms, p.max_speech_s);
        const auto map = vad::detect_parallel(
            detector, model, audio, p, parts, [&](double f) { ctx.progress.report(f, "speech detection"); },
            ctx.stop_flag(), vad::default_min_part_blocks, [&](std::span<const float> done) { file.release(done); });
        ctx.check_stop();

        double speech = 0;
        for (const auto& s : map.segments) speech += s.end - s.start;
        ctx.log->info("VAD: {} speech segments, {:.1f} s of speech in {:.1f} s ({:.0f} %)", map.segments.size(), speech,
                      map.duration, map.duration > 0 ? 100.0 * speech / map.duration : 0.0);
        const auto out = ctx.path(vad_files::speech);
        save_speech_map(out, map);
        return {out};
    }
};

}  // namespace

std::unique_ptr<pipeline::stage> make_vad_stage() { return std::make_unique<vad_stage>(); }

}  // namespace cinesub::stages
