// Speakers stage (optional: fails soft): audio.wav + speech.json → speakers.rttm (NIST RTTM, file id
// "media") and speakers.json (the turns, the speaker count, each speaker's speaking time, the
// clustering's eigenvalues and one-speaker test). speakers::diarize does the work, from the signal alone.
// Names: the user's speaker map (speakers.map) names speakers — confirmed, shown on cues and given to
// the ASR prompts; without one, a suggestion pairs the most-speaking speaker with the top-billed
// character of the glossary, the next with the next — marked a guess, never shown as fact.
#include "asr/wav.hpp"
#include "cinesub/error.hpp"
#include "context/glossary.hpp"
#include "speakers/diarize.hpp"
#include "speakers/params.hpp"
#include "speakers/rttm.hpp"
#include "stages/artefacts.hpp"
#include "stages/stages.hpp"
#include "util/fs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <numeric>

namespace cinesub::stages {

namespace {

using nlohmann::json;

class speakers_stage final : public pipeline::stage {
public:
    std::string_view name() const override { return "speakers"; }
    bool critical() const override { return false; }

    std::vector<pipeline::setting_use> settings_read() const override {
        return pipeline::setting_uses().all(speakers::params::schema()).input({"speakers.map"});
    }

    std::vector<std::filesystem::path> inputs(const cinesub::job& job) const override {
        std::vector<std::filesystem::path> in{pipeline::artefact_path(job, demux_files::audio),
                                              pipeline::artefact_path(job, vad_files::speech)};
        if (const auto p = settings::read<speakers::params>(job.settings); !p.map.empty()) in.push_back(p.map);
        std::error_code ec;
        if (const auto l = pipeline::artefact_path(job, demux_files::levels); std::filesystem::exists(l, ec))
            in.insert(in.end(), {l, pipeline::artefact_path(job, demux_files::media)});  // stereo: where each speaks
        if (const auto g = pipeline::artefact_path(job, context_files::glossary); std::filesystem::exists(g, ec))
            in.push_back(g);  // the suggestion's characters
        return in;
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
            std::vector<float> pan;
            std::error_code lec;
            if (const auto l = ctx.path(demux_files::levels); std::filesystem::exists(l, lec)) {
                const auto media = util::read_json(ctx.path(demux_files::media));
                pan = speakers::stereo_pan(l, media.value("channel_names", std::vector<std::string>{}));
            }
            o.pan = pan;
            ctx.progress.report(0.0, "speaker clustering");
            const auto stop = ctx.stop_flag();
            d = speakers::diarize(file.samples(), speech, o, stop);
            ctx.check_stop();
        }
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const auto confirmed = p.map.empty() ? std::map<std::string, std::string>{} : speakers::read_speaker_map(p.map);
        // The suggestion: speakers by speaking time ↔ characters by billing.
        std::vector<std::string> characters;
        std::error_code ec;
        if (const auto g = ctx.path(context_files::glossary); std::filesystem::exists(g, ec)) {
            auto entries = context::glossary_from_json(util::read_json(g)).entries;
            std::stable_sort(entries.begin(), entries.end(),
                             [](const auto& a, const auto& b) { return a.rank < b.rank; });
            for (const auto& e : entries)
                if (e.kind == "character") characters.push_back(e.term);
        }
        std::vector<std::size_t> by_time(d.speaking_seconds.size());
        std::iota(by_time.begin(), by_time.end(), std::size_t{0});
        std::stable_sort(by_time.begin(), by_time.end(),
                         [&](std::size_t a, std::size_t b) { return d.speaking_seconds[a] > d.speaking_seconds[b]; });
        json per = json::array();
        for (std::size_t i = 0; i < d.speaking_seconds.size(); ++i) {
            const auto label = fmt::format("SPEAKER_{:02}", i);
            json e{{"speaker", label}, {"seconds", d.speaking_seconds[i]}};
            if (const auto it = confirmed.find(label); it != confirmed.end()) e["name"] = it->second;
            const auto place = static_cast<std::size_t>(std::find(by_time.begin(), by_time.end(), i) - by_time.begin());
            if (place < characters.size())
                e["suggested"] = {{"name", characters[place]},
                                  {"guess", true},
                                  {"basis", fmt::format("speaking time rank {} = billing rank {} among the characters",
                                                        place + 1, place + 1)}};
            per.push_back(std::move(e));
        }
        for (const auto& entry : confirmed) {
            const std::string& label = entry.first;  // (a lambda cannot capture a structured binding in clang 14)
            if (std::none_of(per.begin(), per.end(), [&](const json& e) { return e["speaker"] == label; }))
                ctx.log->warn("speakers: the speaker map names {}, which this diarization does not have", label);
        }
        json turns = json::array();
        for (const auto& t : d.turns) {
            json e{{"start", t.start}, {"end", t.end}, {"speaker", t.speaker}};
            if (const auto it = confirmed.find(t.speaker); it != confirmed.end()) e["name"] = it->second;
            turns.push_back(std::move(e));
        }
        const json doc{{"schema", 1},
                       {"enabled", p.enabled},
                       {"engine", "signal: MFCC window statistics, spectral clustering"},
                       {"speakers", d.speakers},
                       {"min_speakers", p.min_speakers},
                       {"max_speakers", p.max_speakers},
                       {"per_speaker", per},
                       {"windows", d.windows},
                       {"eigenvalues", d.eigenvalues},
                       {"separation", d.mean_similarity},
                       {"delta_bic", d.delta_bic},
                       {"stereo", {{"pan_spread", std::round(d.pan_spread * 1000) / 1000}, {"used", d.pan_used}}},
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
