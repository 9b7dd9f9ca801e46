// mux(): Sintel + its reference captions → mkv / mp4, read back with libavformat; clip cut; CLI.
#include "media/fonts.hpp"
#include "media/libav.hpp"
#include "media/media.hpp"
#include "media_fixtures.hpp"
#include "subtitles/writers.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <optional>
#include <thread>
#include <tuple>

namespace cinesub::test {
namespace {

namespace fs = std::filesystem;

struct read_cue {
    int stream;
    double start, end;
    std::string text;
};

struct read_back {
    std::vector<std::string> codecs;
    std::vector<std::string> languages;
    std::vector<std::string> titles;
    std::vector<bool> defaults;
    std::vector<read_cue> cues;
    double first_video_pts = -1;
    double duration = 0;
};

read_back read_output(const fs::path& file) {
    auto ctx = media::detail::open_input(file);
    read_back out;
    out.duration = static_cast<double>(ctx->duration) / AV_TIME_BASE;
    for (unsigned i = 0; i < ctx->nb_streams; ++i) {
        auto* st = ctx->streams[i];
        out.codecs.push_back(avcodec_get_name(st->codecpar->codec_id));
        auto* lang = av_dict_get(st->metadata, "language", nullptr, 0);
        auto* title = av_dict_get(st->metadata, "title", nullptr, 0);
        if (!title) title = av_dict_get(st->metadata, "handler_name", nullptr, 0);
        out.languages.push_back(lang ? lang->value : "");
        out.titles.push_back(title ? title->value : "");
        out.defaults.push_back((st->disposition & AV_DISPOSITION_DEFAULT) != 0);
    }
    auto pkt = media::detail::make_packet();
    while (av_read_frame(ctx.get(), pkt.get()) >= 0) {
        auto* st = ctx->streams[pkt->stream_index];
        const auto tb = st->time_base;
        if (st->codecpar->codec_type == AVMEDIA_TYPE_SUBTITLE) {
            std::string text(reinterpret_cast<const char*>(pkt->data), static_cast<std::size_t>(pkt->size));
            if (st->codecpar->codec_id == AV_CODEC_ID_MOV_TEXT) text = text.size() >= 2 ? text.substr(2) : "";
            if (!text.empty())
                out.cues.push_back({pkt->stream_index, media::detail::seconds(pkt->pts, tb),
                                    media::detail::seconds(pkt->pts + pkt->duration, tb), text});
        } else if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && out.first_video_pts < 0 &&
                   pkt->pts != AV_NOPTS_VALUE) {
            out.first_video_pts = media::detail::seconds(pkt->pts, tb);
        }
        av_packet_unref(pkt.get());
    }
    return out;
}

// Last video keyframe at or before `t` in the source.
double keyframe_before(const fs::path& file, double t) {
    auto ctx = media::detail::open_input(file);
    int v = av_find_best_stream(ctx.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    double best = 0;
    auto pkt = media::detail::make_packet();
    while (av_read_frame(ctx.get(), pkt.get()) >= 0) {
        if (pkt->stream_index == v && (pkt->flags & AV_PKT_FLAG_KEY)) {
            double k = media::detail::seconds(pkt->pts, ctx->streams[v]->time_base);
            if (k <= t + 1e-6) best = std::max(best, k);
        }
        av_packet_unref(pkt.get());
    }
    return best;
}

const double frame = 1.0 / 24;

// The SRT/VTT reader mux uses (subs::read_cues_strict) is tested in tests/subtitles/reader_test.cpp.
TEST(MediaCues, Languages) {
    EXPECT_EQ(media::language_from_code("hi").iso639_2, "hin");
    EXPECT_EQ(media::language_from_code("en").iso639_2, "eng");
    EXPECT_EQ(media::language_from_code("hi-Latn").iso639_2, "hin");
    EXPECT_EQ(media::language_from_code("hi-Latn").name, "Hindi (Latin)");
    EXPECT_EQ(media::language_from_code("de").iso639_2, "ger");
    EXPECT_EQ(media::language_from_code("xx").iso639_2, "und");
}

TEST(Mux, SintelMkvWithReferenceSrt) {
    CINESUB_SKIP_IF_MISSING(sintel());
    CINESUB_SKIP_IF_MISSING(sintel_srt());
    temp_dir dir;
    media::mux_request req;
    req.media = sintel();
    req.tracks = {{sintel_srt(), "en", "", true}, {sintel_vtt(), "hi-Latn", "", false}};
    req.output = dir / "sintel.subtitled.mkv";
    const auto r = cinesub::mux(req);
    EXPECT_EQ(r.streams, 4);
    EXPECT_EQ(r.cues, 4);
    const auto back = read_output(req.output);
    ASSERT_EQ(back.codecs.size(), 4u);
    EXPECT_EQ(back.codecs[0], "vp8");
    EXPECT_EQ(back.codecs[1], "vorbis");
    EXPECT_EQ(back.codecs[2], "subrip");
    EXPECT_EQ(back.codecs[3], "subrip");
    EXPECT_EQ(back.languages[2], "eng");
    EXPECT_EQ(back.titles[2], "English");
    EXPECT_TRUE(back.defaults[2]);
    EXPECT_EQ(back.languages[3], "hin");
    EXPECT_EQ(back.titles[3], "Hindi (Latin)");
    EXPECT_FALSE(back.defaults[3]);
    EXPECT_NEAR(back.duration, 27.0, 0.1);
    std::vector<read_cue> en;
    for (const auto& c : back.cues)
        if (c.stream == 2) en.push_back(c);
    ASSERT_EQ(en.size(), 2u);
    EXPECT_NEAR(en[0].start, 12.0, 0.001);
    EXPECT_NEAR(en[0].end, 15.0, 0.001);
    EXPECT_EQ(en[0].text, "What brings you to the land of the gatekeepers?");
    EXPECT_NEAR(en[1].start, 18.5, 0.001);
    EXPECT_NEAR(en[1].end, 20.5, 0.001);
    EXPECT_TRUE(leftover_temporaries(dir.path()).empty());
}

TEST(Mux, Mp4MovText) {
    CINESUB_SKIP_IF_MISSING(sintel());
    temp_dir dir;
    // VP8/Vorbis cannot go into mp4 by stream copy: a clear refusal, no file.
    media::mux_request bad;
    bad.media = sintel();
    bad.tracks = {{sintel_srt(), "en", "", true}};
    bad.output = dir / "sintel.mp4";
    EXPECT_CINESUB_ERROR(cinesub::mux(bad), errc::usage);
    EXPECT_FALSE(fs::exists(bad.output));
    EXPECT_TRUE(leftover_temporaries(dir.path()).empty());

    if (!have_ffmpeg_cli()) GTEST_SKIP() << "ffmpeg CLI absent: cannot make an H.264/AAC fixture";
    const auto h264 = dir / "sintel_h264.mp4";
    if (!ffmpeg("-i '" + sintel().string() + "' -c:v libx264 -preset ultrafast -g 48 -c:a aac -b:a 64k '" +
                h264.string() + "'"))
        GTEST_SKIP() << "ffmpeg cannot encode H.264/AAC here";
    media::mux_request req;
    req.media = h264;
    req.tracks = {{sintel_srt(), "en", "", true}};
    req.output = dir / "out.mp4";
    cinesub::mux(req);
    const auto back = read_output(req.output);
    ASSERT_EQ(back.codecs.size(), 3u);
    EXPECT_EQ(back.codecs[0], "h264");
    EXPECT_EQ(back.codecs[1], "aac");
    EXPECT_EQ(back.codecs[2], "mov_text");
    EXPECT_EQ(back.languages[2], "eng");
    ASSERT_EQ(back.cues.size(), 2u);
    EXPECT_NEAR(back.cues[0].start, 12.0, 0.001);
    EXPECT_NEAR(back.cues[0].end, 15.0, 0.001);
    EXPECT_EQ(back.cues[0].text, "What brings you to the land of the gatekeepers?");
    EXPECT_NEAR(back.cues[1].start, 18.5, 0.001);
    EXPECT_TRUE(leftover_temporaries(dir.path()).empty());
}

std::string bytes_of(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Muxes `req` in full and as a clip, each twice into differently named files, more than a second
// apart (a wall-clock date in the container would differ): every pair must be byte-identical.
void expect_reproducible(media::mux_request req, const fs::path& dir, const std::string& ext) {
    req.clock = media::subtitle_clock::media;  // the clip keeps both cues of each track (12–15 s, 18.5–20.5 s)
    const std::vector<std::optional<media::clip_range>> ranges{std::nullopt, media::clip_range{10.0, 22.0}};
    auto output = [&](const std::string& name, std::size_t i) { return dir / (name + std::to_string(i) + "." + ext); };
    std::vector<std::string> first;
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        req.range = ranges[i];
        req.output = output("first", i);
        cinesub::mux(req);
        first.push_back(bytes_of(req.output));
        EXPECT_EQ(read_output(req.output).cues.size(), 2 * req.tracks.size());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        SCOPED_TRACE(ranges[i] ? "clip 10-22 s" : "full");
        req.range = ranges[i];
        req.output = output("second", i);
        cinesub::mux(req);
        const auto second = bytes_of(req.output);
        ASSERT_GT(first[i].size(), 1000u);
        EXPECT_EQ(first[i].size(), second.size());
        const auto diff = std::mismatch(first[i].begin(), first[i].end(), second.begin(), second.end());
        EXPECT_TRUE(diff.first == first[i].end() && diff.second == second.end())
            << "the two " << ext << " files differ from byte " << (diff.first - first[i].begin());
    }
    EXPECT_TRUE(leftover_temporaries(dir).empty());
}

// An ASS track in MKV stays ASS (its styles: speaker colours, the song style, the font) and the font
// it names rides along as an attachment; reproducible like the rest.
TEST(Mux, AssTrackWithItsFontAttached) {
    CINESUB_SKIP_IF_MISSING(sintel());
    temp_dir dir;
    std::vector<subs::cue> cues(2);
    cues[0].start = 12.0, cues[0].end = 15.0, cues[0].lines = {"क्या हाल है?"};
    cues[1].start = 18.5, cues[1].end = 20.5, cues[1].lines = {"मैं किसी को ढूँढ रही हूँ।"}, cues[1].song = true;
    subs::write_options wo;
    wo.language = "hi";
    wo.italics = true;
    const auto ass = dir / "film.hi.ass";
    subs::write_subtitles(ass, "ass", cues, wo);
    EXPECT_EQ(subs::ass_font("hi"), "Noto Sans Devanagari");
    EXPECT_EQ(subs::ass_font("hi-Latn"), "Noto Sans");

    // A font folder of our own, so the test does not depend on the machine's fonts.
    const auto fonts_dir = dir / "fonts/truetype/noto";
    fs::create_directories(fonts_dir);
    std::ofstream(fonts_dir / "NotoSansDevanagari-Regular.ttf") << "not really a font, only its bytes";
    const auto fonts = media::fonts_of_ass({ass}, {dir / "fonts"});
    ASSERT_EQ(fonts.files.size(), 1u) << "the Song style is italic: Devanagari has no italic, Regular serves";
    EXPECT_EQ(fonts.files[0].filename(), "NotoSansDevanagari-Regular.ttf");
    EXPECT_TRUE(fonts.missing.empty());
    const auto none = media::fonts_of_ass({ass}, {dir / "nowhere"});
    EXPECT_TRUE(none.files.empty());
    ASSERT_FALSE(none.missing.empty());
    EXPECT_EQ(none.missing[0], "Noto Sans Devanagari");

    media::mux_request req;
    req.media = sintel();
    req.tracks = {{ass, "hi", "", true}};
    req.attachments = fonts.files;
    req.output = dir / "out.mkv";
    cinesub::mux(req);
    const auto back = read_output(req.output);
    ASSERT_EQ(back.cues.size(), 2u);
    EXPECT_NE(std::find(back.codecs.begin(), back.codecs.end(), "ass"), back.codecs.end());
    EXPECT_NEAR(back.cues[0].start, 12.0, 0.01);
    EXPECT_NEAR(back.cues[1].end, 20.5, 0.01);
    // The Matroska ASS packet: ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text.
    EXPECT_EQ(back.cues[0].text.rfind("0,0,Default,", 0), 0u) << back.cues[0].text;
    EXPECT_NE(back.cues[1].text.find(",Song,"), std::string::npos) << back.cues[1].text;
    EXPECT_NE(back.cues[0].text.find("क्या हाल है?"), std::string::npos);
    {
        auto ctx = media::detail::open_input(req.output);
        int attachments = 0;
        for (unsigned i = 0; i < ctx->nb_streams; ++i) {
            const auto* par = ctx->streams[i]->codecpar;
            if (par->codec_type == AVMEDIA_TYPE_SUBTITLE) {
                const std::string header(reinterpret_cast<const char*>(par->extradata),
                                         static_cast<std::size_t>(par->extradata_size));
                EXPECT_NE(header.find("Style: Default,Noto Sans Devanagari,"), std::string::npos) << header;
                EXPECT_NE(header.find("[Events]"), std::string::npos);
            }
            if (par->codec_type != AVMEDIA_TYPE_ATTACHMENT) continue;
            ++attachments;
            const auto* name = av_dict_get(ctx->streams[i]->metadata, "filename", nullptr, 0);
            ASSERT_NE(name, nullptr);
            EXPECT_STREQ(name->value, "NotoSansDevanagari-Regular.ttf");
            EXPECT_EQ(std::string(reinterpret_cast<const char*>(par->extradata),
                                  static_cast<std::size_t>(par->extradata_size)),
                      "not really a font, only its bytes");
        }
        EXPECT_EQ(attachments, 1);
    }
    // The same request again: the same bytes.
    const auto first = bytes_of(req.output);
    req.output = dir / "again.mkv";
    cinesub::mux(req);
    EXPECT_EQ(bytes_of(req.output), first);
    EXPECT_TRUE(leftover_temporaries(dir.path()).empty());
}

// Outside FFmpeg's bitexact mode Matroska gets a random SegmentUID and random track UIDs.
TEST(Mux, SameInputsGiveTheSameMkvBytes) {
    CINESUB_SKIP_IF_MISSING(sintel());
    CINESUB_SKIP_IF_MISSING(sintel_srt());
    temp_dir dir;
    media::mux_request req;
    req.media = sintel();
    req.tracks = {{sintel_srt(), "en", "", true}, {sintel_vtt(), "hi-Latn", "Romanized", false}};
    expect_reproducible(req, dir.path(), "mkv");
}

// FFmpeg 5.1's mp4 writer takes its dates only from a creation_time tag (the fixture has none): this
// guards against a wall-clock date creeping in.
TEST(Mux, SameInputsGiveTheSameMp4Bytes) {
    CINESUB_SKIP_IF_MISSING(sintel_srt());
    if (!have_ffmpeg_cli()) GTEST_SKIP() << "ffmpeg CLI absent: cannot make an H.264/AAC fixture";
    temp_dir dir;
    const auto video = dir / "generated.mp4";  // 24 s, B-frames (an edit list), no creation_time of its own
    if (!ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=24:duration=24 -f lavfi -i sine=frequency=440:duration=24 "
                "-c:v libx264 -preset ultrafast -bf 2 -g 48 -c:a aac -b:a 64k '" +
                video.string() + "'"))
        GTEST_SKIP() << "ffmpeg cannot encode H.264/AAC here";
    media::mux_request req;
    req.media = video;
    req.tracks = {{sintel_srt(), "en", "", true}, {sintel_vtt(), "hi-Latn", "Romanized", false}};
    expect_reproducible(req, dir.path(), "mp4");
}

TEST(Mux, ClipCutsAtKeyframeAndKeepsCuesOnTheirLines) {
    CINESUB_SKIP_IF_MISSING(sintel());
    temp_dir dir;
    // Subtitles of the 10–25 s clip count from the clip start (as the pipeline writes them).
    const auto clip_srt = dir / "clip.en.srt";
    std::ofstream(clip_srt) << "1\n00:00:02,000 --> 00:00:05,000\nWhat brings you to the land of the gatekeepers?\n\n"
                               "2\n00:00:08,500 --> 00:00:10,500\nI'm searching for someone.\n";
    media::mux_request req;
    req.media = sintel();
    req.tracks = {{clip_srt, "en", "", true}};
    req.output = dir / "clip.mkv";
    req.range = media::clip_range{10.0, 25.0};
    const auto r = cinesub::mux(req);
    const double key = keyframe_before(sintel(), 10.0);
    EXPECT_NEAR(r.cut_start, key, 0.002);
    EXPECT_LE(r.cut_start, 10.0);
    EXPECT_NEAR(r.subtitle_shift, 10.0 - key, 0.002);
    const auto back = read_output(req.output);
    EXPECT_NEAR(back.first_video_pts, 0.0, frame);
    EXPECT_NEAR(back.duration, 25.0 - key, 0.2);
    ASSERT_EQ(back.cues.size(), 2u);
    // In the output the line is where it is in the film: film time 12.0 → output 12.0 − key.
    EXPECT_NEAR(back.cues[0].start, 12.0 - key, 0.002);
    EXPECT_NEAR(back.cues[0].end, 15.0 - key, 0.002);
    EXPECT_NEAR(back.cues[1].start, 18.5 - key, 0.002);

    // The same with film-clock subtitles (the reference SRT as published).
    req.tracks = {{sintel_srt(), "en", "", true}};
    req.clock = media::subtitle_clock::media;
    req.output = dir / "clip_media_clock.mkv";
    cinesub::mux(req);
    const auto back2 = read_output(req.output);
    ASSERT_EQ(back2.cues.size(), 2u);
    EXPECT_NEAR(back2.cues[0].start, 12.0 - key, 0.002);
}

TEST(Mux, ChaptersFollowTheCut) {
    CINESUB_SKIP_IF_MISSING(sintel());
    if (!have_ffmpeg_cli()) GTEST_SKIP() << "ffmpeg CLI absent: cannot make a fixture with chapters";
    temp_dir dir;
    std::ofstream(dir / "meta.txt") << ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=9000\ntitle=Opening\n"
                                       "[CHAPTER]\nTIMEBASE=1/1000\nSTART=9000\nEND=27000\ntitle=Meeting\n";
    const auto src = dir / "chapters.mkv";
    ASSERT_TRUE(ffmpeg("-i '" + sintel().string() + "' -i '" + (dir / "meta.txt").string() +
                       "' -map 0 -map_chapters 1 -c copy '" + src.string() + "'"));
    auto chapters = [](const fs::path& file) {
        auto ctx = media::detail::open_input(file);
        std::vector<std::tuple<std::string, double, double>> out;
        for (unsigned i = 0; i < ctx->nb_chapters; ++i) {
            const auto* c = ctx->chapters[i];
            const auto* t = av_dict_get(c->metadata, "title", nullptr, 0);
            out.emplace_back(t ? t->value : "", media::detail::seconds(c->start, c->time_base),
                             media::detail::seconds(c->end, c->time_base));
        }
        return out;
    };
    media::mux_request req;
    req.media = src;
    req.tracks = {{sintel_srt(), "en", "", true}};
    req.output = dir / "full.mkv";
    cinesub::mux(req);
    auto full = chapters(req.output);
    ASSERT_EQ(full.size(), 2u);
    EXPECT_EQ(std::get<0>(full[1]), "Meeting");
    EXPECT_NEAR(std::get<1>(full[1]), 9.0, 0.001);

    req.output = dir / "clip.mkv";
    req.range = media::clip_range{10.0, 25.0};
    const auto r = cinesub::mux(req);
    auto clip = chapters(req.output);
    ASSERT_EQ(clip.size(), 1u) << "the chapter that ends before the cut is dropped";
    EXPECT_EQ(std::get<0>(clip[0]), "Meeting");
    EXPECT_NEAR(std::get<1>(clip[0]), 0.0, 0.001);
    EXPECT_NEAR(std::get<2>(clip[0]), 25.0 - r.cut_start, 0.002);
}

TEST(Mux, BadInputs) {
    CINESUB_SKIP_IF_MISSING(sintel());
    temp_dir dir;
    media::mux_request req;
    req.media = sintel();
    req.output = dir / "out.mkv";
    req.tracks = {{dir / "missing.srt", "en", "", true}};
    EXPECT_CINESUB_ERROR(cinesub::mux(req), errc::input_missing);
    const auto junk = dir / "junk.srt";
    std::ofstream(junk) << "this is not\na subtitle file\n";
    req.tracks = {{junk, "en", "", true}};
    EXPECT_CINESUB_ERROR(cinesub::mux(req), errc::input_corrupt);
    // A bad timing line fails before any output exists, naming the file and the line.
    const auto bad_timing = dir / "bad_timing.srt";
    std::ofstream(bad_timing) << "1\n00:00:01,000 --> 00:00:02,000\nFine\n\n2\n00:00:03,000 --> 00:00:0x,000\nBad\n";
    req.tracks = {{bad_timing, "en", "", true}};
    try {
        cinesub::mux(req);
        ADD_FAILURE() << "a bad timing line must fail the mux";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::input_corrupt) << e.what();
        EXPECT_NE(std::string(e.what()).find(bad_timing.string() + ": line 6:"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(req.output));
    req.tracks = {{sintel_srt(), "en", "", true}};
    req.range = media::clip_range{20.0, 10.0};
    EXPECT_CINESUB_ERROR(cinesub::mux(req), errc::range_invalid);
    req.range = media::clip_range{30.0, 40.0};
    EXPECT_CINESUB_ERROR(cinesub::mux(req), errc::range_outside);
    req.range.reset();
    req.media = dir / "nope.webm";
    EXPECT_CINESUB_ERROR(cinesub::mux(req), errc::input_missing);
    EXPECT_FALSE(fs::exists(req.output));
    EXPECT_TRUE(leftover_temporaries(dir.path()).empty());
}

TEST(MuxCli, MuxCommand) {
    CINESUB_SKIP_IF_MISSING(sintel());
    if (!fs::exists(cli_path())) GTEST_SKIP() << "cinesub binary not built: " << cli_path();
    temp_dir dir;
    const auto out = dir / "film.subtitled.mkv";
    auto r = run_cli({"mux", sintel().string(), sintel_srt().string() + ":en", "-o", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto back = read_output(out);
    ASSERT_EQ(back.codecs.size(), 3u);
    EXPECT_EQ(back.languages[2], "eng");
    EXPECT_EQ(back.cues.size(), 2u);

    r = run_cli({"mux", sintel().string(), (dir / "missing.srt").string(), "-o", (dir / "x.mkv").string()});
    EXPECT_EQ(r.exit_code, 10) << r.err;
    r = run_cli({"mux", sintel().string(), sintel_srt().string(), "-o", (dir / "x.mkv").string(), "--start", "20",
                 "--end", "10"});
    EXPECT_EQ(r.exit_code, 16) << r.err;
    // Disk full while writing: exit 24, no output, no temporary left.
    r = run_cli({"mux", sintel().string(), sintel_srt().string(), "-o", (dir / "full.mkv").string()}, {}, 200 * 1024);
    EXPECT_EQ(r.exit_code, 24) << r.err;
    EXPECT_FALSE(fs::exists(dir / "full.mkv"));
    EXPECT_FALSE(fs::exists(dir / "x.mkv"));
    EXPECT_TRUE(leftover_temporaries(dir.path()).empty());
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

}  // namespace
}  // namespace cinesub::test
