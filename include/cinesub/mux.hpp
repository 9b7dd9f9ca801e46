// cinesub — soft-mux subtitle files (SRT/VTT) into a video by stream copy (MKV: SubRip tracks,
// MP4: mov_text), language-tagged, optionally cut to a clip. Identical inputs give identical bytes.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cinesub {

// A clip of the media in seconds from its start (no end: to the end of the media).
struct clip_range {
    double start = 0;
    std::optional<double> end;
};

struct subtitle_track {
    std::filesystem::path
        file;              // SRT or VTT (inline <i> <b> <u> kept in mkv); in mkv also ASS (.ass/.ssa), muxed as ASS
    std::string language;  // ISO 639-1 ("hi", "en", "hi-Latn") or 639-2 ("hin")
    std::string title;     // "" → the language's name
    bool is_default = false;
};

// Which clock the subtitle files count from when a clip range is set.
enum class subtitle_clock { clip, media };

struct mux_request {
    std::filesystem::path media;
    std::vector<subtitle_track> tracks;
    std::filesystem::path output;
    std::string format;  // "mkv" or "mp4"; "" → from the output's extension (default mkv)
    // mkv: files attached to the output (the fonts an ASS track names: .ttf/.otf), after the source's
    // own attachments; one the source already has by that file name is not added twice. mp4: left out.
    std::vector<std::filesystem::path> attachments;
    // With a range the output holds only the clip: it starts at the last video keyframe at or before
    // range.start (stream copy cannot cut elsewhere), timestamps shifted so the output starts at 0,
    // and subtitle times moved by (range.start − keyframe) so they stay on their lines.
    std::optional<clip_range> range;
    subtitle_clock clock = subtitle_clock::clip;  // with a range: cue times count from range.start
    std::function<void(double)> progress;         // 0…1, now and then
    std::function<bool()> should_stop;            // polled per packet; true → error(interrupted)
};

struct mux_result {
    std::filesystem::path output;
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

}  // namespace cinesub
