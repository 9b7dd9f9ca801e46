// The correction stage through the stage interface: asr's transcripts + glossary.json → corrected
// transcripts (every track), corrections.json, the English-track check; disabled it passes the
// transcripts through; the subtitles stage then reads the corrected ones.
#include "cinesub/transcript.hpp"
#include "context/glossary.hpp"
#include "pipeline/stage.hpp"
#include "stage_fixture.hpp"
#include "stages/artefacts.hpp"
#include "stages/stages.hpp"
#include "util/fs.hpp"

#include <gtest/gtest.h>

namespace cinesub::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

segment correction_segment(double start, double end, const std::string& text) {
    segment s;
    s.start = start;
    s.end = end;
    s.text = text;
    return s;
}

// asr's outputs for a Hindi job (source + English), and a glossary with Rohan/रोहन and Deepika.
void write_inputs(stage_fixture& f) {
    transcript hi;
    hi.language = "hi";
    hi.segments = {correction_segment(1, 3, "रोहण कहाँ है?"), correction_segment(4, 6, "दीपिका आई")};
    transcript en;
    en.language = "en";
    en.task = "translate";
    en.segments = {correction_segment(1, 3, "Where is Rohann?"), correction_segment(4, 6, "She came.")};
    save_transcript(f.path(stages::asr_files::tracks).parent_path() / "transcript.hi.json", hi);
    save_transcript(f.path(stages::asr_files::tracks).parent_path() / "transcript.en.json", en);
    util::write_json_atomic(f.path(stages::asr_files::tracks),
                            {{"schema", 1},
                             {"tracks",
                              {{{"file", "transcript.hi.json"}, {"language", "hi"}, {"role", "source"}},
                               {{"file", "transcript.en.json"}, {"language", "en"}, {"role", "translation"}}}}});
    context::glossary g;
    g.entries = {{"Rohan", "रोहन", {}, "user", "t", 0}, {"Deepika", "दीपिका", {}, "user", "t", 0}};
    util::write_json_atomic(f.path(stages::context_files::glossary), context::to_json(g));
}

TEST(CorrectionStage, CorrectsEveryTrackAndLogsIt) {
    stage_fixture f;
    write_inputs(f);
    auto stage = stages::make_correction_stage();
    EXPECT_FALSE(stage->critical());
    EXPECT_EQ(stage->inputs(f.job).size(), 4u);  // tracks.json, two transcripts, glossary.json
    f.run(*stage);
    const auto dir = f.path(stages::correction_files::tracks).parent_path();
    EXPECT_EQ(load_transcript(dir / "transcript.hi.json").segments[0].text, "रोहन कहाँ है?");
    EXPECT_EQ(load_transcript(dir / "transcript.en.json").segments[0].text, "Where is Rohan?");
    const auto report = util::read_json(f.path(stages::correction_files::corrections));
    ASSERT_EQ(report["corrections"].size(), 2u);
    EXPECT_EQ(report["corrections"][0]["before"], "रोहण");
    EXPECT_EQ(report["corrections"][0]["after"], "रोहन");
    EXPECT_EQ(report["corrections"][0]["start"], 1.0);
    ASSERT_EQ(report["missing_in_english"].size(), 1u);  // दीपिका is not in "She came."
    EXPECT_EQ(report["missing_in_english"][0]["name"], "Deepika");
    EXPECT_EQ(f.metrics()["corrections"], 2);

    // The subtitles stage now reads the corrected transcripts.
    auto subtitles = stages::make_subtitles_stage();
    const auto in = subtitles->inputs(f.job);
    EXPECT_NE(std::find(in.begin(), in.end(), dir / "transcript.hi.json"), in.end());
    EXPECT_NE(std::find(in.begin(), in.end(), f.path(stages::correction_files::tracks)), in.end());
}

TEST(CorrectionStage, DisabledPassesTheTranscriptsThrough) {
    stage_fixture f;
    write_inputs(f);
    f.set("correction.enabled", false);
    auto stage = stages::make_correction_stage();
    EXPECT_EQ(pipeline::stage_settings(*stage, f.job)["correction.enabled"], false);
    f.run(*stage);
    const auto dir = f.path(stages::correction_files::tracks).parent_path();
    EXPECT_EQ(load_transcript(dir / "transcript.hi.json").segments[0].text, "रोहण कहाँ है?");
    const auto report = util::read_json(f.path(stages::correction_files::corrections));
    EXPECT_TRUE(report["corrections"].empty());
    EXPECT_EQ(report["enabled"], false);
}

}  // namespace
}  // namespace cinesub::test
