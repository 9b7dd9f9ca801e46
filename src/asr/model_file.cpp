#include "asr/model_file.hpp"

#include "cinesub/error.hpp"

#include <fmt/format.h>
#include <ggml.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <map>

namespace cinesub::asr {

namespace fs = std::filesystem;

namespace {

struct known_type {
    std::string_view name;
    std::int32_t state, head, audio_layer, text_layer, n_mels, n_vocab;
};

constexpr std::array<known_type, 12> known_types = {{
    {"tiny", 384, 6, 4, 4, 80, 51865},
    {"tiny.en", 384, 6, 4, 4, 80, 51864},
    {"base", 512, 8, 6, 6, 80, 51865},
    {"base.en", 512, 8, 6, 6, 80, 51864},
    {"small", 768, 12, 12, 12, 80, 51865},
    {"small.en", 768, 12, 12, 12, 80, 51864},
    {"medium", 1024, 16, 24, 24, 80, 51865},
    {"medium.en", 1024, 16, 24, 24, 80, 51864},
    {"large-v1", 1280, 20, 32, 32, 80, 51865},
    {"large-v2", 1280, 20, 32, 32, 80, 51865},
    {"large-v3", 1280, 20, 32, 32, 128, 51866},
    {"large-v3-turbo", 1280, 20, 32, 4, 128, 51866},
}};

// Reads a ggml model file front to back with clear errors for short reads.
class reader {
public:
    reader(const fs::path& path, std::string_view what) : path_(path), what_(what) {
        std::error_code ec;
        if (!fs::exists(path, ec))
            throw error(errc::model_missing, fmt::format("{} model not found: {}", what_, path.string()));
        if (!fs::is_regular_file(path, ec))
            throw error(errc::model_invalid, fmt::format("{} model {} is not a regular file", what_, path.string()));
        size_ = fs::file_size(path, ec);
        if (ec)
            throw error(errc::model_invalid,
                        fmt::format("cannot stat {} model {}: {}", what_, path.string(), ec.message()));
        in_.open(path, std::ios::binary);
        if (!in_) throw error(errc::model_invalid, fmt::format("cannot open {} model {}", what_, path.string()));
    }

    std::uint64_t size() const { return size_; }
    std::uint64_t pos() const { return pos_; }
    std::uint64_t left() const { return size_ - pos_; }

    [[noreturn]] void fail(const std::string& why) const {
        throw error(errc::model_invalid, fmt::format("{} is not a valid {} model: {}", path_.string(), what_, why));
    }

