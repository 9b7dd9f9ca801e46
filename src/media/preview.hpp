// Browser previews: whether Chromium plays a film as it is (browser_playable), and a small WebM made
// from it when it does not (make_preview), for the review page's <video>/<audio> element.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace cinesub::media {

// Whether a <video>/<audio> element in Chromium (Google Chrome, or a Chromium build with the
// proprietary codecs, as Debian's is) plays the file as it is, with no preview. The rule:
//
//   container               video (every stream)           audio (every stream)
//   Matroska / WebM         vp8, vp9, av1                  vorbis, opus
//   MP4 / MOV               h264 (8-bit 4:2:0), vp9, av1   aac, mp3, opus, flac
//   Ogg                     none (Theora is gone)          vorbis, opus, flac
//   WAV                     none                           pcm_u8, pcm_s16le, pcm_s24le, pcm_s32le, pcm_f32le
//   MP3 / FLAC              none                           mp3 / flac
//
// It needs at least one audio or video stream, and every audio and video stream (cover art aside;
// subtitle and data streams do not count) must be in its row: a film with one AC-3 or DTS track
// beside an AAC one gets a preview, so what the page plays is always the track the preview holds.
// So false for MKV with H.264, AC-3, DTS, E-AC-3 or TrueHD; HEVC anywhere (Chromium plays it only
// where the platform decodes it in hardware); H.264 High 10 / 4:2:2 / 4:4:4; AVI, MPEG-TS, MPEG-PS,
// FLV, WMV, Theora.
// Opens the file (no decoding): throws input_missing / input_unreadable / input_not_media / input_corrupt.
bool browser_playable(const std::filesystem::path& media);

enum class preview_codec { vp8, vp9 };

struct preview_params {
    int max_height = 480;  // the video is scaled down (never up) to this height, aspect kept, even sizes
    // Frame-rate cap: 50/60 fps sources keep every second frame (src / ceil(src / max_fps)); 0 keeps all.
    double max_fps = 30;
    // VP8 (libvpx, realtime) is the default: on 2 cores it encodes a 480p film faster than VP9 does.
    preview_codec codec = preview_codec::vp8;
    int video_kbps = 1000;  // target bitrate of the video
    // libvpx speed, realtime deadline: VP8 0…16, VP9 0…8 (clamped); higher is faster, softer.
    int cpu_used = 16;
    double keyframe_seconds = 2;      // a keyframe at least this often: how fast the page seeks
    int audio_kbps = 96;              // Opus, 48 kHz stereo
    std::optional<int> audio_stream;  // source stream index; default: the best audio stream
    int threads = 0;                  // decoder and encoder threads; 0 → every core of the machine
};

// What make_preview wrote.
struct preview_result {
    bool has_video = false, has_audio = false;
    int width = 0, height = 0;  // 0 × 0 for an audio-only preview
    double fps = 0;             // of the preview (0: audio only)
    std::string video_codec;    // "vp8", "vp9" or "" (no video)
    double duration = 0;        // seconds of source time covered
};

// Called after every packet read with the fraction done (source time / duration, 0…1); return false
// to stop: make_preview then throws error(errc::interrupted) and leaves no file.
using preview_progress = std::function<bool(double fraction)>;

// Writes a WebM of `source` at `out`: the best video stream (cover art aside) decoded, scaled to at
// most p.max_height and encoded VP8/VP9 at p.video_kbps; the audio stream (p.audio_stream, else the
// best) resampled to 48 kHz stereo and encoded Opus. An audio-only source gives an audio-only WebM.
// Timestamps keep the source's clock: the preview at t shows the source at t (t = 0 at the
// container's start time), so the page seeks by source time; audio gaps in the source are filled
// with silence. Written to a temporary name beside `out` and renamed when complete: a stopped, failed
// or killed run leaves no preview. Throws input_* for a missing, unreadable or non-media source,
// input_corrupt when nothing decodes, input_no_audio when it has neither audio nor video (or no
// audio stream p.audio_stream), io when writing fails, interrupted when `progress` says stop,
// internal when this FFmpeg lacks libvpx or libopus.
preview_result make_preview(const std::filesystem::path& source, const std::filesystem::path& out,
                            const preview_params& p = {}, const preview_progress& progress = {});

}  // namespace cinesub::media
