// The VAD stage through the stage interface: demux's audio.wav → speech.json, its settings and inputs.
#include "asr/wav.hpp"
#include "audio_fixtures.hpp"
#include "cinesub/error.hpp"
#include "cinesub/transcript.hpp"
#include "pipeline/stage.hpp"
#include "stage_fixture.hpp"
#include "stages/artefacts.hpp"
#include "stages/stages.hpp"
#include "util/fs.hpp"

#include <gtest/gtest.h>

namespace cinesub::test {
namespace {

namespace fs = std::filesystem;

TEST(VadStage, JfkGivesFourSpeechSegments) {
    CINESUB_SKIP_IF_MISSING(vad_model());
    const auto jfk = testdata("media/en/en_jfk.wav");
    CINESUB_SKIP_IF_MISSING(jfk);
    stage_fixture f;
    write_wav_f32(f.path(stages::demux_files::audio), asr::read_wav_16k_mono(jfk));
    f.set("vad.model", vad_model().string());
    f.set("asr.workers", 2);
    f.set("asr.threads", 1);
    auto stage = stages::make_vad_stage();

    // Inputs: the audio and the model file (hashed); the model's path is not a hashed setting, the
    // number of parallel runs is.
    const auto inputs = stage->inputs(f.job);
    ASSERT_EQ(inputs.size(), 2u);
    EXPECT_EQ(inputs[1], vad_model());
    const auto settings = pipeline::stage_settings(*stage, f.job);
    EXPECT_FALSE(settings.contains("vad.model"));
    EXPECT_EQ(settings["vad.threshold"], 0.5);
    EXPECT_EQ(settings["vad.parts"], 2);

    const auto files = f.run(*stage);
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0], f.path(stages::vad_files::speech));
    const auto map = cinesub::load_speech_map(files[0]);
    EXPECT_EQ(map.segments.size(), 4u);  // as whisper.cpp's own VAD test finds (testdata README)
    EXPECT_NEAR(map.duration, 11.0, 0.05);
}

TEST(VadStage, MissingModelAndBadSetting) {
    stage_fixture f;
    write_wav_f32(f.path(stages::demux_files::audio), std::vector<float>(16000, 0.0f));
    auto stage = stages::make_vad_stage();
    f.set("vad.model", (f.tmp / "ggml-absent.bin").string());
    try {
        f.run(*stage);
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::model_missing) << e.what();
    }
    f.set("vad.threshold", 2.0);  // a hand edit the schema rejects, named when the stage reads it
    try {
        f.run(*stage);
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::job_invalid);
        EXPECT_NE(std::string(e.what()).find("vad.threshold"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace cinesub::test
