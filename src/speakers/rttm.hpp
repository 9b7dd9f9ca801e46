// RTTM (NIST Rich Transcription Time Marked) speaker turns: reading the SPEAKER lines of a reference
// or of a diarization system's output, and writing a diarization as RTTM. A SPEAKER line is
//   SPEAKER <file-id> <channel> <onset> <duration> <NA> <NA> <speaker> <NA> <NA>
// with times in seconds; fields are separated by spaces or tabs.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::speakers {

// One speaker's turn, in seconds on the file's timeline; end > start.
struct turn {
    double start = 0;
    double end = 0;
    std::string speaker;
};

// The turns of one file id (RTTM's second field), in the order of the file's lines.
struct rttm_file {
    std::string file_id;
    std::vector<turn> turns;
};

// Every SPEAKER line of an RTTM text, grouped by file id (file ids in the order they first occur).
// Other line types (SPKR-INFO, SEGMENT, LEXEME…), blank lines and ";;" comments are ignored; a
// turn of zero duration is skipped. A SPEAKER line with fewer than 8 fields, an onset or duration
// that is not a finite number, a negative onset or a negative duration throws
// error(input_corrupt, "<source> line N: …"). `source` names the text in messages (the file's path).
std::vector<rttm_file> parse_rttm(std::string_view text, std::string_view source);
// parse_rttm of a file; error(input_missing / input_unreadable) when it cannot be read.
std::vector<rttm_file> read_rttm(const std::filesystem::path& path);

// The RTTM text of one file's turns: sorted by start (then end, then speaker), channel 1, onset and
// duration with 3 decimals (duration = rounded end - rounded start, so that the end survives a round
// trip); a turn that is shorter than the rounding (duration 0.000) is left out. file_id and speaker
// names must be non-empty and hold no whitespace (RTTM fields), and 0 <= start < end: else error(internal).
std::string format_rttm(std::string_view file_id, std::vector<turn> turns);
// format_rttm written atomically (util::write_file_atomic).
void write_rttm(const std::filesystem::path& path, std::string_view file_id, std::vector<turn> turns);

}  // namespace cinesub::speakers
