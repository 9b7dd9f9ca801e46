// The ASR seam: everything after ASR sees only cinesub::transcript, never whisper.cpp.
#pragma once

#include "asr/params.hpp"
#include "cinesub/transcript.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::asr {

// What an engine tells request::prompt_for about the chunk it is about to decode.
struct prompt_query {
    int index = 0;     // the chunk (0.. in time order)
    double start = 0;  // its span on the clip timeline
    double end = 0;
    std::string language;    // the language the pass decodes ("hi"; after detection, never "auto")
    bool translate = false;  // the output is English
    int first = 0;           // chunks first..index-1 are decoded: segments_of(j) holds their segments
    std::function<const std::vector<segment>&(int)> segments_of;
    // Tokens of a text by the model's own tokenizer; −1 when its vocabulary cannot write the text
    // (a byte with no token: whisper.cpp would drop it, as the test vocabulary does with Devanagari).
    std::function<int(std::string_view)> count_tokens;
    int max_tokens = 0;  // the prompt budget: n_text_ctx / 2 − 1 (the <|startofprev|> token)
};

struct request {
    std::span<const float> audio;        // 16 kHz mono, clip timeline (t = 0 at the clip start)
    const speech_map* speech = nullptr;  // VAD result (may be null for engines that ignore it)
    std::string task = "transcribe";     // "transcribe" | "translate"
    std::string language = "auto";       // ISO 639-1, or "auto" to detect
    std::string prompt;                  // optional initial prompt, the same for every chunk
    // Optional, wins over `prompt`: each chunk's own prompt (the ASR stage's rolling, time-local
    // prompts from the glossary), asked for just before the chunk is decoded; called from any worker
    // thread. With prompt_streams = S > 0 the chunks are decoded as S contiguous streams, each in time
    // order, and chunk i's query lists the chunks before it in its stream (first = the stream's first
    // chunk): what a prompt may depend on is then fixed by S alone, never by worker count or timing.
    // With S = 0 no chunk waits for another (first = index): the prompt depends on the chunk alone.
    std::function<std::string(const prompt_query&)> prompt_for;
    int prompt_streams = 0;
    std::function<void(double fraction, std::string_view detail)> on_progress;  // may be empty
    std::function<bool()> should_stop;  // may be empty; polled between units of work
    // May be empty; called (from any worker thread) with a stretch of `audio` the engine has copied
    // out and will not read again in this run, so its pages can go (asr::audio_file::release).
    std::function<void(std::span<const float>)> done_with;
};

class engine {
public:
    virtual ~engine() = default;
    virtual std::string name() const = 0;  // "whisper", "replay:<file>"
    virtual transcript run(const request& req) = 0;
    // Facts about the last run() for summary.json (chunks, realtime factor, detected language…);
    // engines without any return an empty object.
    virtual nlohmann::json last_run_info() const { return nlohmann::json::object(); }
};

// The engine the ASR settings name: whisper (loads p.model) or replay (returns p.replay).
std::unique_ptr<engine> make_engine(const params& p);

// The replay engine (src/asr/replay_engine.cpp): FILE is an STM, SRT, VTT, ASS or transcript.json.
std::unique_ptr<engine> make_replay_engine(const std::filesystem::path& file);

}  // namespace cinesub::asr
