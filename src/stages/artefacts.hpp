// Every file a stage writes, named once. Producers write ctx.path(<artefact>); consumers read
// ctx.path(<artefact>) or pipeline::artefact_path(job, <artefact>) in inputs(): a consumer can no
// longer misspell a producer's file. Files whose names depend on the data (one per language or
// format) are made by the functions below.
#pragma once

#include "pipeline/stage.hpp"

#include "cinesub/job.hpp"
#include "songs/detect.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::stages {

namespace demux_files {
inline constexpr pipeline::artefact audio{"demux", "audio.wav"};    // 16 kHz mono float32 WAV of the clip
inline constexpr pipeline::artefact media{"demux", "media.json"};   // streams, fps, what the decoder met
inline constexpr pipeline::artefact levels{"demux", "levels.f32"};  // ≥ 2 channels: per-channel RMS every 10 ms
}  // namespace demux_files

namespace metadata_files {
inline constexpr pipeline::artefact metadata{"metadata", "metadata.json"};  // the film: cast, crew, titles (or none)
}  // namespace metadata_files

namespace context_files {
inline constexpr pipeline::artefact glossary{"context", "glossary.json"};  // names to spell right, both scripts
}  // namespace context_files

namespace vad_files {
inline constexpr pipeline::artefact speech{"vad", "speech.json"};  // speech segments + frame probabilities
}  // namespace vad_files

namespace speakers_files {
inline constexpr pipeline::artefact rttm{"speakers", "speakers.rttm"};      // who speaks when (NIST RTTM)
inline constexpr pipeline::artefact speakers{"speakers", "speakers.json"};  // the turns, counts, clustering facts
}  // namespace speakers_files

namespace songs_files {
inline constexpr pipeline::artefact songs{"songs", "songs.json"};  // music / song / speech segments, window scores
}  // namespace songs_files
// The segments of a songs.json. error(input_corrupt) for an unknown kind.
std::vector<songs::sound_segment> load_sound_segments(const std::filesystem::path& songs_json);

namespace asr_files {
inline constexpr pipeline::artefact tracks{"asr", "tracks.json"};    // the transcripts written, with roles
inline constexpr pipeline::artefact summary{"asr", "summary.json"};  // engine, model, language, chunks
inline constexpr pipeline::artefact prompts{"asr", "prompts.json"};  // each chunk's prompt: names, weights, tokens
// "transcript.<lang>.json", one per track; consumers find them through tracks.json.
std::string transcript_file_name(std::string_view language);
}  // namespace asr_files

namespace correction_files {
inline constexpr pipeline::artefact tracks{"correction", "tracks.json"};  // the corrected transcripts, as asr's list
inline constexpr pipeline::artefact corrections{"correction", "corrections.json"};  // every change, names missing in en
}  // namespace correction_files

namespace subtitles_files {
inline constexpr pipeline::artefact tracks{"subtitles", "tracks.json"};    // the tracks to mux, in order
inline constexpr pipeline::artefact removed{"subtitles", "removed.json"};  // what cleaning removed, and why
inline constexpr pipeline::artefact report{"subtitles", "report.json"};    // style-check results per track
}  // namespace subtitles_files

// The transcript files a tracks.json (asr's or correction's) lists, beside it; none when it does not
// exist. error(job_invalid) when it is not a tracks list.
std::vector<std::filesystem::path> listed_transcripts(const std::filesystem::path& tracks_json);
// The tracks.json the subtitles stage reads: the correction stage's when it succeeded (names
// corrected), else the asr stage's.
std::filesystem::path transcript_tracks(const cinesub::job& job);

// "<title>[.SYNTHETIC].subtitled.<format>" (mux), the title made safe for a file name.
std::string muxed_file_name(std::string_view title, bool synthetic, std::string_view format);

}  // namespace cinesub::stages
