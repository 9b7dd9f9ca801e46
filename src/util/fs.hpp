// Files: atomic writes (temp + fsync + rename), reading, hashing.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cinesub::util {

// A file written under a temporary name in the destination's folder and renamed over the
// destination by commit(). If commit() is never reached (exception, crash, kill), the
// destination is untouched and the temporary is removed (or, after a crash, left with a
// ".tmp." name that nothing trusts).
class atomic_file {
public:
    explicit atomic_file(std::filesystem::path destination);
    ~atomic_file();
    atomic_file(const atomic_file&) = delete;
    atomic_file& operator=(const atomic_file&) = delete;

    void write(const void* data, std::size_t size);
    void write(std::string_view text) { write(text.data(), text.size()); }
    // Overwrite bytes already written (e.g. a WAV header) at an absolute offset.
    void write_at(std::uint64_t offset, const void* data, std::size_t size);
    std::uint64_t size() const noexcept { return written_; }
    const std::filesystem::path& temp_path() const noexcept { return temp_; }
    const std::filesystem::path& destination() const noexcept { return destination_; }
    void commit();

private:
    struct closer {
        void operator()(std::FILE* f) const noexcept { std::fclose(f); }
    };
    std::filesystem::path destination_;
    std::filesystem::path temp_;
    std::unique_ptr<std::FILE, closer> file_;
    std::uint64_t written_ = 0;
    bool committed_ = false;
};

void write_file_atomic(const std::filesystem::path& path, std::string_view content);
// Pretty-printed JSON (2-space indent) with a trailing newline, written atomically.
void write_json_atomic(const std::filesystem::path& path, const nlohmann::json& value);

// Whole-file reads. Throw cinesub::error (input_missing / input_unreadable / job_invalid…).
std::string read_file(const std::filesystem::path& path);
nlohmann::json read_json(const std::filesystem::path& path);

// SHA-256, lower-case hex.
// A file's size and modification time (nanoseconds since the epoch): what tells a changed file from an
// unchanged one without reading it. nullopt when it cannot be stat'ed.
struct file_stamp {
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
};
std::optional<file_stamp> stamp_of(const std::filesystem::path& path);

std::string sha256_hex(std::string_view data);
std::string sha256_file(const std::filesystem::path& path);

// A file name made from a film title: path separators, control and shell-hostile characters
// (/ \ : * ? " < > |) become '_', leading/trailing spaces and dots go, at most 200 bytes (cut at a
// character boundary); "film" when nothing is left.
std::string file_name_from_title(std::string_view title);

// An XDG base directory: $<xdg_var> when it is an absolute path, else $HOME/<home_relative> (/tmp
// when HOME is unset). xdg_dir("XDG_CACHE_HOME", ".cache"), xdg_dir("XDG_DATA_HOME", ".local/share").
std::filesystem::path xdg_dir(const char* xdg_var, std::string_view home_relative);

// Checks that `path` exists and is a readable regular file; throws input_missing/input_unreadable.
void require_readable_file(const std::filesystem::path& path, std::string_view what);

}  // namespace cinesub::util
