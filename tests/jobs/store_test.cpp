#include "support.hpp"

#include "asr/params.hpp"
#include "cinesub/error.hpp"
#include "cinesub/job.hpp"
#include "jobs/store.hpp"
#include "util/fs.hpp"
#include "vad/vad.hpp"

#include <future>
#include <set>
#include <string>
#include <tuple>

namespace cinesub::jobs {
namespace {

namespace fs = std::filesystem;

using test::temp_dir;

std::chrono::system_clock::time_point day(int y, unsigned m, unsigned d) {
    return std::chrono::sys_days{std::chrono::year{y} / m / d};
}

TEST(JobStore, IdsAreSequentialPerDayAndFoldersFollowTheLayout) {
    temp_dir out;
    auto a = create_job_dir(out.path(), "asha", day(2026, 11, 24));
    auto b = create_job_dir(out.path(), "ravi", day(2026, 11, 24));
    auto c = create_job_dir(out.path(), "asha", day(2026, 11, 25));
    EXPECT_EQ(a.id, "20261124-0001");
    EXPECT_EQ(b.id, "20261124-0002");
    EXPECT_EQ(c.id, "20261125-0001");
    EXPECT_EQ(a.dir, out.path() / "2026" / "11" / "24" / "asha" / "20261124-0001");
    EXPECT_TRUE(fs::is_directory(b.dir));
}

TEST(JobStore, ConcurrentPreparesNeverShareAnId) {
    temp_dir out;
    std::vector<std::future<std::string>> futures;
    for (int i = 0; i < 16; ++i)
        futures.push_back(
            std::async(std::launch::async, [&] { return create_job_dir(out.path(), "u", day(2026, 1, 2)).id; }));
    std::set<std::string> ids;
    for (auto& f : futures) ids.insert(f.get());
    EXPECT_EQ(ids.size(), 16u);
}

TEST(JobStore, FindByIdOrPathAndUnknownJob) {
    temp_dir out;
    auto created = create_job_dir(out.path(), "asha", day(2026, 11, 24));
    job j;
    j.id = created.id;
    j.dir = created.dir;
    j.media = {{"path", "/x.mkv"}};
    j.save();
    EXPECT_EQ(find_job(out.path(), created.id), created.dir);
    EXPECT_EQ(find_job(out.path(), created.dir.string()), created.dir);
    EXPECT_EQ(list_job_dirs(out.path()), std::vector<fs::path>{created.dir});
    for (const std::string& bad : std::vector<std::string>{"20261124-0099", "nonsense", out.path().string()}) {
        try {
            find_job(out.path(), bad);
            FAIL() << bad;
        } catch (const error& e) {
            EXPECT_EQ(e.code(), errc::job_not_found) << bad;
        }
    }
}

TEST(Job, RoundTripKeepsValuesAndSources) {
    temp_dir dir;
    job j;
    j.id = "20261124-0001";
    j.dir = dir.path();
    j.set_media_path("/film.mkv");
    j.set("workflow", "subtitle", setting_source::default_value);
    j.set("asr.threads", 2, setting_source::hardware);
    j.set("range.start", 12.5, setting_source::flag);
    j.save();
    auto k = job::load(dir.path());
    EXPECT_EQ(k.value("workflow")->get<std::string>(), "subtitle");
    EXPECT_EQ(k.value("asr.threads")->get<int>(), 2);
    EXPECT_EQ(k.settings.at("asr.threads").from, setting_source::hardware);
    EXPECT_DOUBLE_EQ(k.value("range.start")->get<double>(), 12.5);
    EXPECT_EQ(k.settings.at("range.start").from, setting_source::flag);
    auto raw = util::read_json(dir.path() / "job.json");
    EXPECT_EQ(raw["settings"]["asr.threads"]["source"], "hardware");
    EXPECT_EQ(raw["schema"], job_schema);
}

TEST(Job, NewerSchemaAndMalformedJobAreRefused) {
    temp_dir dir;
    util::write_json_atomic(dir / "job.json",
                            {{"schema", job_schema + 1}, {"id", "x"}, {"media", {}}, {"settings", {}}});
    try {
        job::load(dir.path());
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::job_schema_newer);
    }
    util::write_json_atomic(dir / "job.json", {{"schema", 1}});
    try {
        job::load(dir.path());
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::job_invalid);
    }
}

TEST(Job, HandEditedBareValueIsAUserSetting) {
    temp_dir dir;
    util::write_json_atomic(
        dir / "job.json",
        {{"schema", 1}, {"id", "x"}, {"media", {{"path", "/a"}}}, {"settings", {{"vad.threshold", 0.3}}}});
    auto j = job::load(dir.path());
    EXPECT_DOUBLE_EQ(j.value("vad.threshold")->get<double>(), 0.3);
    EXPECT_EQ(j.settings.at("vad.threshold").from, setting_source::user);
    EXPECT_FLOAT_EQ(settings::read<vad::params>(j.settings).threshold, 0.3f);
    j.settings.at("vad.threshold").value = "high";  // the wrong type: refused when read
    try {
        settings::read<vad::params>(j.settings);
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::job_invalid);
    }
}

}  // namespace
// Schema 2 jobs had asr.dtw: a chosen value keeps its meaning as asr.word_times, a default one
// takes today's default (the setting is left out, so the schema's default applies).
TEST(Job, SchemaTwoDtwSwitchBecomesWordTimes) {
    for (const auto& [value, source, expect] : std::vector<std::tuple<bool, std::string, std::string>>{
             {true, "user", "dtw"}, {false, "flag", "tokens"}, {true, "default", ""}}) {
        temp_dir dir;
        util::write_json_atomic(dir / "job.json",
                                {{"schema", 2},
                                 {"id", "x"},
                                 {"media", {{"path", "/a"}}},
                                 {"settings", {{"asr.dtw", {{"value", value}, {"source", source}}}}}});
        const auto j = job::load(dir.path());
        EXPECT_FALSE(j.has("asr.dtw"));
        if (expect.empty()) {
            EXPECT_FALSE(j.has("asr.word_times"));
            EXPECT_EQ(settings::read<asr::params>(j.settings).word_times, asr::word_time_method::tokens);
        } else {
            ASSERT_TRUE(j.has("asr.word_times")) << source;
            EXPECT_EQ(j.value("asr.word_times")->get<std::string>(), expect);
            EXPECT_EQ(setting_source_name(j.settings.at("asr.word_times").from), source);
        }
    }
}

}  // namespace cinesub::jobs
