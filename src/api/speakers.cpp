#include "cinesub/speakers.hpp"

#include "asr/wav.hpp"
#include "cinesub/error.hpp"
#include "media/media.hpp"
#include "models/models.hpp"
#include "speakers/der.hpp"
#include "speakers/diarize.hpp"
#include "speakers/rttm.hpp"
#include "vad/vad.hpp"

#include <random>

#include <fmt/format.h>

namespace cinesub {

der_report evaluate_der(const std::filesystem::path& ref, const std::filesystem::path& hyp, double collar,
                        bool skip_overlap) {
    const speakers::der_options options{.collar = collar, .skip_overlap = skip_overlap};
    speakers::check_der_options(options);
    const auto ref_files = speakers::read_rttm(ref);
    const auto hyp_files = speakers::read_rttm(hyp);
    const auto r = speakers::score_der(ref_files, hyp_files, options);

    der_report out;
    out.scored_seconds = r.total;
    out.missed_seconds = r.missed;
    out.false_alarm_seconds = r.false_alarm;
    out.confusion_seconds = r.confusion;
    out.der = r.der;
    out.missed_rate = speakers::error_rate(r.missed, r.total);
    out.false_alarm_rate = speakers::error_rate(r.false_alarm, r.total);
    out.confusion_rate = speakers::error_rate(r.confusion, r.total);
    out.ref_speakers = r.ref_speakers;
    out.hyp_speakers = r.hyp_speakers;
    for (const auto& m : r.mapping) out.mapping.push_back({m.file_id, m.ref, m.hyp, m.overlap});
    out.collar = collar;
    out.skip_overlap = skip_overlap;
    out.convention = (collar > 0 ? fmt::format("collar ±{} s around reference boundaries", collar) : "no collar") +
                     (skip_overlap ? ", overlap not scored" : ", overlap scored");
    return out;
}

namespace {

// A folder of its own under the system's temporary folder, removed with everything in it.
class diarize_temp_dir {
public:
    diarize_temp_dir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() / fmt::format("cinesub-diarize-{:08x}{:08x}", rd(), rd());
        std::filesystem::create_directories(path_);
    }
    ~diarize_temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    diarize_temp_dir(const diarize_temp_dir&) = delete;
    diarize_temp_dir& operator=(const diarize_temp_dir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace

diarize_summary diarize_media(const diarize_request& r) {
    if (r.min_speakers < 1 || r.max_speakers < 1 || r.min_speakers > r.max_speakers)
        throw error(errc::usage, fmt::format("--min-speakers ({}) must be at least 1 and at most --max-speakers ({})",
                                             r.min_speakers, r.max_speakers));
    auto progress = [&](double f, std::string_view what) {
        if (r.on_progress) r.on_progress(f, what);
    };
    const diarize_temp_dir tmp;
    const auto wav = tmp.path() / "audio.wav";
    media::demux_options d;
    d.progress = [&](double f) { progress(0.3 * f, "decoding audio"); };
    d.should_stop = r.should_stop;
    d.levels_path = tmp.path() / "levels.f32";
    const auto demuxed = media::demux_audio(r.media, wav, d);
    const asr::audio_file file(wav);  // mapped, as the stages read audio.wav
    const auto audio = file.samples();
    const auto vad_model = models::resolve_vad(r.vad_model);
    vad::detector detector(vad_model, 1);
    const auto speech = vad::detect(
        detector, audio, {}, [&](double f) { progress(0.3 + 0.5 * f, "speech detection"); }, r.should_stop);
    progress(0.8, "speaker clustering");
    speakers::diarize_options o;
    o.min_speakers = r.min_speakers;
    o.max_speakers = r.max_speakers;
    std::vector<float> pan;
    if (demuxed.level_frames > 0) pan = speakers::stereo_pan(d.levels_path, demuxed.channel_names);
    o.pan = pan;
    const auto result = speakers::diarize(audio, speech, o, r.should_stop);

    diarize_summary out;
    out.file_id = r.media.stem().string();
    for (auto& c : out.file_id)
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') c = '_';
    if (out.file_id.empty()) out.file_id = "media";
    speakers::write_rttm(r.rttm, out.file_id, result.turns);
    out.speakers = result.speakers;
    out.turns = result.turns.size();
    out.audio_seconds = static_cast<double>(audio.size()) / 16000.0;
    for (const auto& s : speech.segments) out.speech_seconds += s.end - s.start;
    out.speaking_seconds = result.speaking_seconds;
    progress(1.0, "done");
    return out;
}

}  // namespace cinesub
