// Correction stage (optional: fails soft): the asr stage's transcripts + glossary.json → the same
// transcripts with near-misses of glossary names spelled as the glossary has them (every track),
// tracks.json (asr's list, pointing here) and corrections.json (each change with before/after,
// score and time; names of the source track missing from the overlapping English text). The
// subtitles stage reads these transcripts when this stage succeeded, asr's otherwise.
// correction.enabled=false passes the transcripts through unchanged (and re-runs only from here).
#include "cinesub/error.hpp"
#include "cinesub/transcript.hpp"
#include "context/correct.hpp"
#include "context/glossary.hpp"
#include "context/params.hpp"
#include "stages/artefacts.hpp"
#include "stages/stages.hpp"
#include "util/fs.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace cinesub::stages {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class correction_stage final : public pipeline::stage {
public:
    std::string_view name() const override { return "correction"; }
    bool critical() const override { return false; }

    std::vector<pipeline::setting_use> settings_read() const override {
        return pipeline::setting_uses().all(context::correction_params::schema());
    }

    std::vector<fs::path> inputs(const cinesub::job& job) const override {
        std::vector<fs::path> in{pipeline::artefact_path(job, asr_files::tracks)};
        for (const auto& t : listed_transcripts(pipeline::artefact_path(job, asr_files::tracks))) in.push_back(t);
        std::error_code ec;
        if (const auto g = pipeline::artefact_path(job, context_files::glossary); fs::exists(g, ec)) in.push_back(g);
        return in;
    }

    std::vector<fs::path> run(pipeline::stage_context& ctx) override {
        const auto p = settings::read<context::correction_params>(ctx.job.settings);
        const auto asr_tracks = util::read_json(ctx.path(asr_files::tracks));
        context::glossary g;
        if (const auto gp = ctx.path(context_files::glossary); fs::exists(gp))
            g = context::glossary_from_json(util::read_json(gp));
        const auto roman = context::romanizer_for(g);
        const context::corrector fix(g, roman, {p.max_distance, p.min_length});

        std::vector<fs::path> out;
        std::vector<context::correction> changes;
        std::vector<transcript> corrected;
        for (const auto& file : listed_transcripts(ctx.path(asr_files::tracks))) {
            ctx.check_stop();
            auto t = load_transcript(file);
            if (p.enabled) {
                auto c = fix.correct(t);
                changes.insert(changes.end(), c.begin(), c.end());
            }
            const auto dest = ctx.dir / file.filename();
            save_transcript(dest, t);
            out.push_back(dest);
            corrected.push_back(std::move(t));
        }
        // The English track must carry the names the source track says.
        std::vector<context::missing_name> missing;
        const auto en =
            std::find_if(corrected.begin(), corrected.end(), [](const auto& t) { return t.language == "en"; });
        if (p.enabled && en != corrected.end())
            for (const auto& t : corrected)
                if (&t != &*en && t.task == "transcribe") {
                    auto m = fix.missing_in_translation(t, *en);
                    missing.insert(missing.end(), m.begin(), m.end());
                }
        ctx.log->info("correction: {} glossary names, {} words corrected, {} names missing in English{}", fix.names(),
                      changes.size(), missing.size(), p.enabled ? "" : " (correction.enabled is false)");
        ctx.record("corrections", changes.size());
        ctx.record("missing_in_english", missing.size());
        auto report = context::to_json(changes, missing);
        report["enabled"] = p.enabled;
        const auto report_path = ctx.path(correction_files::corrections);
        util::write_json_atomic(report_path, report);
        out.push_back(report_path);
        const auto tracks_path = ctx.path(correction_files::tracks);
        util::write_json_atomic(tracks_path, asr_tracks);  // same files, same roles, in this folder
        out.push_back(tracks_path);
        return out;
    }
};

}  // namespace

std::unique_ptr<pipeline::stage> make_correction_stage() { return std::make_unique<correction_stage>(); }

}  // namespace cinesub::stages
