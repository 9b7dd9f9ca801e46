// The speakers stage through the stage interface: audio.wav + speech.json → speakers.rttm and
// speakers.json; disabled; a min above the max fails (soft: the stage is optional).
#include "audio_fixtures.hpp"

#include "asr/wav.hpp"
#include "cinesub/error.hpp"
#include "context/glossary.hpp"
#include "pipeline/stage.hpp"
#include "speakers/der.hpp"
#include "speakers/params.hpp"
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

// The stereo sample: one speaker per channel (the right one talks over the first half of the left
// one's line). Mixed to mono the voices are alike enough to cluster as one; the channels' levels tell
// them apart.
TEST(SpeakersStage, StereoPanningSeparatesSpeakersPlacedApart) {
    const auto wav = test::testdata("media/diarization/en_stereo_diarization_2spk.wav");
    CINESUB_SKIP_IF_MISSING(wav);
    CINESUB_SKIP_IF_MISSING(test::vad_model());
    test::stage_fixture f(wav);
    f.set("vad.model", test::vad_model().string());
    f.run(*stages::make_demux_stage());
    ASSERT_TRUE(fs::exists(f.path(stages::demux_files::levels)));
    f.run(*stages::make_vad_stage());
    auto stage = stages::make_speakers_stage();
    EXPECT_EQ(stage->inputs(f.job).size(), 4u);  // audio, speech, levels, media.json
    f.run(*stage);
    const auto j = util::read_json(f.path(stages::speakers_files::speakers));
    EXPECT_EQ(j["stereo"]["used"], true) << j.dump(2);
    EXPECT_GT(j["stereo"]["pan_spread"].get<double>(), 0.15);
    EXPECT_EQ(j["speakers"], 2) << j.dump(2);
    const auto turns = speakers::read_rttm(f.path(stages::speakers_files::rttm)).front().turns;
    ASSERT_GE(turns.size(), 2u);
    std::string early, late;
    for (const auto& t : turns) {
        if (t.start <= 1.0 && t.end >= 1.0) early = t.speaker;
        if (t.start <= 3.5 && t.end >= 3.5) late = t.speaker;
    }
    EXPECT_FALSE(early.empty());
    EXPECT_FALSE(late.empty());
    EXPECT_NE(early, late);  // both talk early (the right one louder); only the left one late

    // Without the levels (what a mono copy gives): one speaker.
    fs::remove(f.path(stages::demux_files::levels));
    f.run(*stage);
    const auto mono = util::read_json(f.path(stages::speakers_files::speakers));
    EXPECT_EQ(mono["stereo"]["used"], false);
    EXPECT_EQ(mono["speakers"], 1);
}

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
    ASSERT_EQ(j["per_speaker"].size(), 2u);
    EXPECT_FALSE(j["per_speaker"][0].contains("suggested"));  // no glossary: no suggestion

    // A glossary: the most-speaking speaker is suggested as the top-billed character, marked a guess;
    // the user's map confirms a name, which the turns then carry.
    context::glossary g;
    g.entries = {{"Aditi Mahant", "", {}, "character", "tmdb cast 1", 1},
                 {"Jai Singh Rathore", "", {}, "character", "tmdb cast 0", 0},
                 {"Imran Khan", "", {}, "actor", "tmdb cast 0", 1000}};
    util::write_json_atomic(f.path(stages::context_files::glossary), context::to_json(g));
    util::write_file_atomic(f.tmp / "map.tsv", "# who is who\nSPEAKER_01\tAditi\n");
    f.set("speakers.map", (f.tmp / "map.tsv").string());
    EXPECT_EQ(stage->inputs(f.job).size(), 4u);  // audio, speech, map, glossary
    f.run(*stage);
    const auto named = util::read_json(f.path(stages::speakers_files::speakers));
    const auto& per = named["per_speaker"];
    const std::size_t most = per[0]["seconds"].get<double>() >= per[1]["seconds"].get<double>() ? 0 : 1;
    EXPECT_EQ(per[most]["suggested"]["name"], "Jai Singh Rathore");
    EXPECT_EQ(per[most]["suggested"]["guess"], true);
    EXPECT_EQ(per[1 - most]["suggested"]["name"], "Aditi Mahant");
    EXPECT_EQ(per[1]["name"], "Aditi");
    EXPECT_FALSE(per[0].contains("name"));
    for (const auto& t : named["turns"]) EXPECT_EQ(t.contains("name"), t["speaker"] == "SPEAKER_01");
    f.set("speakers.map", "");

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

TEST(SpeakersStage, SpeakerMapLinesAreChecked) {
    test::temp_dir d;
    auto map_error = [&](const std::string& text) {
        util::write_file_atomic(d / "m.tsv", text);
        try {
            speakers::read_speaker_map(d / "m.tsv");
        } catch (const error& e) {
            EXPECT_EQ(e.code(), errc::input_corrupt);
            return std::string(e.what());
        }
        return std::string("no error");
    };
    util::write_file_atomic(d / "ok.tsv", "SPEAKER_00\tJai\r\n\n# note\nSPEAKER_01\t Aditi Mahant \n");
    const auto m = speakers::read_speaker_map(d / "ok.tsv");
    ASSERT_EQ(m.size(), 2u);
    EXPECT_EQ(m.at("SPEAKER_01"), "Aditi Mahant");
    EXPECT_NE(map_error("SPEAKER_00 Jai\n").find("line 1: expected SPEAKER_NN <TAB> name"), std::string::npos);
    EXPECT_NE(map_error("SPEAKER_00\tJai\nSPEAKER_00\tRats\n").find("line 2: SPEAKER_00 is named twice"),
              std::string::npos);
    EXPECT_NE(map_error("SPEAKER_00\tJa\xE9\n").find("line 1: not UTF-8"), std::string::npos);
    try {
        speakers::read_speaker_map(d / "absent.tsv");
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::input_missing);
    }
}

}  // namespace
}  // namespace cinesub
