// The review page's model (src/review/): the page composition, the validation of edits, saves as
// revisions (src/jobs/revisions.cpp), the mux stage muxing the reviewed files, and `report --html`.
// The server and the page itself are tested in a real browser by tests/review/browser_test.sh.
#include "cinesub/review.hpp"
#include "cinesub/error.hpp"
#include "cli_fixture.hpp"
#include "jobs/revisions.hpp"
#include "media_fixtures.hpp"
#include "review/review.hpp"
#include "subtitles/readers.hpp"
#include "support.hpp"
#include "util/fs.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace cinesub {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::run_cli;

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The usage error's message, or "" when `f` does not throw one.
template <class F>
std::string usage_error(F&& f) {
    try {
        f();
    } catch (const error& e) {
        return e.code() == errc::usage ? std::string(e.what()) : "wrong code: " + std::string(e.what());
    }
    return {};
}

json page_cue_json(double start, double end, const std::vector<std::string>& lines) {
    return {{"start", start}, {"end", end}, {"lines", lines}};
}

TEST(ReviewPage, ComposePutsAssetsAndBootInTheirMarkers) {
    const json boot{{"doc", {{"title", "</script><script>alert(1)</script> <!-- x"}}}};
    const auto page = review::compose_page(boot);
    for (const auto* marker : {"/*CINESUB_CSS*/", "/*CINESUB_BOOT*/", "/*CINESUB_JS*/"})
        EXPECT_EQ(page.find(marker), std::string::npos) << marker << " left in the page";
    EXPECT_NE(page.find("window.CINESUB_BOOT = "), std::string::npos);
    // The title cannot end the script element or open a comment: every '<' of the JSON is \u003c.
    EXPECT_EQ(page.find("</script><script>alert"), std::string::npos);
    EXPECT_EQ(page.find("<!-- x"), std::string::npos);
    EXPECT_NE(page.find("\\u003c/script>\\u003cscript>alert(1)\\u003c/script> \\u003c!-- x"), std::string::npos);
    // One document, offline: no external script or stylesheet.
    EXPECT_EQ(page.find("<script src=\"http"), std::string::npos);
    EXPECT_EQ(page.find("<link rel=\"stylesheet\" href=\"http"), std::string::npos);
    EXPECT_NE(page.find("Noto Sans Devanagari"), std::string::npos) << "the page names a Devanagari font";
}

TEST(ReviewPage, CueFromPageKeepsWhatIsValid) {
    json j = page_cue_json(1.5, 3.25, {"नमस्ते दोस्तों", "second line"});
    j["speaker"] = "SPEAKER_01";
    j["song"] = true;
    j["words"] = json::array({{{"text", "नमस्ते"}, {"start", 1.5}, {"end", 2.0}, {"p", 0.4}}});
    const auto c = review::cue_from_page(j, 1, 100);
    EXPECT_DOUBLE_EQ(c.start, 1.5);
    EXPECT_DOUBLE_EQ(c.end, 3.25);
    ASSERT_EQ(c.lines.size(), 2u);
    EXPECT_EQ(c.lines[0], "नमस्ते दोस्तों");
    EXPECT_EQ(c.speaker, "SPEAKER_01");
    EXPECT_TRUE(c.song);
    ASSERT_EQ(c.words.size(), 1u);
    EXPECT_FLOAT_EQ(c.words[0].probability, 0.4f);
}

TEST(ReviewPage, CueFromPageRefusesBadEdits) {
    EXPECT_NE(usage_error([] { review::cue_from_page(page_cue_json(2, 1, {"x"}), 3, 100); }).find("cue 3: end"),
              std::string::npos);
    EXPECT_NE(usage_error([] { review::cue_from_page(page_cue_json(1, 1, {"x"}), 1, 100); }), "");
    EXPECT_NE(usage_error([] { review::cue_from_page(page_cue_json(-1, 1, {"x"}), 1, 100); }), "");
    EXPECT_NE(usage_error([] { review::cue_from_page(page_cue_json(1, 200, {"x"}), 1, 100); }).find("past the end"),
              std::string::npos);
    EXPECT_NE(usage_error([] {
                  review::cue_from_page(json{{"start", "1"}, {"end", 2}, {"lines", {"x"}}}, 1, 100);
              }),
              "");
    EXPECT_NE(usage_error([] { review::cue_from_page(json{{"start", 1}, {"end", 2}}, 1, 100); }), "");
    EXPECT_NE(usage_error([] { review::cue_from_page(json::array(), 1, 100); }), "");
    // Invalid UTF-8 (json keeps the bytes of a string it is given) and control characters.
    EXPECT_NE(usage_error([] { review::cue_from_page(page_cue_json(1, 2, {std::string("bad \xC3\x28")}), 1, 100); }),
              "");
    EXPECT_NE(usage_error([] { review::cue_from_page(page_cue_json(1, 2, {std::string("bell \x07")}), 1, 100); }), "");
    // Sizes.
    EXPECT_NE(usage_error([] { review::cue_from_page(page_cue_json(1, 2, std::vector<std::string>(9, "x")), 1, 100); }),
              "");
    EXPECT_NE(usage_error([] { review::cue_from_page(page_cue_json(1, 2, {std::string(501, 'x')}), 1, 100); }), "");
    EXPECT_EQ(usage_error([] { review::cue_from_page(page_cue_json(1, 2, {std::string(500, 'x')}), 1, 100); }), "");
}

