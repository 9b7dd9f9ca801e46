// `models download`: libcurl into <file>.part (resumable with Range), verify, rename into place.
#include "models/models.hpp"

#include "asr/model_file.hpp"
#include "cinesub/error.hpp"
#include "util/interrupt.hpp"
#include "util/progress.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>

namespace cinesub::models {

namespace fs = std::filesystem;

namespace {

struct curl_deleter {
    void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
using curl_handle = std::unique_ptr<CURL, curl_deleter>;

struct file_closer {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct transfer {
    std::FILE* out = nullptr;
    std::uint64_t written = 0;
    bool write_failed = false;
    int write_errno = 0;
    util::progress* progress = nullptr;
    std::uint64_t offset = 0;  // bytes already in the .part before this transfer
    bool interrupted = false;
};

size_t on_write(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<transfer*>(user);
    const size_t n = size * count;
    if (std::fwrite(data, 1, n, t->out) != n) {
        t->write_failed = true;
        t->write_errno = errno;
        return 0;  // aborts the transfer
    }
    t->written += n;
    return n;
}

int on_progress(void* user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t) {
    auto* t = static_cast<transfer*>(user);
    if (util::interrupted()) {
        t->interrupted = true;
        return 1;
    }
    if (t->progress && total > 0) {
        const double done = static_cast<double>(t->offset) + static_cast<double>(now);
        const double all = static_cast<double>(t->offset) + static_cast<double>(total);
        t->progress->report(done / all, fmt::format("{:.1f} / {:.1f} MB", done / 1e6, all / 1e6));
    }
    return 0;
}

std::string base_url(const known_model& m, const download_options& o) {
    std::string base = o.base_url;
    if (base.empty())
        if (const char* env = std::getenv("CINESUB_MODEL_URL"); env && *env) base = env;
    if (base.empty()) return m.url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/" + m.file;
}

void fsync_file(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

// Structural check of the downloaded file (a proxy's HTML page is not a model).
void check_kind(const known_model& m, const fs::path& path) {
    if (m.kind == model_kind::vad)
        asr::inspect_vad_file(path);
    else
        asr::inspect_whisper_file(path);
}

}  // namespace

download_result download(const std::string& name, const download_options& options) {
    const auto* k = find_known(name);
    if (!k) {
        std::string names;
        for (const auto& m : catalog()) names += (names.empty() ? "" : ", ") + m.name;
        throw error(errc::usage, fmt::format("unknown model '{}'; known: {}", name, names));
    }
    return download(*k, options);
}

download_result download(const known_model& m, const download_options& o) {
    global_init();
    download_result r;
    r.url = base_url(m, o);
    const fs::path dir = o.dir.empty() ? model_dir() : o.dir;
    r.path = dir / m.file;
    const std::string algo = !m.sha256.empty() ? "sha256" : !m.sha1.empty() ? "sha1" : "";
    const std::string expected = algo == "sha256" ? m.sha256 : m.sha1;
    std::error_code ec;

    if (fs::is_regular_file(r.path, ec)) {
        // Present: trust it only when it checks.
        if (algo.empty() || file_digest(r.path, algo) == expected) {
            r.already_present = true;
            r.bytes = fs::file_size(r.path, ec);
            r.verification = algo.empty() ? "unverified (no published checksum)" : algo + " ok";
            return r;
        }
        throw error(errc::model_invalid,
                    fmt::format("{} is in the cache but its {} does not match the published one; remove it and "
                                "download again",
                                r.path.string(), algo));
    }

    fs::create_directories(dir, ec);
    if (ec) throw error(errc::io, fmt::format("cannot create the model folder {}: {}", dir.string(), ec.message()));
    const fs::path part = dir / (m.file + ".part");

    std::unique_ptr<std::FILE, file_closer> out(std::fopen(part.c_str(), "ab"));
    if (!out) throw error(errc::io, fmt::format("cannot write {}: {}", part.string(), std::strerror(errno)));
    if (::flock(::fileno(out.get()), LOCK_EX | LOCK_NB) != 0)
        throw error(errc::io, fmt::format("another download of {} is running ({} is locked)", m.name, part.string()));
    std::fseek(out.get(), 0, SEEK_END);
    r.resumed_from = static_cast<std::uint64_t>(std::ftell(out.get()));

    auto fetch = [&](std::uint64_t from) -> long {
        curl_handle curl(curl_easy_init());
        if (!curl) throw error(errc::internal, "libcurl initialisation failed");
        char errbuf[CURL_ERROR_SIZE] = {0};
        std::unique_ptr<util::progress> progress;
        if (o.progress) progress = std::make_unique<util::progress>("download " + m.name, true);
        transfer t;
        t.out = out.get();
        t.offset = from;
        t.progress = progress.get();
        CURL* c = curl.get();
        curl_easy_setopt(c, CURLOPT_URL, r.url.c_str());
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
        curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
        curl_easy_setopt(c, CURLOPT_USERAGENT, "cinesub/" CINESUB_VERSION);
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o.connect_timeout_s);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, o.stall_timeout_s);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
        if (from > 0) curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(from));
        const CURLcode rc = curl_easy_perform(c);
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        std::fflush(out.get());
        r.downloaded += t.written;
        if (progress) progress->finish();
        if (t.interrupted)
            throw error(errc::interrupted, fmt::format("download of {} interrupted; {} kept: run the same command "
                                                       "to resume",
                                                       m.name, part.string()));
        if (t.write_failed)
            throw error(errc::io, fmt::format("cannot write {}: {}", part.string(), std::strerror(t.write_errno)));
        if (rc == CURLE_HTTP_RETURNED_ERROR && status == 416 && from > 0) return 416;  // .part already complete
        if (rc == CURLE_RANGE_ERROR) return -1;                                        // server ignored Range
        if (rc != CURLE_OK) {
            std::string why = rc == CURLE_HTTP_RETURNED_ERROR
                                  ? fmt::format("HTTP {}", status)
                                  : (errbuf[0] ? std::string(errbuf) : curl_easy_strerror(rc));
            throw error(errc::network, fmt::format("cannot download {} from {}: {}{}", m.name, r.url, why,
                                                   t.written + from > 0 ? fmt::format(" ({} bytes kept in {}; run "
                                                                                      "again to resume)",
                                                                                      from + t.written, part.string())
                                                                        : ""));
        }
        return status;
    };

