// cinesub — the model cache: standard ggml Whisper and Silero-VAD names with their published
// checksums, the cache folder, and list / add / download / verify / path. Plus synthetic
// (random-weight) Whisper models of real dimensions, for tests and benchmarks of the mechanics.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::models {

enum class model_kind { whisper, vad };
std::string_view kind_name(model_kind k);

// One entry of the table of known models. sha256/sha1 empty = not published / not known here:
// such a file is installed "unverified" (its header is still checked).
struct known_model {
    std::string name;  // "base", "large-v3-turbo-q5_0", "silero-v6.2.0"
    model_kind kind = model_kind::whisper;
    std::string file;                // "ggml-base.bin"
    std::uint64_t approx_bytes = 0;  // as listed by the repository (rounded); 0 = unknown
    std::string sha256;              // lower-case hex
    std::string sha1;                // lower-case hex (whisper.cpp's models/README.md)
    std::string url;                 // default download URL
};

// All known models, in display order.
const std::vector<known_model>& catalog();
const known_model* find_known(std::string_view name);

// CINESUB_MODEL_DIR, else $XDG_DATA_HOME/cinesub/models (default ~/.local/share/cinesub/models).
std::filesystem::path model_dir();

// `models path NAME`: a Whisper or VAD name (or path) → its validated file.
std::filesystem::path resolve_any(const std::string& name_or_path);

// --- list --------------------------------------------------------------------------------------
struct entry {
    std::string name;
    model_kind kind = model_kind::whisper;
    bool known = true;  // in the table (false: a file someone added under their own name)
    bool present = false;
    std::filesystem::path path;  // where it is (or would be) cached
    std::uint64_t size = 0;      // bytes on disk when present, else the table's approximate size
    std::string checksum;        // "sha256", "sha1" or "" (unverifiable)
};
std::vector<entry> list();

// --- add ---------------------------------------------------------------------------------------
struct add_result {
    std::string name;
    model_kind kind = model_kind::whisper;
    std::filesystem::path path;
    std::string detail;  // "tiny (f16, 4+4 layers, multilingual)" …
    bool synthetic = false;
    bool replaced = false;
    std::string verification;  // "verified (sha256)", "unverified (no published checksum)", "custom"
};
// Validates `file` (a Whisper or VAD ggml file; garbage, truncated or header-only files are
// refused) and copies it atomically into the cache under the standard name derived from its
// hyper-parameters, or under `name`. A standard name must match what the file is (a VAD file is
// not "base"; a tiny model is not "base"; a synthetic model never takes a standard name).
add_result add(const std::filesystem::path& file, const std::optional<std::string>& name);

// --- verify ------------------------------------------------------------------------------------
struct verify_result {
    std::string name;
    std::filesystem::path path;
    std::string status;     // "ok", "mismatch", "unknown" (no published checksum), "missing"
    std::string algorithm;  // "sha256" / "sha1" / ""
    std::string expected;
    std::string actual;
};
// Recomputes checksums of the cached files (or of one name) against the table.
std::vector<verify_result> verify(const std::optional<std::string>& name);

// --- download ----------------------------------------------------------------------------------
struct download_options {
    std::string base_url;   // else $CINESUB_MODEL_URL, else the table's URL; file = base_url + "/" + file
    bool progress = false;  // a progress line on stderr (the CLI sets it on a terminal only)
    long connect_timeout_s = 20;
    long stall_timeout_s = 60;  // abort when under 1 KiB/s for this long
    std::filesystem::path dir;  // else model_dir()
};
struct download_result {
    std::filesystem::path path;
    std::uint64_t bytes = 0;         // size of the file
    std::uint64_t downloaded = 0;    // bytes fetched by this call
    std::uint64_t resumed_from = 0;  // bytes of a .part kept from an earlier attempt
    bool already_present = false;
    std::string verification;  // "sha256 ok", "sha1 ok", "unverified (no published checksum)"
    std::string url;
};
// Fetches a known model (libcurl) into <dir>/<file>.part — resuming a .part left by an earlier
// attempt with an HTTP Range request — verifies its checksum and header, then renames it into
// place. Network failure → error(network) (the .part is kept for the next attempt); checksum
// mismatch → error(model_invalid) and the .part is deleted; nothing is installed unverified by a
// mismatch.
download_result download(const known_model& model, const download_options& options = {});
download_result download(const std::string& name, const download_options& options = {});

// --- synthetic models --------------------------------------------------------------------------
// Valid ggml Whisper files with the real dimensions, vocabulary and mel filters of an OpenAI Whisper
// size and seeded random weights. They load through whisper.cpp's real loader and exercise every
// code path with the real cost — but their output is noise, never a transcription: transcripts
// produced with one carry `synthetic = true`.
struct synthetic_model_spec {
    std::string type = "tiny";  // tiny, base, small, medium, large-v2, large-v3, large-v3-turbo
    std::uint64_t seed = 42;
    std::string ftype = "f16";  // f32, f16, q8_0, q5_0
};

// Writes the model atomically to `out`. `header` is a ggml Whisper file whose vocabulary (and
// 80-bin mel filters) are reused — e.g. testdata/models/ggml-tiny-header-only.bin; a 128-mel model
// (large-v3…) gets a computed Slaney filter bank. Throws error(usage) for an unknown type/ftype,
// error(model_missing/model_invalid) for a bad header file, error(io) when writing fails.
void write_synthetic_model(const synthetic_model_spec& spec, const std::filesystem::path& header,
                           const std::filesystem::path& out);

// What a structural check of a ggml Whisper file says (no weights loaded).
struct whisper_file_summary {
    std::string type;  // "tiny", "base"…
    int n_tensors = 0;
    std::uint64_t file_size = 0;
    int audio_layers = 0, text_layers = 0, mels = 0;
    bool synthetic = false;
};
// Throws error(model_missing / model_invalid).
whisper_file_summary describe_whisper_file(const std::filesystem::path& path);

}  // namespace cinesub::models
