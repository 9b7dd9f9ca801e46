// The transcript model: what the ASR stage (or a replayed reference) produces and every later
// stage consumes. Times are seconds (double) on the media's timeline (clip start = 0).
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cinesub {

struct word {
    std::string text;          // valid UTF-8; leading space stripped
    double start = 0;          // seconds
    double end = 0;            // seconds, >= start
    float probability = 1.0f;  // 0..1
    std::string speaker;       // the diarization's label ("SPEAKER_00") by overlap; "" when unknown
    bool song = false;         // sung (lyrics), from the songs stage
};

struct segment {
    double start = 0;
    double end = 0;
    std::string text;             // the segment's text as decoded (UTF-8)
    std::vector<word> words;      // in time order; their texts joined by spaces give `text` (modulo spacing)
    std::string speaker;          // "" when unknown
    float avg_logprob = 0.0f;     // mean token log-probability
    float no_speech_prob = 0.0f;  // whisper's no-speech probability
    float temperature = 0.0f;     // temperature of the accepted decode
    int chunk = -1;               // ASR chunk index, -1 when not from chunked ASR
};

struct transcript {
    int schema = 1;
    std::string language;               // ISO 639-1 code of the text ("hi", "en"…)
    float language_probability = 1.0f;  // detection confidence (1 when fixed)
    std::string task = "transcribe";    // "transcribe" | "translate"
    std::string engine;                 // "whisper", "replay:<file>"
    std::string model;                  // model name or path
    bool synthetic = false;             // true when produced by a random-weight model: mechanics only
    std::vector<segment> segments;
};

void to_json(nlohmann::json& j, const word& w);
void from_json(const nlohmann::json& j, word& w);
void to_json(nlohmann::json& j, const segment& s);
void from_json(const nlohmann::json& j, segment& s);
void to_json(nlohmann::json& j, const transcript& t);
void from_json(const nlohmann::json& j, transcript& t);

transcript load_transcript(const std::filesystem::path& path);
void save_transcript(const std::filesystem::path& path, const transcript& t);  // atomic

// Speech activity, as found by the VAD stage (speech.json).
struct speech_segment {
    double start = 0;
    double end = 0;
};

struct speech_map {
    int schema = 1;
    std::vector<speech_segment> segments;
    double frame_seconds = 0;          // spacing of `probabilities` (e.g. 0.032)
    std::vector<float> probabilities;  // per-frame speech probability, may be empty
    double duration = 0;               // seconds of audio analysed

    // Speech probability at time t (0 outside the analysed range or when no probabilities).
    float probability_at(double t) const;
};

void to_json(nlohmann::json& j, const speech_map& s);
void from_json(const nlohmann::json& j, speech_map& s);
speech_map load_speech_map(const std::filesystem::path& path);
void save_speech_map(const std::filesystem::path& path, const speech_map& s);  // atomic

}  // namespace cinesub
