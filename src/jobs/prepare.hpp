// `cinesub prepare`: validate the media and settings, create the job folder, write job.json.
// Takes well under a second: the media is probed, never decoded.
#pragma once

#include "jobs/job.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cinesub::jobs {

struct prepare_options {
    fs::path media;
    std::optional<std::string> start, end;  // "SS[.mmm]" or "HH:MM:SS[.mmm]"
    std::optional<std::string> workflow;    // subtitle | transcribe | translate
    std::optional<std::string> source_lang, target_lang;
    std::optional<std::string> title;
    std::optional<int> year;
    std::optional<std::string> model;       // cache name or path to a ggml Whisper file
    std::optional<std::string> vad_model;   // path to a ggml Silero VAD file
    std::optional<std::string> asr_engine;  // "whisper" | "replay:FILE"
    std::optional<int> audio_stream;
    std::vector<std::string> overrides;  // "key=value" (value parsed as JSON, else taken as a string)
    fs::path out_root;
    std::string user;
};

job prepare(const prepare_options& options);

}  // namespace cinesub::jobs
