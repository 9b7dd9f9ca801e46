// Speakers stage cost per hour of audio: the diarization sample (30 s, 2 speakers) tiled to
// --minutes (60) with its VAD speech map tiled alike, then speakers::diarize timed (CPU and wall),
// printed against the goal of 60 s of CPU per hour of audio. The VAD runs once, on the 30 s sample.
//   build/bench/speakers_speed [--minutes 60] [--sample FILE.wav] [--vad MODEL]
#include "asr/wav.hpp"
#include "speakers/diarize.hpp"
#include "vad/vad.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

int main(int argc, char** argv) {
    using namespace cinesub;
    double minutes = 60;
    std::string testdata = std::string(CINESUB_SOURCE_DIR) + "/../shared/testdata";
    std::string sample = testdata + "/media/diarization/en_pyannote_sample.wav";
    std::string model = testdata + "/models/ggml-silero-v6.2.0.bin";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--minutes")) minutes = std::atof(argv[i + 1]);
        if (!std::strcmp(argv[i], "--sample")) sample = argv[i + 1];
        if (!std::strcmp(argv[i], "--vad")) model = argv[i + 1];
    }
    const auto one = asr::read_wav_16k_mono(sample);
    vad::detector d(model);
    const auto speech_one = vad::detect(d, one, {});
    const double len = static_cast<double>(one.size()) / 16000.0;
    const int copies = static_cast<int>(minutes * 60 / len + 0.5);
    std::vector<float> audio;
    audio.reserve(one.size() * static_cast<std::size_t>(copies));
    speech_map speech;
    for (int c = 0; c < copies; ++c) {
        audio.insert(audio.end(), one.begin(), one.end());
        for (const auto& s : speech_one.segments) speech.segments.push_back({s.start + c * len, s.end + c * len});
    }
    const double hours = static_cast<double>(audio.size()) / 16000.0 / 3600.0;
    const std::clock_t c0 = std::clock();
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = speakers::diarize(audio, speech, {});
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    std::printf("%.2f h of audio (%d × %s), %zu speech segments, %d windows → %d speakers, %zu turns\n", hours, copies,
                sample.c_str(), speech.segments.size(), r.windows, r.speakers, r.turns.size());
    std::printf(
        "speakers::diarize: %.2f s CPU, %.2f s wall = %.2f s CPU per hour of audio (goal ≤ 60: %.1f %% of it)\n", cpu,
        wall, cpu / hours, 100.0 * cpu / hours / 60.0);
    return 0;
}
