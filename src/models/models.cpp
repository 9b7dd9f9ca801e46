// The model cache: folder, resolving names and paths, list, add, verify.
#include "models/models.hpp"

#include "asr/model_file.hpp"
#include "cinesub/error.hpp"
#include "util/fs.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <set>

namespace cinesub::models {

namespace fs = std::filesystem;

namespace {

fs::path env_path(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? fs::path(v) : fs::path();
}

bool looks_like_path(std::string_view s) {
    return s.find('/') != std::string_view::npos || s.ends_with(".bin") || s.ends_with(".gguf") || s.starts_with(".") ||
           s.starts_with("~");
}

std::string ftype_suffix(std::int32_t ftype) {
    switch (ftype) {
        case 0:
            return "-f32";
        case 1:
            return "";
        case 2:
            return "-q4_0";
        case 3:
            return "-q4_1";
        case 7:
            return "-q8_0";
        case 8:
            return "-q5_0";
        case 9:
            return "-q5_1";
        case 10:
            return "-q2_k";
        case 11:
            return "-q3_k";
        case 12:
            return "-q4_k";
        case 13:
            return "-q5_k";
        case 14:
            return "-q6_k";
        default:
            return fmt::format("-ftype{}", ftype);
    }
}

std::string ftype_label(std::int32_t ftype) {
    auto s = ftype_suffix(ftype);
    return s.empty() ? "f16" : s.substr(1);
}

// "large-v2-q5_0" → {"large-v2", "-q5_0"}
std::pair<std::string, std::string> split_quant(const std::string& name) {
    for (const char* q :
         {"-q4_0", "-q4_1", "-q5_0", "-q5_1", "-q8_0", "-q2_k", "-q3_k", "-q4_k", "-q5_k", "-q6_k", "-f32"})
        if (name.ends_with(q)) return {name.substr(0, name.size() - std::string_view(q).size()), q};
    return {name, ""};
}

fs::path validated_whisper(const fs::path& path) {
    asr::inspect_whisper_file(path);
    return fs::absolute(path).lexically_normal();
}

fs::path validated_vad(const fs::path& path) {
    asr::inspect_vad_file(path);
    return fs::absolute(path).lexically_normal();
}

struct md_ctx_free {
    void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
struct file_close {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

}  // namespace

fs::path model_dir() {
    if (auto dir = env_path("CINESUB_MODEL_DIR"); !dir.empty()) return fs::absolute(dir);
    return util::xdg_dir("XDG_DATA_HOME", ".local/share") / "cinesub" / "models";
}

void check_name(std::string_view name) {
    bool ok = !name.empty() && name.size() <= 100 && name.front() != '.' && name.front() != '-';
    for (char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-');
    if (!ok) throw error(errc::usage, fmt::format("'{}' is not a model name (letters, digits, '.', '_', '-')", name));
}

fs::path cache_file(std::string_view name) {
    if (const auto* k = find_known(name)) return model_dir() / k->file;
    return model_dir() / fmt::format("ggml-{}.bin", name);
}

fs::path resolve_whisper(const std::string& name_or_path) {
    if (name_or_path.empty()) throw error(errc::usage, "empty model name");
    std::error_code ec;
    if (fs::is_regular_file(name_or_path, ec)) return validated_whisper(name_or_path);
    if (looks_like_path(name_or_path) || fs::exists(name_or_path, ec))
        throw error(errc::model_missing,
                    fmt::format("model file {} does not exist (or is not a file); give a cache name (see: cinesub "
                                "models list) or the path to a ggml Whisper file",
                                name_or_path));
    const auto* known = find_known(name_or_path);
    if (known && known->kind == model_kind::vad)
        throw error(errc::model_invalid, fmt::format("'{}' is a Silero VAD model, not a Whisper model (use it with "
                                                     "--vad-model {})",
                                                     name_or_path, name_or_path));
    check_name(name_or_path);
    auto file = cache_file(name_or_path);
    if (fs::is_regular_file(file, ec)) return validated_whisper(file);
    if (known)
        throw error(errc::model_missing,
                    fmt::format("model '{}' is not in the cache ({}); get it with: cinesub models download {}  (or: "
                                "cinesub models add FILE)",
                                name_or_path, model_dir().string(), name_or_path));
    throw error(errc::model_missing,
                fmt::format("model '{}' is not a known name (see: cinesub models list) nor in the cache ({}); add your "
                            "file with: cinesub models add FILE --name {}",
                            name_or_path, model_dir().string(), name_or_path));
}

fs::path resolve_vad(const std::optional<std::string>& flag) {
    std::error_code ec;
    auto from = [&](const std::string& value, std::string_view where) -> fs::path {
        if (fs::is_regular_file(value, ec)) return validated_vad(value);
        if (const auto* k = find_known(value); k && k->kind == model_kind::vad) {
            auto file = model_dir() / k->file;
            if (fs::is_regular_file(file, ec)) return validated_vad(file);
            throw error(errc::model_missing,
                        fmt::format("VAD model '{}' is not in the cache ({}); get it with: cinesub models download {}",
                                    value, model_dir().string(), value));
        }
        throw error(errc::model_missing, fmt::format("VAD model {} ({}) does not exist", value, where));
    };
    if (flag && !flag->empty()) return from(*flag, "--vad-model");
    if (const char* env = std::getenv("CINESUB_VAD_MODEL"); env && *env) return from(env, "$CINESUB_VAD_MODEL");
    auto file = model_dir() / find_known(default_vad_name)->file;
    if (fs::is_regular_file(file, ec)) return validated_vad(file);
    throw error(errc::model_missing,
                fmt::format("Silero VAD model '{}' is not in the cache ({}); get it with: cinesub models download {}  "
                            "(or: cinesub models add FILE, --vad-model PATH, CINESUB_VAD_MODEL=PATH)",
                            default_vad_name, model_dir().string(), default_vad_name));
}

fs::path resolve_any(const std::string& name_or_path) {
    const auto* known = find_known(name_or_path);
    if (known && known->kind == model_kind::vad) return resolve_vad(name_or_path);
    std::error_code ec;
    if (fs::is_regular_file(name_or_path, ec)) {
        try {
            return validated_whisper(name_or_path);
        } catch (const error& e) {
            try {
                return validated_vad(name_or_path);
            } catch (const error&) {
                throw e;
            }
        }
    }
    return resolve_whisper(name_or_path);
}

std::vector<entry> list() {
    std::vector<entry> out;
    std::set<std::string> files;
    std::error_code ec;
    for (const auto& k : catalog()) {
        entry e;
        e.name = k.name;
        e.kind = k.kind;
        e.path = model_dir() / k.file;
        e.present = fs::is_regular_file(e.path, ec);
        e.size = e.present ? fs::file_size(e.path, ec) : k.approx_bytes;
        e.checksum = !k.sha256.empty() ? "sha256" : !k.sha1.empty() ? "sha1" : "";
        files.insert(k.file);
        out.push_back(std::move(e));
    }
    // Files added under other names.
    std::vector<entry> extra;
    for (fs::directory_iterator it(model_dir(), ec), end; !ec && it != end; it.increment(ec)) {
        auto fname = it->path().filename().string();
        if (!it->is_regular_file(ec) || !fname.starts_with("ggml-") || !fname.ends_with(".bin") || files.count(fname))
            continue;
        entry e;
        e.name = fname.substr(5, fname.size() - 9);
        e.known = false;
        e.present = true;
        e.path = it->path();
        e.size = it->file_size(ec);
        e.kind = e.name.find("silero") != std::string::npos ? model_kind::vad : model_kind::whisper;
        extra.push_back(std::move(e));
    }
    std::sort(extra.begin(), extra.end(), [](const entry& a, const entry& b) { return a.name < b.name; });
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
}

std::string file_digest(const fs::path& path, std::string_view algorithm) {
    const EVP_MD* md = algorithm == "sha1" ? EVP_sha1() : algorithm == "sha256" ? EVP_sha256() : nullptr;
    if (!md) throw error(errc::internal, fmt::format("unknown digest {}", algorithm));
    std::unique_ptr<std::FILE, file_close> f(std::fopen(path.c_str(), "rb"));
    if (!f) throw error(errc::input_unreadable, fmt::format("cannot read {}", path.string()));
    std::unique_ptr<EVP_MD_CTX, md_ctx_free> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) throw error(errc::internal, "OpenSSL digest failed");
    std::vector<unsigned char> buf(1 << 20);
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), f.get())) > 0) EVP_DigestUpdate(ctx.get(), buf.data(), n);
    if (std::ferror(f.get())) throw error(errc::input_unreadable, fmt::format("read error in {}", path.string()));
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx.get(), out.data(), &len);
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) hex += fmt::format("{:02x}", out[i]);
    return hex;
}

