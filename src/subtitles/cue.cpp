#include "subtitles/cue.hpp"

#include "util/text.hpp"

#include <cmath>

namespace cinesub::subs {

using nlohmann::json;

std::string cue::text() const {
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i) out += '\n';
        out += lines[i];
    }
    return out;
}

void to_json(json& j, const cue& c) {
    j = json{{"start", util::round_ms(c.start)},
             {"end", util::round_ms(c.end)},
             {"text", c.text()},
             {"lines", c.lines},
             {"song", c.song},
             {"confidence", std::round(c.confidence * 1000.0f) / 1000.0f},
             {"words", c.words}};
    if (!c.speaker.empty()) j["speaker"] = c.speaker;
    if (!c.line_speakers.empty()) j["line_speakers"] = c.line_speakers;
}

void from_json(const json& j, cue& c) {
    c.start = j.at("start").get<double>();
    c.end = j.at("end").get<double>();
    c.lines = j.value("lines", std::vector<std::string>{});
    c.speaker = j.value("speaker", std::string{});
    c.line_speakers = j.value("line_speakers", std::vector<std::string>{});
    c.song = j.value("song", false);
    c.confidence = j.value("confidence", 1.0f);
    c.words = j.value("words", std::vector<word>{});
}

void to_json(json& j, const violation& v) {
    j = json{{"rule", v.rule},
             {"severity", v.hard ? "hard" : "soft"},
             {"cue", v.cue},
             {"start", util::round_ms(v.start)},
             {"end", util::round_ms(v.end)},
             {"message", v.message}};
}

}  // namespace cinesub::subs
