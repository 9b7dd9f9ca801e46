// The settings schema through the CLI: `prepare --set` and hand edits of job.json are validated
// (unknown key with the nearest valid ones, wrong type, out of range), `cinesub settings` lists
// every setting, README's settings section is its output, --help defaults come from the schema, and
// a job.json written by cinesub 0.1.0 (schema 1) still loads and runs.
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

struct settings_cli : ::testing::Test {
    temp_dir out;
    void SetUp() override {
        CINESUB_SKIP_IF_MISSING(sintel_clip());
        CINESUB_SKIP_IF_MISSING(silero());
    }
    run_result prepare_with(const std::vector<std::string>& extra) {
        return run_cli(replay_prepare_args(sintel_clip(), out.path(), sintel_reference(), extra));
    }
    std::size_t job_count() {
        return json::parse(run_cli({"jobs", "--out", out.path().string(), "--json"}).out).size();
    }
};

TEST_F(settings_cli, UnknownKeyIsAUsageErrorNamingTheNearestKey) {
    expect_error(prepare_with({"--set", "vad.treshold=0.4"}), errc::usage, "did you mean vad.threshold?");
    expect_error(prepare_with({"--set", "treshold=0.4"}), errc::usage, "vad.threshold");
    expect_error(prepare_with({"--set", "subtitles.maxcpl=30"}), errc::usage, "subtitles.max_cpl");
    EXPECT_EQ(job_count(), 0u);  // nothing was created
}

TEST_F(settings_cli, WrongTypeOrRangeNamesKeyValueAndWhatIsAllowed) {
    auto r = prepare_with({"--set", "vad.threshold=2"});
    expect_error(r, errc::usage, "vad.threshold = 2");
    EXPECT_NE(r.err.find("0–1"), std::string::npos) << r.err;
    r = prepare_with({"--set", "asr.beam_size=wide"});
    expect_error(r, errc::usage, "asr.beam_size = \"wide\"");
    EXPECT_NE(r.err.find("integer 0–8"), std::string::npos) << r.err;
    expect_error(prepare_with({"--set", "mux.format=avi"}), errc::usage, "one of mkv, mp4");
    expect_error(prepare_with({"--set", R"(subtitles.formats=["srt","sub"])"}), errc::usage, "subtitles.formats");
    expect_error(prepare_with({"--set", "subtitles.formats=[]"}), errc::usage, "at least one format");
    expect_error(prepare_with({"--source-lang", "Hindi"}), errc::usage, "--source-lang");
    expect_error(prepare_with({"--target-lang", "de"}), errc::usage, "one of en");
    EXPECT_EQ(job_count(), 0u);
}

TEST_F(settings_cli, GoodOverridesLandWithTheirSource) {
    const auto job = prepare_job(replay_prepare_args(sintel_clip(), out.path(), sintel_reference(),
                                                     {"--set", "vad.threshold=0.4", "--set", "subtitles.max_cpl=37"}));
    ASSERT_FALSE(job.empty());
    const auto s = util::read_json(job / "job.json")["settings"];
    EXPECT_EQ(s["vad.threshold"]["value"], 0.4);
    EXPECT_EQ(s["vad.threshold"]["source"], "flag");
    EXPECT_EQ(s["subtitles.max_cpl"]["value"], 37);
    EXPECT_TRUE(s["subtitles.max_lines"]["value"].is_null());  // unset: the profile's value
    EXPECT_EQ(s["timeout.asr"]["source"], "default");
}

TEST_F(settings_cli, HandEditsAreCheckedBeforeAnyStageRuns) {
    const auto job = prepare_job(replay_prepare_args(sintel_clip(), out.path()));
    ASSERT_FALSE(job.empty());
    const auto original = util::read_json(job / "job.json");

    auto edited = original;
    edited["settings"]["vad.treshold"] = 0.3;  // a typo, as a bare value
    util::write_json_atomic(job / "job.json", edited);
    expect_error(run_cli({"run", job.string()}), errc::job_invalid, "did you mean vad.threshold?");
    expect_error(run_cli({"status", job.string()}), errc::job_invalid, "vad.treshold");

    edited = original;
    edited["settings"]["subtitles.max_cps"]["value"] = "fast";
    util::write_json_atomic(job / "job.json", edited);
    const auto r = run_cli({"run", job.string()});
    expect_error(r, errc::job_invalid, "subtitles.max_cps = \"fast\"");
    EXPECT_FALSE(fs::exists(job / "stages" / "01_demux")) << "a stage ran before the settings were checked";

    util::write_json_atomic(job / "job.json", original);
    EXPECT_EQ(run_cli({"-q", "run", job.string()}).exit_code, 0);
}

