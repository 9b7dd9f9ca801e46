#include "audio_fixtures.hpp"

#include "asr/model_file.hpp"
#include "asr/synthetic_model.hpp"
#include "asr/whisper_engine.hpp"
#include "cinesub/error.hpp"
#include "util/fs.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

namespace cinesub::asr {
namespace {

namespace fs = std::filesystem;

using test::testdata;

errc inspect_error(const fs::path& p, std::string* message = nullptr) {
    try {
        inspect_whisper_file(p);
    } catch (const error& e) {
        if (message) *message = e.what();
        return e.code();
    }
    return errc::internal;
}

void copy_prefix(const fs::path& from, const fs::path& to, std::uint64_t bytes) {
    std::ifstream in(from, std::ios::binary);
    std::ofstream out(to, std::ios::binary);
    std::vector<char> buf(1 << 20);
    while (bytes > 0 && in) {
        const auto n = static_cast<std::streamsize>(std::min<std::uint64_t>(bytes, buf.size()));
        in.read(buf.data(), n);
        out.write(buf.data(), in.gcount());
        bytes -= static_cast<std::uint64_t>(in.gcount());
    }
}

TEST(WhisperLayout, RealDimensions) {
    const auto tiny = whisper_hparams_for("tiny");
    EXPECT_EQ(tiny.n_audio_state, 384);
    EXPECT_EQ(tiny.n_audio_layer, 4);
    EXPECT_EQ(tiny.n_vocab, 51865);
    const auto v3 = whisper_hparams_for("large-v3");
    EXPECT_EQ(v3.n_mels, 128);
    EXPECT_EQ(v3.n_vocab, 51866);
    EXPECT_EQ(v3.n_audio_head, 20);
    const auto turbo = whisper_hparams_for("large-v3-turbo");
    EXPECT_EQ(turbo.n_audio_layer, 32);
    EXPECT_EQ(turbo.n_text_layer, 4);
    // whisper_model_load: 7 encoder + 15 per encoder layer, 4 decoder + 24 per decoder layer.
    for (const auto& type : {"tiny", "base", "small", "medium", "large-v3", "large-v3-turbo"}) {
        const auto hp = whisper_hparams_for(type);
        EXPECT_EQ(whisper_tensor_layout(hp).size(),
                  static_cast<std::size_t>(11 + 15 * hp.n_audio_layer + 24 * hp.n_text_layer))
            << type;
    }
    try {
        whisper_hparams_for("enormous");
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::usage);
    }
}

TEST(WhisperLayout, AlignmentHeadPresets) {
    EXPECT_NE(alignment_heads_preset("tiny"), 0);
    EXPECT_NE(alignment_heads_preset("large-v3-turbo"), alignment_heads_preset("large-v3"));
    EXPECT_EQ(alignment_heads_preset("unknown"), 0);
}

// Our Slaney filter bank reproduces the 80 filters stored in the real tiny header (what lets us
// trust the 128-mel bank for large-v3 synthetic models).
TEST(MelFilters, MatchTheRealWhisperFilters) {
    CINESUB_SKIP_IF_MISSING(test::header_model());
    std::ifstream in(test::header_model(), std::ios::binary);
    in.seekg(4 + 11 * 4);
    std::int32_t n_mel = 0, n_fft = 0;
    in.read(reinterpret_cast<char*>(&n_mel), 4);
    in.read(reinterpret_cast<char*>(&n_fft), 4);
    ASSERT_EQ(n_mel, 80);
    ASSERT_EQ(n_fft, 201);
    std::vector<float> real(80 * 201);
    in.read(reinterpret_cast<char*>(real.data()), static_cast<std::streamsize>(real.size() * 4));
    const auto ours = slaney_mel_filterbank(80);
    ASSERT_EQ(ours.size(), real.size());
    double max_diff = 0, max_val = 0;
    for (std::size_t i = 0; i < real.size(); ++i) {
        max_diff = std::max(max_diff, static_cast<double>(std::fabs(ours[i] - real[i])));
        max_val = std::max(max_val, static_cast<double>(real[i]));
    }
    EXPECT_LT(max_diff, 1e-6 * std::max(1.0, max_val)) << "max value " << max_val;

    const auto bank128 = slaney_mel_filterbank(128);
    ASSERT_EQ(bank128.size(), 128u * 201u);
    for (int m = 0; m < 128; ++m) {
        double row = 0;
        for (int k = 0; k < 201; ++k) row += bank128[static_cast<std::size_t>(m * 201 + k)];
        EXPECT_GT(row, 0) << "empty mel band " << m;
    }
}

TEST(SyntheticModel, TinyIsAValidWhisperFile) {
    CINESUB_SYNTHETIC_TINY(model);
    const auto info = inspect_whisper_file(model);
    EXPECT_EQ(info.type, "tiny");
    EXPECT_TRUE(info.synthetic);
    EXPECT_TRUE(info.multilingual);
    EXPECT_EQ(info.n_tensors, 167);
    EXPECT_EQ(info.n_vocab_stored, 50257);
    EXPECT_EQ(info.hparams.ftype, 1);
}

TEST(SyntheticModel, DeterministicPerSeed) {
    CINESUB_SYNTHETIC_TINY(model);
    test::temp_dir tmp;
    models::write_synthetic_model({"tiny", 42, "f16"}, test::header_model(), tmp / "again.bin");
    models::write_synthetic_model({"tiny", 7, "f16"}, test::header_model(), tmp / "seed7.bin");
    EXPECT_EQ(util::sha256_file(tmp / "again.bin"), util::sha256_file(model));
    EXPECT_NE(util::sha256_file(tmp / "seed7.bin"), util::sha256_file(model));
    EXPECT_TRUE(test::leftover_temporaries(tmp.path()).empty());
}

// Through whisper.cpp's real loader (whisper_init_from_file_with_params_no_state).
TEST(SyntheticModel, LoadsThroughTheRealLoader) {
    CINESUB_SYNTHETIC_TINY(model);
    params o;
    o.model = model.string();
    whisper_engine e(o);
    EXPECT_EQ(e.model_info().type, "tiny");
    EXPECT_FALSE(e.dtw_active());  // default asr.word_times=tokens: flash attention stays on
    o.word_times = word_time_method::dtw;
    EXPECT_TRUE(whisper_engine(o).dtw_active());  // tiny has alignment heads
    // A quantised variant loads as well.
    test::temp_dir tmp;
    models::write_synthetic_model({"tiny", 42, "q8_0"}, test::header_model(), tmp / "q8.bin");
    const auto info = inspect_whisper_file(tmp / "q8.bin");
    EXPECT_EQ(info.hparams.ftype, 7);
    EXPECT_TRUE(info.synthetic);
    o.model = (tmp / "q8.bin").string();
    whisper_engine q(o);
    EXPECT_EQ(q.model_info().type, "tiny");
}

TEST(SyntheticModel, BadSpecs) {
    CINESUB_SKIP_IF_MISSING(test::header_model());
    test::temp_dir tmp;
    for (const auto& spec : {synthetic_model_spec{"giant", 1, "f16"}, synthetic_model_spec{"tiny", 1, "q3_k"},
                             synthetic_model_spec{"tiny.en", 1, "f16"}}) {
        try {
            models::write_synthetic_model(spec, test::header_model(), tmp / "x.bin");
            FAIL() << "no error for " << spec.type << "/" << spec.ftype;
        } catch (const error& e) {
            EXPECT_EQ(e.code(), errc::usage);
        }
    }
    try {
        models::write_synthetic_model({}, tmp / "no-header.bin", tmp / "x.bin");
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::model_missing);
    }
    EXPECT_FALSE(fs::exists(tmp / "x.bin"));
}

