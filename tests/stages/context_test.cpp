// The context stage through the stage interface: metadata.json + the user glossary → glossary.json,
// and the subtitles stage's romanized track spelling the film's names from it.
#include "cinesub/error.hpp"
#include "context/glossary.hpp"
#include "pipeline/stage.hpp"
#include "stage_fixture.hpp"
#include "stages/artefacts.hpp"
#include "stages/stages.hpp"
#include "tmdb_server.hpp"
#include "util/fs.hpp"

#include <gtest/gtest.h>

namespace cinesub::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

TEST(ContextStage, GlossaryFromMetadataAndUserFile) {
    stage_fixture f;
    auto metadata = stages::make_metadata_stage();
    f.set("metadata.file", tmdb_data("movie_14873.json").string());
    f.run(*metadata);
    const auto user = f.tmp / "names.tsv";
    util::write_file_atomic(user, "Rotlu\tरोटलू\n");
    f.set("context.glossary", user.string());
    auto stage = stages::make_context_stage();
    EXPECT_FALSE(stage->critical());
    const auto in = stage->inputs(f.job);
    ASSERT_EQ(in.size(), 2u);
    EXPECT_EQ(in[0], f.path(stages::metadata_files::metadata));
    EXPECT_EQ(in[1], user);
    f.run(*stage);
    const auto g = context::glossary_from_json(util::read_json(f.path(stages::context_files::glossary)));
    ASSERT_GT(g.entries.size(), 20u);
    EXPECT_EQ(g.entries[0].term, "Rotlu");  // the user's first
    EXPECT_EQ(g.entries[1].term, "Jai Singh Rathore");
    EXPECT_EQ(f.metrics()["entries"], g.entries.size());

    util::write_file_atomic(user, "Rotlu\tRotlu\n");  // a bad line: the stage fails (soft) naming it
    try {
        f.run(*stage);
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::input_corrupt);
        EXPECT_NE(std::string(e.what()).find("line 1"), std::string::npos) << e.what();
    }
}

TEST(ContextStage, NoMetadataNoGlossaryIsAnEmptyGlossary) {
    stage_fixture f;
    auto stage = stages::make_context_stage();
    EXPECT_TRUE(stage->inputs(f.job).empty());
    f.run(*stage);
    EXPECT_TRUE(util::read_json(f.path(stages::context_files::glossary))["entries"].empty());
}

}  // namespace
}  // namespace cinesub::test
