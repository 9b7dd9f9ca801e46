// Speakers stage (optional: fails soft): audio.wav + speech.json → speakers.rttm (NIST RTTM, file id
// "media") and speakers.json (the turns, the speaker count, each speaker's speaking time, the
// clustering's eigenvalues and one-speaker test). speakers::diarize does the work, from the signal alone.
#include "asr/wav.hpp"
#include "cinesub/error.hpp"
#include "speakers/diarize.hpp"
#include "speakers/params.hpp"
#include "speakers/rttm.hpp"
#include "stages/artefacts.hpp"
#include "stages/stages.hpp"
#include "util/fs.hpp"

#include <fmt/format.h>

#include <chrono>

namespace cinesub::stages {

namespace {

using nlohmann::json;

class speakers_stage final : public pipeline::stage {
public:
    std::string_view name() const override { return "speakers"; }
    bool critical() const override { return false; }

    std::vector<pipeline::setting_use> settings_read() const override {
        return pipeline::setting_uses().all(speakers::params::schema());
    }

    std::vector<std::filesystem::path> inputs(const cinesub::job& job) const override {
        return {pipeline::artefact_path(job, demux_files::audio), pipeline::artefact_path(job, vad_files::speech)};
    }

    std::vector<std::filesystem::path> run(pipeline::stage_context& ctx) override {
        const auto t0 = std::chrono::steady_clock::now();
        const auto p = settings::read<speakers::params>(ctx.job.settings);
        speakers::diarization d;
        if (p.enabled) {
            if (p.min_speakers > p.max_speakers)
                throw error(errc::job_invalid,
                            fmt::format("speakers.min_speakers ({}) is more than speakers.max_speakers ({})",
                                        p.min_speakers, p.max_speakers));
            const asr::audio_file file(ctx.path(demux_files::audio));
            const auto speech = load_speech_map(ctx.path(vad_files::speech));
            speakers::diarize_options o;
            o.min_speakers = p.min_speakers;
            o.max_speakers = p.max_speakers;
            o.min_turn_s = p.min_turn_s;
            ctx.progress.report(0.0, "speaker clustering");
            const auto stop = ctx.stop_flag();
            d = speakers::diarize(file.samples(), speech, o, stop);
            ctx.check_stop();
        }
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        json turns = json::array();
        for (const auto& t : d.turns) turns.push_back({{"start", t.start}, {"end", t.end}, {"speaker", t.speaker}});
        json per = json::array();
        for (std::size_t i = 0; i < d.speaking_seconds.size(); ++i)
            per.push_back({{"speaker", fmt::format("SPEAKER_{:02}", i)}, {"seconds", d.speaking_seconds[i]}});
        const json doc{{"schema", 1},
                       {"enabled", p.enabled},
                       {"engine", "signal: MFCC window statistics, spectral clustering"},
                       {"speakers", d.speakers},
                       {"min_speakers", p.min_speakers},
                       {"max_speakers", p.max_speakers},
                       {"speaking_seconds", per},
                       {"windows", d.windows},
                       {"eigenvalues", d.eigenvalues},
                       {"separation", d.mean_similarity},
                       {"delta_bic", d.delta_bic},
                       {"turns", turns}};
        const auto rttm = ctx.path(speakers_files::rttm);
        const auto js = ctx.path(speakers_files::speakers);
        speakers::write_rttm(rttm, "media", d.turns);
        util::write_json_atomic(js, doc);
        ctx.record("wall_seconds", wall);
        ctx.log->info("speakers: {} found in {} turns ({:.1f} s){}", d.speakers, d.turns.size(), wall,
                      p.enabled ? "" : " — speakers.enabled is false");
        return {rttm, js};
    }
};

}  // namespace

std::unique_ptr<pipeline::stage> make_speakers_stage() { return std::make_unique<speakers_stage>(); }

}  // namespace cinesub::stages
