// The speakers stage through the stage interface: audio.wav + speech.json → speakers.rttm and
// speakers.json; disabled; a min above the max fails (soft: the stage is optional).
#include "audio_fixtures.hpp"

#include "asr/wav.hpp"
#include "cinesub/error.hpp"
#include "pipeline/stage.hpp"
#include "speakers/der.hpp"
#include "speakers/rttm.hpp"
#include "stage_fixture.hpp"
#include "stages/artefacts.hpp"
#include "stages/stages.hpp"
#include "util/fs.hpp"
#include "vad/vad.hpp"

#include <gtest/gtest.h>

namespace cinesub {
namespace {

namespace fs = std::filesystem;

TEST(SpeakersStage, SampleGivesRttmAndJson) {
    const auto wav = test::testdata("media/diarization/en_pyannote_sample.wav");
    const auto ref = test::testdata("media/diarization/en_pyannote_sample.rttm");
    CINESUB_SKIP_IF_MISSING(wav);
    CINESUB_SKIP_IF_MISSING(test::vad_model());
    test::stage_fixture f;
    const auto audio = asr::read_wav_16k_mono(wav);
    test::write_wav_f32(f.path(stages::demux_files::audio), audio);
    vad::detector d(test::vad_model());
    save_speech_map(f.path(stages::vad_files::speech), vad::detect(d, audio, {}));
    auto stage = stages::make_speakers_stage();
    EXPECT_FALSE(stage->critical());
    EXPECT_EQ(stage->inputs(f.job).size(), 2u);
    const auto out = f.run(*stage);
    ASSERT_EQ(out.size(), 2u);
    const auto hyp = speakers::read_rttm(f.path(stages::speakers_files::rttm));
    ASSERT_EQ(hyp.size(), 1u);
    EXPECT_EQ(hyp[0].file_id, "media");
    const auto r = speakers::score_der(speakers::read_rttm(ref).front().turns, hyp[0].turns, {});
    EXPECT_LE(r.der, 0.15);
    const auto j = util::read_json(f.path(stages::speakers_files::speakers));
    EXPECT_EQ(j["speakers"], 2);
    EXPECT_EQ(j["turns"].size(), hyp[0].turns.size());
    EXPECT_EQ(j["speaking_seconds"].size(), 2u);

    f.set("speakers.min_speakers", 3);
    f.set("speakers.max_speakers", 2);
    try {
        f.run(*stage);
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::job_invalid);
        EXPECT_NE(std::string(e.what()).find("speakers.min_speakers (3)"), std::string::npos) << e.what();
    }
    f.set("speakers.min_speakers", 1);
    f.set("speakers.enabled", false);
    f.run(*stage);
    EXPECT_EQ(util::read_json(f.path(stages::speakers_files::speakers))["speakers"], 0);
    EXPECT_TRUE(speakers::read_rttm(f.path(stages::speakers_files::rttm)).empty());
    EXPECT_TRUE(test::leftover_temporaries(f.tmp.path()).empty());
}

}  // namespace
}  // namespace cinesub
