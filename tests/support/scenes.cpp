#include "scenes.hpp"

#include "asr/wav.hpp"
#include "cinesub/error.hpp"
#include "media/media.hpp"
#include "mixtures.hpp"
#include "support.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <utility>

namespace cinesub::test {

namespace {

constexpr double scene_rate = 16000;

std::size_t scene_samples(double seconds) { return static_cast<std::size_t>(std::llround(seconds * scene_rate)); }

// Scales `v` so that its RMS over the samples above −50 dBFS of its peak is `rms`.
void level(std::vector<float>& v, double rms) {
    double peak = 0;
    for (float x : v) peak = std::max(peak, static_cast<double>(std::abs(x)));
    if (peak <= 0) return;
    double sq = 0;
    std::size_t n = 0;
    for (float x : v)
        if (std::abs(x) > peak * 0.003) sq += static_cast<double>(x) * x, ++n;
    if (n == 0) return;
    const double gain = rms / std::sqrt(sq / static_cast<double>(n));
    for (float& x : v) x = static_cast<float>(x * gain);
}

// One held syllable at an espeak-ng pitch (0–99: about 120–280 Hz with the en+f3 voice), its
// intonation flattened (SSML prosody range 0: the note holds its pitch), 16 kHz, cached per process.
const std::vector<float>& sung_note(const char* syllable, int pitch) {
    static std::mutex m;
    static std::map<std::pair<std::string, int>, std::vector<float>> cache;
    std::lock_guard lock(m);
    const auto key = std::make_pair(std::string(syllable), pitch);
    if (const auto it = cache.find(key); it != cache.end()) return it->second;
    temp_dir tmp;
    const auto raw = tmp / "note.wav";
    const auto cmd = fmt::format(
        "espeak-ng -m -v en+f3 -s 80 -p {} -w '{}' '<speak><prosody range=\"0\" rate=\"x-slow\">{}.</prosody></speak>' "
        ">/dev/null 2>&1",
        pitch, raw.string(), syllable);
    if (std::system(cmd.c_str()) != 0) throw error(errc::internal, "espeak-ng failed: " + cmd);
    const auto wav = tmp / "note16k.wav";
    media::demux_audio(raw, wav, {});
    auto samples = asr::read_wav_16k_mono(wav);
    // Trim espeak's leading and trailing silence.
    const auto loud = [](float x) { return std::abs(x) > 0.01f; };
    const auto b = std::find_if(samples.begin(), samples.end(), loud);
    const auto e = std::find_if(samples.rbegin(), samples.rend(), loud).base();
    std::vector<float> note(b, std::max(b, e));
    return cache.emplace(key, std::move(note)).first->second;
}

void add_into(std::vector<float>& out, std::size_t at, const std::vector<float>& v, double gain = 1) {
    if (out.size() < at + v.size()) out.resize(at + v.size(), 0.0f);
    for (std::size_t i = 0; i < v.size(); ++i) out[at + i] += static_cast<float>(v[i] * gain);
}

// `n` samples of a bed (the synthetic one or the Sintel music, looped), RMS 1.
std::vector<float> bed(std::size_t n, bool sintel, unsigned seed) {
    std::vector<float> out;
    if (!sintel) {
        out = make_music_bed(n, seed);
    } else {
        const auto& m = sintel_music();
        out.resize(n);
        const std::size_t offset = (static_cast<std::size_t>(seed) * 48000) % m.size();
        for (std::size_t i = 0; i < n; ++i) out[i] = m[(offset + i) % m.size()];
    }
    level(out, 1.0);
    return out;
}

}  // namespace

bool have_espeak() { return std::system("espeak-ng --version >/dev/null 2>&1") == 0; }

const std::vector<float>& sintel_music() {
    static std::mutex m;
    static std::vector<float> music;
    std::lock_guard lock(m);
    if (!music.empty()) return music;
    const auto path = testdata("media/video/sintel_trailer_first27s.webm");
    if (!std::filesystem::exists(path)) throw error(errc::input_missing, "no Sintel clip at " + path.string());
    const auto& all = clip_16k(path);
    // The reference captions put speech at 12.0–15.0 and 18.5–20.5 s; keep the music around them.
    for (const auto& [a, b] : {std::pair{1.5, 11.6}, std::pair{15.4, 18.3}, std::pair{20.8, 27.0}}) {
        const auto s0 = std::min(all.size(), scene_samples(a)), s1 = std::min(all.size(), scene_samples(b));
        music.insert(music.end(), all.begin() + static_cast<std::ptrdiff_t>(s0),
                     all.begin() + static_cast<std::ptrdiff_t>(s1));
    }
    return music;
}

std::vector<float> sung_vowels(double seconds, unsigned seed) {
    std::mt19937 rng(seed);
    // A pentatonic-ish walk over espeak's pitch range; notes overlap by 50 ms (legato).
    static constexpr int pitches[] = {10, 23, 36, 50, 63, 76, 90};
    static constexpr const char* syllables[] = {"Laaa", "Looo", "Naaa"};
    std::vector<float> out;
    const std::size_t want = scene_samples(seconds);
    std::size_t at = 0;
    int step = 3;
    while (at < want) {
        step = std::clamp(step + static_cast<int>(rng() % 3) - 1, 0, 6);
        const auto& note = sung_note(syllables[rng() % 3], pitches[step]);
        add_into(out, at, note);
        at += note.size() > scene_samples(0.05) ? note.size() - scene_samples(0.05) : note.size();
    }
    out.resize(want, 0.0f);
    level(out, mixture_speech_rms);
    return out;
}

scene make_scene(const std::vector<scene_block>& blocks, unsigned seed) {
    scene s;
    unsigned n = 0;
    for (const auto& b : blocks) {
        ++n;
        const unsigned block_seed = seed * 131u + n;
        std::vector<float> audio;
        switch (b.what) {
            case scene_block::source::silence:
                audio.assign(scene_samples(b.seconds), 0.0f);
                break;
            case scene_block::source::conversation: {
                mixture_options o;
                o.speakers = 2;
                o.turns = b.turns;
                o.seed = block_seed;
                audio = make_conversation(o).audio;
                break;
            }
            case scene_block::source::sintel_music:
                audio = bed(scene_samples(b.seconds), true, block_seed);
                break;
            case scene_block::source::music_bed:
                audio = bed(scene_samples(b.seconds), false, block_seed);
                break;
            case scene_block::source::sung:
                audio = sung_vowels(b.seconds, block_seed);
                break;
        }
        if (b.what == scene_block::source::sintel_music || b.what == scene_block::source::music_bed)
            for (float& x : audio) x = static_cast<float>(x * mixture_speech_rms);
        if (b.bed_db > -100 && (b.what == scene_block::source::conversation || b.what == scene_block::source::sung)) {
            const auto under = bed(audio.size(), b.bed_is_sintel, block_seed);
            add_into(audio, 0, under, mixture_speech_rms * std::pow(10.0, b.bed_db / 20.0));
        }
        const double start = s.duration();
        s.audio.insert(s.audio.end(), audio.begin(), audio.end());
        s.truth.push_back({start, s.duration(), b.label, 1.0});
    }
    return s;
}

std::vector<scene_block> film_like_blocks(unsigned seed) {
    using src = scene_block::source;
    using songs::sound;
    const double levels[] = {-6, -10, -15, -20};
    const double bed_db = levels[seed % 4];
    return {
        {src::silence, 1.0, 0, -100, false, sound::silence},
        {src::conversation, 0, 6, -100, false, sound::speech},
        {src::music_bed, 8.0, 0, -100, false, sound::music},
        {src::conversation, 0, 6, bed_db, false, sound::speech},  // speech over music stays speech
        {src::sung, 26.0, 0, -8, false, sound::song},             // an accompanied song
        {src::conversation, 0, 5, -100, false, sound::speech},
        {src::sintel_music, 12.0, 0, -100, false, sound::music},     // orchestral score
        {src::conversation, 0, 6, bed_db - 2, true, sound::speech},  // speech over the score
        {src::sung, 5.0, 0, -8, false, sound::music},                // a sting: sung, too short for a song
        {src::conversation, 0, 4, -100, false, sound::speech},
        {src::sung, 24.0, 0, -100, false, sound::song},  // a cappella
        {src::silence, 1.5, 0, -100, false, sound::silence},
    };
}

}  // namespace cinesub::test
