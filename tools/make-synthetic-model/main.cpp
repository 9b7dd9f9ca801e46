// make-synthetic-model: writes a random-weight ggml Whisper model of real dimensions (for tests
// and benchmarks of the mechanics only — its output is noise, never a transcription).
#include "cinesub/error.hpp"
#include "cinesub/models.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>

int main(int argc, char** argv) try {
    CLI::App app{
        "Write a synthetic (random-weight) ggml Whisper model with real dimensions, vocabulary and mel filters"};
    cinesub::models::synthetic_model_spec spec;
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
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    const auto t0 = std::chrono::steady_clock::now();
    cinesub::models::write_synthetic_model(spec, header, out);
    const auto info = cinesub::models::describe_whisper_file(out);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    fmt::print("{}: synthetic {} ({} tensors, {:.1f} MB, {} layers enc / {} dec, {} mels) in {:.1f} s\n", out,
               info.type, info.n_tensors, static_cast<double>(info.file_size) / 1e6, info.audio_layers,
               info.text_layers, info.mels, s);
    return 0;
} catch (const cinesub::error& e) {
    std::fprintf(stderr, "make-synthetic-model: %s\n", e.what());
    return cinesub::exit_code(e.code());
} catch (const std::exception& e) {
    std::fprintf(stderr, "make-synthetic-model: %s\n", e.what());
    return 1;
} catch (...) {
    std::fprintf(stderr, "make-synthetic-model: unknown exception\n");
    return 1;
}
