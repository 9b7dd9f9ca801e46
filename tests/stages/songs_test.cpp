// The songs stage through the stage interface (audio + speech → songs.json), and what the stages
// after it make of songs.json: the ASR stage leaves instrumental music (and with songs.mode=skip,
// songs) out of Whisper's windows; the subtitles stage marks lyric cues "♪ … ♪" and applies the mode.
#include "audio_fixtures.hpp"
#include "mixtures.hpp"
#include "scenes.hpp"

#include "asr/wav.hpp"
#include "pipeline/stage.hpp"
#include "stage_fixture.hpp"
#include "stages/artefacts.hpp"
#include "stages/stages.hpp"
#include "util/fs.hpp"
#include "vad/vad.hpp"

#include <gtest/gtest.h>

namespace cinesub {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

TEST(SongsStage, SceneGivesSongsJson) {
    CINESUB_SKIP_IF_MISSING(test::vad_model());
    if (test::hindi_clips().size() < 4 || !test::have_espeak()) GTEST_SKIP() << "Hindi clips or espeak-ng missing";
    using src = test::scene_block::source;
    const auto scene = test::make_scene({{src::conversation, 0, 5, -100, false, songs::sound::speech},
                                         {src::sung, 24, 0, -8, false, songs::sound::song},
                                         {src::conversation, 0, 5, -100, false, songs::sound::speech}},
                                        9);
    test::stage_fixture f;
    test::write_wav_f32(f.path(stages::demux_files::audio), scene.audio);
    vad::detector d(test::vad_model());
    save_speech_map(f.path(stages::vad_files::speech), vad::detect(d, scene.audio, {}));
    auto stage = stages::make_songs_stage();
    EXPECT_FALSE(stage->critical());
    EXPECT_EQ(stage->inputs(f.job).size(), 2u);
    const auto out = f.run(*stage);
    ASSERT_EQ(out.size(), 1u);
    const auto doc = util::read_json(out[0]);
    // What becomes of lyrics is not this stage's business: a change of songs.mode re-runs neither it
    // nor the ASR (only "skip" changes what Whisper hears).
    const auto songs_settings = pipeline::stage_settings(*stage, f.job);
    EXPECT_FALSE(songs_settings.contains("songs.mode"));
    EXPECT_TRUE(songs_settings.contains("songs.min_song_s"));
    EXPECT_FALSE(doc.contains("mode"));
    auto asr = stages::make_asr_stage();
    const auto marked = pipeline::stage_settings(*asr, f.job);
    f.set("songs.mode", "translate");
    EXPECT_EQ(pipeline::stage_settings(*stage, f.job), songs_settings);
    EXPECT_EQ(pipeline::stage_settings(*asr, f.job), marked);
    f.set("songs.mode", "skip");
    EXPECT_NE(pipeline::stage_settings(*asr, f.job), marked);
    f.set("songs.mode", "mark");
    const auto segments = stages::load_sound_segments(out[0]);
    const double mid = 0.5 * (scene.truth[1].start + scene.truth[1].end);
    EXPECT_EQ(songs::sound_at(segments, mid), songs::sound::song);
    EXPECT_GT(doc["seconds"]["song"].get<double>(), 18.0);
    EXPECT_EQ(doc["windows"]["music"].size(), doc["windows"]["sung"].size());
    EXPECT_GT(f.metrics()["wall_seconds"].get<double>(), 0.0);

    // Disabled: an empty songs.json, nothing marked.
    f.set("songs.enabled", false);
    f.run(*stage);
    const auto off = util::read_json(f.path(stages::songs_files::songs));
    EXPECT_EQ(off["enabled"], false);
    EXPECT_TRUE(off["segments"].empty());
    EXPECT_TRUE(test::leftover_temporaries(f.tmp.path()).empty());
}

TEST(SongsStage, AsrLeavesInstrumentalMusicAndSkippedSongsOut) {
    CINESUB_SYNTHETIC_TINY(model);
    const auto jfk = test::testdata("media/en/en_jfk.wav");
    CINESUB_SKIP_IF_MISSING(jfk);
    test::stage_fixture f;
    test::write_wav_f32(f.path(stages::demux_files::audio), asr::read_wav_16k_mono(jfk));
    speech_map speech;
    speech.duration = 11;
    speech.segments = {{0.3, 10.8}};  // as if the VAD heard "speech" through the music
    save_speech_map(f.path(stages::vad_files::speech), speech);
    util::write_json_atomic(f.path(stages::songs_files::songs),
                            json{{"schema", 1},
                                 {"segments",
                                  {{{"start", 0.0}, {"end", 3.0}, {"kind", "speech"}, {"confidence", 0.9}},
                                   {{"start", 3.0}, {"end", 6.0}, {"kind", "music"}, {"confidence", 0.9}},
                                   {{"start", 6.0}, {"end", 9.0}, {"kind", "song"}, {"confidence", 0.8}},
                                   {{"start", 9.0}, {"end", 11.0}, {"kind", "speech"}, {"confidence", 0.9}}}}});
    f.set("asr.model", model.string());
    f.set("asr.beam_size", 1);
    f.set("asr.best_of", 1);
    f.set("asr.temperature_inc", 0.0);
    f.set("asr.max_tokens", 4);
    f.set("workflow", "transcribe");
    auto asr = stages::make_asr_stage();
    EXPECT_EQ(asr->inputs(f.job).size(), 4u);  // audio, speech, model, songs.json
    f.run(*asr);
    auto left = util::read_json(f.file("asr", "summary.json"))["left_out"];
    EXPECT_NEAR(left["music_seconds"].get<double>(), 3.0, 1e-6) << left.dump();
    EXPECT_EQ(left["song_seconds"], 0.0);
    EXPECT_EQ(left["speech_segments_after"], 2);  // 0.3–3 and 6–10.8
    f.set("songs.mode", "skip");
    f.run(*asr);
    left = util::read_json(f.file("asr", "summary.json"))["left_out"];
    EXPECT_NEAR(left["song_seconds"].get<double>(), 3.0, 1e-6) << left.dump();
    EXPECT_EQ(left["speech_segments_after"], 2);  // 0.3–3 and 9–10.8
    f.set("songs.skip_music", false);
    f.set("songs.mode", "mark");
    f.run(*asr);
    EXPECT_TRUE(util::read_json(f.file("asr", "summary.json"))["left_out"].empty());
}

// A Hindi film's ASR output by hand: a line, a song, a line, in Hindi and in English.
struct lyrics_job : test::stage_fixture {
    lyrics_job() {
        auto make = [](std::string lang, std::string task, std::vector<std::string> lines) {
            transcript t;
            t.language = std::move(lang);
            t.task = std::move(task);
            const double at[3][2] = {{0.5, 2.5}, {10.0, 14.0}, {31.0, 33.0}};
            for (std::size_t i = 0; i < lines.size(); ++i) {
                cinesub::segment s;
                s.start = at[i][0];
                s.end = at[i][1];
                s.text = lines[i];
                t.segments.push_back(std::move(s));
            }
            return t;
        };
        save_transcript(file("asr", "transcript.hi.json"),
                        make("hi", "transcribe", {"क्या बात है", "तुम ही हो अब तुम ही हो", "चलो चलें"}));
        save_transcript(file("asr", "transcript.en.json"),
                        make("en", "translate", {"What a thing", "You are the one now", "Let's go"}));
        util::write_json_atomic(
            path(stages::asr_files::tracks),
            json{{"schema", 1},
                 {"tracks",
                  {{{"language", "hi"}, {"task", "transcribe"}, {"role", "source"}, {"file", "transcript.hi.json"}},
                   {{"language", "en"},
                    {"task", "translate"},
                    {"role", "translation"},
                    {"file", "transcript.en.json"}}}}});
        util::write_json_atomic(path(stages::songs_files::songs),
                                json{{"schema", 1},
                                     {"segments",
                                      {{{"start", 0.0}, {"end", 8.0}, {"kind", "speech"}, {"confidence", 0.9}},
                                       {{"start", 8.0}, {"end", 30.0}, {"kind", "song"}, {"confidence", 0.8}},
                                       {{"start", 30.0}, {"end", 40.0}, {"kind", "speech"}, {"confidence", 0.9}}}}});
        set("title", "Film");
        set("subtitles.formats", json::array({"srt"}));
    }
    std::string srt(const std::string& lang) const {
        return util::read_file(file("subtitles", "Film." + lang + ".srt"));
    }
};

TEST(SongsStage, SubtitlesMarkLyricsPerMode) {
    lyrics_job f;
    auto stage = stages::make_subtitles_stage();
    EXPECT_NE(std::find(stage->inputs(f.job).begin(), stage->inputs(f.job).end(), f.path(stages::songs_files::songs)),
              stage->inputs(f.job).end());

    // mark: lyric cues "♪ … ♪", not in italics in Hindi; the English track shows them as sung (romanized).
    f.run(*stage);
    const auto hi = f.srt("hi");
    EXPECT_NE(hi.find("♪ तुम ही हो"), std::string::npos) << hi;
    EXPECT_NE(hi.find("हो ♪\n"), std::string::npos) << hi;
    EXPECT_EQ(hi.find("<i>"), std::string::npos) << hi;
    EXPECT_EQ(hi.find("♪ क्या"), std::string::npos) << hi;  // dialogue is not marked
    const auto latin = f.srt("hi-Latn");
    EXPECT_NE(latin.find("♪ tum hi ho"), std::string::npos) << latin;
    const auto en = f.srt("en");
    EXPECT_NE(en.find("<i>♪ tum hi ho"), std::string::npos) << en;  // English sets lyrics in italics
    EXPECT_EQ(en.find("You are the one"), std::string::npos) << en;
    EXPECT_NE(en.find("What a thing"), std::string::npos) << en;
    const auto report = util::read_json(f.path(stages::subtitles_files::report));
    EXPECT_EQ(report["songs"]["songs"], 1);
    EXPECT_GT(report["songs"]["lyric_words"].get<int>(), 0);

    // translate: the English track keeps Whisper's translation, marked.
    f.set("songs.mode", "translate");
    f.run(*stage);
    EXPECT_NE(f.srt("en").find("<i>♪ You are the one now ♪</i>"), std::string::npos) << f.srt("en");

    // skip: no lyric cues anywhere.
    f.set("songs.mode", "skip");
    f.run(*stage);
    EXPECT_EQ(f.srt("hi").find("तुम"), std::string::npos) << f.srt("hi");
    EXPECT_EQ(f.srt("en").find("You are"), std::string::npos) << f.srt("en");
    EXPECT_NE(f.srt("en").find("Let's go"), std::string::npos);
    EXPECT_GT(util::read_json(f.path(stages::subtitles_files::report))["songs"]["dropped_words"].get<int>(), 0);

    // No songs.json (the stage was skipped): Whisper's own ♪ still marks a lyric.
    f.set("songs.mode", "mark");
    fs::remove(f.path(stages::songs_files::songs));
    transcript t = load_transcript(f.file("asr", "transcript.hi.json"));
    t.segments[1].text = "♪ तुम ही हो ♪";
    save_transcript(f.file("asr", "transcript.hi.json"), t);
    f.run(*stage);
    EXPECT_NE(f.srt("hi").find("♪ तुम ही हो ♪"), std::string::npos) << f.srt("hi");
    EXPECT_EQ(f.srt("hi").find("♪ ♪"), std::string::npos) << f.srt("hi");
}

// The signal heard music under 10–40 s but not enough held notes for a song; the transcript there is a
// chorus (its 3-grams come round again and again): the subtitles stage makes it a song, and its cues
// lyrics. songs.transcript_cues=false leaves it to the signal.
TEST(SongsStage, SubtitlesFindASongInTheTranscript) {
    lyrics_job f;
    transcript t;
    t.language = "hi";
    auto add = [&](double start, double end, const std::string& text) {
        cinesub::segment s;
        s.start = start;
        s.end = end;
        s.text = text;
        t.segments.push_back(std::move(s));
    };
    add(0.5, 2.5, "क्या बात है");
    add(4.0, 7.0, "चलो अब घर चलते हैं");
    const std::vector<std::string> chorus{"तुम ही हो अब तुम ही हो", "ज़िंदगी अब तुम ही हो", "चैन भी मेरा दर्द भी",
                                          "मेरी आशिक़ी अब तुम ही हो"};
    // The first line three times in a row (the cleaner would collapse that as a decoding loop), then the
    // chorus round: 5 times the first line in all.
    for (int i = 0; i < 12; ++i)
        add(10.0 + 2.5 * i, 12.3 + 2.5 * i, chorus[i < 3 ? 0 : static_cast<std::size_t>(i) % 4]);
    const auto count = [](const std::string& text, const std::string& what) {
        std::size_t n = 0;
        for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
        return n;
    };
    add(46.0, 48.0, "बहुत अच्छा गाया");
    save_transcript(f.file("asr", "transcript.hi.json"), t);
    util::write_json_atomic(
        f.path(stages::asr_files::tracks),
        json{{"schema", 1},
             {"tracks",
              {{{"language", "hi"}, {"task", "transcribe"}, {"role", "source"}, {"file", "transcript.hi.json"}}}}});
    util::write_json_atomic(f.path(stages::songs_files::songs),
                            json{{"schema", 1},
                                 {"segments",
                                  {{{"start", 0.0}, {"end", 10.0}, {"kind", "speech"}, {"confidence", 0.9}},
                                   {{"start", 10.0}, {"end", 40.0}, {"kind", "music"}, {"confidence", 0.6}},
                                   {{"start", 40.0}, {"end", 50.0}, {"kind", "speech"}, {"confidence", 0.9}}}}});
    auto stage = stages::make_subtitles_stage();
    f.run(*stage);
    const auto hi = f.srt("hi");
    EXPECT_NE(hi.find("♪ तुम ही हो"), std::string::npos) << hi;
    EXPECT_NE(hi.find("♪ चैन भी"), std::string::npos) << hi;
    EXPECT_EQ(hi.find("♪ क्या"), std::string::npos) << hi;  // the dialogue before and after is not
    EXPECT_EQ(hi.find("♪ बहुत"), std::string::npos) << hi;
    EXPECT_EQ(count(hi, chorus[0]), 5u) << hi;  // a chorus is no loop
    const auto report = util::read_json(f.path(stages::subtitles_files::report))["songs"];
    EXPECT_EQ(report["songs"], 1) << report.dump(2);
    ASSERT_EQ(report["transcript_spans"].size(), 1u) << report.dump(2);  // the dialogue spans are too short
    const auto& span = report["transcript_spans"][0];
    EXPECT_EQ(span["song"], true);
    EXPECT_DOUBLE_EQ(span["start"].get<double>(), 10.0);
    EXPECT_GT(span["repetition"].get<double>(), 0.5);
    EXPECT_DOUBLE_EQ(span["music"].get<double>(), 1.0);

    f.set("songs.transcript_cues", false);
    f.run(*stage);
    EXPECT_EQ(f.srt("hi").find("♪"), std::string::npos) << f.srt("hi");
    EXPECT_EQ(count(f.srt("hi"), chorus[0]), 3u) << f.srt("hi");  // not lyrics: the three in a row are one
    const auto off = util::read_json(f.path(stages::subtitles_files::report))["songs"];
    EXPECT_EQ(off["songs"], 0);
    EXPECT_TRUE(off["transcript_spans"].empty());

    // One line sung ten times over the music: the cues see all ten (collapsed as a loop first, one line
    // would be too few words to judge).
    f.set("songs.transcript_cues", true);
    t.segments.clear();
    for (int i = 0; i < 10; ++i) add(10.0 + 2.8 * i, 12.6 + 2.8 * i, chorus[0]);
    save_transcript(f.file("asr", "transcript.hi.json"), t);
    f.run(*stage);
    EXPECT_EQ(count(f.srt("hi"), "♪ " + chorus[0]), 5u) << f.srt("hi");  // two lines a cue
    EXPECT_EQ(count(f.srt("hi"), chorus[0]), 10u) << f.srt("hi");
}

}  // namespace
}  // namespace cinesub
