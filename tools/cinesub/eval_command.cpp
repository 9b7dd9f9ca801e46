// eval der REF.rttm HYP.rttm: the Diarization Error Rate of a diarization against a reference
// (md-eval's definition: ±collar around reference boundaries not scored, optimal speaker mapping);
// diarize MEDIA: who speaks when, as RTTM, without a job or an ASR model (demux + VAD + speakers).
#include "commands.hpp"

#include "cinesub/runtime.hpp"
#include "cinesub/speakers.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <string>

namespace cinesub::cli {

namespace {

struct eval_der_args {
    std::string ref, hyp;
    double collar = der_standard_collar;
    bool skip_overlap = false;
};

nlohmann::json eval_part_json(double seconds, double rate) { return {{"seconds", seconds}, {"rate", rate}}; }

int run_eval_der(const eval_der_args& a, const globals& g) {
    const auto r = evaluate_der(a.ref, a.hyp, a.collar, a.skip_overlap);
    if (g.json) {
        nlohmann::json mapping = nlohmann::json::array();
        for (const auto& m : r.mapping)
            mapping.push_back({{"file_id", display_text(m.file_id)},
                               {"ref", display_text(m.ref)},
                               {"hyp", display_text(m.hyp)},
                               {"overlap_seconds", m.overlap_seconds}});
        const nlohmann::json j{{"ref", display_text(a.ref)},
                               {"hyp", display_text(a.hyp)},
                               {"der", r.der},
                               {"missed", eval_part_json(r.missed_seconds, r.missed_rate)},
                               {"false_alarm", eval_part_json(r.false_alarm_seconds, r.false_alarm_rate)},
                               {"confusion", eval_part_json(r.confusion_seconds, r.confusion_rate)},
                               {"scored_seconds", r.scored_seconds},
                               {"ref_speakers", r.ref_speakers},
                               {"hyp_speakers", r.hyp_speakers},
                               {"mapping", mapping},
                               {"collar", r.collar},
                               {"skip_overlap", r.skip_overlap},
                               {"convention", r.convention}};
        print_json(j.dump(2));
        return 0;
    }
    const double errors = r.missed_seconds + r.false_alarm_seconds + r.confusion_seconds;
    std::printf("DER:          %6.2f %%  (%.3f s)\n", 100.0 * r.der, errors);
    std::printf("missed:       %6.2f %%  (%.3f s)\n", 100.0 * r.missed_rate, r.missed_seconds);
    std::printf("false alarm:  %6.2f %%  (%.3f s)\n", 100.0 * r.false_alarm_rate, r.false_alarm_seconds);
    std::printf("confusion:    %6.2f %%  (%.3f s)\n", 100.0 * r.confusion_rate, r.confusion_seconds);
    std::printf("scored:       %.3f s of reference speech (overlapped speech counted once per speaker)\n",
                r.scored_seconds);
    std::printf("speakers:     %d reference, %d hypothesis\n", r.ref_speakers, r.hyp_speakers);
    std::set<std::string> files;
    for (const auto& m : r.mapping) files.insert(m.file_id);
    if (r.mapping.empty()) std::printf("mapping:      (none)\n");
    for (std::size_t i = 0; i < r.mapping.size(); ++i) {
        const auto& m = r.mapping[i];
        const std::string file = files.size() > 1 ? one_line(m.file_id) + ": " : "";
        std::printf("%s%s%s -> %s (%.3f s together)\n", i == 0 ? "mapping:      " : "              ", file.c_str(),
                    one_line(m.ref).c_str(), one_line(m.hyp).c_str(), m.overlap_seconds);
    }
    std::printf("convention:   %s\n", r.convention.c_str());
    return 0;
}

struct diarize_args {
    std::string media, out, vad_model;
    int min_speakers = 1, max_speakers = 8;
};

int run_diarize(const diarize_args& a, const globals& g) {
    diarize_request r;
    r.media = a.media;
    r.rttm = a.out.empty() ? std::filesystem::path(std::filesystem::path(a.media).stem().string() + ".rttm")
                           : std::filesystem::path(a.out);
    const std::string rttm_shown = display_text(r.rttm.string());
    if (!a.vad_model.empty()) r.vad_model = a.vad_model;
    r.min_speakers = a.min_speakers;
    r.max_speakers = a.max_speakers;
    r.should_stop = [] { return interrupted(); };
    if (!g.quiet && !g.json && progress_enabled_by_default())
        r.on_progress = [](double f, std::string_view what) {
            std::fprintf(stderr, "\rdiarize: %3.0f %% %-24.*s", 100.0 * f, static_cast<int>(what.size()), what.data());
            if (f >= 1.0) std::fprintf(stderr, "\n");
        };
    const auto s = diarize_media(r);
    if (g.json) {
        print_json(nlohmann::json{{"rttm", rttm_shown},
                                  {"file_id", display_text(s.file_id)},
                                  {"speakers", s.speakers},
                                  {"turns", s.turns},
                                  {"audio_seconds", s.audio_seconds},
                                  {"speech_seconds", s.speech_seconds},
                                  {"speaking_seconds", s.speaking_seconds}}
                       .dump(2));
        return 0;
    }
    if (!g.quiet) {
        std::printf("%d speaker(s), %zu turns in %.1f s of speech (%.1f s of audio) -> %s\n", s.speakers, s.turns,
                    s.speech_seconds, s.audio_seconds, rttm_shown.c_str());
        for (std::size_t i = 0; i < s.speaking_seconds.size(); ++i)
            std::printf("  SPEAKER_%02zu  %.1f s\n", i, s.speaking_seconds[i]);
    }
    return 0;
}

}  // namespace

void add_eval_commands(CLI::App& app, globals& g) {
    auto d = std::make_shared<diarize_args>();
    auto* dia = app.add_subcommand(
        "diarize", "Who speaks when in MEDIA, as RTTM (demux + VAD + speakers; no job, no ASR model needed)");
    dia->add_option("media", d->media, "Media file (any FFmpeg can read)")->required();
    dia->add_option("-o,--out", d->out, "RTTM file to write [default: MEDIA's name with .rttm, here]");
    dia->add_option("--min-speakers", d->min_speakers, "Fewest speakers to find")->capture_default_str();
    dia->add_option("--max-speakers", d->max_speakers, "Most speakers to find")->capture_default_str();
    dia->add_option("--vad-model", d->vad_model,
                    "Silero VAD ggml file [default: $CINESUB_VAD_MODEL, else the cache's]");
    dia->callback([d, &g] { g.action = [d, &g] { return run_diarize(*d, g); }; });

    auto* ev = app.add_subcommand("eval", "Evaluate results against a reference (der: speaker diarization)");
    ev->require_subcommand(1);

    auto a = std::make_shared<eval_der_args>();
    auto* der = ev->add_subcommand(
        "der", "Diarization Error Rate of HYP.rttm against REF.rttm (NIST md-eval's definition, optimal mapping)");
    der->add_option("ref", a->ref, "Reference RTTM (SPEAKER lines)")->required();
    der->add_option("hyp", a->hyp, "Hypothesis (system) RTTM")->required();
    der->add_option("--collar", a->collar,
                    "Seconds not scored on EACH side of every reference boundary (md-eval -c, dscore --collar; "
                    "pyannote's collar=0.5 is 0.25 here); 0: none")
        ->capture_default_str();  // a negative collar: error(usage) from the library
    der->add_flag("--skip-overlap", a->skip_overlap, "Do not score time where the reference has 2+ speakers");
    der->callback([a, &g] { g.action = [a, &g] { return run_eval_der(*a, g); }; });
}

}  // namespace cinesub::cli