// One Sintel replay job (English transcribe, every format), run to the end, per test process.
class ReviewJob : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (!fs::exists(test::sintel_clip()) || !fs::exists(test::silero())) return;
        root_ = std::make_unique<test::temp_dir>();
        job_ = test::prepare_job(test::replay_prepare_args(test::sintel_clip(), root_->path() / "out"));
        if (job_.empty()) return;
        const auto r = run_cli({"run", job_.string()});
        run_ok_ = r.exit_code == 0;
        run_err_ = r.err;
    }
    static void TearDownTestSuite() { root_.reset(); }

    void SetUp() override {
        CINESUB_SKIP_IF_MISSING(test::sintel_clip());
        CINESUB_SKIP_IF_MISSING(test::silero());
        ASSERT_FALSE(job_.empty());
        ASSERT_TRUE(run_ok_) << run_err_;
    }

    // The muxed film's first subtitle stream, as SRT (ffmpeg CLI).
    static std::string muxed_srt() {
        fs::path mkv;
        for (const auto& e : fs::recursive_directory_iterator(job_))
            if (e.path().string().ends_with(".subtitled.mkv")) mkv = e.path();
        EXPECT_FALSE(mkv.empty());
        const auto srt = root_->path() / "muxed.srt";
        EXPECT_TRUE(test::ffmpeg("-i '" + mkv.string() + "' -map 0:s:0 -c copy -f srt '" + srt.string() + "'"));
        return slurp(srt);
    }

    // The log of the stage's last run (JOB/logs/NN_<stage>.log).
    static std::string stage_log(const std::string& stage) {
        for (const auto& e : fs::directory_iterator(job_ / "logs"))
            if (e.path().filename().string().ends_with("_" + stage + ".log")) return slurp(e.path());
        ADD_FAILURE() << "no log of " << stage;
        return {};
    }

    static std::unique_ptr<test::temp_dir> root_;
    static fs::path job_;
    static bool run_ok_;
    static std::string run_err_;
};

std::unique_ptr<test::temp_dir> ReviewJob::root_;
fs::path ReviewJob::job_;
bool ReviewJob::run_ok_ = false;
std::string ReviewJob::run_err_;

TEST_F(ReviewJob, DocumentHasTracksCuesAndTimeline) {
    const auto doc = review_document(job_, "/media");
    EXPECT_EQ(doc["media"]["url"], "/media");
    ASSERT_EQ(doc["tracks"].size(), 1u);
    EXPECT_EQ(doc["tracks"][0]["lang"], "en");
    EXPECT_GE(doc["tracks"][0]["cues"].size(), 3u);
    EXPECT_EQ(doc["revision"], 0);
    // The waveform covers the clip: 20 peaks a second of the 27 s clip.
    EXPECT_NEAR(static_cast<double>(doc["waveform"]["peaks"].size()), 27 * 20, 20);
    EXPECT_TRUE(doc.contains("speech"));
    EXPECT_TRUE(doc.contains("speakers"));
    EXPECT_TRUE(doc.contains("songs"));
}

