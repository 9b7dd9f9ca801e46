// Songs stage: quality and cost.
//   Quality: frame-level F1 at 1 s (music = music or song against speech and silence; song alone) on
//   the Sintel clip and the test scenes of seeds 1–12 (tests/support/scenes: seeds 1–6 and Sintel
//   fitted the classifier's weights, 7–12 are held out), goal ≥ 0.9.
//   Cost: the Sintel clip tiled to --minutes (60), songs::detect_sounds timed against the Silero VAD
//   on the same audio side by side (the VAD runs before it in every job): CPU seconds per hour and
//   the ratio.
//   --dump-windows FILE writes every window's features with its label (CSV) for
//   scripts/fit-songs-weights.py.
//   build/bench/songs_speed [--minutes 60] [--seeds 12] [--dump-windows FILE] [--no-cost]
#include "mixtures.hpp"
#include "scenes.hpp"
#include "support.hpp"

#include "songs/detect.hpp"
#include "vad/vad.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

namespace {

using namespace cinesub;

struct timed {
    double cpu = 0, wall = 0;
};
template <class F>
timed time_it(F&& f) {
    const std::clock_t c0 = std::clock();
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return {static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()};
}

}  // namespace

int main(int argc, char** argv) {
    double minutes = 60;
    unsigned seeds = 12;
    std::string dump;
    bool cost = true;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--minutes") && i + 1 < argc)
            minutes = std::atof(argv[++i]);
        else if (!std::strcmp(argv[i], "--seeds") && i + 1 < argc)
            seeds = static_cast<unsigned>(std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--dump-windows") && i + 1 < argc)
            dump = argv[++i];
        else if (!std::strcmp(argv[i], "--no-cost"))
            cost = false;
    }
    const auto model = test::testdata("models/ggml-silero-v6.2.0.bin");
    const auto& sintel = test::clip_16k(test::testdata("media/video/sintel_trailer_first27s.webm"));
    vad::detector d(model);
    std::FILE* csv = dump.empty() ? nullptr : std::fopen(dump.c_str(), "w");
    if (csv) std::fprintf(csv, "seed,start,label,modulation,low_energy,voice,stable,held,rms_db\n");

    auto score = [&](const char* name, unsigned seed, const std::vector<float>& audio,
                     const std::vector<songs::sound_segment>& truth, const char* role) {
        const auto speech = vad::detect(d, audio, {});
        songs::detect_options o;
        o.speech_probability = speech.probabilities;
        o.speech_frame_s = speech.frame_seconds;
        const auto a = songs::detect_sounds(audio, o);
        const auto m = songs::score_frames(truth, a.segments, a.duration);
        const auto s = songs::score_frames(truth, a.segments, a.duration, 1.0, true);
        std::printf("%-10s %-9s %6.0f s   music F1 %.3f (P %.3f R %.3f)   song F1 %.3f (P %.3f R %.3f)\n", name, role,
                    a.duration, m.f1(), m.precision(), m.recall(), s.f1(), s.precision(), s.recall());
        if (csv)
            for (const auto& w : a.windows) {
                const auto label = songs::sound_at(truth, w.start + 0.5);
                // Windows across a label change or silent ones say nothing about the classes.
                if (label == songs::sound::silence || w.rms_db < o.silence_db ||
                    songs::sound_at(truth, w.start + 0.05) != songs::sound_at(truth, w.start + 0.95))
                    continue;
                std::fprintf(csv, "%u,%.2f,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.2f\n", seed, w.start, static_cast<int>(label),
                             w.modulation, w.low_energy, w.voice, w.stable, w.held, w.rms_db);
            }
        return m.f1();
    };

    std::printf("frame-level F1 at 1 s (goal >= 0.9); 'fitted' scenes trained the weights, 'held-out' did not\n");
    const std::vector<songs::sound_segment> sintel_truth{
        {0, 1.5, songs::sound::silence, 1}, {1.5, 12, songs::sound::music, 1},     {12, 15, songs::sound::speech, 1},
        {15, 18.5, songs::sound::music, 1}, {18.5, 20.5, songs::sound::speech, 1}, {20.5, 1e9, songs::sound::music, 1}};
    score("sintel", 0, sintel, sintel_truth, "fitted");
    double held_sum = 0, held_min = 1;
    int held_n = 0;
    for (unsigned seed = 1; seed <= seeds; ++seed) {
        const auto scene = test::make_scene(test::film_like_blocks(seed), seed);
        const auto name = "scene " + std::to_string(seed);
        const double f = score(name.c_str(), seed, scene.audio, scene.truth, seed <= 6 ? "fitted" : "held-out");
        if (seed > 6) held_sum += f, held_min = std::min(held_min, f), ++held_n;
    }
    if (held_n) std::printf("held-out scenes: music F1 mean %.3f, min %.3f\n", held_sum / held_n, held_min);
    if (csv) std::fclose(csv);
    if (!cost) return 0;

    // Cost: the clip tiled to `minutes`.
    const auto copies = static_cast<std::size_t>(minutes * 60 / (static_cast<double>(sintel.size()) / 16000) + 0.5);
    std::vector<float> audio;
    audio.reserve(sintel.size() * copies);
    for (std::size_t c = 0; c < copies; ++c) audio.insert(audio.end(), sintel.begin(), sintel.end());
    const double hours = static_cast<double>(audio.size()) / 16000 / 3600;
    speech_map speech;
    const auto tv = time_it([&] { speech = vad::detect(d, audio, {}); });
    songs::sound_analysis a;
    const auto ts = time_it([&] {
        songs::detect_options o;
        o.speech_probability = speech.probabilities;
        o.speech_frame_s = speech.frame_seconds;
        a = songs::detect_sounds(audio, o);
    });
    std::printf("%.2f h of audio (%zu x the Sintel clip), %zu windows, %zu segments\n", hours, copies, a.windows.size(),
                a.segments.size());
    std::printf("baseline  Silero VAD (1 thread):   %7.2f s CPU, %7.2f s wall = %6.2f s CPU per hour\n", tv.cpu,
                tv.wall, tv.cpu / hours);
    std::printf("songs::detect_sounds (1 thread):   %7.2f s CPU, %7.2f s wall = %6.2f s CPU per hour (%.2fx the VAD)\n",
                ts.cpu, ts.wall, ts.cpu / hours, ts.cpu / tv.cpu);
    return 0;
}
