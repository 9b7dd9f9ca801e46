#include "util/fs.hpp"

#include "cinesub/error.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <sys/stat.h>
#include <unistd.h>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>

namespace cinesub::util {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void throw_io(const fs::path& path, std::string_view what, int err) {
    throw error(errc::io, fmt::format("cannot {} {}: {}", what, path.string(), std::strerror(err)));
}

std::string random_suffix() {
    static thread_local std::mt19937_64 rng{std::random_device{}() ^ static_cast<std::uint64_t>(::getpid())};
    return fmt::format("{:012x}", rng() & 0xffffffffffffULL);
}

struct md_ctx_deleter {
    void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
using md_ctx = std::unique_ptr<EVP_MD_CTX, md_ctx_deleter>;

class sha256 {
public:
    sha256() : ctx_(EVP_MD_CTX_new()) {
        if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1)
            throw error(errc::internal, "OpenSSL SHA-256 initialisation failed");
    }
    void update(const void* data, std::size_t size) { EVP_DigestUpdate(ctx_.get(), data, size); }
    std::string hex() {
        std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
        unsigned int len = 0;
        EVP_DigestFinal_ex(ctx_.get(), md.data(), &len);
        std::string out;
        out.reserve(len * 2);
        for (unsigned int i = 0; i < len; ++i) out += fmt::format("{:02x}", md[i]);
        return out;
    }

private:
    md_ctx ctx_;
};

}  // namespace

atomic_file::atomic_file(fs::path destination) : destination_(std::move(destination)) {
    auto dir = destination_.parent_path();
    if (dir.empty()) dir = ".";
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw error(errc::io, fmt::format("cannot create folder {}: {}", dir.string(), ec.message()));
    temp_ = dir / fmt::format(".{}.tmp.{}", destination_.filename().string(), random_suffix());
    file_.reset(std::fopen(temp_.c_str(), "wbx"));
    if (!file_) throw_io(temp_, "create", errno);
}

atomic_file::~atomic_file() {
    if (!committed_) {
        file_.reset();
        std::error_code ec;
        fs::remove(temp_, ec);
    }
}

void atomic_file::write(const void* data, std::size_t size) {
    if (size == 0) return;
    if (std::fwrite(data, 1, size, file_.get()) != size) throw_io(destination_, "write", errno);
    written_ += size;
}

void atomic_file::write_at(std::uint64_t offset, const void* data, std::size_t size) {
    auto pos = std::ftell(file_.get());
    if (std::fseek(file_.get(), static_cast<long>(offset), SEEK_SET) != 0) throw_io(destination_, "seek in", errno);
    if (std::fwrite(data, 1, size, file_.get()) != size) throw_io(destination_, "write", errno);
    if (std::fseek(file_.get(), pos, SEEK_SET) != 0) throw_io(destination_, "seek in", errno);
}

void atomic_file::commit() {
    if (committed_) return;
    if (std::fflush(file_.get()) != 0) throw_io(destination_, "write", errno);
    if (::fsync(::fileno(file_.get())) != 0) throw_io(destination_, "sync", errno);
    if (std::fclose(file_.release()) != 0) throw_io(destination_, "close", errno);
    std::error_code ec;
    fs::rename(temp_, destination_, ec);
    if (ec)
        throw error(errc::io,
                    fmt::format("cannot rename {} to {}: {}", temp_.string(), destination_.string(), ec.message()));
    committed_ = true;
}

void write_file_atomic(const fs::path& path, std::string_view content) {
    atomic_file f(path);
    f.write(content);
    f.commit();
}

void write_json_atomic(const fs::path& path, const nlohmann::json& value) {
    write_file_atomic(path, value.dump(2) + "\n");
}

std::string file_name_from_title(std::string_view title) {
    std::string out;
    for (unsigned char c : title) {
        if (c < 0x20 || c == 0x7F ||
            std::string_view("/\\:*?\"<>|").find(static_cast<char>(c)) != std::string_view::npos)
            out += '_';
        else
            out += static_cast<char>(c);
    }
    auto strip = [](char c) { return c == ' ' || c == '.'; };
    while (!out.empty() && strip(out.back())) out.pop_back();
    std::size_t lead = 0;
    while (lead < out.size() && strip(out[lead])) ++lead;
    out.erase(0, lead);
    if (out.size() > 200) {
        std::size_t cut = 200;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
        out.resize(cut);
    }
    return out.empty() ? "film" : out;
}

fs::path xdg_dir(const char* xdg_var, std::string_view home_relative) {
    const char* xdg = std::getenv(xdg_var);
    if (xdg && *xdg && fs::path(xdg).is_absolute()) return xdg;
    const char* home = std::getenv("HOME");
    return fs::path(home && *home ? home : "/tmp") / home_relative;
}

void require_readable_file(const fs::path& path, std::string_view what) {
    std::error_code ec;
    auto st = fs::status(path, ec);
    if (ec || !fs::exists(st)) throw error(errc::input_missing, fmt::format("{} not found: {}", what, path.string()));
    if (!fs::is_regular_file(st))
        throw error(errc::input_unreadable, fmt::format("{} is not a regular file: {}", what, path.string()));
    if (::access(path.c_str(), R_OK) != 0)
        throw error(errc::input_unreadable,
                    fmt::format("{} is not readable: {}: {}", what, path.string(), std::strerror(errno)));
}

std::string read_file(const fs::path& path) {
    require_readable_file(path, "file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw error(errc::input_unreadable, fmt::format("cannot open {}", path.string()));
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return data;
}

nlohmann::json read_json(const fs::path& path) {
    auto text = read_file(path);
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw error(errc::job_invalid, fmt::format("{} is not valid JSON: {}", path.string(), e.what()));
    }
}

std::string sha256_hex(std::string_view data) {
    sha256 h;
    h.update(data.data(), data.size());
    return h.hex();
}

std::string sha256_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw error(errc::input_unreadable, fmt::format("cannot open {} for hashing", path.string()));
    sha256 h;
    std::vector<char> buf(1 << 20);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        h.update(buf.data(), static_cast<std::size_t>(in.gcount()));
    }
    return h.hex();
}

std::optional<file_stamp> stamp_of(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return file_stamp{static_cast<std::uint64_t>(st.st_size),
                      static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec};
}

}  // namespace cinesub::util