    void read(void* out, std::size_t n, std::string_view field) {
        if (n > left()) fail(fmt::format("file is truncated (ends inside {} at byte {})", field, size_));
        in_.read(static_cast<char*>(out), static_cast<std::streamsize>(n));
        if (!in_) fail(fmt::format("read error in {}", field));
        pos_ += n;
    }
    std::int32_t i32(std::string_view field) {
        std::int32_t v = 0;
        read(&v, sizeof v, field);
        return v;
    }
    std::string str(std::size_t n, std::string_view field) {
        std::string s(n, '\0');
        if (n) read(s.data(), n, field);
        return s;
    }
    void skip(std::uint64_t n, std::string_view field) {
        if (n > left()) fail(fmt::format("file is truncated ({} needs {} more bytes, only {} left)", field, n, left()));
        pos_ += n;
        in_.seekg(static_cast<std::streamoff>(pos_));
        if (!in_) fail(fmt::format("seek error in {}", field));
    }

private:
    fs::path path_;
    std::string what_;
    std::ifstream in_;
    std::uint64_t size_ = 0;
    std::uint64_t pos_ = 0;
};

bool valid_tensor_type(std::int32_t t) {
    if (t < 0 || t >= GGML_TYPE_COUNT) return false;
    auto type = static_cast<ggml_type>(t);
    return ggml_blck_size(type) > 0 && ggml_type_size(type) > 0;
}

struct tensor_record {
    std::string name;
    std::int32_t n_dims = 0;
    std::int32_t type = 0;
    std::int64_t ne[4] = {1, 1, 1, 1};
    std::uint64_t nbytes = 0;
};

// Reads one tensor record header; returns false at a clean end of file.
bool read_tensor_header(reader& r, tensor_record& t) {
    if (r.left() == 0) return false;
    t.n_dims = r.i32("tensor header");
    const auto name_len = r.i32("tensor header");
    t.type = r.i32("tensor header");
    if (t.n_dims < 0 || t.n_dims > 4) r.fail(fmt::format("tensor #{} has {} dimensions", r.pos(), t.n_dims));
    if (name_len < 1 || name_len > 256) r.fail(fmt::format("tensor name length {} at byte {}", name_len, r.pos()));
    if (!valid_tensor_type(t.type)) r.fail(fmt::format("unknown tensor type {} at byte {}", t.type, r.pos()));
    std::fill(std::begin(t.ne), std::end(t.ne), 1);
    for (int i = 0; i < t.n_dims; ++i) {
        const auto d = r.i32("tensor shape");
        if (d < 1 || d > (1 << 26)) r.fail(fmt::format("tensor dimension {} at byte {}", d, r.pos()));
        t.ne[i] = d;
    }
    t.name = r.str(static_cast<std::size_t>(name_len), "tensor name");
    const auto type = static_cast<ggml_type>(t.type);
    if (t.ne[0] % ggml_blck_size(type) != 0)
        r.fail(fmt::format("tensor '{}' row of {} is not a multiple of the {} block size", t.name, t.ne[0],
                           ggml_type_name(type)));
    t.nbytes = static_cast<std::uint64_t>(ggml_row_size(type, t.ne[0])) *
               static_cast<std::uint64_t>(t.ne[1] * t.ne[2] * t.ne[3]);
    return true;
}

std::string detect_type(const whisper_hparams& hp, const fs::path& path) {
    for (const auto& k : known_types) {
        if (k.state != hp.n_audio_state || k.head != hp.n_audio_head || k.audio_layer != hp.n_audio_layer ||
            k.text_layer != hp.n_text_layer || k.n_mels != hp.n_mels || k.n_vocab != hp.n_vocab ||
            hp.n_text_state != k.state || hp.n_text_head != k.head)
            continue;
        if (k.name == "large-v1" || k.name == "large-v2") {
            // v1 and v2 have the same shapes; only the name tells them apart.
            const auto file = path.filename().string();
            return file.find("v1") != std::string::npos ? "large-v1" : "large-v2";
        }
        return std::string(k.name);
    }
    return "unknown";
}

ggml_type role_type(tensor_role role, ggml_type wtype) {
    switch (role) {
        case tensor_role::f32:
            return GGML_TYPE_F32;
        case tensor_role::conv:
            return wtype == GGML_TYPE_F32 ? GGML_TYPE_F32 : GGML_TYPE_F16;
        case tensor_role::matrix:
            return wtype;
    }
    return GGML_TYPE_F32;
}

}  // namespace

std::vector<std::string> whisper_known_types() {
    std::vector<std::string> out;
    out.reserve(known_types.size());
    for (const auto& k : known_types) out.emplace_back(k.name);
    return out;
}

whisper_hparams whisper_hparams_for(std::string_view type) {
    for (const auto& k : known_types) {
        if (k.name != type) continue;
        whisper_hparams hp;
        hp.n_vocab = k.n_vocab;
        hp.n_audio_ctx = 1500;
        hp.n_audio_state = k.state;
        hp.n_audio_head = k.head;
        hp.n_audio_layer = k.audio_layer;
        hp.n_text_ctx = 448;
        hp.n_text_state = k.state;
        hp.n_text_head = k.head;
        hp.n_text_layer = k.text_layer;
        hp.n_mels = k.n_mels;
        hp.ftype = 1;
        return hp;
    }
    std::string names;
    for (const auto& k : known_types) names += (names.empty() ? "" : ", ") + std::string(k.name);
    throw error(errc::usage, fmt::format("unknown Whisper model type '{}' (known: {})", type, names));
}

std::vector<tensor_desc> whisper_tensor_layout(const whisper_hparams& hp) {
    std::vector<tensor_desc> out;
    auto add = [&](std::string name, tensor_role role, std::initializer_list<std::int64_t> ne) {
        tensor_desc d;
        d.name = std::move(name);
        d.role = role;
        d.n_dims = static_cast<int>(ne.size());
        int i = 0;
        for (auto v : ne) d.ne[i++] = v;
        out.push_back(std::move(d));
    };
    const std::int64_t sa = hp.n_audio_state, st = hp.n_text_state;
    using role = tensor_role;

    add("encoder.positional_embedding", role::f32, {sa, hp.n_audio_ctx});
    add("encoder.conv1.weight", role::conv, {3, hp.n_mels, sa});
    add("encoder.conv1.bias", role::f32, {1, sa});
    add("encoder.conv2.weight", role::conv, {3, sa, sa});
    add("encoder.conv2.bias", role::f32, {1, sa});
    for (int i = 0; i < hp.n_audio_layer; ++i) {
        const auto p = fmt::format("encoder.blocks.{}.", i);
        add(p + "attn.query.weight", role::matrix, {sa, sa});
        add(p + "attn.query.bias", role::f32, {sa});
        add(p + "attn.key.weight", role::matrix, {sa, sa});
        add(p + "attn.value.weight", role::matrix, {sa, sa});
        add(p + "attn.value.bias", role::f32, {sa});
        add(p + "attn.out.weight", role::matrix, {sa, sa});
        add(p + "attn.out.bias", role::f32, {sa});
        add(p + "attn_ln.weight", role::f32, {sa});
        add(p + "attn_ln.bias", role::f32, {sa});
        add(p + "mlp.0.weight", role::matrix, {sa, 4 * sa});
        add(p + "mlp.0.bias", role::f32, {4 * sa});
        add(p + "mlp.2.weight", role::matrix, {4 * sa, sa});
        add(p + "mlp.2.bias", role::f32, {sa});
        add(p + "mlp_ln.weight", role::f32, {sa});
        add(p + "mlp_ln.bias", role::f32, {sa});
    }
    add("encoder.ln_post.weight", role::f32, {sa});
    add("encoder.ln_post.bias", role::f32, {sa});

    add("decoder.positional_embedding", role::f32, {st, hp.n_text_ctx});
    add("decoder.token_embedding.weight", role::matrix, {st, hp.n_vocab});
    for (int i = 0; i < hp.n_text_layer; ++i) {
        const auto p = fmt::format("decoder.blocks.{}.", i);
        for (const char* a : {"attn", "cross_attn"}) {
            const std::string q = p + a;
            add(q + ".query.weight", role::matrix, {st, st});
            add(q + ".query.bias", role::f32, {st});
            add(q + ".key.weight", role::matrix, {st, st});
            add(q + ".value.weight", role::matrix, {st, st});
            add(q + ".value.bias", role::f32, {st});
            add(q + ".out.weight", role::matrix, {st, st});
            add(q + ".out.bias", role::f32, {st});
            add(q + "_ln.weight", role::f32, {st});
            add(q + "_ln.bias", role::f32, {st});
        }
        add(p + "mlp.0.weight", role::matrix, {st, 4 * st});
        add(p + "mlp.0.bias", role::f32, {4 * st});
        add(p + "mlp.2.weight", role::matrix, {4 * st, st});
        add(p + "mlp.2.bias", role::f32, {st});
        add(p + "mlp_ln.weight", role::f32, {st});
        add(p + "mlp_ln.bias", role::f32, {st});
    }
    add("decoder.ln.weight", role::f32, {st});
    add("decoder.ln.bias", role::f32, {st});
    return out;
}

whisper_file_info inspect_whisper_file(const fs::path& path) {
    reader r(path, "Whisper");
    whisper_file_info info;
    info.file_size = r.size();

    std::uint32_t magic = 0;
    r.read(&magic, sizeof magic, "magic");
    if (magic != GGML_FILE_MAGIC) {
        if (magic == 0x46554747u /* "GGUF" */)
            r.fail("it is a GGUF file; whisper.cpp needs the ggml Whisper format (ggml-*.bin)");
        r.fail("bad magic (not a ggml model file)");
    }
    auto& hp = info.hparams;
    hp.n_vocab = r.i32("hyper-parameters");
    if (hp.n_vocab > 0 && hp.n_vocab <= 64 && r.left() >= 6) {
        const auto kind =
            r.str(static_cast<std::size_t>(std::min<std::uint64_t>(static_cast<std::uint64_t>(hp.n_vocab), r.left())),
                  "model type");
        if (kind.rfind("silero", 0) == 0) r.fail(fmt::format("it is a VAD model ('{}'), not a Whisper model", kind));
        r.fail(fmt::format("vocabulary size {} is not a Whisper vocabulary", hp.n_vocab));
    }
    hp.n_audio_ctx = r.i32("hyper-parameters");
    hp.n_audio_state = r.i32("hyper-parameters");
    hp.n_audio_head = r.i32("hyper-parameters");
    hp.n_audio_layer = r.i32("hyper-parameters");
    hp.n_text_ctx = r.i32("hyper-parameters");
    hp.n_text_state = r.i32("hyper-parameters");
    hp.n_text_head = r.i32("hyper-parameters");
    hp.n_text_layer = r.i32("hyper-parameters");
    hp.n_mels = r.i32("hyper-parameters");
    info.ftype_raw = r.i32("hyper-parameters");

    if (hp.n_vocab < 51864 || hp.n_vocab > 51866)
        r.fail(fmt::format("vocabulary size {} is not a Whisper vocabulary (51864–51866)", hp.n_vocab));
    auto in = [](std::int32_t v, std::int32_t lo, std::int32_t hi) { return v >= lo && v <= hi; };
    if (!in(hp.n_audio_ctx, 1, 1500) || !in(hp.n_text_ctx, 1, 448) || !in(hp.n_audio_state, 64, 8192) ||
        !in(hp.n_audio_head, 1, 128) || !in(hp.n_audio_layer, 1, 64) || !in(hp.n_text_head, 1, 128) ||
        !in(hp.n_text_layer, 1, 64) || hp.n_text_state != hp.n_audio_state || hp.n_audio_state % hp.n_audio_head != 0 ||
        hp.n_text_state % hp.n_text_head != 0 || (hp.n_mels != 80 && hp.n_mels != 128))
        r.fail(fmt::format("implausible hyper-parameters (audio {}×{}×{}, text {}×{}×{}, {} mels)", hp.n_audio_state,
                           hp.n_audio_head, hp.n_audio_layer, hp.n_text_state, hp.n_text_head, hp.n_text_layer,
                           hp.n_mels));
    hp.ftype = info.ftype_raw % GGML_QNT_VERSION_FACTOR;
    const auto wtype = ggml_ftype_to_ggml_type(static_cast<ggml_ftype>(hp.ftype));
    if (info.ftype_raw < 0 || wtype == GGML_TYPE_COUNT)
        r.fail(fmt::format("unknown weight type (ftype {})", info.ftype_raw));
    info.multilingual = hp.n_vocab >= 51865;

    const auto n_mel = r.i32("mel filters");
    const auto n_fft = r.i32("mel filters");
    if (n_mel != hp.n_mels || n_fft != 201)
        r.fail(fmt::format("mel filter bank is {}×{}, expected {}×201", n_mel, n_fft, hp.n_mels));
    r.skip(static_cast<std::uint64_t>(n_mel) * static_cast<std::uint64_t>(n_fft) * sizeof(float), "mel filters");

    const auto n_tokens = r.i32("vocabulary");
    if (n_tokens < 1 || n_tokens > hp.n_vocab)
        r.fail(fmt::format("vocabulary has {} tokens (model says {})", n_tokens, hp.n_vocab));
    info.n_vocab_stored = n_tokens;
    for (int i = 0; i < n_tokens; ++i) {
        const auto len = r.i32("vocabulary");
        if (len < 0 || len > 1024) r.fail(fmt::format("token {} has length {}", i, len));
        r.skip(static_cast<std::uint64_t>(len), "vocabulary");
    }

    // The tensors.
    std::map<std::string, const tensor_desc*> expected;
    const auto layout = whisper_tensor_layout(hp);
    for (const auto& d : layout) expected[d.name] = &d;
    std::map<std::string, bool> seen;
    bool ln_weight_ones = false, ln_bias_zero = false;
    tensor_record t;
    while (read_tensor_header(r, t)) {
        auto it = expected.find(t.name);
        if (it == expected.end()) r.fail(fmt::format("unexpected tensor '{}'", t.name));
        if (seen[t.name]) r.fail(fmt::format("tensor '{}' appears twice", t.name));
        seen[t.name] = true;
        const auto& d = *it->second;
        for (int i = 0; i < 4; ++i)
            if (t.ne[i] != d.ne[i])
                r.fail(fmt::format("tensor '{}' has shape [{}, {}, {}], expected [{}, {}, {}]", t.name, t.ne[0],
                                   t.ne[1], t.ne[2], d.ne[0], d.ne[1], d.ne[2]));
        const auto want = role_type(d.role, wtype);
        if (t.type != want)
            r.fail(fmt::format("tensor '{}' is {}, expected {}", t.name, ggml_type_name(static_cast<ggml_type>(t.type)),
                               ggml_type_name(want)));
        if ((t.name == "encoder.ln_post.weight" || t.name == "encoder.ln_post.bias") && t.type == GGML_TYPE_F32) {
            std::vector<float> v(static_cast<std::size_t>(t.ne[0]));
            r.read(v.data(), v.size() * sizeof(float), "tensor data");
            const float want_v = t.name == "encoder.ln_post.weight" ? 1.0f : 0.0f;
            const bool all = std::all_of(v.begin(), v.end(), [&](float x) { return x == want_v; });
            (t.name == "encoder.ln_post.weight" ? ln_weight_ones : ln_bias_zero) = all;
        } else {
            r.skip(t.nbytes, fmt::format("tensor '{}'", t.name));
        }
        info.weights_bytes += t.nbytes;
        ++info.n_tensors;
    }
    if (info.n_tensors == 0) r.fail("it has no weights (a header-only file)");
    if (info.n_tensors != static_cast<int>(layout.size())) {
        for (const auto& d : layout)
            if (!seen[d.name])
                r.fail(fmt::format("file is truncated or incomplete: {} of {} tensors, '{}' missing", info.n_tensors,
                                   layout.size(), d.name));
    }
    info.synthetic = ln_weight_ones && ln_bias_zero;
    info.type = detect_type(hp, path);
    return info;
}

vad_file_info inspect_vad_file(const fs::path& path) {
    reader r(path, "VAD");
    vad_file_info info;
    info.file_size = r.size();
    std::uint32_t magic = 0;
    r.read(&magic, sizeof magic, "magic");
    if (magic != GGML_FILE_MAGIC) r.fail("bad magic (not a ggml model file)");
    const auto type_len = r.i32("model type");
    if (type_len >= 51864 && type_len <= 51866) r.fail("it is a Whisper model, not a VAD model");
    if (type_len < 1 || type_len > 64) r.fail(fmt::format("model type length {}", type_len));
    info.type = r.str(static_cast<std::size_t>(type_len), "model type");
    if (info.type.rfind("silero", 0) != 0) r.fail(fmt::format("model type '{}' is not a Silero VAD", info.type));
    const auto major = r.i32("version"), minor = r.i32("version"), patch = r.i32("version");
    info.version = fmt::format("{}.{}.{}", major, minor, patch);
    info.n_window = r.i32("window");
    info.n_context = r.i32("context");
    if (info.n_window < 64 || info.n_window > 16384 || info.n_context < 0 || info.n_context > 16384)
        r.fail(fmt::format("window {} / context {}", info.n_window, info.n_context));
    const auto n_layers = r.i32("encoder layers");
    if (n_layers < 1 || n_layers > 16) r.fail(fmt::format("{} encoder layers", n_layers));
    for (int i = 0; i < n_layers * 3; ++i) {
        const auto v = r.i32("encoder hyper-parameters");
        if (v < 1 || v > 65536) r.fail(fmt::format("encoder hyper-parameter {}", v));
    }
    for (int i = 0; i < 4; ++i) {
        const auto v = r.i32("LSTM hyper-parameters");
        if (v < 1 || v > 65536) r.fail(fmt::format("LSTM hyper-parameter {}", v));
    }
    const int expected = n_layers * 2 + 7;
    tensor_record t;
    while (read_tensor_header(r, t)) {
        r.skip(t.nbytes, fmt::format("tensor '{}'", t.name));
        ++info.n_tensors;
    }
    if (info.n_tensors == 0) r.fail("it has no weights (a header-only file)");
    if (info.n_tensors != expected)
        r.fail(fmt::format("file is truncated or incomplete: {} of {} tensors", info.n_tensors, expected));
    return info;
}

}  // namespace cinesub::asr
