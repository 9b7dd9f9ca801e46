// Mux stage: media + the subtitles stage's tracks.json → <title>.subtitled.mkv|mp4 (stream copy).
// With a clip range the output holds the clip only (cut at the keyframe at/before the start; see
// src/media/mux.cpp), and the subtitles — timed from the clip start — stay on their lines.
#include "cinesub/error.hpp"
#include "media/media.hpp"
#include "stages/stages.hpp"
#include "util/fs.hpp"

#include <fmt/format.h>

namespace cinesub::stages {

namespace {

namespace fs = std::filesystem;

// A file name from a film title: no path separators, control or shell-hostile characters.
std::string safe_file_name(const std::string& title) {
    std::string out;
    for (unsigned char c : title) {
        if (c < 0x20 || c == 0x7F ||
            std::string_view("/\\:*?\"<>|").find(static_cast<char>(c)) != std::string_view::npos)
            out += '_';
        else
            out += static_cast<char>(c);
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '.')) out.pop_back();
    std::size_t lead = 0;
    while (lead < out.size() && (out[lead] == ' ' || out[lead] == '.')) ++lead;
    out.erase(0, lead);
    if (out.size() > 200) out.resize(200);
    return out.empty() ? "film" : out;
}

class mux_stage final : public pipeline::stage {
public:
    std::string_view name() const override { return "mux"; }
    bool critical() const override { return true; }

    nlohmann::json defaults() const override { return {{"mux.format", "mkv"}}; }

    std::vector<fs::path> inputs(const jobs::job& job) const override {
        std::vector<fs::path> in{job.media_path()};
        const auto tracks = pipeline::stage_output(job, "subtitles", "tracks.json");
        in.push_back(tracks);
        std::error_code ec;
        if (fs::exists(tracks, ec)) {
            try {
                const auto list = util::read_json(tracks);
                for (const auto& t : list.at("tracks"))
                    in.push_back(tracks.parent_path() / t.at("file").get<std::string>());
            } catch (const std::exception&) {
                // run() reports a bad tracks.json with a proper message
            }
        }
        return in;
    }

    nlohmann::json settings(const jobs::job& job) const override {
        return {{"mux.format", job.get_or<std::string>("mux.format", "mkv")},
                {"title", job.get_or<std::string>("title", "")},
                {"asr.synthetic", job.get_or<bool>("asr.synthetic", false)},
                {"range.start", job.get_or<double>("range.start", 0.0)},
                {"range.end", job.has("range.end") ? job.settings.at("range.end").value : nlohmann::json(nullptr)}};
    }

    std::vector<fs::path> run(pipeline::stage_context& ctx) override {
        const auto& job = ctx.job;
        const auto format = job.get_or<std::string>("mux.format", "mkv");
        if (format != "mkv" && format != "mp4")
            throw error(errc::job_invalid, fmt::format("mux.format is '{}': use mkv or mp4", format));
        const auto tracks_path = ctx.output_of("subtitles", "tracks.json");
        const auto tracks_json = util::read_json(tracks_path);

        media::mux_request req;
        req.media = job.media_path();
        req.format = format;
        try {
            for (const auto& t : tracks_json.at("tracks")) {
                media::subtitle_track track;
                track.file = tracks_path.parent_path() / t.at("file").get<std::string>();
                track.language = t.value("language", "und");
                track.title = t.value("title", "");
                track.is_default = t.value("default", false);
                req.tracks.push_back(std::move(track));
            }
        } catch (const nlohmann::json::exception& e) {
            throw error(errc::job_invalid, fmt::format("{}: not a tracks list ({})", tracks_path.string(), e.what()));
        }
        if (req.tracks.empty()) ctx.log->warn("mux: {} lists no subtitle tracks", tracks_path.string());

        const double start = job.get_or<double>("range.start", 0.0);
        const bool has_end = job.has("range.end") && !job.settings.at("range.end").value.is_null();
        if (start > 0 || has_end) {
            media::clip_range range;
            range.start = start;
            if (has_end) range.end = job.get<double>("range.end");
            req.range = range;
            req.clock = media::subtitle_clock::clip;
        }
        const bool synthetic = job.get_or<bool>("asr.synthetic", false);
        const auto title = safe_file_name(job.get_or<std::string>("title", job.media_path().stem().string()));
        req.output = ctx.dir / fmt::format("{}.{}subtitled.{}", title, synthetic ? "SYNTHETIC." : "", format);
        req.progress = [&](double f) { ctx.progress.report(f, "writing " + format); };
        req.should_stop = [&] { return ctx.should_stop(); };

        media::mux_result r;
        try {
            r = media::mux(req);
        } catch (const error& e) {
            if (e.code() == errc::interrupted) ctx.check_stop();
            throw;
        }
        for (const auto& s : r.skipped) ctx.log->warn("mux: left out {}", s);
        if (req.range)
            ctx.log->info(
                "mux: clip cut at the keyframe at {:.3f} s (clip starts {:.3f} s); subtitles shifted by {:+.3f} s",
                r.cut_start, start, r.subtitle_shift);
        ctx.log->info("mux: {} ({} streams, {} subtitle tracks, {} cues)", r.output.string(), r.streams,
                      req.tracks.size(), r.cues);
        return {r.output};
    }
};

}  // namespace

std::unique_ptr<pipeline::stage> make_mux_stage() { return std::make_unique<mux_stage>(); }

}  // namespace cinesub::stages