TEST(WhisperModelFile, BadFiles) {
    test::temp_dir tmp;
    std::string msg;
    EXPECT_EQ(inspect_error(tmp / "missing.bin"), errc::model_missing);
    { std::ofstream(tmp / "text.bin") << "definitely not a model"; }
    EXPECT_EQ(inspect_error(tmp / "text.bin"), errc::model_invalid);
    { std::ofstream(tmp / "empty.bin"); }
    EXPECT_EQ(inspect_error(tmp / "empty.bin"), errc::model_invalid);
    fs::create_directory(tmp / "dir.bin");
    EXPECT_EQ(inspect_error(tmp / "dir.bin"), errc::model_invalid);

    CINESUB_SKIP_IF_MISSING(test::header_model());
    EXPECT_EQ(inspect_error(test::header_model(), &msg), errc::model_invalid);
    EXPECT_NE(msg.find("no weights"), std::string::npos) << msg;

    CINESUB_SKIP_IF_MISSING(test::vad_model());
    EXPECT_EQ(inspect_error(test::vad_model(), &msg), errc::model_invalid);
    EXPECT_NE(msg.find("VAD model"), std::string::npos) << msg;
}

TEST(WhisperModelFile, TruncatedOrCorruptCopies) {
    CINESUB_SYNTHETIC_TINY(model);
    test::temp_dir tmp;
    std::string msg;
    const auto size = fs::file_size(model);
    copy_prefix(model, tmp / "half.bin", size / 2);
    EXPECT_EQ(inspect_error(tmp / "half.bin", &msg), errc::model_invalid);
    EXPECT_NE(msg.find("truncated"), std::string::npos) << msg;
    copy_prefix(model, tmp / "short.bin", size - 1);
    EXPECT_EQ(inspect_error(tmp / "short.bin"), errc::model_invalid);
    copy_prefix(model, tmp / "header.bin", 100);
    EXPECT_EQ(inspect_error(tmp / "header.bin"), errc::model_invalid);
    // A corrupted hyper-parameter (n_audio_layer = 5: the tensors do not match).
    fs::copy_file(model, tmp / "corrupt.bin");
    {
        std::fstream f(tmp / "corrupt.bin", std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(4 + 4 * 4);
        const std::int32_t five = 5;
        f.write(reinterpret_cast<const char*>(&five), 4);
    }
    EXPECT_EQ(inspect_error(tmp / "corrupt.bin", &msg), errc::model_invalid);
    // The engine refuses them before whisper.cpp sees them.
    params o;
    o.model = (tmp / "half.bin").string();
    try {
        whisper_engine e(o);
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::model_invalid);
    }
}

}  // namespace
}  // namespace cinesub::asr
