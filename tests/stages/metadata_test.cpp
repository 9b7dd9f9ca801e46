// The metadata stage through the stage interface: an offline file, TMDB (a local server), no
// credentials (skipped with one line, the run goes on), and the key kept out of every file.
#include "cinesub/error.hpp"
#include "pipeline/stage.hpp"
#include "scoped_env.hpp"
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

const std::string secret = "s3cret-tmdb-key-for-tests";

// No credentials anywhere and a private cache: what every test starts from.
struct metadata_stage_test : ::testing::Test {
    temp_dir home;
    scoped_env key{"TMDB_API_KEY", std::nullopt};
    scoped_env token{"TMDB_READ_TOKEN", std::nullopt};
    scoped_env config{"CINESUB_CONFIG", (home / "absent-config.json").string()};
    scoped_env cache{"XDG_CACHE_HOME", (home / "cache").string()};
};

TEST_F(metadata_stage_test, NoCredentialsNoFileWritesNoneAndSaysSo) {
    stage_fixture f(fs::path("/films/Jaane.Tu.Ya.Jaane.Na.2008.1080p.BluRay.x264-GRP.mkv"));
    auto stage = stages::make_metadata_stage();
    EXPECT_FALSE(stage->critical());
    const auto settings = pipeline::stage_settings(*stage, f.job);
    EXPECT_EQ(settings["metadata.query_title"], "Jaane Tu Ya Jaane Na");  // from the file name
    EXPECT_EQ(settings["metadata.query_year"], 2008);
    EXPECT_EQ(settings["metadata.tmdb_credentials"], false);
    EXPECT_FALSE(settings.contains("metadata.cache_days"));  // not hashed
    f.run(*stage);
    const auto doc = util::read_json(f.path(stages::metadata_files::metadata));
    EXPECT_EQ(doc["source"], "none");
    EXPECT_TRUE(doc["film"].is_null());
    EXPECT_EQ(doc["query"]["from"], "file name");
    const auto log = util::read_file(f.job.logs_dir() / "metadata.log");
    EXPECT_NE(log.find("no TMDB credentials"), std::string::npos) << log;
}

TEST_F(metadata_stage_test, OfflineFileIsAnInput) {
    stage_fixture f;
    f.set("metadata.file", tmdb_data("movie_14873.json").string());
    auto stage = stages::make_metadata_stage();
    EXPECT_EQ(stage->inputs(f.job), std::vector<fs::path>{tmdb_data("movie_14873.json")});
    f.run(*stage);
    const auto doc = util::read_json(f.path(stages::metadata_files::metadata));
    EXPECT_EQ(doc["source"], "file");
    EXPECT_EQ(doc["film"]["cast"].size(), 13u);
    EXPECT_EQ(doc["film"]["cast"][0]["character"], "Jai Singh Rathore 'Rats'");

    const auto bad = f.tmp / "bad.json";
    util::write_file_atomic(bad, R"({"results": []})");  // a search answer, not movie details
    f.set("metadata.file", bad.string());
    try {
        f.run(*stage);
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::input_corrupt) << e.what();
        EXPECT_NE(std::string(e.what()).find("bad.json"), std::string::npos) << e.what();
    }
}

TEST_F(metadata_stage_test, TmdbLookupCachedAndKeyNeverWritten) {
    tmdb_server server(secret);
    server.add_film_file(tmdb_data("movie_14873.json"));
    scoped_env with_key("TMDB_API_KEY", secret);
    stage_fixture f(fs::path("/films/Jaane Tu Ya Jaane Na (2008).mkv"));
    f.set("metadata.tmdb_url", server.url());
    auto stage = stages::make_metadata_stage();
    EXPECT_EQ(pipeline::stage_settings(*stage, f.job)["metadata.tmdb_credentials"], true);
    f.run(*stage);
    auto doc = util::read_json(f.path(stages::metadata_files::metadata));
    EXPECT_EQ(doc["source"], "tmdb");
    EXPECT_EQ(doc["tmdb_match"]["id"], 14873);
    EXPECT_EQ(doc["film"]["title"], "Jaane Tu... Ya Jaane Na");
    EXPECT_EQ(f.metrics()["requests"], 2);

    f.run(*stage);  // a re-run: answers from the cache
    EXPECT_EQ(f.metrics()["requests"], 0);
    EXPECT_EQ(f.metrics()["cache_hits"], 2);
    EXPECT_EQ(server.requests().size(), 2u);
    f.refresh = true;  // run --refresh
    f.run(*stage);
    EXPECT_EQ(f.metrics()["requests"], 2);

    // The key is in no file of the job (job.json, outputs, logs) nor of the cache.
    f.job.save();
    for (const auto* root : {&f.tmp.path(), &home.path()})
        for (const auto& e : fs::recursive_directory_iterator(*root))
            if (e.is_regular_file()) {
                EXPECT_EQ(util::read_file(e.path()).find(secret), std::string::npos) << e.path();
            }
}

TEST_F(metadata_stage_test, NoMatchAndRefusedKeyFailSoftWithOneLine) {
    tmdb_server server(secret);
    server.add_film_file(tmdb_data("movie_14873.json"));
    stage_fixture f(fs::path("/films/Sholay.1975.mkv"));
    f.set("metadata.tmdb_url", server.url());
    auto stage = stages::make_metadata_stage();
    {
        scoped_env with_key("TMDB_API_KEY", secret);
        try {
            f.run(*stage);
            FAIL() << "no error";
        } catch (const error& e) {
            EXPECT_EQ(e.code(), errc::service) << e.what();
            EXPECT_NE(std::string(e.what()).find("no film matching \"Sholay\" (1975)"), std::string::npos) << e.what();
        }
    }
    scoped_env wrong_key("TMDB_API_KEY", "not-" + secret);
    try {
        f.run(*stage);
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::service) << e.what();
        EXPECT_EQ(std::string(e.what()).find(secret), std::string::npos) << e.what();
    }
}

TEST_F(metadata_stage_test, TitleSettingWinsOverTheFileName) {
    stage_fixture f(fs::path("/films/jtyjn_final_v2.mkv"));
    f.set("title", "Jaane Tu Ya Jaane Na");
    f.set("year", 2008);
    auto stage = stages::make_metadata_stage();
    const auto settings = pipeline::stage_settings(*stage, f.job);
    EXPECT_EQ(settings["metadata.query_title"], "Jaane Tu Ya Jaane Na");
    EXPECT_EQ(settings["metadata.query_year"], 2008);
    f.set("metadata.enabled", false);
    f.run(*stage);
    EXPECT_EQ(util::read_json(f.path(stages::metadata_files::metadata))["source"], "none");
}

}  // namespace
}  // namespace cinesub::test