TEST_F(settings_cli, JobJsonFromCinesub010StillLoadsAndRuns) {
    // job.json as cinesub 0.1.0 wrote it: schema 1, hardware reasons among the settings, the replay
    // engine as "replay:FILE", no path_bytes.
    const auto dir = out / "2026" / "11" / "24" / "tester" / "20261124-0001";
    fs::create_directories(dir / "logs");
    json settings = json::object();
    auto put = [&](const std::string& k, json v, const char* source = "default") {
        settings[k] = {{"value", std::move(v)}, {"source", source}};
    };
    put("workflow", "transcribe", "flag");
    put("source_lang", "en", "flag");
    put("target_lang", "en");
    put("title", "Sintel");
    put("year", nullptr);
    put("vad.model", silero().string(), "flag");
    put("vad.threshold", 0.5);
    put("asr.engine", "replay:" + sintel_reference().string(), "flag");
    put("asr.workers", 1, "hardware");
    put("asr.threads", 2, "hardware");
    put("asr.model", "");
    put("hardware.reasons", json::array({"2 usable physical cores"}), "hardware");
    put("subtitles.formats", json::array({"srt", "vtt", "ass", "json"}));
    put("subtitles.max_cpl", nullptr);
    put("mux.format", "mkv");
    util::write_json_atomic(dir / "job.json", {{"schema", 1},
                                               {"id", "20261124-0001"},
                                               {"created", "2026-11-24T10:00:00Z"},
                                               {"media", {{"path", sintel_clip().string()}}},
                                               {"settings", settings}});
    const auto r = run_cli({"-q", "run", dir.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(dir / "stages" / "09_subtitles" / "Sintel.en.srt"));
    const auto j = cinesub::job::load(dir);
    EXPECT_EQ(j.value("asr.engine")->get<std::string>(), "replay");
    EXPECT_EQ(j.value("asr.replay")->get<std::string>(), sintel_reference().string());
    EXPECT_FALSE(j.has("hardware.reasons"));
    EXPECT_EQ(j.hardware["reasons"][0], "2 usable physical cores");
}

TEST(SettingsCommand, ListsEverySettingWithDefaultRangeAndStage) {
    const auto r = run_cli({"settings", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto list = json::parse(r.out);
    auto find = [&](const std::string& key) {
        for (const auto& s : list)
            if (s["key"] == key) return s;
        return json();
    };
    const auto t = find("vad.threshold");
    ASSERT_FALSE(t.is_null());
    EXPECT_EQ(t["default"], 0.5);  // vad::params{}.threshold
    EXPECT_EQ(t["min"], 0);
    EXPECT_EQ(t["max"], 1);
    EXPECT_EQ(t["read_by"], json::array({"vad"}));
    EXPECT_EQ(t["reruns"], json::array({"vad"}));
    const auto workers = find("asr.workers");
    EXPECT_EQ(workers["reruns"], json::array({"vad"}));  // not asr: parallel decoding = sequential
    const auto model = find("asr.model");
    EXPECT_EQ(model["kind"], "path");
    EXPECT_EQ(model["reruns"], json::array({"asr"}));  // the file is an input
    EXPECT_EQ(find("mux.format")["choices"], json::array({"mkv", "mp4"}));
    EXPECT_EQ(find("title")["read_by"], json::array({"metadata", "subtitles", "mux"}));
    EXPECT_EQ(find("timeout.asr")["read_by"], json::array({"run"}));
    for (const auto& s : list) EXPECT_FALSE(s["description"].get<std::string>().empty()) << s["key"];

    const auto vad = json::parse(run_cli({"settings", "vad", "--json"}).out);
    for (const auto& s : vad) EXPECT_NE(std::find(s["read_by"].begin(), s["read_by"].end(), "vad"), s["read_by"].end());
    EXPECT_LT(vad.size(), list.size());
    expect_error(run_cli({"settings", "nonsense"}), errc::usage, "nonsense");
}

TEST(SettingsCommand, ReadmeSettingsSectionIsTheGeneratedTable) {
    const auto readme = util::read_file(fs::path(CINESUB_SOURCE_DIR) / "README.md");
    const std::string begin = "<!-- settings:begin (generated by `cinesub settings --markdown`) -->\n";
    const std::string end = "<!-- settings:end -->";
    const auto a = readme.find(begin);
    const auto b = readme.find(end);
    ASSERT_NE(a, std::string::npos) << "README.md has no settings section";
    ASSERT_NE(b, std::string::npos);
    const auto r = run_cli({"settings", "--markdown"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(readme.substr(a + begin.size(), b - a - begin.size()), r.out)
        << "README's settings table is stale: run `make readme-settings`";
}

TEST(SettingsCommand, HelpDefaultsComeFromTheSchema) {
    const auto settings = json::parse(run_cli({"settings", "--json"}).out);
    std::string source_lang, workflow;
    for (const auto& s : settings) {
        if (s["key"] == "source_lang") source_lang = s["default"].get<std::string>();
        if (s["key"] == "workflow") workflow = s["default"].get<std::string>();
    }
    const auto help = run_cli({"prepare", "--help"});
    ASSERT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("[default: " + source_lang + "]"), std::string::npos) << help.out;
    EXPECT_NE(help.out.find("[default: " + workflow + "]"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace cinesub::test
