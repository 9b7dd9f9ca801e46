// eval der through the real binary: the text block and --json, the collar convention in words, the
// one-line errors and exit codes, and the shared reference RTTM against itself.
#include "cli_fixture.hpp"
#include "support.hpp"
#include "util/fs.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace cinesub::test {
namespace {

namespace fs = std::filesystem;

// Reference: A 1–4 s, B 5–9 s (7 s). Hypothesis: A 1–4, B 5–7, A 7–9 → B's 7–9 s confused: 2 of 7.
constexpr const char* eval_ref_rttm =
    "SPEAKER film 1 1.000 3.000 <NA> <NA> A <NA> <NA>\n"
    "SPEAKER film 1 5.000 4.000 <NA> <NA> B <NA> <NA>\n";
constexpr const char* eval_hyp_rttm =
    "SPEAKER film 1 1.000 3.000 <NA> <NA> spk_1 <NA> <NA>\n"
    "SPEAKER film 1 5.000 2.000 <NA> <NA> spk_2 <NA> <NA>\n"
    "SPEAKER film 1 7.000 2.000 <NA> <NA> spk_1 <NA> <NA>\n";

bool eval_has(const std::string& text, const std::string& fragment) { return text.find(fragment) != std::string::npos; }

TEST(EvalCli, DerTextBlock) {
    if (!fs::exists(cli_path())) GTEST_SKIP() << "cinesub binary not built: " << cli_path();
    temp_dir dir;
    util::write_file_atomic(dir / "ref.rttm", eval_ref_rttm);
    util::write_file_atomic(dir / "hyp.rttm", eval_hyp_rttm);

    auto r = run_cli({"eval", "der", (dir / "ref.rttm").string(), (dir / "hyp.rttm").string(), "--collar", "0"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
    EXPECT_TRUE(eval_has(r.out, "DER:           28.57 %  (2.000 s)\n")) << r.out;
    EXPECT_TRUE(eval_has(r.out, "missed:         0.00 %  (0.000 s)\n")) << r.out;
    EXPECT_TRUE(eval_has(r.out, "false alarm:    0.00 %  (0.000 s)\n")) << r.out;
    EXPECT_TRUE(eval_has(r.out, "confusion:     28.57 %  (2.000 s)\n")) << r.out;
    EXPECT_TRUE(eval_has(r.out, "scored:       7.000 s of reference speech")) << r.out;
    EXPECT_TRUE(eval_has(r.out, "speakers:     2 reference, 2 hypothesis\n")) << r.out;
    EXPECT_TRUE(eval_has(r.out, "mapping:      A -> spk_1 (3.000 s together)\n")) << r.out;
    EXPECT_TRUE(eval_has(r.out, "              B -> spk_2 (2.000 s together)\n")) << r.out;
    EXPECT_TRUE(eval_has(r.out, "convention:   no collar, overlap scored\n")) << r.out;

    // The default collar, ±0.25 s around the reference boundaries 1, 4, 5 and 9 (not around 7, a
    // hypothesis boundary): scored A 1.25–3.75 (2.5) + B 5.25–8.75 (3.5) = 6; B→spk_2 (1.75 s) still,
    // B's 7–8.75 confused: 1.75 of 6 → 29.17 %. (No overlap here: --skip-overlap changes nothing.)
    r = run_cli({"eval", "der", (dir / "ref.rttm").string(), (dir / "hyp.rttm").string(), "--skip-overlap"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(eval_has(r.out, "DER:           29.17 %  (1.750 s)\n")) << r.out;
    EXPECT_TRUE(eval_has(r.out, "scored:       6.000 s")) << r.out;
    EXPECT_TRUE(eval_has(r.out, "convention:   collar ±0.25 s around reference boundaries, overlap not scored\n"))
        << r.out;
}

TEST(EvalCli, DerJson) {
    if (!fs::exists(cli_path())) GTEST_SKIP() << "cinesub binary not built: " << cli_path();
    temp_dir dir;
    util::write_file_atomic(dir / "ref.rttm", eval_ref_rttm);
    util::write_file_atomic(dir / "hyp.rttm", eval_hyp_rttm);
    const auto r =
        run_cli({"eval", "der", (dir / "ref.rttm").string(), (dir / "hyp.rttm").string(), "--collar", "0", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_NEAR(j["der"].get<double>(), 2.0 / 7.0, 1e-9);
    EXPECT_NEAR(j["confusion"]["seconds"].get<double>(), 2.0, 1e-9);
    EXPECT_NEAR(j["confusion"]["rate"].get<double>(), 2.0 / 7.0, 1e-9);
    EXPECT_EQ(j["missed"]["seconds"].get<double>(), 0.0);
    EXPECT_EQ(j["false_alarm"]["rate"].get<double>(), 0.0);
    EXPECT_NEAR(j["scored_seconds"].get<double>(), 7.0, 1e-9);
    EXPECT_EQ(j["ref_speakers"], 2);
    EXPECT_EQ(j["hyp_speakers"], 2);
    ASSERT_EQ(j["mapping"].size(), 2u);
    EXPECT_EQ(j["mapping"][0]["ref"], "A");
    EXPECT_EQ(j["mapping"][0]["hyp"], "spk_1");
    EXPECT_EQ(j["mapping"][0]["file_id"], "film");
    EXPECT_EQ(j["collar"].get<double>(), 0.0);
    EXPECT_EQ(j["skip_overlap"], false);
    EXPECT_EQ(j["convention"], "no collar, overlap scored");
}

TEST(EvalCli, DerErrorsAreOneLineWithTheirExitCode) {
    if (!fs::exists(cli_path())) GTEST_SKIP() << "cinesub binary not built: " << cli_path();
    temp_dir dir;
    util::write_file_atomic(dir / "ref.rttm", eval_ref_rttm);
    util::write_file_atomic(dir / "bad.rttm",
                            "SPEAKER film 1 1.000 3.000 <NA> <NA> A <NA> <NA>\nSPEAKER film 1 x 3 <NA> <NA> B\n");
    const auto ref = (dir / "ref.rttm").string();
    expect_error(run_cli({"eval", "der", ref, (dir / "none.rttm").string()}), errc::input_missing, "none.rttm");
    expect_error(run_cli({"eval", "der", ref, (dir / "bad.rttm").string()}), errc::input_corrupt,
                 "bad.rttm line 2: onset 'x'");
    expect_error(run_cli({"eval", "der", (dir / "bad.rttm").string(), ref, "--json"}), errc::input_corrupt,
                 "bad.rttm line 2");
    expect_error(run_cli({"eval", "der", ref, ref, "--collar", "-0.5"}), errc::usage, "collar");
    expect_error(run_cli({"eval", "der", ref}), errc::usage, "hyp");
    expect_error(run_cli({"eval"}), errc::usage, "usage error");
}

TEST(EvalCli, SharedReferenceAgainstItselfIsZero) {
    if (!fs::exists(cli_path())) GTEST_SKIP() << "cinesub binary not built: " << cli_path();
    const auto rttm = testdata("media/diarization/en_pyannote_sample.rttm");
    CINESUB_SKIP_IF_MISSING(rttm);
    auto r = run_cli({"eval", "der", rttm.string(), rttm.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(eval_has(r.out, "DER:            0.00 %  (0.000 s)\n")) << r.out;
    EXPECT_TRUE(eval_has(r.out, "speakers:     2 reference, 2 hypothesis\n")) << r.out;
    EXPECT_TRUE(eval_has(r.out, "speaker90 -> speaker90")) << r.out;
    EXPECT_TRUE(eval_has(r.out, "speaker91 -> speaker91")) << r.out;
    // Collar 0: all 24.35 s of the 10 turns are scored.
    r = run_cli({"--json", "eval", "der", rttm.string(), rttm.string(), "--collar", "0"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["der"].get<double>(), 0.0);
    EXPECT_NEAR(j["scored_seconds"].get<double>(), 24.35, 1e-9);
}

// diarize MEDIA: demux + VAD + speakers without a job or an ASR model; its RTTM scored by eval der.
TEST(EvalCli, DiarizeTheSampleAndScoreIt) {
    if (!fs::exists(cli_path())) GTEST_SKIP() << "cinesub binary not built: " << cli_path();
    const auto wav = testdata("media/diarization/en_pyannote_sample.wav");
    const auto ref = testdata("media/diarization/en_pyannote_sample.rttm");
    const auto vad = testdata("models/ggml-silero-v6.2.0.bin");
    CINESUB_SKIP_IF_MISSING(wav);
    CINESUB_SKIP_IF_MISSING(vad);
    temp_dir dir;
    const auto out = dir / "hyp.rttm";
    auto r = run_cli({"diarize", wav.string(), "-o", out.string(), "--vad-model", vad.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(eval_has(r.out, "2 speaker(s)")) << r.out;
    EXPECT_TRUE(eval_has(util::read_file(out), "SPEAKER en_pyannote_sample 1 ")) << util::read_file(out);
    r = run_cli({"--json", "eval", "der", ref.string(), out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_LE(nlohmann::json::parse(r.out)["der"].get<double>(), 0.15) << r.out;
    expect_error(
        run_cli({"diarize", wav.string(), "--min-speakers", "3", "--max-speakers", "2", "--vad-model", vad.string()}),
        errc::usage, "--min-speakers (3)");
    expect_error(run_cli({"diarize", (dir / "absent.mkv").string(), "--vad-model", vad.string()}), errc::input_missing,
                 "absent.mkv");
    // prepare takes the same two flags (speakers.min_speakers / max_speakers) and the same check.
    expect_error(
        run_cli({"prepare", wav.string(), "--min-speakers", "3", "--max-speakers", "2", "-o", (dir / "out").string()}),
        errc::usage, "--min-speakers (3) is more than --max-speakers (2)");
}

}  // namespace
}  // namespace cinesub::test
