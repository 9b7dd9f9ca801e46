// make-synthetic-model: writes a random-weight ggml Whisper model of real dimensions (for tests
// and benchmarks of the mechanics only — its output is noise, never a transcription).
#include "asr/model_file.hpp"
#include "asr/synthetic_model.hpp"
#include "cinesub/error.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>

int main(int argc, char** argv) {
    CLI::App app{
        "Write a synthetic (random-weight) ggml Whisper model with real dimensions, vocabulary and mel filters"};
    cinesub::asr::synthetic_model_spec spec;
    std::string header;
    std::string out;
    app.add_option("--type", spec.type, "tiny, base, small, medium, large-v2, large-v3, large-v3-turbo")->required();
    app.add_option("--header", header,
                   "ggml Whisper file whose vocabulary and mel filters are reused "
                   "(e.g. testdata/models/ggml-tiny-header-only.bin)")
        ->required();
    app.add_option("--out", out, "output file")->required();
    app.add_option("--seed", spec.seed, "random seed")->default_val(42);
    app.add_option("--ftype", spec.ftype, "weight type: f16, f32, q5_0, q8_0")->default_val("f16");
    CLI11_PARSE(app, argc, argv);
    try {
        const auto t0 = std::chrono::steady_clock::now();
        cinesub::asr::write_synthetic_model(spec, header, out);
        const auto info = cinesub::asr::inspect_whisper_file(out);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        fmt::print("{}: synthetic {} ({} tensors, {:.1f} MB, {} layers enc / {} dec, {} mels) in {:.1f} s\n", out,
                   info.type, info.n_tensors, static_cast<double>(info.file_size) / 1e6, info.hparams.n_audio_layer,
                   info.hparams.n_text_layer, info.hparams.n_mels, s);
        return 0;
    } catch (const cinesub::error& e) {
        fmt::print(stderr, "make-synthetic-model: {}\n", e.what());
        return cinesub::exit_code(e.code());
    } catch (const std::exception& e) {
        fmt::print(stderr, "make-synthetic-model: {}\n", e.what());
        return 1;
    }
}
