// Whisper and Silero-VAD model files (whisper.cpp's ggml format): the tensor layout whisper.cpp
// expects, and a cheap structural check that runs before a file is handed to whisper.cpp (whose
// loaders accept a header-only file as an "empty model for testing" and can crash on a file of
// the wrong kind). Nothing here loads weights.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::asr {

// The hyper-parameters at the start of a ggml Whisper file, in file order.
struct whisper_hparams {
    std::int32_t n_vocab = 51865;
    std::int32_t n_audio_ctx = 1500;
    std::int32_t n_audio_state = 384;
    std::int32_t n_audio_head = 6;
    std::int32_t n_audio_layer = 4;
    std::int32_t n_text_ctx = 448;
    std::int32_t n_text_state = 384;
    std::int32_t n_text_head = 6;
    std::int32_t n_text_layer = 4;
    std::int32_t n_mels = 80;
    std::int32_t ftype = 1;  // GGML_FTYPE_*, without the quantisation-version factor
};

// The real hyper-parameters of an OpenAI Whisper size: tiny, base, small, medium, large-v3,
// large-v3-turbo (also tiny.en, base.en, small.en, medium.en, large-v2). Throws error(usage) otherwise.
whisper_hparams whisper_hparams_for(std::string_view type);
std::vector<std::string> whisper_known_types();

// One tensor whisper.cpp's loader expects. ne[0] is the fastest-varying dimension (ggml order).
enum class tensor_role {
    f32,     // always float32 (biases, norms, positional embeddings)
    conv,    // convolution kernels: f16 unless the model is f32
    matrix,  // weight matrices and the token embedding: the model's weight type (f16/f32/quantised)
};
struct tensor_desc {
    std::string name;
    int n_dims = 1;
    std::int64_t ne[4] = {1, 1, 1, 1};
    tensor_role role = tensor_role::f32;
};
// Every tensor whisper_model_load (whisper.cpp v1.9.1) creates for these hyper-parameters, in the
// order OpenAI's converter writes them.
std::vector<tensor_desc> whisper_tensor_layout(const whisper_hparams& hp);

// What a structural check of a ggml Whisper file found.
struct whisper_file_info {
    whisper_hparams hparams;
    std::int32_t ftype_raw = 0;  // as stored (may include GGML_QNT_VERSION * 1000)
    std::string type;            // "tiny", "base.en", "large-v3-turbo"… or "unknown" (distilled, custom)
    bool multilingual = true;
    int n_vocab_stored = 0;  // tokens stored in the file (whisper.cpp adds the special ones)
    int n_tensors = 0;
    std::uint64_t file_size = 0;
    std::uint64_t weights_bytes = 0;
    // True for a random-weight model written by write_synthetic_model (all layer-norm weights
    // of encoder.ln_post exactly 1 and its bias exactly 0: no trained model has that).
    bool synthetic = false;
};

// Checks that `path` is a complete ggml Whisper model: magic, plausible hyper-parameters, mel
// filters, vocabulary, and exactly the tensors whisper.cpp expects with the right shapes and
// types, none past the end of the file. Throws error(model_missing) when the file does not exist,
// error(model_invalid) naming the problem otherwise (a VAD model, a header-only or truncated file…).
whisper_file_info inspect_whisper_file(const std::filesystem::path& path);

// What a structural check of a whisper.cpp VAD model file found.
struct vad_file_info {
    std::string type;     // "silero-16k"
    std::string version;  // "6.2.0"
    int n_window = 0;     // samples per frame (512)
    int n_context = 0;
    int n_tensors = 0;
    std::uint64_t file_size = 0;
};

// Checks that `path` is a complete Silero VAD model in whisper.cpp's ggml format. Throws
// error(model_missing) / error(model_invalid) (e.g. "… is a Whisper model, not a VAD model").
vad_file_info inspect_vad_file(const std::filesystem::path& path);

}  // namespace cinesub::asr
