// Demux stage: media file → audio.wav (16 kHz mono float32, the clip range only: the mix, or the front
// centre channel of a 5.1/7.1 track) + media.json + levels.f32 (two or more channels: each channel's
// RMS every 10 ms, for the speakers stage's stereo cue).
#include "jobs/params.hpp"
#include "media/media.hpp"
#include "stages/artefacts.hpp"
#include "stages/stages.hpp"
#include "util/fs.hpp"
#include "util/path_json.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace cinesub::stages {

namespace {

class demux_stage final : public pipeline::stage {
public:
    std::string_view name() const override { return "demux"; }
    bool critical() const override { return true; }

    std::vector<pipeline::setting_use> settings_read() const override {
        return pipeline::setting_uses().only(jobs::job_params::schema(),
                                             {"range.start", "range.end", "audio_stream", "audio_centre"});
    }

    std::vector<std::filesystem::path> inputs(const cinesub::job& job) const override { return {job.media_path()}; }

    std::vector<std::filesystem::path> run(pipeline::stage_context& ctx) override {
        const auto p = settings::read<jobs::job_params>(ctx.job.settings);
        media::demux_options o;
        o.range.start = p.start;
        o.range.end = p.end;
        o.audio_stream = p.audio_stream;
        o.dialogue_centre = p.audio_centre;
        o.levels_path = ctx.path(demux_files::levels);
        o.progress = [&](double f) { ctx.progress.report(f, "decoding audio"); };
        o.should_stop = ctx.stop_flag();
        const auto media = ctx.job.media_path();
        ctx.log->info("demux: {} (stream {}, {:.3f}–{} s) → 16 kHz mono float WAV", util::display_path(media),
                      o.audio_stream ? fmt::format("#{}", *o.audio_stream) : std::string("best"), o.range.start,
                      o.range.end ? fmt::format("{:.3f}", *o.range.end) : std::string("end"));
        const auto wav = ctx.path(demux_files::audio);
        const auto r = media::demux_audio(media, wav, o);
        const auto* a = r.info.stream(r.audio_stream);
        ctx.log->info("demux: stream #{} ({} {} Hz, {} ch{}) → {} samples ({:.3f} s){}", r.audio_stream,
                      a ? a->codec : "?", a ? a->sample_rate : 0, a ? a->channels : 0,
                      a && !a->language.empty() ? ", " + a->language : "", r.samples,
                      static_cast<double>(r.samples) / media::output_sample_rate,
                      r.info.fps > 0 ? fmt::format(", video {:.3f} fps", r.info.fps) : "");
        if (r.dialogue == "centre")
            ctx.log->info("demux: {} channels ({}): the dialogue track is the front centre channel", r.channels,
                          fmt::join(r.channel_names, " "));
        if (r.decode_errors > 0)
            ctx.log->warn("demux: {} audio packet(s) could not be decoded and were skipped", r.decode_errors);
        if (r.lead_in_seconds > 0.001)
            ctx.log->info("demux: audio starts {:.3f} s after the clip start; padded with silence", r.lead_in_seconds);
        if (r.gap_seconds > 0.001)
            ctx.log->warn("demux: {:.3f} s of silence inserted where the audio had gaps", r.gap_seconds);
        const auto json_path = ctx.path(demux_files::media);
        auto doc = r.to_json();
        doc["audio"]["file"] = std::string(demux_files::audio.file);
        if (r.level_frames > 0) doc["levels"]["file"] = std::string(demux_files::levels.file);
        util::write_json_atomic(json_path, doc);
        if (r.level_frames > 0) return {wav, json_path, o.levels_path};
        return {wav, json_path};
    }
};

}  // namespace

std::unique_ptr<pipeline::stage> make_demux_stage() { return std::make_unique<demux_stage>(); }

}  // namespace cinesub::stages
