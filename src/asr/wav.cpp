#include "asr/wav.hpp"

#include "cinesub/error.hpp"
#include "util/fs.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>

namespace cinesub::asr {

namespace {
std::uint32_t u32(const unsigned char* p) {
    return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
std::uint16_t u16(const unsigned char* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }
}  // namespace

std::vector<float> read_wav_16k_mono(const std::filesystem::path& path) {
    util::require_readable_file(path, "audio file");
    std::ifstream in(path, std::ios::binary);
    auto fail = [&](const std::string& why) -> void {
        throw error(errc::input_corrupt, fmt::format("{} is not a usable WAV file: {}", path.string(), why));
    };
    unsigned char riff[12];
    if (!in.read(reinterpret_cast<char*>(riff), 12) || std::memcmp(riff, "RIFF", 4) != 0 ||
        std::memcmp(riff + 8, "WAVE", 4) != 0)
        fail("no RIFF/WAVE header");

    std::uint16_t format = 0, channels = 0, bits = 0;
    std::uint32_t rate = 0;
    bool have_fmt = false;
    std::vector<float> out;
    unsigned char ch[8];
    while (in.read(reinterpret_cast<char*>(ch), 8)) {
        const std::uint32_t size = u32(ch + 4);
        if (std::memcmp(ch, "fmt ", 4) == 0) {
            if (size < 16 || size > 4096) fail("bad fmt chunk");
            std::vector<unsigned char> f(size);
            if (!in.read(reinterpret_cast<char*>(f.data()), size)) fail("truncated fmt chunk");
            format = u16(f.data());
            channels = u16(f.data() + 2);
            rate = u32(f.data() + 4);
            bits = u16(f.data() + 14);
            if (format == 0xFFFE && size >= 26)
                format = u16(f.data() + 24);  // extensible: sub-format GUID's first 2 bytes
            have_fmt = true;
            if (size & 1) in.ignore(1);
        } else if (std::memcmp(ch, "data", 4) == 0) {
            if (!have_fmt) fail("data before fmt");
            if (channels == 0) fail("zero channels");
            if (rate != 16000) fail(fmt::format("sample rate is {} Hz, expected 16000 Hz", rate));
            const bool is_float = format == 3;
            if (!((format == 1 && (bits == 16 || bits == 24 || bits == 32)) ||
                  (is_float && (bits == 32 || bits == 64))))
                fail(fmt::format("unsupported sample format (format {}, {} bits)", format, bits));
            const std::size_t bytes_per_sample = bits / 8;
            const std::size_t frame = bytes_per_sample * channels;
            // Streaming writers put 0 or 0xFFFFFFFF here: read what is there.
            std::vector<unsigned char> data;
            const std::size_t chunk = 1 << 20;
            std::size_t wanted = (size == 0 || size == 0xFFFFFFFFu) ? SIZE_MAX : size;
            while (wanted > 0) {
                const std::size_t n = std::min(chunk, wanted);
                const auto old = data.size();
                data.resize(old + n);
                in.read(reinterpret_cast<char*>(data.data() + old), static_cast<std::streamsize>(n));
                const auto got = static_cast<std::size_t>(in.gcount());
                data.resize(old + got);
                if (got < n) break;
                if (wanted != SIZE_MAX) wanted -= n;
            }
            const std::size_t frames = data.size() / frame;
            out.resize(frames);
            for (std::size_t i = 0; i < frames; ++i) {
                double acc = 0;
                for (std::size_t c = 0; c < channels; ++c) {
                    const unsigned char* p = data.data() + i * frame + c * bytes_per_sample;
                    double v = 0;
                    if (is_float && bits == 32) {
                        float x;
                        std::memcpy(&x, p, 4);
                        v = x;
                    } else if (is_float) {
                        double x;
                        std::memcpy(&x, p, 8);
                        v = x;
                    } else if (bits == 16) {
                        v = static_cast<std::int16_t>(u16(p)) / 32768.0;
                    } else if (bits == 24) {
                        std::int32_t x = static_cast<std::int32_t>((p[0] << 8) | (p[1] << 16) |
                                                                   (static_cast<std::uint32_t>(p[2]) << 24)) >>
                                         8;
                        v = x / 8388608.0;
                    } else {
                        v = static_cast<std::int32_t>(u32(p)) / 2147483648.0;
                    }
                    acc += v;
                }
                out[i] = static_cast<float>(acc / channels);
            }
            return out;
        } else {
            in.seekg(static_cast<std::streamoff>(size) + (size & 1), std::ios::cur);
        }
    }
    if (!have_fmt) fail("no fmt chunk");
    fail("no data chunk");
    return out;
}

struct audio_file::mapping {
    void* base = nullptr;
    std::size_t length = 0;
    ~mapping() {
        if (base) munmap(base, length);
    }
};

namespace {
// Where the samples of a 16 kHz mono float32 WAV start and how many there are; nullopt-like
// {0, 0, false} for any other file (the caller then reads it the general way).
struct float_wav_layout {
    std::size_t offset = 0;
    std::size_t samples = 0;
    bool ok = false;
};
float_wav_layout float_wav_layout_of(const std::filesystem::path& path, std::size_t file_size) {
    std::ifstream in(path, std::ios::binary);
    unsigned char riff[12];
    if (!in.read(reinterpret_cast<char*>(riff), 12) || std::memcmp(riff, "RIFF", 4) != 0 ||
        std::memcmp(riff + 8, "WAVE", 4) != 0)
        return {};
    bool fmt_ok = false;
    std::size_t pos = 12;
    unsigned char ch[8];
    while (in.read(reinterpret_cast<char*>(ch), 8)) {
        const std::uint32_t size = u32(ch + 4);
        pos += 8;
        if (std::memcmp(ch, "fmt ", 4) == 0) {
            if (size < 16 || size > 4096) return {};
            std::vector<unsigned char> f(size);
            if (!in.read(reinterpret_cast<char*>(f.data()), size)) return {};
            std::uint16_t format = u16(f.data());
            if (format == 0xFFFE && size >= 26) format = u16(f.data() + 24);
            fmt_ok = format == 3 && u16(f.data() + 2) == 1 && u32(f.data() + 4) == 16000 && u16(f.data() + 14) == 32;
            if (size & 1) in.ignore(1);
        } else if (std::memcmp(ch, "data", 4) == 0) {
            if (!fmt_ok || pos % alignof(float) != 0 || pos > file_size) return {};
            std::size_t bytes = file_size - pos;
            if (size != 0 && size != 0xFFFFFFFFu) bytes = std::min<std::size_t>(bytes, size);
            return {pos, bytes / sizeof(float), true};
        } else {
            in.seekg(static_cast<std::streamoff>(size) + (size & 1), std::ios::cur);
        }
        pos += size + (size & 1);
    }
    return {};
}
}  // namespace

audio_file::audio_file(const std::filesystem::path& path) {
    util::require_readable_file(path, "audio file");
    std::error_code ec;
    const auto file_size = static_cast<std::size_t>(std::filesystem::file_size(path, ec));
    const auto layout = ec ? float_wav_layout{} : float_wav_layout_of(path, file_size);
    if (layout.ok && layout.samples > 0) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            void* base = ::mmap(nullptr, file_size, PROT_READ, MAP_PRIVATE, fd, 0);
            ::close(fd);  // the mapping keeps the file
            if (base != MAP_FAILED) {
                map_ = std::make_unique<mapping>();
                map_->base = base;
                map_->length = file_size;
                ::madvise(base, file_size, MADV_SEQUENTIAL);
                // The data chunk is 4-byte aligned (checked above) and the mapping page-aligned.
                view_ = {
                    static_cast<const float*>(static_cast<const void*>(static_cast<const char*>(base) + layout.offset)),
                    layout.samples};
                return;
            }
        }
    }
    owned_ = read_wav_16k_mono(path);
    view_ = owned_;
}

audio_file::~audio_file() = default;

void audio_file::release(std::span<const float> done) const noexcept {
    if (!map_ || done.empty()) return;
    static const auto page = static_cast<std::ptrdiff_t>(sysconf(_SC_PAGESIZE));
    char* const base = static_cast<char*>(map_->base);
    const auto length = static_cast<std::ptrdiff_t>(map_->length);
    // Offsets into the mapping, rounded down to pages: [page of the first sample, page of the end).
    const auto* first_byte = reinterpret_cast<const char*>(done.data());
    const std::ptrdiff_t from = std::clamp<std::ptrdiff_t>((first_byte - base) / page * page, 0, length);
    const std::ptrdiff_t to =
        std::clamp<std::ptrdiff_t>((first_byte + done.size_bytes() - base) / page * page, 0, length);
    if (to > from) ::madvise(base + from, static_cast<std::size_t>(to - from), MADV_DONTNEED);
}

}  // namespace cinesub::asr