TEST_F(ReviewJob, SaveWritesARevisionAndMuxUsesIt) {
    const auto view = review::load_view(job_);
    const auto* en = view.find("en");
    ASSERT_NE(en, nullptr);
    const auto stage_srt_before = slurp(en->stage_file);
    auto cues = review::current_cues(view, *en, jobs::read_review_state(job_));
    ASSERT_FALSE(cues.empty());
    cues[0].lines = {"Edited in review: a line far too long to fit in forty-two characters"};

    const auto saved = review::save_revision(view, 0, {{en, cues}});
    EXPECT_EQ(saved["revision"], 1);
    // Every format of the job, plus JSON, under review/revisions/001; the stage's file untouched.
    const auto dir = jobs::revision_dir(job_, 1);
    for (const auto* ext : {".srt", ".vtt", ".ass", ".json", ".ttml"}) {
        bool found = false;
        for (const auto& e : fs::directory_iterator(dir)) found = found || e.path().extension() == ext;
        EXPECT_TRUE(found) << ext << " missing in " << dir;
    }
    EXPECT_EQ(slurp(en->stage_file), stage_srt_before);
    // The style check re-ran on the edit: the over-long line is a cpl violation of cue 1.
    bool cpl = false;
    for (const auto& v : saved["tracks"][0]["violations"]) cpl = cpl || v.value("rule", "") == "cpl";
    EXPECT_TRUE(cpl) << saved.dump();

    const auto state = jobs::read_review_state(job_);
    EXPECT_EQ(state.revision, 1);
    const auto* r = state.find("en");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->base_sha256, util::sha256_file(en->stage_file));
    const auto reviewed = subs::read_cues_strict(job_ / r->file);
    ASSERT_FALSE(reviewed.cues.empty());
    EXPECT_EQ(reviewed.cues[0].lines.at(0), cues[0].lines[0]);

    // A second page still on revision 0 cannot overwrite revision 1.
    EXPECT_THROW(review::save_revision(view, 0, {{en, cues}}), review::revision_conflict);

    // The page starts from the revision now.
    EXPECT_EQ(review::current_cues(view, *en, state).at(0).lines.at(0), cues[0].lines[0]);

    // run again: the mux stage sees the review (an input) and muxes the reviewed SRT.
    if (!test::have_ffmpeg_cli()) GTEST_SKIP() << "no ffmpeg CLI to read the muxed subtitles back";
    EXPECT_EQ(muxed_srt().find("Edited in review"), std::string::npos);
    const auto again = run_cli({"--json", "run", job_.string()});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    const auto report = json::parse(again.out);
    for (const auto& s : report["stages"]) EXPECT_EQ(s["state"], s["name"] == "mux" ? "ran" : "reused") << s.dump();
    EXPECT_NE(muxed_srt().find("Edited in review"), std::string::npos);
    EXPECT_NE(stage_log("mux").find("en from review revision 1"), std::string::npos);

    // A forced re-run of the subtitles stage keeps the edit (a warning says so) and mux keeps muxing it.
    const auto rerun = run_cli({"run", job_.string(), "--from", "subtitles"});
    ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
    EXPECT_NE(stage_log("subtitles").find("has reviewed edits (revision 1"), std::string::npos);
    EXPECT_NE(muxed_srt().find("Edited in review"), std::string::npos);
    EXPECT_EQ(jobs::read_review_state(job_).revision, 1);
}

TEST_F(ReviewJob, StaleBaseShaWarnsAtMux) {
    const auto view = review::load_view(job_);
    const auto* en = view.find("en");
    ASSERT_NE(en, nullptr);
    review::save_revision(view, 0, {{en, review::current_cues(view, *en, {})}});
    auto state = jobs::read_review_state(job_);
    state.tracks.at(0).base_sha256 = std::string(64, '0');  // as if the stage's SRT changed after the edit
    jobs::write_review_state(job_, state);
    const auto r = run_cli({"run", job_.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(stage_log("mux").find("re-ran since review revision 1"), std::string::npos);
}

TEST_F(ReviewJob, BadReviewStateIsOneClearError) {
    fs::create_directories(jobs::review_dir(job_));
    util::write_json_atomic(
        jobs::review_dir(job_) / "current.json",
        json{{"schema", 1},
             {"revision", 1},
             {"tracks",
              json::array(
                  {{{"language", "en"}, {"file", "../../etc/passwd"}, {"json", "review/x.json"}, {"revision", 1}}})}});
    EXPECT_THROW(jobs::read_review_state(job_), error);
    const auto r = run_cli({"run", job_.string(), "--from", "mux"});
    test::expect_error(r, errc::stage_failed, "outside the job folder");
}

TEST_F(ReviewJob, ReportHtmlIsOneSelfContainedFile) {
    const auto out = root_->path() / "report.html";
    const auto r = run_cli({"report", job_.string(), "--html", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto html = slurp(out);
    EXPECT_NE(html.find("<!doctype html>"), std::string::npos);
    EXPECT_NE(html.find("window.CINESUB_BOOT"), std::string::npos);
    // The cues are inside (the first reference line of the Sintel clip) and nothing is fetched.
    EXPECT_NE(html.find("\"lang\":\"en\""), std::string::npos);
    EXPECT_EQ(html.find("src=\"http"), std::string::npos);
    EXPECT_TRUE(test::leftover_temporaries(root_->path()).empty());
    // A folder that is not a job: one line, non-zero.
    const auto bad = run_cli({"report", (root_->path() / "nope").string(), "--html", out.string()});
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_EQ(test::line_count(bad.err), 1) << bad.err;
}

}  // namespace
}  // namespace cinesub
