// The demux and mux stages through the stage interface (what `cinesub run` calls).
#include "asr/wav.hpp"
#include "media/libav.hpp"
#include "media_fixtures.hpp"
#include "pipeline/stage.hpp"
#include "stage_fixture.hpp"
#include "stages/artefacts.hpp"
#include "stages/stages.hpp"
#include "util/fs.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cinesub::test {
namespace {

namespace fs = std::filesystem;

struct media_job : stage_fixture {
    explicit media_job(const fs::path& media) : stage_fixture(media) { set("title", "Sintel: the \"trailer\"/cut"); }
};

TEST(MediaStages, DemuxWritesAudioAndMediaJson) {
    CINESUB_SKIP_IF_MISSING(sintel());
    media_job f(sintel());
    f.set("range.start", 12.0);
    f.set("range.end", 15.0);
    auto stage = stages::make_demux_stage();
    EXPECT_EQ(stage->name(), "demux");
    EXPECT_TRUE(stage->critical());
    ASSERT_EQ(stage->inputs(f.job).size(), 1u);
    EXPECT_EQ(pipeline::stage_settings(*stage, f.job)["range.end"], 15.0);
    const auto files = f.run(*stage);
    ASSERT_EQ(files.size(), 3u);  // audio.wav, media.json and, the trailer being stereo, levels.f32
    EXPECT_EQ(files[2], f.path(stages::demux_files::levels));
    const auto wav = f.path(stages::demux_files::audio);
    EXPECT_EQ(asr::read_wav_16k_mono(wav).size(), 48000u);
    const auto facts = util::read_json(f.path(stages::demux_files::media));
    EXPECT_EQ(facts["audio"]["file"], "audio.wav");
    EXPECT_EQ(facts["audio"]["samples"], 48000);
    EXPECT_EQ(facts["range"]["start"], 12.0);
    EXPECT_GT(facts["fps"].get<double>(), 20.0);
    EXPECT_EQ(facts["audio_source"]["codec"], "vorbis");
    EXPECT_EQ(facts["dialogue"], "mix");
    EXPECT_EQ(facts["levels"]["frames"], 300);  // 3 s in 10 ms frames
    EXPECT_EQ(facts["levels"]["file"], "levels.f32");
    EXPECT_TRUE(leftover_temporaries(f.tmp.path()).empty());
}

TEST(MediaStages, MuxReadsTracksJsonAndNamesOutput) {
    CINESUB_SKIP_IF_MISSING(sintel());
    media_job f(sintel());
    f.set("range.start", 10.0);
    f.set("range.end", 25.0);
    f.set("asr.synthetic", true);
    const auto subs_dir = f.path(stages::subtitles_files::tracks).parent_path();
    std::ofstream(subs_dir / "Sintel.en.srt") << "1\n00:00:02,000 --> 00:00:05,000\nWhat brings you here?\n";
    std::ofstream(subs_dir / "Sintel.hi.srt") << "1\n00:00:02,000 --> 00:00:05,000\nआप यहाँ क्यों आए?\n";
    util::write_json_atomic(
        subs_dir / "tracks.json",
        {{"tracks",
          {{{"file", "Sintel.hi.srt"}, {"language", "hi"}, {"title", "Hindi"}, {"default", true}},
           {{"file", "Sintel.en.srt"}, {"language", "en"}, {"title", "English"}, {"default", false}}}}});
    auto stage = stages::make_mux_stage();
    EXPECT_EQ(f.job.value("mux.format")->get<std::string>(), "mkv");  // the default
    EXPECT_EQ(stage->inputs(f.job).size(), 4u);                       // media, tracks.json, two subtitle files
    const auto files = f.run(*stage);
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].filename().string(), "Sintel_ the _trailer__cut.SYNTHETIC.subtitled.mkv");
    auto ctx = media::detail::open_input(files[0]);
    ASSERT_EQ(ctx->nb_streams, 4u);
    auto* lang = av_dict_get(ctx->streams[2]->metadata, "language", nullptr, 0);
    ASSERT_TRUE(lang);
    EXPECT_STREQ(lang->value, "hin");
    EXPECT_TRUE(ctx->streams[2]->disposition & AV_DISPOSITION_DEFAULT);
    EXPECT_TRUE(leftover_temporaries(f.tmp.path()).empty());
}

}  // namespace
}  // namespace cinesub::test
