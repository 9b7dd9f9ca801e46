// The model cache's private part: cache file names, resolving a name or path to a validated file
// for prepare, and checksums. The public API is include/cinesub/models.hpp.
#pragma once

#include "cinesub/models.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace cinesub::models {

// The cache file of a name: the table's file name, else "ggml-<name>.bin".
std::filesystem::path cache_file(std::string_view name);
// Names for the cache: letters, digits, '.', '_' and '-'; throws error(usage) otherwise.
void check_name(std::string_view name);

// A path to an existing ggml Whisper file → that file (absolute), structurally validated; else a
// cache name → the cached file, validated. Missing → error(model_missing) with the command that
// gets it; a VAD model or garbage → error(model_invalid).
std::filesystem::path resolve_whisper(const std::string& name_or_path);
// --vad-model PATH (or a VAD cache name), else $CINESUB_VAD_MODEL, else the cache's
// ggml-silero-v6.2.0.bin; validated as a Silero VAD file. Missing → error(model_missing) + command.
std::filesystem::path resolve_vad(const std::optional<std::string>& flag);
inline constexpr const char* default_vad_name = "silero-v6.2.0";

// Hex digest of a file with OpenSSL ("sha256" or "sha1").
std::string file_digest(const std::filesystem::path& path, std::string_view algorithm);

}  // namespace cinesub::models
