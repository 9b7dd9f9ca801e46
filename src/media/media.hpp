// Media layer over the FFmpeg libraries (libavformat/libavcodec/libswresample; never the ffmpeg CLI):
// probe (no decoding), demux (one audio stream → 16 kHz mono float WAV, streamed), mux (stream copy
// of video/audio + subtitle tracks built from SRT/VTT cues).
#pragma once

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

// A clip of the media in seconds from its start (no end: to the end of the media).
struct clip_range {
    double start = 0;
    std::optional<double> end;
};

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
};

struct demux_result {
    media_info info;
    int audio_stream = -1;
    std::int64_t samples = 0;    // 16 kHz mono samples written
    double start = 0, end = 0;   // clip actually written (seconds of media time)
    int decode_errors = 0;       // packets the decoder rejected (skipped, replaced by silence)
    double lead_in_seconds = 0;  // silence before the first decoded sample (codec delay, late audio)
    double gap_seconds = 0;      // silence inserted where timestamps jumped (lost packets)
    double dropped_seconds = 0;  // overlapping audio dropped where timestamps went back

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

struct subtitle_track {
    fs::path file;         // SRT or VTT, read by subs::read_cues_strict() (inline <i> <b> <u> kept in mkv)
    std::string language;  // ISO 639-1 ("hi", "en", "hi-Latn") or 639-2 ("hin")
    std::string title;     // "" → the language's name
    bool is_default = false;
};

// Which clock the subtitle files count from when a clip range is set.
enum class subtitle_clock { clip, media };

struct mux_request {
    fs::path media;
    std::vector<subtitle_track> tracks;
    fs::path output;
    std::string format;  // "mkv" or "mp4"; "" → from the output's extension (default mkv)
    // With a range the output holds only the clip: it starts at the last video keyframe at or before
    // range.start (stream copy cannot cut elsewhere), timestamps shifted so the output starts at 0,
    // and subtitle times moved by (range.start − keyframe) so they stay on their lines.
    std::optional<clip_range> range;
    subtitle_clock clock = subtitle_clock::clip;  // with a range: cue times count from range.start
    std::function<void(double)> progress;
    std::function<bool()> should_stop;
};

struct mux_result {
    fs::path output;
    int streams = 0;                   // streams written
    int cues = 0;                      // subtitle cues written (all tracks)
    double cut_start = 0;              // media time the output starts at (keyframe), 0 for a full mux
    double subtitle_shift = 0;         // seconds added to cue times
    std::vector<std::string> skipped;  // source streams left out, with the reason
};

// Writes the output to a temporary name in its folder and renames it at the end; on any failure no
// file is left. The same inputs and request give the same bytes (no random IDs, no dates of its own).
// Throws input_* for bad inputs (input_corrupt naming the file and line of a bad subtitle timing
// line), usage for a format that cannot carry a stream by copy (e.g. VP8/Vorbis in mp4), io when
// writing fails.
mux_result mux(const mux_request& request);

}  // namespace cinesub::media
