// The model cache: standard ggml Whisper and Silero-VAD names with their published checksums, the
// cache folder, resolving a name or path to a validated file, and add / download / verify.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::models {

namespace fs = std::filesystem;

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
fs::path model_dir();
// The cache file of a name: the table's file name, else "ggml-<name>.bin".
fs::path cache_file(std::string_view name);
// Names for the cache: letters, digits, '.', '_' and '-'; throws error(usage) otherwise.
void check_name(std::string_view name);

// A path to an existing ggml Whisper file → that file (absolute), structurally validated; else a
// cache name → the cached file, validated. Missing → error(model_missing) with the command that
// gets it; a VAD model or garbage → error(model_invalid).
fs::path resolve_whisper(const std::string& name_or_path);
// --vad-model PATH (or a VAD cache name), else $CINESUB_VAD_MODEL, else the cache's
// ggml-silero-v6.2.0.bin; validated as a Silero VAD file. Missing → error(model_missing) + command.
fs::path resolve_vad(const std::optional<std::string>& flag);
inline constexpr const char* default_vad_name = "silero-v6.2.0";

// `models path NAME`: a Whisper or VAD name (or path) → its validated file.
fs::path resolve_any(const std::string& name_or_path);

// --- list --------------------------------------------------------------------------------------
struct entry {
    std::string name;
    model_kind kind = model_kind::whisper;
    bool known = true;  // in the table (false: a file someone added under their own name)
    bool present = false;
    fs::path path;           // where it is (or would be) cached
    std::uint64_t size = 0;  // bytes on disk when present, else the table's approximate size
    std::string checksum;    // "sha256", "sha1" or "" (unverifiable)
};
std::vector<entry> list();

// --- add ---------------------------------------------------------------------------------------
struct add_result {
    std::string name;
    model_kind kind = model_kind::whisper;
    fs::path path;
    std::string detail;  // "tiny (f16, 4+4 layers, multilingual)" …
    bool synthetic = false;
    bool replaced = false;
    std::string verification;  // "verified (sha256)", "unverified (no published checksum)", "custom"
};
// Validates `file` (a Whisper or VAD ggml file; garbage, truncated or header-only files are
// refused) and copies it atomically into the cache under the standard name derived from its
// hyper-parameters, or under `name`. A standard name must match what the file is (a VAD file is
// not "base"; a tiny model is not "base"; a synthetic model never takes a standard name).
add_result add(const fs::path& file, const std::optional<std::string>& name);

// --- verify ------------------------------------------------------------------------------------
struct verify_result {
    std::string name;
    fs::path path;
    std::string status;     // "ok", "mismatch", "unknown" (no published checksum), "missing"
    std::string algorithm;  // "sha256" / "sha1" / ""
    std::string expected;
    std::string actual;
};
// Recomputes checksums of the cached files (or of one name) against the table.
std::vector<verify_result> verify(const std::optional<std::string>& name);

// Hex digest of a file with OpenSSL ("sha256" or "sha1").
std::string file_digest(const fs::path& path, std::string_view algorithm);

// --- download ----------------------------------------------------------------------------------
struct download_options {
    std::string base_url;   // else $CINESUB_MODEL_URL, else the table's URL; file = base_url + "/" + file
    bool progress = false;  // a progress line on stderr (the CLI sets it on a terminal only)
    long connect_timeout_s = 20;
    long stall_timeout_s = 60;  // abort when under 1 KiB/s for this long
    fs::path dir;               // else model_dir()
};
struct download_result {
    fs::path path;
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

}  // namespace cinesub::models
