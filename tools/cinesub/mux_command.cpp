// mux: soft-mux subtitle files into a video by stream copy (thin wrapper over cinesub::mux).
#include "commands.hpp"

#include "cinesub/error.hpp"
#include "cinesub/mux.hpp"
#include "cinesub/runtime.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>

namespace cinesub::cli {

namespace {

namespace fs = std::filesystem;

struct mux_options {
    std::string media;
    std::vector<std::string> subs;
    std::vector<std::string> langs;
    std::vector<std::string> titles;
    std::string out;
    std::string format;
    std::optional<std::string> start, end;
    std::string sub_times = "clip";
    std::vector<std::string> attach;
    int default_track = 1;
};

bool looks_like_language(const std::string& s) {
    if (s.size() < 2 || s.size() > 12) return false;
    for (char c : s)
        if (!(std::isalpha(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
    return std::isalpha(static_cast<unsigned char>(s[0])) && std::isalpha(static_cast<unsigned char>(s[1]));
}

// "film.hi.srt" → "hi", "film.hi-Latn.vtt" → "hi-Latn", else "".
std::string language_from_name(const fs::path& p) {
    auto stem = p.stem();
    auto ext = stem.extension().string();
    if (ext.size() > 1 && looks_like_language(ext.substr(1))) return ext.substr(1);
    return "";
}

int run_mux(const mux_options& o, const globals& g) {
    mux_request req;
    req.media = o.media;
    req.format = o.format;
    if (!o.langs.empty() && o.langs.size() != o.subs.size())
        throw error(errc::usage,
                    fmt::format("--lang lists {} languages for {} subtitle files", o.langs.size(), o.subs.size()));
    if (!o.titles.empty() && o.titles.size() != o.subs.size())
        throw error(errc::usage,
                    fmt::format("--titles lists {} titles for {} subtitle files", o.titles.size(), o.subs.size()));
    if (o.default_track < 0 || o.default_track > static_cast<int>(o.subs.size()))
        throw error(errc::usage, fmt::format("--default {} is not a track number (1–{}, or 0 for none)",
                                             o.default_track, o.subs.size()));
    for (std::size_t i = 0; i < o.subs.size(); ++i) {
        subtitle_track t;
        std::string spec = o.subs[i];
        std::string lang;
        // FILE:LANG unless FILE itself exists with that colon in its name.
        if (auto colon = spec.rfind(':');
            colon != std::string::npos && !fs::exists(spec) && looks_like_language(spec.substr(colon + 1))) {
            lang = spec.substr(colon + 1);
            spec.resize(colon);
        }
        t.file = spec;
        if (!o.langs.empty()) lang = o.langs[i];
        if (lang.empty()) lang = language_from_name(t.file);
        t.language = lang.empty() ? "und" : lang;
        if (!o.titles.empty()) t.title = o.titles[i];
        t.is_default = static_cast<int>(i) + 1 == o.default_track;
        req.tracks.push_back(std::move(t));
    }
    if (o.start || o.end) {
        clip_range range;
        if (o.start) range.start = parse_time(*o.start, "--start");
        if (o.end) range.end = parse_time(*o.end, "--end");
        req.range = range;
    }
    req.clock = o.sub_times == "media" ? subtitle_clock::media : subtitle_clock::clip;
    for (const auto& a : o.attach) {
        if (!fs::exists(a)) throw error(errc::input_missing, fmt::format("attachment not found: {}", a));
        req.attachments.emplace_back(a);
    }
    std::string format = o.format;
    if (o.out.empty()) {
        if (format.empty()) format = "mkv";
        req.output = fs::path(o.media).stem().string() + ".subtitled." + format;
    } else {
        req.output = o.out;
    }
    req.should_stop = [] { return interrupted(); };
    auto r = mux(req);
    if (g.json) {
        nlohmann::json j{{"output", fs::absolute(r.output).string()},
                         {"streams", r.streams},
                         {"cues", r.cues},
                         {"cut_start", r.cut_start},
                         {"subtitle_shift", r.subtitle_shift},
                         {"skipped", r.skipped}};
        print_json(j.dump(2));
    } else {
        for (const auto& s : r.skipped) std::fprintf(stderr, "cinesub: note: left out %s\n", s.c_str());
        if (req.range)
            std::fprintf(stderr, "cinesub: clip starts at the keyframe at %.3f s; subtitles shifted by %+.3f s\n",
                         r.cut_start, r.subtitle_shift);
        std::printf("%s\n", r.output.string().c_str());
    }
    return 0;
}

}  // namespace

void add_mux_command(CLI::App& app, globals& g) {
    auto o = std::make_shared<mux_options>();
    auto* cmd = app.add_subcommand(
        "mux", "Soft-mux subtitle files (SRT/VTT; ASS in mkv) into a video by stream copy (mkv or mp4)");
    cmd->add_option("media", o->media, "Source video (any container FFmpeg reads)")->required();
    cmd->add_option("subs", o->subs,
                    "Subtitle files, each FILE or FILE:LANG (LANG: ISO 639-1 like hi, en, hi-Latn; default from a name "
                    "like film.hi.srt)")
        ->required();
    cmd->add_option("-l,--lang", o->langs, "Languages of the subtitle files, in order (comma-separated)")
        ->delimiter(',');
    cmd->add_option("--titles", o->titles, "Track titles, in order (comma-separated) [default: the language's name]")
        ->delimiter(',');
    cmd->add_option("--default", o->default_track, "Track number marked default (0: none)")->capture_default_str();
    cmd->add_option("-o,--out", o->out, "Output file [default: MEDIA's name + .subtitled.mkv, here]");
    cmd->add_option("-f,--format", o->format, "mkv (SubRip tracks) or mp4 (mov_text) [default: from --out, else mkv]")
        ->check(CLI::IsMember({"mkv", "mp4"}));
    cmd->add_option("-s,--start", o->start,
                    "Clip start (cuts at the keyframe at/before it), seconds or HH:MM:SS[.mmm]");
    cmd->add_option("-e,--end", o->end, "Clip end, seconds or HH:MM:SS[.mmm]");
    cmd->add_option("--sub-times", o->sub_times,
                    "With a clip: subtitle times count from the clip start (clip, as cinesub writes them) or from the "
                    "film's start (media)")
        ->capture_default_str()
        ->check(CLI::IsMember({"clip", "media"}));
    cmd->add_option("--attach", o->attach, "mkv: attach this file (a font an ASS track names: .ttf/.otf); repeatable");
    cmd->callback([o, &g] { g.action = [o, &g] { return run_mux(*o, g); }; });
}

}  // namespace cinesub::cli
