#include "cinesub/transcript.hpp"

#include "cinesub/error.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <cmath>

namespace cinesub {

using nlohmann::json;

void to_json(json& j, const word& w) {
    j = json{{"text", w.text},
             {"start", util::round_ms(w.start)},
             {"end", util::round_ms(w.end)},
             {"probability", std::round(w.probability * 10000.0f) / 10000.0f}};
    if (!w.speaker.empty()) j["speaker"] = w.speaker;
    if (w.song) j["song"] = true;
}

void from_json(const json& j, word& w) {
    w.text = j.at("text").get<std::string>();
    w.start = j.at("start").get<double>();
    w.end = j.at("end").get<double>();
    w.probability = j.value("probability", 1.0f);
    w.speaker = j.value("speaker", std::string{});
    w.song = j.value("song", false);
}

void to_json(json& j, const segment& s) {
    j = json{{"start", util::round_ms(s.start)},
             {"end", util::round_ms(s.end)},
             {"text", s.text},
             {"words", s.words},
             {"avg_logprob", s.avg_logprob},
             {"no_speech_prob", s.no_speech_prob},
             {"temperature", s.temperature},
             {"chunk", s.chunk}};
    if (!s.speaker.empty()) j["speaker"] = s.speaker;
}

void from_json(const json& j, segment& s) {
    s.start = j.at("start").get<double>();
    s.end = j.at("end").get<double>();
    s.text = j.value("text", std::string{});
    s.words = j.value("words", std::vector<word>{});
    s.speaker = j.value("speaker", std::string{});
    s.avg_logprob = j.value("avg_logprob", 0.0f);
    s.no_speech_prob = j.value("no_speech_prob", 0.0f);
    s.temperature = j.value("temperature", 0.0f);
    s.chunk = j.value("chunk", -1);
}

void to_json(json& j, const transcript& t) {
    j = json{{"schema", t.schema},       {"language", t.language}, {"language_probability", t.language_probability},
             {"task", t.task},           {"engine", t.engine},     {"model", t.model},
             {"synthetic", t.synthetic}, {"segments", t.segments}};
}

void from_json(const json& j, transcript& t) {
    t.schema = j.value("schema", 1);
    t.language = j.value("language", std::string{});
    t.language_probability = j.value("language_probability", 1.0f);
    t.task = j.value("task", std::string{"transcribe"});
    t.engine = j.value("engine", std::string{});
    t.model = j.value("model", std::string{});
    t.synthetic = j.value("synthetic", false);
    t.segments = j.value("segments", std::vector<segment>{});
}

transcript load_transcript(const std::filesystem::path& path) {
    auto j = util::read_json(path);
    try {
        return j.get<transcript>();
    } catch (const json::exception& e) {
        throw error(errc::input_corrupt, fmt::format("{} is not a cinesub transcript: {}", path.string(), e.what()));
    }
}

void save_transcript(const std::filesystem::path& path, const transcript& t) { util::write_json_atomic(path, json(t)); }

float speech_map::probability_at(double t) const {
    if (frame_seconds <= 0 || probabilities.empty() || t < 0) return 0.0f;
    auto i = static_cast<std::size_t>(t / frame_seconds);
    return i < probabilities.size() ? probabilities[i] : 0.0f;
}

void to_json(json& j, const speech_map& s) {
    json segs = json::array();
    for (const auto& seg : s.segments)
        segs.push_back({{"start", util::round_ms(seg.start)}, {"end", util::round_ms(seg.end)}});
    json probs = json::array();
    for (float p : s.probabilities) probs.push_back(std::round(p * 1000.0f) / 1000.0f);
    j = json{{"schema", s.schema},
             {"duration", util::round_ms(s.duration)},
             {"segments", segs},
             {"frame_seconds", s.frame_seconds},
             {"probabilities", probs}};
}

void from_json(const json& j, speech_map& s) {
    s.schema = j.value("schema", 1);
    s.duration = j.value("duration", 0.0);
    s.segments.clear();
    for (const auto& seg : j.at("segments"))
        s.segments.push_back({seg.at("start").get<double>(), seg.at("end").get<double>()});
    s.frame_seconds = j.value("frame_seconds", 0.0);
    s.probabilities = j.value("probabilities", std::vector<float>{});
}

speech_map load_speech_map(const std::filesystem::path& path) {
    auto j = util::read_json(path);
    try {
        return j.get<speech_map>();
    } catch (const json::exception& e) {
        throw error(errc::input_corrupt, fmt::format("{} is not a cinesub speech map: {}", path.string(), e.what()));
    }
}

void save_speech_map(const std::filesystem::path& path, const speech_map& s) { util::write_json_atomic(path, json(s)); }

}  // namespace cinesub
