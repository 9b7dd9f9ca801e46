// Media layer over the FFmpeg libraries (libavformat/libavcodec/libswresample; never the ffmpeg CLI):
// probe (no decoding), demux (one audio stream → 16 kHz mono float WAV, streamed), mux (stream copy
// of video/audio + subtitle tracks built from SRT/VTT cues).
#pragma once

#include "cinesub/mux.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cinesub::media {

namespace fs = std::filesystem;

struct stream_info {
    int index = -1;
    std::string type;            // "audio", "video", "subtitle", "data", "attachment", "unknown"
    std::string codec;           // FFmpeg codec name ("vorbis", "h264", "subrip"…)
    std::string language;        // stream's language tag as stored (often ISO 639-2: "hin", "eng"), "" if none
    std::string title;           // stream's title tag, "" if none
    int sample_rate = 0;         // audio
    int channels = 0;            // audio
    std::string channel_layout;  // audio, e.g. "stereo", "5.1(side)"
    double fps = 0;              // video: average (else real base) frame rate, 0 if unknown
    int width = 0, height = 0;   // video
    double duration = 0;         // seconds; 0 when the container does not say
    bool is_default = false;     // disposition "default"
    bool attached_pic = false;   // video stream that is only cover art
};

struct media_info {
    std::string path;
    std::string format;       // short demuxer name ("matroska,webm", "mov,mp4,m4a,3gp,3g2,mj2", "wav"…)
    std::string format_long;  // human name
    double duration = 0;      // seconds (0 when unknown)
    double start_time = 0;    // container start time, seconds (time origin of everything we write)
    std::int64_t bit_rate = 0;
    std::vector<stream_info> streams;
    int best_audio = -1;  // stream index FFmpeg picks (av_find_best_stream), -1 if none
    int best_video = -1;  // -1 if none (cover art does not count)
    double fps = 0;       // of the best video stream, 0 if none

    const stream_info* stream(int index) const;
};

void to_json(nlohmann::json& j, const stream_info& s);
void from_json(const nlohmann::json& j, stream_info& s);
void to_json(nlohmann::json& j, const media_info& m);
void from_json(const nlohmann::json& j, media_info& m);

// Opens the container and reads stream parameters; never decodes audio/video. Throws
// input_missing / input_unreadable / input_not_media / input_corrupt.
media_info probe(const fs::path& path);

using cinesub::clip_range;

// Checks that the media can feed a job over `range`: it has an audio stream (input_no_audio), the
// audio is not known to be empty (input_empty_audio), start < end and start ≥ 0 (range_invalid), and
// the range lies inside the media's duration (range_outside; a few ms of slack for rounding).
void validate_range(const media_info& info, const clip_range& range);

// ---------------------------------------------------------------------------------------------
// Demux

inline constexpr int output_sample_rate = 16000;

struct demux_options {
    std::optional<int> audio_stream;  // stream index; default: the best audio stream
    clip_range range;
    std::function<void(double fraction)> progress;  // called now and then with 0…1
    std::function<bool()> should_stop;              // polled per packet; true → throws errc::interrupted
    // 5.1, 7.1…: the mono track is the front centre channel alone (the dialogue), not the mix.
    bool dialogue_centre = true;
    // Two or more channels: each channel's RMS every 10 ms (float32, frame by frame) is written here,
    // atomically ("" → not written); the speakers stage reads stereo panning from it.
    fs::path levels_path;
};

struct demux_result {
    media_info info;
    int audio_stream = -1;
    std::int64_t samples = 0;                // 16 kHz mono samples written
    double start = 0, end = 0;               // clip actually written (seconds of media time)
    int decode_errors = 0;                   // packets the decoder rejected (skipped, replaced by silence)
    double lead_in_seconds = 0;              // silence before the first decoded sample (codec delay, late audio)
    double gap_seconds = 0;                  // silence inserted where timestamps jumped (lost packets)
    double dropped_seconds = 0;              // overlapping audio dropped where timestamps went back
    int channels = 0;                        // of the source stream
    std::vector<std::string> channel_names;  // "FL", "FR", "FC"…
    std::string dialogue;                    // what the mono track is: "mono", "mix" or "centre"
    std::int64_t level_frames = 0;           // frames written to levels_path (0: none)

    nlohmann::json to_json() const;  // the content of media.json
};

// Decodes the chosen audio stream over `range` with sample accuracy (seek before the start, then drop
// samples by timestamp), resamples to 16 kHz mono float32 and streams it into `wav_path` (IEEE float
// WAV, header patched at the end, written atomically). Memory stays flat whatever the length.
// Throws input_* / range_* / input_corrupt (nothing decodes, or the file ends well before it says it
// does) / input_empty_audio (zero samples) / io (write failed) / interrupted.
demux_result demux_audio(const fs::path& media_path, const fs::path& wav_path, const demux_options& options);

// ---------------------------------------------------------------------------------------------
// Languages

struct language_tag {
    std::string iso639_2;  // "hin", "eng"… ("und" when unknown)
    std::string name;      // "Hindi", "Hindi (Latin)", "English"…
};
// "hi" → {"hin","Hindi"}, "hi-Latn" → {"hin","Hindi (Latin)"}, "eng" → {"eng","English"}; unknown → "und".
language_tag language_from_code(const std::string& code);

// ---------------------------------------------------------------------------------------------
// Mux

// The mux request and result are public (include/cinesub/mux.hpp, cinesub::mux, implemented in
// src/media/mux.cpp).
using cinesub::mux_request;
using cinesub::mux_result;
using cinesub::subtitle_clock;
using cinesub::subtitle_track;

}  // namespace cinesub::media
