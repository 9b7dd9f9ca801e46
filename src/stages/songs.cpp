// Songs stage (optional: fails soft): audio.wav + speech.json → songs.json — the film cut into
// silence / speech / music / song segments with a confidence each, and every window's music and
// sung scores (for review). songs::detect_sounds does the work, from the signal and the VAD's speech
// probabilities, before ASR: the ASR stage leaves instrumental music out of Whisper's windows
// (songs.skip_music) and, with songs.mode=skip, the songs too; the subtitles stage marks the words
// sung inside songs as lyrics.
#include "asr/wav.hpp"
#include "cinesub/error.hpp"
#include "songs/detect.hpp"
#include "songs/params.hpp"
#include "stages/artefacts.hpp"
#include "stages/stages.hpp"
#include "util/fs.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <map>

namespace cinesub::stages {

namespace {

using nlohmann::json;

double round2(double v) { return std::round(v * 100) / 100; }
double round3(double v) { return std::round(v * 1000) / 1000; }

class songs_stage final : public pipeline::stage {
public:
    std::string_view name() const override { return "songs"; }
    bool critical() const override { return false; }

    std::vector<pipeline::setting_use> settings_read() const override {
        // What becomes of lyrics (songs.mode, songs.skip_music) is for the stages after it: not read here,
        // so changing it re-runs neither this stage nor, through songs.json, the ASR.
        return pipeline::setting_uses().only(songs::params::schema(),
                                             {"songs.enabled", "songs.min_song_s", "songs.min_music_s"});
    }

    std::vector<std::filesystem::path> inputs(const cinesub::job& job) const override {
        return {pipeline::artefact_path(job, demux_files::audio), pipeline::artefact_path(job, vad_files::speech)};
    }

    std::vector<std::filesystem::path> run(pipeline::stage_context& ctx) override {
        const auto t0 = std::chrono::steady_clock::now();
        const auto p = settings::read<songs::params>(ctx.job.settings);
        songs::sound_analysis a;
        if (p.enabled) {
            const asr::audio_file file(ctx.path(demux_files::audio));
            const auto speech = load_speech_map(ctx.path(vad_files::speech));
            songs::detect_options o;
            o.min_song_s = p.min_song_s;
            o.min_music_s = p.min_music_s;
            o.speech_probability = speech.probabilities;
            o.speech_frame_s = speech.frame_seconds;
            ctx.progress.report(0.0, "music and songs");
            a = songs::detect_sounds(file.samples(), o, ctx.stop_flag());
            ctx.check_stop();
        }
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::map<std::string, double> totals{{"silence", 0.0}, {"speech", 0.0}, {"music", 0.0}, {"song", 0.0}};
        json segments = json::array();
        int songs_found = 0;
        for (const auto& s : a.segments) {
            totals[std::string(songs::sound_name(s.kind))] += s.end - s.start;
            songs_found += s.kind == songs::sound::song ? 1 : 0;
            segments.push_back({{"start", round3(s.start)},
                                {"end", round3(s.end)},
                                {"kind", songs::sound_name(s.kind)},
                                {"confidence", round2(s.confidence)}});
        }
        json music = json::array(), sung = json::array();
        for (const auto& w : a.windows) {
            music.push_back(round2(w.music));
            sung.push_back(round2(w.sung));
        }
        json seconds = json::object();
        for (const auto& [k, v] : totals) seconds[k] = round3(v);
        const json doc{{"schema", 1},
                       {"enabled", p.enabled},
                       {"engine", "signal: held pitch, sustained peaks, syllable rhythm, pauses, VAD voice; Viterbi"},
                       {"min_song_s", p.min_song_s},
                       {"min_music_s", p.min_music_s},
                       {"duration", round3(a.duration)},
                       {"seconds", seconds},
                       {"segments", segments},
                       {"windows", {{"length", a.window_s}, {"hop", a.hop_s}, {"music", music}, {"sung", sung}}}};
        const auto path = ctx.path(songs_files::songs);
        util::write_json_atomic(path, doc);
        ctx.record("wall_seconds", wall);
        ctx.log->info("songs: {} song(s), {:.1f} s of song, {:.1f} s of music, {:.1f} s of speech ({:.1f} s){}",
                      songs_found, totals["song"], totals["music"], totals["speech"], wall,
                      p.enabled ? "" : " — songs.enabled is false");
        return {path};
    }
};

}  // namespace

std::unique_ptr<pipeline::stage> make_songs_stage() { return std::make_unique<songs_stage>(); }

}  // namespace cinesub::stages
