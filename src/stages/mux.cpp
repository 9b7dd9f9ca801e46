// Mux stage: media + the subtitles stage's tracks.json → <title>.subtitled.mkv|mp4 (stream copy).
// A track the user reviewed (cinesub review: JOB/review/current.json) is muxed from its reviewed
// file instead of the stage's, with a warning when the stage's file changed since the edit. With
// mux.ass (mkv) each track's ASS file beside its SRT is muxed instead, with the fonts it names.
// With a clip range the output holds the clip only (cut at the keyframe at/before the start; see
// src/media/mux.cpp), and the subtitles — timed from the clip start — stay on their lines.
#include "asr/params.hpp"
#include "cinesub/error.hpp"
#include "jobs/params.hpp"
#include "jobs/revisions.hpp"
#include "media/fonts.hpp"
#include "media/media.hpp"
#include "media/params.hpp"
#include "stages/artefacts.hpp"
#include "stages/stages.hpp"
#include "util/fs.hpp"

#include <fmt/format.h>

namespace cinesub::stages {

namespace {

namespace fs = std::filesystem;

// The tracks the subtitles stage lists, in order. Throws error(job_invalid) for a bad list.
std::vector<media::subtitle_track> listed_tracks(const fs::path& tracks_path) {
    std::vector<media::subtitle_track> out;
    const auto doc = util::read_json(tracks_path);  // kept alive: iterating a temporary's member would dangle
    try {
        for (const auto& t : doc.at("tracks")) {
            media::subtitle_track track;
            track.file = tracks_path.parent_path() / t.at("file").get<std::string>();
            track.language = t.value("language", "und");
            track.title = t.value("title", "");
            track.is_default = t.value("default", false);
            out.push_back(std::move(track));
        }
    } catch (const nlohmann::json::exception& e) {
        throw error(errc::job_invalid, fmt::format("{}: not a tracks list ({})", tracks_path.string(), e.what()));
    }
    return out;
}

fs::path review_state_path(const fs::path& job_dir) { return jobs::review_dir(job_dir) / "current.json"; }

struct reviewed_use {
    std::string language;
    int revision = 0;
    fs::path file;               // relative to the job folder
    bool stage_changed = false;  // the stage's file is not the one the edit started from
};

// Each listed track with a reviewed revision gets the reviewed file (same format: save_revision
// writes every format beside the stage's). Throws error(job_invalid) for a reviewed file of another
// format or one that is missing.
std::vector<reviewed_use> use_reviewed(std::vector<media::subtitle_track>& tracks, const fs::path& job_dir,
                                       const jobs::review_state& state) {
    std::vector<reviewed_use> uses;
    for (auto& track : tracks) {
        const auto* r = state.find(track.language);
        if (!r) continue;
        const auto reviewed = job_dir / r->file;
        std::error_code ec;
        if (reviewed.extension() != track.file.extension() || !fs::exists(reviewed, ec))
            throw error(errc::job_invalid, fmt::format("{}: the reviewed {} track {} is missing or not a {} file",
                                                       review_state_path(job_dir).string(), r->language,
                                                       r->file.generic_string(), track.file.extension().string()));
        const bool changed =
            fs::exists(track.file, ec) && !r->base_sha256.empty() && util::sha256_file(track.file) != r->base_sha256;
        uses.push_back({r->language, r->revision, r->file, changed});
        track.file = reviewed;
    }
    return uses;
}

// mux.ass: each track's .ass beside its listed file (the stage writes every format side by side, and
// so does a review save), when there is one.
void use_ass(std::vector<media::subtitle_track>& tracks) {
    for (auto& t : tracks) {
        auto ass = t.file;
        ass.replace_extension(".ass");
        std::error_code ec;
        if (fs::exists(ass, ec)) t.file = ass;
    }
}

class mux_stage final : public pipeline::stage {
public:
    std::string_view name() const override { return "mux"; }
    bool critical() const override { return true; }

    std::vector<pipeline::setting_use> settings_read() const override {
        return pipeline::setting_uses()
            .all(media::mux_params::schema())
            .only(jobs::job_params::schema(), {"title", "range.start", "range.end"})
            .only(asr::params::schema(), {"asr.synthetic"});
    }

