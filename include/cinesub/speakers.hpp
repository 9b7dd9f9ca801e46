// cinesub — speaker diarization evaluation: the Diarization Error Rate of a system's RTTM against a
// reference RTTM, as NIST md-eval (and dscore, which runs it) computes it.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub {

// The standard no-score collar, in seconds on EACH side of every reference boundary (md-eval's
// `-c 0.25`, dscore's `--collar 0.25`; pyannote.metrics' `collar=0.5`, which is the total width).
inline constexpr double der_standard_collar = 0.25;

struct der_speaker_pair {
    std::string file_id;         // the reference's file id
    std::string ref;             // reference speaker
    std::string hyp;             // the hypothesis speaker it is mapped to
    double overlap_seconds = 0;  // scored time both speak (what the mapping maximises)
};

struct der_report {
    // Scored reference speech: the sum over reference speakers, so overlapped speech counts once per
    // speaker. The rates are fractions of it (0.25 = 25 %); DER = missed + false alarm + confusion.
    double scored_seconds = 0;
    double missed_seconds = 0, false_alarm_seconds = 0, confusion_seconds = 0;
    // With no scored reference speech the rates are 0 when there is no error and 1 (100 %) when
    // there is (false alarm), as pyannote.metrics reports it.
    double der = 0, missed_rate = 0, false_alarm_rate = 0, confusion_rate = 0;
    int ref_speakers = 0, hyp_speakers = 0;  // distinct speakers, summed over file ids
    std::vector<der_speaker_pair> mapping;   // optimal one-to-one mapping; speakers left out have none
    double collar = der_standard_collar;
    bool skip_overlap = false;
    std::string convention;  // in words: "collar ±0.25 s around reference boundaries, overlap scored"
};

// DER of `hyp` against `ref` (RTTM files). collar: seconds excluded on each side of every reference
// turn's start and end (0: none); skip_overlap: time where the reference has two or more speakers is
// not scored. No UEM: the whole timeline of both files is scored. Each file id is scored on its own
// (its own speaker mapping) and the times are summed; a file id only one side has is scored against
// nothing; when each file holds exactly one file id, they are scored against each other whatever
// their names. Throws error(input_missing / input_unreadable / input_corrupt) for a bad file and
// error(usage) for a negative or non-finite collar.
der_report evaluate_der(const std::filesystem::path& ref, const std::filesystem::path& hyp,
                        double collar = der_standard_collar, bool skip_overlap = false);

// `cinesub diarize`: who speaks when in a media file, without a job and without an ASR model —
// demux (16 kHz mono) → Silero VAD → the speakers stage's diarizer → RTTM.
struct diarize_request {
    std::filesystem::path media;
    std::filesystem::path rttm;            // where the RTTM goes (written atomically)
    std::optional<std::string> vad_model;  // a path; default: $CINESUB_VAD_MODEL, else the model cache's
    int min_speakers = 1;
    int max_speakers = 8;
    std::function<void(double fraction, std::string_view what)> on_progress;  // may be empty
    std::function<bool()> should_stop;                                        // may be empty
};
struct diarize_summary {
    int speakers = 0;
    std::size_t turns = 0;
    double audio_seconds = 0;
    double speech_seconds = 0;
    std::vector<double> speaking_seconds;  // per speaker, SPEAKER_00 first
    std::string file_id;                   // the RTTM's file id (the media's stem, spaces as '_')
};
// Throws error(usage) when min_speakers > max_speakers, and the demux / VAD errors of a job's run.
diarize_summary diarize_media(const diarize_request& r);

}  // namespace cinesub
