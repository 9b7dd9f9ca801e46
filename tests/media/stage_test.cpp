// The demux and mux stages through the stage interface (what `cinesub run` calls).
#include "pipeline/stage.hpp"
#include "asr/wav.hpp"
#include "media/libav.hpp"
#include "media_test_util.hpp"
#include "stages/stages.hpp"
#include "util/fs.hpp"
#include "util/log.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cinesub::test {
namespace {

jobs::job make_job(const fs::path& dir, const fs::path& media) {
    jobs::job j;
    j.id = "20261124-0001";
    j.dir = dir;
    j.media = {{"path", media.string()}};
    j.set("title", "Sintel: the \"trailer\"/cut", jobs::source::flag);
    return j;
}

std::vector<fs::path> run_stage(pipeline::stage& s, const jobs::job& j) {
    const auto folder = j.stage_dir(pipeline::stage_folder(s.name()));
    fs::create_directories(folder);
    fs::create_directories(j.logs_dir());
    util::progress p(std::string(s.name()), false);
    pipeline::stage_context ctx(j, folder,
                                util::make_file_logger(std::string(s.name()) + "-test", j.logs_dir() / "stage.log"), p,
                                std::chrono::steady_clock::now() + std::chrono::hours(1));
    return s.run(ctx);
}

TEST(MediaStages, DemuxWritesAudioAndMediaJson) {
    CINESUB_SKIP_IF_MISSING(sintel());
    temp_dir dir;
    auto job = make_job(dir.path(), sintel());
    job.set("range.start", 12.0, jobs::source::flag);
    job.set("range.end", 15.0, jobs::source::flag);
    auto stage = stages::make_demux_stage();
    EXPECT_EQ(stage->name(), "demux");
    EXPECT_TRUE(stage->critical());
    ASSERT_EQ(stage->inputs(job).size(), 1u);
    EXPECT_EQ(stage->settings(job)["range.end"], 15.0);
    const auto files = run_stage(*stage, job);
    ASSERT_EQ(files.size(), 2u);
    const auto wav = pipeline::stage_output(job, "demux", "audio.wav");
    EXPECT_EQ(asr::read_wav_16k_mono(wav).size(), 48000u);
    const auto facts = util::read_json(pipeline::stage_output(job, "demux", "media.json"));
    EXPECT_EQ(facts["audio"]["samples"], 48000);
    EXPECT_EQ(facts["range"]["start"], 12.0);
    EXPECT_GT(facts["fps"].get<double>(), 20.0);
    EXPECT_EQ(facts["audio_source"]["codec"], "vorbis");
    EXPECT_TRUE(leftover_temporaries(dir.path()).empty());
}

TEST(MediaStages, MuxReadsTracksJsonAndNamesOutput) {
    CINESUB_SKIP_IF_MISSING(sintel());
    temp_dir dir;
    auto job = make_job(dir.path(), sintel());
    job.set("range.start", 10.0, jobs::source::flag);
    job.set("range.end", 25.0, jobs::source::flag);
    job.set("asr.synthetic", true, jobs::source::default_value);
    const auto subs_dir = job.stage_dir(pipeline::stage_folder("subtitles"));
    fs::create_directories(subs_dir);
    std::ofstream(subs_dir / "Sintel.en.srt") << "1\n00:00:02,000 --> 00:00:05,000\nWhat brings you here?\n";
    std::ofstream(subs_dir / "Sintel.hi.srt") << "1\n00:00:02,000 --> 00:00:05,000\nआप यहाँ क्यों आए?\n";
    util::write_json_atomic(
        subs_dir / "tracks.json",
        {{"tracks",
          {{{"file", "Sintel.hi.srt"}, {"language", "hi"}, {"title", "Hindi"}, {"default", true}},
           {{"file", "Sintel.en.srt"}, {"language", "en"}, {"title", "English"}, {"default", false}}}}});
    auto stage = stages::make_mux_stage();
    EXPECT_EQ(stage->defaults()["mux.format"], "mkv");
    EXPECT_EQ(stage->inputs(job).size(), 4u);  // media, tracks.json, two subtitle files
    const auto files = run_stage(*stage, job);
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].filename().string(), "Sintel_ the _trailer__cut.SYNTHETIC.subtitled.mkv");
    auto ctx = media::detail::open_input(files[0]);
    ASSERT_EQ(ctx->nb_streams, 4u);
    auto* lang = av_dict_get(ctx->streams[2]->metadata, "language", nullptr, 0);
    ASSERT_TRUE(lang);
    EXPECT_STREQ(lang->value, "hin");
    EXPECT_TRUE(ctx->streams[2]->disposition & AV_DISPOSITION_DEFAULT);
    EXPECT_TRUE(leftover_temporaries(dir.path()).empty());
}

}  // namespace
}  // namespace cinesub::test