add_result add(const fs::path& file, const std::optional<std::string>& name) {
    std::error_code ec;
    if (!fs::exists(file, ec)) throw error(errc::model_missing, fmt::format("{} does not exist", file.string()));
    if (!fs::is_regular_file(file, ec))
        throw error(errc::model_invalid, fmt::format("{} is not a file", file.string()));

    add_result r;
    // What is it? A Whisper model, else a VAD model; neither → the Whisper check's message.
    std::optional<asr::whisper_file_info> wi;
    std::optional<asr::vad_file_info> vi;
    try {
        wi = asr::inspect_whisper_file(file);
    } catch (const error& whisper_error) {
        if (whisper_error.code() != errc::model_invalid) throw;
        try {
            vi = asr::inspect_vad_file(file);
        } catch (const error&) {
            throw error(errc::model_invalid, fmt::format("refusing {}: {}", file.string(), whisper_error.what()));
        }
    }

    std::string derived;
    if (wi) {
        r.kind = model_kind::whisper;
        r.synthetic = wi->synthetic;
        const auto& hp = wi->hparams;
        r.detail =
            fmt::format("{}{} ({}, {}+{} layers, {} mels, {}, {:.1f} MB)", wi->type, wi->synthetic ? " SYNTHETIC" : "",
                        ftype_label(hp.ftype), hp.n_audio_layer, hp.n_text_layer, hp.n_mels,
                        wi->multilingual ? "multilingual" : "English-only", static_cast<double>(wi->file_size) / 1e6);
        if (wi->type != "unknown") derived = wi->type + (wi->synthetic ? "-synthetic" : "") + ftype_suffix(hp.ftype);
    } else {
        r.kind = model_kind::vad;
        r.detail = fmt::format("{} v{} (window {}, {} tensors)", vi->type, vi->version, vi->n_window, vi->n_tensors);
        if (vi->type.starts_with("silero") && !vi->version.empty()) derived = "silero-v" + vi->version;
    }

    if (name) {
        check_name(*name);
        r.name = *name;
    } else if (!derived.empty()) {
        r.name = derived;
    } else {
        throw error(errc::usage, fmt::format("{} is a {} model of a non-standard shape: give it a name with --name",
                                             file.string(), kind_name(r.kind)));
    }

    // A standard name must be what the file is.
    if (const auto* k = find_known(r.name)) {
        if (k->kind != r.kind)
            throw error(errc::model_invalid,
                        fmt::format("refusing {}: it is a {} model, and '{}' is a {} model", file.string(),
                                    r.kind == model_kind::vad ? "Silero VAD" : "Whisper", r.name,
                                    k->kind == model_kind::vad ? "Silero VAD" : "Whisper"));
        if (r.synthetic)
            throw error(errc::model_invalid,
                        fmt::format("refusing {}: it is a SYNTHETIC (random-weight) model and cannot take the standard "
                                    "name '{}'; add it as {}",
                                    file.string(), r.name, derived.empty() ? "NAME-synthetic" : derived));
        if (wi) {
            auto [want_type, want_q] = split_quant(r.name);
            auto have_q = ftype_suffix(wi->hparams.ftype);
            bool large12 = (want_type == "large-v1" || want_type == "large-v2") &&
                           (wi->type == "large-v1" || wi->type == "large-v2");
            if ((wi->type != want_type && !large12) || want_q != have_q)
                throw error(
                    errc::model_invalid,
                    fmt::format("refusing {}: it is a {} model ({}), not '{}'; add it as --name {}", file.string(),
                                wi->type, ftype_label(wi->hparams.ftype), r.name, derived.empty() ? "NAME" : derived));
        }
        // A published checksum decides whether this is the public file.
        std::string algo = !k->sha256.empty() ? "sha256" : !k->sha1.empty() ? "sha1" : "";
        if (!algo.empty()) {
            auto actual = file_digest(file, algo);
            auto expected = algo == "sha256" ? k->sha256 : k->sha1;
            if (actual != expected)
                throw error(errc::model_invalid,
                            fmt::format("refusing {} as '{}': its {} {} differs from the published {} ({}); add it "
                                        "under another name (--name {}-custom)",
                                        file.string(), r.name, algo, actual, k->file, expected, r.name));
            r.verification = fmt::format("verified ({})", algo);
        } else {
            r.verification = "unverified (no published checksum)";
        }
    } else {
        r.verification = r.synthetic ? "synthetic (no checksum)" : "custom (no published checksum)";
    }

    r.path = cache_file(r.name);
    r.replaced = fs::exists(r.path, ec);
    if (fs::exists(r.path, ec) && fs::equivalent(file, r.path, ec)) return r;  // already the cached file

    // Copy atomically (temp in the cache folder + fsync + rename).
    std::unique_ptr<std::FILE, file_close> in(std::fopen(file.c_str(), "rb"));
    if (!in) throw error(errc::input_unreadable, fmt::format("cannot read {}", file.string()));
    util::atomic_file out(r.path);
    std::vector<char> buf(1 << 20);
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), in.get())) > 0) out.write(buf.data(), n);
    if (std::ferror(in.get())) throw error(errc::input_unreadable, fmt::format("read error in {}", file.string()));
    out.commit();
    return r;
}

std::vector<verify_result> verify(const std::optional<std::string>& name) {
    std::vector<verify_result> out;
    auto check = [&](const std::string& n, const fs::path& path, const known_model* k) {
        verify_result v;
        v.name = n;
        v.path = path;
        std::error_code ec;
        if (!fs::is_regular_file(path, ec)) {
            v.status = "missing";
            out.push_back(std::move(v));
            return;
        }
        v.algorithm = k && !k->sha256.empty() ? "sha256" : k && !k->sha1.empty() ? "sha1" : "";
        if (v.algorithm.empty()) {
            v.status = "unknown";
            v.actual = file_digest(path, "sha256");
        } else {
            v.expected = v.algorithm == "sha256" ? k->sha256 : k->sha1;
            v.actual = file_digest(path, v.algorithm);
            v.status = v.actual == v.expected ? "ok" : "mismatch";
        }
        out.push_back(std::move(v));
    };
    if (name) {
        const auto* k = find_known(*name);
        if (!k) check_name(*name);
        check(*name, cache_file(*name), k);
        return out;
    }
    for (const auto& e : list())
        if (e.present) check(e.name, e.path, e.known ? find_known(e.name) : nullptr);
    return out;
}

}  // namespace cinesub::models
