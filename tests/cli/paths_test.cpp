// Any file name: a Latin-1 / cp1252 name (old Windows shares, some rips), a name with a newline,
// and a very long path go through prepare, job.json (losslessly) and the whole run.
#include "cinesub/job.hpp"
#include "cli_fixture.hpp"
#include "support.hpp"
#include "util/fs.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cinesub::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A copy of the Sintel clip at `dir/name` and a full run of a replay job on it; returns the job folder.
fs::path run_on(const fs::path& media) {
    fs::create_directories(media.parent_path());
    fs::copy_file(sintel_clip(), media, fs::copy_options::overwrite_existing);
    const auto out = media.parent_path() / "out";
    // No TMDB look-up: its one-line notice (no credentials here) would be the only stderr line.
    const auto job =
        prepare_job(replay_prepare_args(media, out, sintel_reference(), {"--set", "metadata.enabled=false"}));
    if (job.empty()) return {};
    const auto r = run_cli({"-q", "run", job.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(line_count(r.err), 0) << r.err;
    return job;
}

// job.json keeps the media path byte for byte; the stages found it (demux read it, mux wrote a video).
void expect_round_trip(const fs::path& job, const fs::path& media) {
    const auto loaded = cinesub::job::load(job);
    EXPECT_EQ(loaded.media_path().native(), media.native());
    const auto st = run_cli({"--json", "status", job.string()});
    ASSERT_EQ(st.exit_code, 0) << st.err;
    const auto status = json::parse(st.out);
    EXPECT_EQ(status["done"], status["total"]) << st.out;
    bool video = false;
    for (const auto& e : fs::directory_iterator(job / "stages" / "10_mux"))
        video = video || e.path().extension() == ".mkv";
    EXPECT_TRUE(video);
    EXPECT_TRUE(leftover_temporaries(job).empty());
}

TEST(AnyFileName, Latin1NameRoundTripsAndRuns) {
    CINESUB_SKIP_IF_MISSING(sintel_clip());
    CINESUB_SKIP_IF_MISSING(silero());
    temp_dir dir;
    const fs::path media = dir / "Jaane.Tu.caf\xe9_\xff\xfe.webm";  // Latin-1 é, ÿ, þ: not UTF-8
    const auto job = run_on(media);
    ASSERT_FALSE(job.empty());
    expect_round_trip(job, media);
    const auto doc = util::read_json(job / "job.json");
    // A readable display form beside the exact bytes (hex).
    EXPECT_NE(doc["media"]["path"].get<std::string>().find("caf\xc3\xa9_\xc3\xbf\xc3\xbe.webm"), std::string::npos)
        << doc["media"].dump();
    EXPECT_TRUE(doc["media"].contains("path_bytes"));
    // The title comes from the display form, so every output name is valid UTF-8.
    EXPECT_EQ(doc["settings"]["title"]["value"], "Jaane.Tu.caf\xc3\xa9_\xc3\xbf\xc3\xbe");
    EXPECT_TRUE(fs::exists(job / "stages" / "09_subtitles" / "Jaane.Tu.caf\xc3\xa9_\xc3\xbf\xc3\xbe.en.srt"));
}

TEST(AnyFileName, NewlineInTheNameRunsAndErrorsStayOnOneLine) {
    CINESUB_SKIP_IF_MISSING(sintel_clip());
    CINESUB_SKIP_IF_MISSING(silero());
    temp_dir dir;
    const fs::path media = dir / "two\nlines.webm";
    const auto job = run_on(media);
    ASSERT_FALSE(job.empty());
    expect_round_trip(job, media);
    // An error naming such a file is still one line.
    const auto missing = run_cli(replay_prepare_args(dir / "gone\nfilm.webm", dir / "out"));
    expect_error(missing, errc::input_missing, "gone\\nfilm.webm");
}

TEST(AnyFileName, VeryLongPathRuns) {
    CINESUB_SKIP_IF_MISSING(sintel_clip());
    CINESUB_SKIP_IF_MISSING(silero());
    temp_dir dir;
    fs::path deep = dir.path();
    for (int i = 0; i < 12; ++i) deep /= std::string(200, static_cast<char>('a' + i));  // > 2400 bytes
    const fs::path media = deep / (std::string(240, 'f') + ".webm");                    // a 245-byte file name
    ASSERT_GT(media.native().size(), 2600u);
    const auto job = run_on(media);
    ASSERT_FALSE(job.empty());
    expect_round_trip(job, media);
}

}  // namespace
}  // namespace cinesub::test