    std::vector<fs::path> inputs(const cinesub::job& job) const override {
        const auto tracks = pipeline::artefact_path(job, subtitles_files::tracks);
        std::vector<fs::path> in{job.media_path(), tracks};
        std::error_code ec;
        if (fs::exists(tracks, ec)) {
            try {
                auto listed = listed_tracks(tracks);
                if (settings::read<media::mux_params>(job.settings).ass) use_ass(listed);
                for (const auto& t : listed) in.push_back(t.file);
            } catch (const error&) {
                // run() reports a bad tracks.json with a proper message
            }
        }
        // Saved edits re-mux: current.json and the reviewed files are inputs once they exist.
        if (fs::exists(review_state_path(job.dir), ec)) {
            in.push_back(review_state_path(job.dir));
            try {
                for (const auto& t : jobs::read_review_state(job.dir).tracks)
                    for (const auto* ext : {"", ".ass"}) {
                        auto f = job.dir / t.file;
                        if (*ext) f.replace_extension(ext);
                        if (fs::exists(f, ec)) in.push_back(f);
                    }
            } catch (const error&) {
                // run() reports a bad current.json
            }
        }
        return in;
    }

    std::vector<fs::path> run(pipeline::stage_context& ctx) override {
        const auto& job = ctx.job;
        const auto p = settings::read<media::mux_params>(job.settings);
        const auto job_p = settings::read<jobs::job_params>(job.settings);
        const auto tracks_path = ctx.path(subtitles_files::tracks);

        media::mux_request req;
        req.media = job.media_path();
        req.format = p.format;
        req.tracks = listed_tracks(tracks_path);
        if (req.tracks.empty()) ctx.log->warn("mux: {} lists no subtitle tracks", tracks_path.string());
        const auto review = jobs::read_review_state(job.dir);
        for (const auto& u : use_reviewed(req.tracks, job.dir, review)) {
            if (u.stage_changed)
                ctx.log->warn(
                    "mux: {}: the subtitles stage re-ran since review revision {}; muxing the reviewed "
                    "{} (the edits are kept; open `cinesub review` to see the new output beside them)",
                    u.language, u.revision, u.file.generic_string());
            else
                ctx.log->info("mux: {} from review revision {} ({})", u.language, u.revision, u.file.generic_string());
        }
        if (job_p.start > 0 || job_p.end) {
            req.range = media::clip_range{job_p.start, job_p.end};
            req.clock = media::subtitle_clock::clip;
        }
        if (p.ass && p.format == "mkv") {
            use_ass(req.tracks);
            std::vector<fs::path> ass_files;
            for (const auto& t : req.tracks)
                if (t.file.extension() == ".ass") ass_files.push_back(t.file);
            const auto fonts = media::fonts_of_ass(ass_files);
            req.attachments = fonts.files;
            for (const auto& f : fonts.files) ctx.log->info("mux: attaching the font {}", f.string());
            for (const auto& m : fonts.missing)
                ctx.log->warn(
                    "mux: no font file for {} (the ASS tracks name it; install fonts-noto-core): players "
                    "without it draw another font",
                    m);
        } else if (p.ass) {
            ctx.log->warn("mux: mux.ass applies to mkv; the {} gets the SRT tracks", p.format);
        }
        const bool synthetic = settings::read<asr::params>(job.settings).synthetic;
        req.output = ctx.dir / muxed_file_name(jobs::film_title(job, job_p), synthetic, p.format);
        req.progress = [&](double f) { ctx.progress.report(f, "writing " + p.format); };
        req.should_stop = ctx.stop_flag();

        const auto r = cinesub::mux(req);
        for (const auto& s : r.skipped) ctx.log->warn("mux: left out {}", s);
        if (req.range)
            ctx.log->info(
                "mux: clip cut at the keyframe at {:.3f} s (clip starts {:.3f} s); subtitles shifted by {:+.3f} s",
                r.cut_start, job_p.start, r.subtitle_shift);
        ctx.log->info("mux: {} ({} streams, {} subtitle tracks, {} cues)", r.output.string(), r.streams,
                      req.tracks.size(), r.cues);
        return {r.output};
    }
};

}  // namespace

std::unique_ptr<pipeline::stage> make_mux_stage() { return std::make_unique<mux_stage>(); }

}  // namespace cinesub::stages
