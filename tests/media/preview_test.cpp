// Browser previews (src/media/preview.cpp): which files Chromium plays as they are, and the WebM
// made for the others — read back with the FFmpeg libraries (probe) to check what was written.
#include "media/preview.hpp"
#include "cinesub/error.hpp"
#include "media/media.hpp"
#include "media_fixtures.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

namespace cinesub {
namespace {

namespace fs = std::filesystem;
using test::ffmpeg;
using test::sintel;

// A file with the given ffmpeg output options, from 6 s of the Sintel clip; "" when ffmpeg fails.
fs::path transcode(const test::temp_dir& dir, const std::string& name, const std::string& options) {
    const auto out = dir / name;
    if (!ffmpeg("-t 6 -i '" + sintel().string() + "' " + options + " '" + out.string() + "'")) return {};
    return out;
}

TEST(Preview, BrowserPlayableFollowsTheRule) {
    CINESUB_SKIP_IF_MISSING(sintel());
    EXPECT_TRUE(media::browser_playable(sintel()));  // WebM: VP8 + Vorbis
    if (!test::have_ffmpeg_cli()) GTEST_SKIP() << "no ffmpeg CLI to make the other containers";
    test::temp_dir dir;
    const auto mp4 = transcode(dir, "h264_aac.mp4", "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac");
    const auto mkv = transcode(dir, "h264_ac3.mkv", "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a ac3");
    const auto hi10 = transcode(dir, "h264_hi10.mp4", "-c:v libx264 -preset ultrafast -pix_fmt yuv420p10le -an");
    const auto wav = transcode(dir, "audio.wav", "-vn -c:a pcm_s16le");
    const auto avi = transcode(dir, "mpeg4.avi", "-c:v mpeg4 -c:a mp3");
    ASSERT_FALSE(mp4.empty());
    ASSERT_FALSE(mkv.empty());
    EXPECT_TRUE(media::browser_playable(mp4));
    EXPECT_FALSE(media::browser_playable(mkv)) << "H.264 in Matroska and AC-3 do not play in Chromium";
    if (!hi10.empty()) {
        EXPECT_FALSE(media::browser_playable(hi10)) << "High 10";
    }
    if (!wav.empty()) {
        EXPECT_TRUE(media::browser_playable(wav));
    }
    if (!avi.empty()) {
        EXPECT_FALSE(media::browser_playable(avi));
    }
    EXPECT_THROW(media::browser_playable(dir / "missing.mkv"), error);
}

TEST(Preview, MakesAPlayableWebmOfATranscodedFilm) {
    CINESUB_SKIP_IF_MISSING(sintel());
    if (!test::have_ffmpeg_cli()) GTEST_SKIP() << "no ffmpeg CLI to make an MKV with H.264 + AC-3";
    test::temp_dir dir;
    // 720p H.264 + 5.1 AC-3 in Matroska: what a film on disk often is, and what Chromium cannot play.
    const auto mkv =
        transcode(dir, "film.mkv", "-vf scale=1280:-2 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a ac3 -ac 6");
    ASSERT_FALSE(mkv.empty());
    ASSERT_FALSE(media::browser_playable(mkv));

    const auto out = dir / "preview.webm";
    double last = -1;
    int calls = 0;
    const auto r = media::make_preview(mkv, out, {}, [&](double f) {
        EXPECT_GE(f, last - 1e-9);
        last = f;
        ++calls;
        return true;
    });
    EXPECT_TRUE(r.has_video);
    EXPECT_TRUE(r.has_audio);
    EXPECT_EQ(r.height, 480);
    EXPECT_EQ(r.width % 2, 0);
    EXPECT_NEAR(static_cast<double>(r.width) / r.height, 1280.0 / 544.0, 0.05);  // Sintel is 2.35:1
    EXPECT_EQ(r.video_codec, "vp8");
    EXPECT_NEAR(r.duration, 6.0, 0.3);
    EXPECT_GT(calls, 10);
    EXPECT_NEAR(last, 1.0, 0.05);

    // What was written opens, is a WebM the browser plays, and covers the same time.
    EXPECT_TRUE(media::browser_playable(out));
    const auto info = media::probe(out);
    EXPECT_NEAR(info.duration, 6.0, 0.3);
    int video = 0, audio = 0;
    for (const auto& s : info.streams) {
        if (s.type == "video") {
            ++video;
            EXPECT_EQ(s.codec, "vp8");
            EXPECT_EQ(s.height, 480);
        }
        if (s.type == "audio") {
            ++audio;
            EXPECT_EQ(s.codec, "opus");
            EXPECT_EQ(s.channels, 2);
            EXPECT_EQ(s.sample_rate, 48000);
        }
    }
    EXPECT_EQ(video, 1);
    EXPECT_EQ(audio, 1);
    EXPECT_TRUE(test::leftover_temporaries(dir.path()).empty());
}

TEST(Preview, AudioOnlySourceGivesAudioOnlyWebm) {
    CINESUB_SKIP_IF_MISSING(sintel());
    if (!test::have_ffmpeg_cli()) GTEST_SKIP() << "no ffmpeg CLI";
    test::temp_dir dir;
    const auto ac3 = transcode(dir, "audio.mka", "-vn -c:a ac3");
    ASSERT_FALSE(ac3.empty());
    const auto r = media::make_preview(ac3, dir / "a.webm");
    EXPECT_FALSE(r.has_video);
    EXPECT_TRUE(r.has_audio);
    EXPECT_EQ(r.width, 0);
    EXPECT_TRUE(fs::exists(dir / "a.webm"));
}

TEST(Preview, StoppedOrFailedLeavesNoFile) {
    CINESUB_SKIP_IF_MISSING(sintel());
    test::temp_dir dir;
    const auto out = dir / "stopped.webm";
    try {
        media::make_preview(sintel(), out, {}, [](double f) { return f < 0.3; });
        ADD_FAILURE() << "make_preview did not stop";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::interrupted);
    }
    EXPECT_FALSE(fs::exists(out));
    EXPECT_TRUE(test::leftover_temporaries(dir.path()).empty());

    // Not media: one error, no file.
    const auto text = dir / "notes.txt";
    std::ofstream(text) << "not a film\n";
    EXPECT_THROW(media::make_preview(text, dir / "x.webm"), error);
    EXPECT_FALSE(fs::exists(dir / "x.webm"));
    EXPECT_THROW(media::make_preview(dir / "missing.mkv", dir / "y.webm"), error);
    EXPECT_TRUE(test::leftover_temporaries(dir.path()).empty());
}

}  // namespace
}  // namespace cinesub
