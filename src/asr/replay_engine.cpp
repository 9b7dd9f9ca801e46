// The replay engine: a human reference (STM, SRT, VTT, ASS or transcript.json) returned as if it were ASR
// output, so every stage after ASR can be tested against real timings without a Whisper model.
//
// STM ("file channel speaker start end text…", ';;' comments, <o,f0,male> tags skipped): one segment per
// line. SRT/VTT/ASS: one segment per cue; a leading "[Name]" or "Name:" (or <v Name>) becomes the
// speaker. Words inside a segment get times spread over it by character length. transcript.json:
// read as is (words without times are spread the same way); probabilities stay as stored.
#include "asr/engine.hpp"
#include "cinesub/error.hpp"
#include "subtitles/readers.hpp"
#include "subtitles/text.hpp"
#include "util/fs.hpp"
#include "util/path_json.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace cinesub::asr {

namespace {

namespace fs = std::filesystem;

std::string lower_ext(const fs::path& p) { return util::lower_ascii(p.extension().string()); }

// Words of `text` with times spread over [start, end] by character length (+1 for the space).
std::vector<word> spread_words(std::string_view text, double start, double end) {
    const auto pieces = subs::split_words(text);
    std::vector<word> out;
    if (pieces.empty()) return out;
    std::size_t total = 0;
    for (const auto& p : pieces) total += static_cast<std::size_t>(subs::display_width(p)) + 1;
    const double span = std::max(0.0, end - start);
    std::size_t acc = 0;
    for (const auto& p : pieces) {
        word w;
        w.text = p;
        const auto width = static_cast<std::size_t>(subs::display_width(p));
        w.start = start + span * static_cast<double>(acc) / static_cast<double>(total);
        acc += width + 1;
        // the word ends before its trailing space
        w.end = start + span * static_cast<double>(acc - 1) / static_cast<double>(total);
        w.probability = 1.0f;
        out.push_back(std::move(w));
    }
    out.back().end = end;
    return out;
}

segment make_segment(const std::string& text, double start, double end, std::string speaker) {
    segment s;
    s.start = start;
    s.end = std::max(start, end);
    s.text = subs::join(subs::split_words(text), " ");
    s.words = spread_words(s.text, s.start, s.end);
    s.speaker = std::move(speaker);
    return s;
}

// "[Diane] Hello?" / "DIANE: Hello?" → speaker + text.
std::pair<std::string, std::string> split_speaker(const std::string& text) {
    const std::string t(util::trim(text));
    if (t.size() > 2 && t.front() == '[') {
        const auto close = t.find(']');
        if (close != std::string::npos && close < 40)
            return {util::trim(t.substr(1, close - 1)), util::trim(t.substr(close + 1))};
    }
    const auto colon = t.find(": ");
    if (colon != std::string::npos && colon > 0 && colon < 25) {
        const auto name = t.substr(0, colon);
        if (std::all_of(name.begin(), name.end(),
                        [](unsigned char c) { return std::isalpha(c) || c == ' ' || c == '.'; }))
            return {name, util::trim(t.substr(colon + 2))};
    }
    return {"", t};
}

transcript read_stm(const fs::path& path) {
    transcript t;
    std::istringstream in(util::read_file(path));
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const std::string trimmed(util::trim(line));
        if (trimmed.empty() || trimmed.rfind(";;", 0) == 0) continue;
        std::istringstream fields(trimmed);
        std::string file, channel, speaker, start_s, end_s;
        if (!(fields >> file >> channel >> speaker >> start_s >> end_s))
            throw error(errc::input_corrupt, fmt::format("{}:{}: not an STM line (file channel speaker start end text)",
                                                         path.string(), number));
        double start = 0, end = 0;
        try {
            start = std::stod(start_s);
            end = std::stod(end_s);
        } catch (const std::exception&) {
            throw error(errc::input_corrupt,
                        fmt::format("{}:{}: bad STM times '{}' '{}'", path.string(), number, start_s, end_s));
        }
        if (end < start)
            throw error(errc::input_corrupt,
                        fmt::format("{}:{}: STM end {} before start {}", path.string(), number, end, start));
        std::string rest;
        std::getline(fields, rest);
        rest = util::trim(rest);
        if (!rest.empty() && rest.front() == '<') {  // optional <o,f0,male> label
            const auto close = rest.find('>');
            if (close != std::string::npos) rest = util::trim(rest.substr(close + 1));
        }
        if (rest.empty() || rest == "ignore_time_segment_in_scoring") continue;
        t.segments.push_back(make_segment(rest, start, end, speaker == "inter_segment_gap" ? "" : speaker));
    }
    return t;
}

