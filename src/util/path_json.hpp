// File paths in JSON, losslessly. A POSIX path is any bytes but '\0'; JSON strings must be UTF-8.
// Film files from old Windows shares and some rips have Latin-1 / cp1252 names, so a path whose
// bytes are not valid UTF-8 is stored as {"display": "<readable>", "bytes": "<hex of the bytes>"}
// and read back byte for byte; every other path is a plain string.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace cinesub::util {

nlohmann::json path_to_json(const std::filesystem::path& path);
// A string or the {"display", "bytes"} object; anything else throws cinesub::error(job_invalid).
std::filesystem::path path_from_json(const nlohmann::json& j);
// True when `j` has the shape path_from_json reads.
bool is_path_json(const nlohmann::json& j);

// Readable UTF-8 for any bytes: valid UTF-8 sequences are kept, every other byte is read as
// Windows-1252 (which includes Latin-1's letters), so "caf\xe9" shows as "café".
std::string display_text(std::string_view bytes);
// display_text of the path, for messages and JSON "display" fields.
std::string display_path(const std::filesystem::path& path);

}  // namespace cinesub::util
