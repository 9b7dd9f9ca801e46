#include "asr/synthetic_model.hpp"

#include "asr/model_file.hpp"
#include "cinesub/error.hpp"
#include "util/fs.hpp"

#include <fmt/format.h>
#include <ggml.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <numbers>

namespace cinesub::asr {

namespace fs = std::filesystem;

namespace {

// splitmix64: small, fast, portable (std::normal_distribution is not reproducible across libraries).
class rng {
public:
    explicit rng(std::uint64_t seed) : s_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
    // Box–Muller, both outputs used.
    float normal() {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        double u1 = 0;
        do u1 = uniform();
        while (u1 <= 1e-300);
        const double u2 = uniform();
        const double r = std::sqrt(-2.0 * std::log(u1));
        spare_ = static_cast<float>(r * std::sin(2 * std::numbers::pi * u2));
        has_spare_ = true;
        return static_cast<float>(r * std::cos(2 * std::numbers::pi * u2));
    }

private:
    std::uint64_t s_;
    float spare_ = 0;
    bool has_spare_ = false;
};

std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
    return h;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

struct header_parts {
    std::vector<float> mel80;  // 80 × 201 from the header file
    std::string vocab_block;   // int32 n + (int32 len, bytes)… exactly as stored
};

header_parts read_header(const fs::path& header) {
    std::error_code ec;
    if (!fs::exists(header, ec))
        throw error(errc::model_missing, fmt::format("header model not found: {}", header.string()));
    std::ifstream in(header, std::ios::binary);
    if (!in) throw error(errc::model_invalid, fmt::format("cannot open header model {}", header.string()));
    auto fail = [&](const std::string& why) -> void {
        throw error(errc::model_invalid, fmt::format("{} is not a usable Whisper header: {}", header.string(), why));
    };
    auto i32 = [&]() {
        std::int32_t v = 0;
        in.read(reinterpret_cast<char*>(&v), sizeof v);
        if (!in) fail("file is truncated");
        return v;
    };
    std::uint32_t magic = 0;
    in.read(reinterpret_cast<char*>(&magic), sizeof magic);
    if (!in || magic != GGML_FILE_MAGIC) fail("bad magic");
    std::int32_t hp[11];
    for (auto& v : hp) v = i32();
    if (hp[0] < 51864 || hp[0] > 51866) fail(fmt::format("vocabulary size {}", hp[0]));
    if (hp[0] == 51864) fail("it is an English-only model; synthetic models use the multilingual vocabulary");
    header_parts parts;
    const auto n_mel = i32(), n_fft = i32();
    if (n_mel != 80 || n_fft != 201) fail(fmt::format("mel filters are {}×{}, expected 80×201", n_mel, n_fft));
    parts.mel80.resize(80 * 201);
    in.read(reinterpret_cast<char*>(parts.mel80.data()),
            static_cast<std::streamsize>(parts.mel80.size() * sizeof(float)));
    if (!in) fail("file is truncated in the mel filters");
    const auto n_tokens = i32();
    if (n_tokens < 50000 || n_tokens > 51866) fail(fmt::format("vocabulary has {} tokens", n_tokens));
    parts.vocab_block.append(reinterpret_cast<const char*>(&n_tokens), sizeof n_tokens);
    std::string tok;
    for (int i = 0; i < n_tokens; ++i) {
        const auto len = i32();
        if (len < 0 || len > 1024) fail(fmt::format("token {} has length {}", i, len));
        tok.resize(static_cast<std::size_t>(len));
        if (len) in.read(tok.data(), len);
        if (!in) fail("file is truncated in the vocabulary");
        parts.vocab_block.append(reinterpret_cast<const char*>(&len), sizeof len);
        parts.vocab_block += tok;
    }
    return parts;
}

ggml_type weight_type(const std::string& ftype, std::int32_t& ftype_field) {
    if (ftype == "f32") {
        ftype_field = GGML_FTYPE_ALL_F32;
        return GGML_TYPE_F32;
    }
    if (ftype == "f16") {
        ftype_field = GGML_FTYPE_MOSTLY_F16;
        return GGML_TYPE_F16;
    }
    if (ftype == "q8_0") {
        ftype_field = GGML_FTYPE_MOSTLY_Q8_0 + GGML_QNT_VERSION * GGML_QNT_VERSION_FACTOR;
        return GGML_TYPE_Q8_0;
    }
    if (ftype == "q5_0") {
        ftype_field = GGML_FTYPE_MOSTLY_Q5_0 + GGML_QNT_VERSION * GGML_QNT_VERSION_FACTOR;
        return GGML_TYPE_Q5_0;
    }
    throw error(errc::usage, fmt::format("unknown weight type '{}' (f32, f16, q8_0, q5_0)", ftype));
}

// The values of one tensor, row by row: sinusoids for the encoder's positional embedding (as in
// OpenAI Whisper), ones for layer-norm weights, zeros for biases, N(0, σ) for everything else.
class tensor_values {
public:
    tensor_values(const tensor_desc& d, std::uint64_t seed) : d_(d), rng_(seed ^ fnv1a(d.name)) {
        if (ends_with(d.name, ".bias"))
            kind_ = kind::zeros;
        else if (ends_with(d.name, "ln.weight") || ends_with(d.name, "ln_post.weight"))
            kind_ = kind::ones;
        else if (d.name == "encoder.positional_embedding")
            kind_ = kind::sinusoids;
        else {
            kind_ = kind::normal;
            sigma_ = d.name == "decoder.positional_embedding" ? 0.01f : 0.02f;
        }
    }
    void fill_row(std::int64_t row, float* out) {
        const auto n = d_.ne[0];
        switch (kind_) {
            case kind::zeros:
                std::fill(out, out + n, 0.0f);
                break;
            case kind::ones:
                std::fill(out, out + n, 1.0f);
                break;
            case kind::normal:
                for (std::int64_t i = 0; i < n; ++i) out[i] = sigma_ * rng_.normal();
                break;
            case kind::sinusoids: {
                // row = position, n = channels: [sin(pos * inv_k) for k < n/2] ++ [cos(...)]
                const auto half = n / 2;
                const double inc = std::log(10000.0) / static_cast<double>(half - 1);
                for (std::int64_t k = 0; k < half; ++k) {
                    const double t = static_cast<double>(row) * std::exp(-inc * static_cast<double>(k));
                    out[k] = static_cast<float>(std::sin(t));
                    out[half + k] = static_cast<float>(std::cos(t));
                }
                break;
            }
        }
    }

private:
    enum class kind { zeros, ones, normal, sinusoids };
    const tensor_desc& d_;
    rng rng_;
    kind kind_ = kind::normal;
    float sigma_ = 0.02f;
};

double hz_to_mel(double hz) {
    constexpr double f_sp = 200.0 / 3.0, min_log_hz = 1000.0, min_log_mel = min_log_hz / f_sp;
    const double logstep = std::log(6.4) / 27.0;
    return hz >= min_log_hz ? min_log_mel + std::log(hz / min_log_hz) / logstep : hz / f_sp;
}

double mel_to_hz(double mel) {
    constexpr double f_sp = 200.0 / 3.0, min_log_hz = 1000.0, min_log_mel = min_log_hz / f_sp;
    const double logstep = std::log(6.4) / 27.0;
    return mel >= min_log_mel ? min_log_hz * std::exp(logstep * (mel - min_log_mel)) : f_sp * mel;
}

}  // namespace

std::vector<float> slaney_mel_filterbank(int n_mels, int n_fft, int sample_rate) {
    const int n_freq = 1 + n_fft / 2;
    std::vector<double> fft_freqs(static_cast<std::size_t>(n_freq));
    for (int i = 0; i < n_freq; ++i)
        fft_freqs[static_cast<std::size_t>(i)] = static_cast<double>(i) * sample_rate / n_fft;
    const double mel_max = hz_to_mel(sample_rate / 2.0);
    std::vector<double> mel_f(static_cast<std::size_t>(n_mels + 2));
    for (int i = 0; i < n_mels + 2; ++i) mel_f[static_cast<std::size_t>(i)] = mel_to_hz(mel_max * i / (n_mels + 1));
    std::vector<float> out(static_cast<std::size_t>(n_mels) * static_cast<std::size_t>(n_freq));
    for (int m = 0; m < n_mels; ++m) {
        const auto mu = static_cast<std::size_t>(m);
        const double f0 = mel_f[mu], f1 = mel_f[mu + 1], f2 = mel_f[mu + 2];
        const double enorm = 2.0 / (f2 - f0);
        for (int k = 0; k < n_freq; ++k) {
            const double f = fft_freqs[static_cast<std::size_t>(k)];
            const double lower = (f - f0) / (f1 - f0);
            const double upper = (f2 - f) / (f2 - f1);
            const double w = std::max(0.0, std::min(lower, upper));
            out[mu * static_cast<std::size_t>(n_freq) + static_cast<std::size_t>(k)] = static_cast<float>(w * enorm);
        }
    }
    return out;
}

std::string synthetic_model_file_name(const synthetic_model_spec& spec) {
    return fmt::format("ggml-{}-synthetic-s{}-{}.bin", spec.type, spec.seed, spec.ftype);
}

fs::path ensure_synthetic_model(const synthetic_model_spec& spec, const fs::path& header, const fs::path& dir) {
    auto path = dir / synthetic_model_file_name(spec);
    std::error_code ec;
    if (fs::exists(path, ec)) return path;
    models::write_synthetic_model(spec, header, path);
    return path;
}

}  // namespace cinesub::asr