transcript read_cues(const fs::path& path) {
    const auto file = subs::read_subtitles(path);
    transcript t;
    for (const auto& c : file.cues) {
        auto text = subs::join(c.lines, " ");
        std::string speaker = c.speaker;
        if (speaker.empty()) std::tie(speaker, text) = split_speaker(text);
        if (util::trim(text).empty()) continue;
        t.segments.push_back(make_segment(text, c.start, c.end, speaker));
    }
    return t;
}

transcript read_transcript_json(const fs::path& path) {
    transcript t;
    try {
        t = load_transcript(path);
    } catch (const error&) {
        throw;
    } catch (const std::exception& e) {
        throw error(errc::input_corrupt, fmt::format("{} is not a transcript.json: {}", path.string(), e.what()));
    }
    for (auto& s : t.segments) {
        if (s.words.empty() && !s.text.empty()) s.words = spread_words(s.text, s.start, s.end);
        if (s.text.empty() && !s.words.empty()) {
            std::vector<std::string> texts;
            for (const auto& w : s.words) texts.push_back(w.text);
            s.text = subs::join(texts, " ");
        }
    }
    return t;
}

class replay_engine final : public engine {
public:
    explicit replay_engine(fs::path file) : file_(std::move(file)) {}
    std::string name() const override { return "replay:" + util::display_path(file_); }

    transcript run(const request& req) override {
        util::require_readable_file(file_, "replay reference");
        const auto ext = lower_ext(file_);
        transcript t;
        if (ext == ".stm")
            t = read_stm(file_);
        else if (ext == ".json")
            t = read_transcript_json(file_);
        else if (ext == ".srt" || ext == ".vtt" || ext == ".ass" || ext == ".ssa")
            t = read_cues(file_);
        else
            throw error(errc::usage,
                        fmt::format("replay engine: {} is not .stm, .srt, .vtt, .ass or .json", file_.string()));
        std::stable_sort(t.segments.begin(), t.segments.end(),
                         [](const segment& a, const segment& b) { return a.start < b.start; });
        if (t.language.empty()) {
            t.language = req.language != "auto" && !req.language.empty() ? req.language : "";
            if (t.language.empty()) {
                bool deva = false;
                for (const auto& s : t.segments) deva = deva || subs::has_devanagari(s.text);
                t.language = deva ? "hi" : "en";
            }
        }
        t.language_probability = 1.0f;
        t.task = "transcribe";
        t.engine = name();
        if (t.model.empty()) t.model = "replay";
        if (req.on_progress) req.on_progress(1.0, "replayed reference");
        info_ = {{"engine", name()}, {"segments", t.segments.size()}, {"format", ext.substr(1)}};
        return t;
    }

    nlohmann::json last_run_info() const override { return info_; }

private:
    fs::path file_;
    nlohmann::json info_ = nlohmann::json::object();
};

}  // namespace

std::unique_ptr<engine> make_replay_engine(const fs::path& file) {
    if (file.empty()) throw error(errc::usage, "replay engine: no file (use --asr-engine replay:FILE)");
    return std::make_unique<replay_engine>(file);
}

}  // namespace cinesub::asr
