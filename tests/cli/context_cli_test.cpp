// parse-name and the metadata stage through the real binary: prepare --metadata, a run that
// writes metadata.json, and the one-line errors for a wrong metadata file.
#include "cli_fixture.hpp"
#include "support.hpp"
#include "tmdb_server.hpp"
#include "util/fs.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cinesub::test {
namespace {

namespace fs = std::filesystem;

// No TMDB credentials from the developer's environment or config leak into these runs.
const std::vector<std::string> no_tmdb_env = {
    "TMDB_API_KEY=", "TMDB_READ_TOKEN=", "CINESUB_CONFIG=/nonexistent/cinesub-config.json"};

TEST(ContextCli, ParseNameTextAndJson) {
    if (!fs::exists(cli_path())) GTEST_SKIP() << "cinesub binary not built: " << cli_path();
    auto r = run_cli({"parse-name", "/films/Jaane.Tu.Ya.Jaane.Na.2008.1080p.BluRay.x264-GRP.mkv"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("title:     Jaane Tu Ya Jaane Na\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("year:      2008\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1080p"), std::string::npos) << r.out;
    r = run_cli({"--json", "parse-name", "2.States.2014.Hindi.720p.WEB-DL.mkv"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["title"], "2 States");
    EXPECT_EQ(j["year"], 2014);
    EXPECT_TRUE(j["discarded"].is_array());
}

TEST(ContextCli, PrepareMetadataFileThenRun) {
    if (!fs::exists(cli_path())) GTEST_SKIP() << "cinesub binary not built: " << cli_path();
    CINESUB_SKIP_IF_MISSING(sintel_clip());
    CINESUB_SKIP_IF_MISSING(sintel_reference());
    CINESUB_SKIP_IF_MISSING(silero());
    temp_dir out;

    // A file of the wrong shape fails prepare with one line (exit 15), before any job exists.
    const auto bad = out / "search.json";
    util::write_file_atomic(bad, R"({"page": 1, "results": []})");
    auto args = replay_prepare_args(sintel_clip(), out.path(), sintel_reference(), {"--metadata", bad.string()});
    auto r = run_cli(args, no_tmdb_env);
    expect_error(r, errc::input_corrupt, "not TMDB movie details");
    const auto not_json = out / "notes.txt";
    util::write_file_atomic(not_json, "cast: everyone");
    args = replay_prepare_args(sintel_clip(), out.path(), sintel_reference(), {"--metadata", not_json.string()});
    expect_error(run_cli(args, no_tmdb_env), errc::input_corrupt, "is not JSON");

    const auto job = prepare_job(replay_prepare_args(sintel_clip(), out.path(), sintel_reference(),
                                                     {"--metadata", tmdb_data("movie_14873.json").string()}));
    r = run_cli({"run", job.string()}, no_tmdb_env);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto doc = util::read_json(job / "stages" / "02_metadata" / "metadata.json");
    EXPECT_EQ(doc["source"], "file");
    EXPECT_EQ(doc["film"]["cast"][0]["name"], "Imran Khan");
    const auto jobdoc = util::read_json(job / "job.json");
    EXPECT_EQ(jobdoc["settings"]["metadata.file"]["source"], "flag") << jobdoc.dump(2);

    // Without the file and without credentials: the stage says so once and the run goes on.
    const auto plain = prepare_job(replay_prepare_args(sintel_clip(), out.path()));
    r = run_cli({"run", plain.string()}, no_tmdb_env);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(util::read_json(plain / "stages" / "02_metadata" / "metadata.json")["source"], "none");
    const auto log = util::read_file(plain / "logs" / "pipeline.log");
    std::size_t mentions = 0;
    for (auto pos = log.find("no TMDB credentials"); pos != std::string::npos;
         pos = log.find("no TMDB credentials", pos + 1))
        ++mentions;
    EXPECT_EQ(mentions, 1u) << log;

    // glossary JOB: the names the run used, with how often the transcripts say them.
    r = run_cli({"--json", "glossary", job.string()}, no_tmdb_env);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto g = nlohmann::json::parse(r.out);
    ASSERT_FALSE(g["entries"].empty());
    EXPECT_EQ(g["entries"][0]["term"], "Jai Singh Rathore");
    EXPECT_TRUE(g["entries"][0]["seen"].contains("en")) << g["entries"][0].dump();
    r = run_cli({"glossary", job.string()}, no_tmdb_env);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("Imran Khan"), std::string::npos) << r.out;
    // A user entry is counted in the transcript: as often as the replayed reference says it.
    const auto user = out / "names.tsv";
    util::write_file_atomic(user, "Gatekeepers\n");
    const auto with_user =
        prepare_job(replay_prepare_args(sintel_clip(), out.path(), sintel_reference(),
                                        {"--glossary", user.string(), "--set", "metadata.enabled=false"}));
    ASSERT_EQ(run_cli({"run", with_user.string()}, no_tmdb_env).exit_code, 0);
    const auto g2 = nlohmann::json::parse(run_cli({"--json", "glossary", with_user.string()}).out);
    ASSERT_EQ(g2["entries"].size(), 1u);
    EXPECT_EQ(g2["entries"][0]["seen"]["en"], 1);  // "…the land of the gatekeepers?"
}

TEST(ContextCli, TmdbRunThroughTheBinaryKeepsTheKeyOutOfTheJob) {
    if (!fs::exists(cli_path())) GTEST_SKIP() << "cinesub binary not built: " << cli_path();
    CINESUB_SKIP_IF_MISSING(sintel_clip());
    CINESUB_SKIP_IF_MISSING(sintel_reference());
    CINESUB_SKIP_IF_MISSING(silero());
    const std::string key = "cli-secret-0123456789";
    tmdb_server server(key);
    server.add_film_file(tmdb_data("movie_14873.json"));
    temp_dir out;
    const auto job = prepare_job(replay_prepare_args(
        sintel_clip(), out.path(), sintel_reference(),
        {"--title", "Jaane Tu Ya Jaane Na", "--year", "2008", "--set", "metadata.tmdb_url=" + server.url()}));
    const std::vector<std::string> env{"TMDB_API_KEY=" + key, "XDG_CACHE_HOME=" + (out / "cache").string()};
    auto r = run_cli({"run", job.string()}, env);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(util::read_json(job / "stages" / "02_metadata" / "metadata.json")["source"], "tmdb");
    EXPECT_EQ(server.requests().size(), 2u);
    // A second run reuses the stage; --refresh asks TMDB again (and only the cache is bypassed).
    ASSERT_EQ(run_cli({"run", job.string()}, env).exit_code, 0);
    EXPECT_EQ(server.requests().size(), 2u);
    r = run_cli({"run", job.string(), "--refresh"}, env);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(server.requests().size(), 4u);
    for (const auto& e : fs::recursive_directory_iterator(out.path()))
        if (e.is_regular_file()) {
            EXPECT_EQ(util::read_file(e.path()).find(key), std::string::npos) << e.path();
        }
    EXPECT_EQ(r.err.find(key), std::string::npos);
}

TEST(ContextCli, RomanizeFilterAndBadGlossary) {
    if (!fs::exists(cli_path())) GTEST_SKIP() << "cinesub binary not built: " << cli_path();
    temp_dir dir;
    const auto in = dir / "in.txt";
    util::write_file_atomic(in, "मुसीबत में होमवर्क\nरोहन आया\n");
    const auto glossary = dir / "g.tsv";
    util::write_file_atomic(glossary, "Rohan\tरोहन\n");
    auto r = run_cli({"romanize", "--glossary", glossary.string()}, {}, 0, in);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "musibat mein homework\nRohan aaya\n");
    util::write_file_atomic(glossary, "Rohan\tRohan\n");
    expect_error(run_cli({"romanize", "--glossary", glossary.string()}, {}, 0, in), errc::input_corrupt, "line 1");
}

}  // namespace
}  // namespace cinesub::test