// The public writer (cinesub/models.hpp), here beside the layout it writes.
namespace cinesub::models {

using namespace cinesub::asr;  // NOLINT(google-build-using-namespace): this file's own helpers
namespace fs = std::filesystem;

void write_synthetic_model(const synthetic_model_spec& spec, const std::filesystem::path& header,
                           const std::filesystem::path& out) {
    auto hp = whisper_hparams_for(spec.type);
    if (hp.n_vocab == 51864)
        throw error(errc::usage,
                    fmt::format("'{}' is English-only; synthetic models use the multilingual vocabulary", spec.type));
    std::int32_t ftype_field = 0;
    const auto wtype = weight_type(spec.ftype, ftype_field);
    hp.ftype = ftype_field;
    const auto parts = read_header(header);

    util::atomic_file f(out);
    const std::uint32_t magic = GGML_FILE_MAGIC;
    f.write(&magic, sizeof magic);
    const std::int32_t fields[11] = {hp.n_vocab,       hp.n_audio_ctx, hp.n_audio_state, hp.n_audio_head,
                                     hp.n_audio_layer, hp.n_text_ctx,  hp.n_text_state,  hp.n_text_head,
                                     hp.n_text_layer,  hp.n_mels,      hp.ftype};
    f.write(fields, sizeof fields);

    const std::int32_t n_mel = hp.n_mels, n_fft = 201;
    f.write(&n_mel, sizeof n_mel);
    f.write(&n_fft, sizeof n_fft);
    const auto mel = n_mel == 80 ? parts.mel80 : slaney_mel_filterbank(n_mel);
    f.write(mel.data(), mel.size() * sizeof(float));
    // The stored vocabulary is the 50257 byte-level tokens; whisper.cpp adds the special tokens
    // (and, for n_vocab 51866, the extra language token of large-v3) itself.
    f.write(parts.vocab_block);

    std::vector<float> rows;
    std::vector<std::uint8_t> packed;
    for (const auto& d : whisper_tensor_layout(hp)) {
        const ggml_type type = d.role == tensor_role::f32    ? GGML_TYPE_F32
                               : d.role == tensor_role::conv ? (wtype == GGML_TYPE_F32 ? GGML_TYPE_F32 : GGML_TYPE_F16)
                                                             : wtype;
        const std::int32_t head[3] = {d.n_dims, static_cast<std::int32_t>(d.name.size()),
                                      static_cast<std::int32_t>(type)};
        f.write(head, sizeof head);
        for (int i = 0; i < d.n_dims; ++i) {
            const auto ne = static_cast<std::int32_t>(d.ne[i]);
            f.write(&ne, sizeof ne);
        }
        f.write(d.name);

        const std::int64_t n_per_row = d.ne[0];
        const std::int64_t n_rows = d.ne[1] * d.ne[2] * d.ne[3];
        const std::int64_t block = std::max<std::int64_t>(1, (1 << 20) / n_per_row);
        tensor_values values(d, spec.seed);
        for (std::int64_t r0 = 0; r0 < n_rows; r0 += block) {
            const auto nr = std::min(block, n_rows - r0);
            rows.resize(static_cast<std::size_t>(nr * n_per_row));
            for (std::int64_t r = 0; r < nr; ++r) values.fill_row(r0 + r, rows.data() + r * n_per_row);
            if (type == GGML_TYPE_F32) {
                f.write(rows.data(), rows.size() * sizeof(float));
            } else if (type == GGML_TYPE_F16) {
                packed.resize(rows.size() * sizeof(ggml_fp16_t));
                ggml_fp32_to_fp16_row(rows.data(), reinterpret_cast<ggml_fp16_t*>(packed.data()),
                                      static_cast<std::int64_t>(rows.size()));
                f.write(packed.data(), packed.size());
            } else {
                packed.resize(ggml_row_size(type, n_per_row) * static_cast<std::size_t>(nr));
                const auto size = ggml_quantize_chunk(type, rows.data(), packed.data(), 0, nr, n_per_row, nullptr);
                f.write(packed.data(), size);
            }
        }
    }
    f.commit();
}

}  // namespace cinesub::models
