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

namespace cinesub::asr {

struct request {
    std::span<const float> audio;        // 16 kHz mono, clip timeline (t = 0 at the clip start)
    const speech_map* speech = nullptr;  // VAD result (may be null for engines that ignore it)
    std::string task = "transcribe";     // "transcribe" | "translate"
    std::string language = "auto";       // ISO 639-1, or "auto" to detect
    std::string prompt;                  // optional initial prompt (context stage)
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
