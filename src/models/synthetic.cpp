// The public summary of the Whisper file check (cinesub/models.hpp); the synthetic writer is in
// src/asr/synthetic_model.cpp.
#include "asr/model_file.hpp"
#include "cinesub/models.hpp"

namespace cinesub::models {

whisper_file_summary describe_whisper_file(const std::filesystem::path& path) {
    const auto info = asr::inspect_whisper_file(path);
    return {info.type,           info.n_tensors, info.file_size, info.hparams.n_audio_layer, info.hparams.n_text_layer,
            info.hparams.n_mels, info.synthetic};
}

}  // namespace cinesub::models