    long status = fetch(r.resumed_from);
    if (status == -1 || (r.resumed_from > 0 && status == 200)) {
        // The server sent (or would send) the whole file: start over. (curl refuses a 200 to a
        // Range request with CURLE_RANGE_ERROR before writing anything.)
        out.reset(std::fopen(part.c_str(), "wb"));
        if (!out) throw error(errc::io, fmt::format("cannot write {}: {}", part.string(), std::strerror(errno)));
        ::flock(::fileno(out.get()), LOCK_EX | LOCK_NB);
        r.resumed_from = 0;
        r.downloaded = 0;
        fetch(0);
    }
    out.reset();
    r.bytes = fs::file_size(part, ec);

    if (!algo.empty()) {
        auto actual = file_digest(part, algo);
        if (actual != expected) {
            fs::remove(part, ec);
            throw error(errc::model_invalid,
                        fmt::format("downloaded {} does not match its published {} (expected {}, got {}); the "
                                    "download was deleted and nothing was installed: run again",
                                    m.file, algo, expected, actual));
        }
        r.verification = algo + " ok";
    } else {
        r.verification = "unverified (no published checksum)";
    }
    try {
        check_kind(m, part);
    } catch (const error& e) {
        fs::remove(part, ec);
        throw error(errc::model_invalid,
                    fmt::format("downloaded {} is not a valid model ({}); it was deleted", m.file, e.what()));
    }
    fsync_file(part);
    fs::rename(part, r.path, ec);
    if (ec) throw error(errc::io, fmt::format("cannot move {} into place: {}", part.string(), ec.message()));
    return r;
}

}  // namespace cinesub::models
