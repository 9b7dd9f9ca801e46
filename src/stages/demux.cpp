// Demux stage: media file → audio.wav (16 kHz mono float32, the clip range only) + media.json.
#include "cinesub/error.hpp"
#include "media/media.hpp"
#include "stages/stages.hpp"
#include "util/fs.hpp"

#include <fmt/format.h>

namespace cinesub::stages {

namespace {

namespace fs = std::filesystem;

media::clip_range job_range(const jobs::job& job) {
    media::clip_range range;
    range.start = job.get_or<double>("range.start", 0.0);
    if (job.has("range.end") && !job.settings.at("range.end").value.is_null()) range.end = job.get<double>("range.end");
    return range;
}

std::optional<int> job_audio_stream(const jobs::job& job) {
    if (!job.has("audio_stream") || job.settings.at("audio_stream").value.is_null()) return std::nullopt;
    return job.get<int>("audio_stream");
}

class demux_stage final : public pipeline::stage {
public:
    std::string_view name() const override { return "demux"; }
    bool critical() const override { return true; }

    std::vector<fs::path> inputs(const jobs::job& job) const override { return {job.media_path()}; }

    nlohmann::json settings(const jobs::job& job) const override {
        const auto range = job_range(job);
        const auto stream = job_audio_stream(job);
        return {{"audio_stream", stream ? nlohmann::json(*stream) : nlohmann::json(nullptr)},
                {"range.start", range.start},
                {"range.end", range.end ? nlohmann::json(*range.end) : nlohmann::json(nullptr)}};
    }

    std::vector<fs::path> run(pipeline::stage_context& ctx) override {
        media::demux_options o;
        o.range = job_range(ctx.job);
        o.audio_stream = job_audio_stream(ctx.job);
        o.progress = [&](double f) { ctx.progress.report(f, "decoding audio"); };
        o.should_stop = [&] { return ctx.should_stop(); };
        const auto media = ctx.job.media_path();
        ctx.log->info("demux: {} (stream {}, {:.3f}–{} s) → 16 kHz mono float WAV", media.string(),
                      o.audio_stream ? fmt::format("#{}", *o.audio_stream) : std::string("best"), o.range.start,
                      o.range.end ? fmt::format("{:.3f}", *o.range.end) : std::string("end"));
        const auto wav = ctx.dir / "audio.wav";
        media::demux_result r;
        try {
            r = media::demux_audio(media, wav, o);
        } catch (const error& e) {
            if (e.code() == errc::interrupted) ctx.check_stop();  // stage_timeout when the deadline passed
            throw;
        }
        const auto* a = r.info.stream(r.audio_stream);
        ctx.log->info("demux: stream #{} ({} {} Hz, {} ch{}) → {} samples ({:.3f} s){}", r.audio_stream,
                      a ? a->codec : "?", a ? a->sample_rate : 0, a ? a->channels : 0,
                      a && !a->language.empty() ? ", " + a->language : "", r.samples,
                      static_cast<double>(r.samples) / media::output_sample_rate,
                      r.info.fps > 0 ? fmt::format(", video {:.3f} fps", r.info.fps) : "");
        if (r.decode_errors > 0)
            ctx.log->warn("demux: {} audio packet(s) could not be decoded and were skipped", r.decode_errors);
        if (r.lead_in_seconds > 0.001)
            ctx.log->info("demux: audio starts {:.3f} s after the clip start; padded with silence", r.lead_in_seconds);
        if (r.gap_seconds > 0.001)
            ctx.log->warn("demux: {:.3f} s of silence inserted where the audio had gaps", r.gap_seconds);
        const auto json_path = ctx.dir / "media.json";
        util::write_json_atomic(json_path, r.to_json());
        return {wav, json_path};
    }
};

}  // namespace

std::unique_ptr<pipeline::stage> make_demux_stage() { return std::make_unique<demux_stage>(); }

}  // namespace cinesub::stages
