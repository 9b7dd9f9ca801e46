// The subtitles stage through the real CLI: prepare --asr-engine replay:REFERENCE, run, then the files
// of stages/09_subtitles (tracks, report, removed) and `cinesub check` on what it wrote.
#include "cinesub/transcript.hpp"
#include "stage_fixture.hpp"
#include "stages/artefacts.hpp"
#include "stages/stages.hpp"
#include "subtitle_fixtures.hpp"
#include "subtitles/readers.hpp"
#include "support.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

namespace cinesub::subs {
namespace {

namespace fs = std::filesystem;
using test::run_cli;
using test::testdata;

fs::path only_job(const fs::path& out) {
    for (const auto& e : fs::recursive_directory_iterator(out))
        if (e.path().filename() == "job.json") return e.path().parent_path();
    return {};
}

fs::path run_job(const test::temp_dir& dir, const fs::path& media, const std::string& reference,
                 const std::string& lang, std::vector<std::string> extra = {},
                 const std::vector<std::string>& stages = {"vad", "asr", "subtitles"}) {
    std::vector<std::string> args{"prepare",       media.string(),
                                  "--out",         (dir / "out").string(),
                                  "--user",        "t",
                                  "--vad-model",   testdata("models/ggml-silero-v6.2.0.bin").string(),
                                  "--asr-engine",  "replay:" + reference,
                                  "--source-lang", lang,
                                  "--workflow",    "transcribe",
                                  "--title",       "Sample"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto p = run_cli(args);
    EXPECT_EQ(p.exit_code, 0) << p.err;
    const auto job = only_job(dir / "out");
    const auto r = run_cli({"-q", "run", job.string(), "--only", "demux"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const auto& stage : stages) {
        const auto s = run_cli({"-q", "run", job.string(), "--only", stage});
        EXPECT_EQ(s.exit_code, 0) << stage << ": " << s.err << s.out;
    }
    return job / "stages" / "09_subtitles";
}

TEST(SubtitlesStage, DiarizationStmThroughTheCli) {
    const auto wav = testdata("media/diarization/en_pyannote_sample.wav");
    const auto stm = testdata("media/diarization/en_pyannote_sample.stm");
    CINESUB_SKIP_IF_MISSING(wav);
    CINESUB_SKIP_IF_MISSING(stm);
    CINESUB_SKIP_IF_MISSING(testdata("models/ggml-silero-v6.2.0.bin"));
    test::temp_dir dir;
    const auto out = run_job(dir, wav, stm.string(), "en", {"--set", "subtitles.crlf=true"});
    for (const auto* ext : {"srt", "vtt", "ass", "json", "ttml"})
        EXPECT_TRUE(fs::exists(out / (std::string("Sample.en.") + ext))) << ext;
    // The TTML track holds the SRT's cues (times to the millisecond, same lines).
    const auto srt_cues = subs::read_subtitles(out / "Sample.en.srt").cues;
    const auto ttml = subs::read_subtitles(out / "Sample.en.ttml");
    EXPECT_EQ(ttml.format, "ttml");
    EXPECT_TRUE(ttml.issues.empty());
    ASSERT_EQ(ttml.cues.size(), srt_cues.size());
    for (std::size_t i = 0; i < srt_cues.size(); ++i) {
        EXPECT_DOUBLE_EQ(ttml.cues[i].start, srt_cues[i].start);
        EXPECT_EQ(ttml.cues[i].lines, srt_cues[i].lines);
    }
    // The VAD stage records how many parallel runs cut the audio (it shifts probabilities near the cuts).
    const auto settings = util::read_json(out.parent_path().parent_path() / "job.json")["settings"];
    const auto vad_manifest = util::read_json(out.parent_path() / "04_vad" / "manifest.json");
    EXPECT_EQ(vad_manifest["settings"]["vad.parts"].get<int>(),
              settings["asr.workers"]["value"].get<int>() * settings["asr.threads"]["value"].get<int>());
    const auto tracks = util::read_json(out / "tracks.json");
    ASSERT_EQ(tracks["tracks"].size(), 1u);
    EXPECT_EQ(tracks["tracks"][0]["file"], "Sample.en.srt");
    EXPECT_EQ(tracks["tracks"][0]["default"], true);
    const auto report = util::read_json(out / "report.json");
    EXPECT_EQ(report["hard"], 0) << report.dump(2);
    EXPECT_FALSE(report["synthetic"].get<bool>());
    EXPECT_TRUE(util::read_json(out / "removed.json").contains("removed"));
    const auto srt = subs::read_subtitles(out / "Sample.en.srt");
    EXPECT_TRUE(srt.crlf);
    EXPECT_GE(srt.cues.size(), 8u);  // 13 utterances in 8 speaker turns: a turn change always breaks
    const auto check = run_cli({"check", (out / "Sample.en.srt").string(), "--profile", "netflix-en"});
    EXPECT_EQ(check.exit_code, 0) << check.out;
    EXPECT_TRUE(test::leftover_temporaries(dir.path()).empty());
}

TEST(SubtitlesStage, DiarizedSpeakersReachWordsCuesAndVoices) {
    // The ASR transcript knows no speakers (the STM's words, speakers removed); the speakers stage
    // diarizes the audio; the subtitles stage gives each word its speaker by overlap, no cue line
    // holds two speakers, and the confirmed names tag the VTT voices. The diarizer's frame-level
    // resegmentation finds Sheila's 0.5 s "Hello?" at 7.6 s inside the VAD's 7.6–21.6 s segment: the
    // two hellos have two speakers. (The quick turns after it — Diane's "Oh, hello" at 8.3 s — still
    // go to Sheila, so her "Hello?" starts a cue long enough on its own and the dialogue cue of the
    // STM replay, Dialogue.DiarizationSampleHelloHelloIsOneDashCue, does not form here.)
    const auto wav = testdata("media/diarization/en_pyannote_sample.wav");
    const auto stm = testdata("media/diarization/en_pyannote_sample.stm");
    CINESUB_SKIP_IF_MISSING(wav);
    CINESUB_SKIP_IF_MISSING(stm);
    CINESUB_SKIP_IF_MISSING(testdata("models/ggml-silero-v6.2.0.bin"));
    test::temp_dir dir;
    auto t = [&] {
        // The STM as a transcript.json (the replay engine reads both), without its speakers.
        std::ifstream in(stm);
        transcript out;
        out.language = "en";
        std::string file, channel, who, text;
        double a = 0, b = 0;
        while (in >> file >> channel >> who >> a >> b && std::getline(in, text)) {
            out.segments.push_back(test::seg(a, b, std::string(util::trim(text))));
        }
        return out;
    }();
    ASSERT_EQ(t.segments.size(), 13u);
    save_transcript(dir / "asr.json", t);
    util::write_file_atomic(dir / "map.tsv", "SPEAKER_00\tDiane\n");
    const auto out = run_job(dir, wav, (dir / "asr.json").string(), "en", {"--speaker-map", (dir / "map.tsv").string()},
                             {"vad", "speakers", "asr", "subtitles"});
    const auto doc = util::read_json(out / "Sample.en.json");
    ASSERT_FALSE(doc["cues"].empty());
    EXPECT_EQ(doc["speaker_names"]["SPEAKER_00"], "Diane");
    EXPECT_EQ(doc["cues"][0]["speaker_name"], "Diane");
    std::set<std::string> labels;
    for (const auto& c : doc["cues"]) {
        std::vector<std::string> who;
        for (const auto& w : c["words"]) who.push_back(w.value("speaker", std::string{}));
        const std::set<std::string> distinct(who.begin(), who.end());
        labels.insert(distinct.begin(), distinct.end());
        if (c.contains("line_speakers"))
            EXPECT_EQ(distinct.size(), 2u) << c.dump();
        else
            EXPECT_EQ(distinct.size(), 1u) << c.dump();
    }
    EXPECT_EQ(labels, (std::set<std::string>{"SPEAKER_00", "SPEAKER_01"}));
    int words = 0, with_speaker = 0;
    for (const auto& c : doc["cues"])
        for (const auto& w : c["words"]) {
            ++words;
            with_speaker += w.contains("speaker");
        }
    EXPECT_EQ(with_speaker, words);
    ASSERT_GE(doc["cues"].size(), 2u);
    const auto& hello1 = doc["cues"][0]["words"][0];
    const auto& hello2 = doc["cues"][1]["words"][0];
    EXPECT_EQ(hello1["text"], "Hello?");
    EXPECT_EQ(hello2["text"], "Hello?");
    EXPECT_NEAR(hello2["start"].get<double>(), 7.63, 0.1);
    EXPECT_NE(hello1["speaker"], hello2["speaker"]);
    const auto vtt = util::read_file(out / "Sample.en.vtt");
    EXPECT_NE(vtt.find("<v Diane>Hello?"), std::string::npos) << vtt;  // SPEAKER_01 has no name
    EXPECT_EQ(vtt.find("SPEAKER_"), std::string::npos);
    const auto report = util::read_json(out / "report.json");
    EXPECT_EQ(report["hard"], 0) << report.dump(2);
    EXPECT_EQ(report["tracks"][0]["counts"].value("min_duration", 0), 0) << report.dump(2);
}

TEST(SubtitlesStage, HindiGetsRomanizedTrackAndRemovesHallucinations) {
    const auto wav = testdata("media/hi_commonvoice/hindi_000.wav");
    CINESUB_SKIP_IF_MISSING(wav);
    CINESUB_SKIP_IF_MISSING(testdata("models/ggml-silero-v6.2.0.bin"));
    test::temp_dir dir;
    transcript t;
    t.language = "hi";
    cinesub::segment a;
    a.start = 0.5;
    a.end = 3.0;
    a.text = "क्या बात है, राम ने सीता को किताब दी।";
    t.segments.push_back(a);
    cinesub::segment b;
    b.start = 3.2;
    b.end = 4.0;
    b.text = "Thanks for watching!";
    t.segments.push_back(b);
    save_transcript(dir / "ref.json", t);
    const auto out = run_job(dir, wav, (dir / "ref.json").string(), "hi");
    const auto tracks = util::read_json(out / "tracks.json");
    ASSERT_EQ(tracks["tracks"].size(), 2u) << tracks.dump(2);
    EXPECT_EQ(tracks["tracks"][0]["language"], "hi");
    EXPECT_EQ(tracks["tracks"][1]["language"], "hi-Latn");
    EXPECT_EQ(tracks["tracks"][1]["title"], "Hindi (Latin)");
    const auto latin = util::read_file(out / "Sample.hi-Latn.srt");
    EXPECT_NE(latin.find("kya"), std::string::npos) << latin;
    EXPECT_EQ(latin.find("\xE0\xA4"), std::string::npos) << "Devanagari left in the Latin track";
    const auto removed = util::read_json(out / "removed.json")["removed"];
    bool thanks_removed = false;
    for (const auto& r : removed)
        thanks_removed = thanks_removed || r["text"].get<std::string>().find("Thanks") != std::string::npos;
    EXPECT_TRUE(thanks_removed) << removed.dump(2);
    EXPECT_EQ(util::read_file(out / "Sample.hi.srt").find("Thanks"), std::string::npos);
}

TEST(SubtitlesStage, SyntheticNamesEveryFileAndHonoursFormats) {
    const auto wav = testdata("media/diarization/en_pyannote_sample.wav");
    const auto stm = testdata("media/diarization/en_pyannote_sample.stm");
    CINESUB_SKIP_IF_MISSING(wav);
    CINESUB_SKIP_IF_MISSING(stm);
    CINESUB_SKIP_IF_MISSING(testdata("models/ggml-silero-v6.2.0.bin"));
    test::temp_dir dir;
    const auto out = run_job(
        dir, wav, stm.string(), "en",
        {"--set", "asr.synthetic=true", "--set", R"(subtitles.formats=["srt","vtt"])", "--set", "subtitles.bom=true"});
    EXPECT_TRUE(fs::exists(out / "Sample.SYNTHETIC.en.srt"));
    EXPECT_TRUE(fs::exists(out / "Sample.SYNTHETIC.en.vtt"));
    EXPECT_FALSE(fs::exists(out / "Sample.SYNTHETIC.en.ass"));
    EXPECT_FALSE(fs::exists(out / "Sample.en.srt"));
    const auto report = util::read_json(out / "report.json");
    EXPECT_TRUE(report["synthetic"].get<bool>());
    EXPECT_NE(report.value("note", "").find("SYNTHETIC"), std::string::npos);
    const auto tracks = util::read_json(out / "tracks.json");
    EXPECT_EQ(tracks["tracks"][0]["file"], "Sample.SYNTHETIC.en.srt");
    EXPECT_EQ(util::read_file(out / "Sample.SYNTHETIC.en.srt").substr(0, 3), "\xEF\xBB\xBF");
}

// The stage alone on a hand-made transcript: TTML is written by default with the media's frame rate, and
// tracks.json (what mux muxes) never names a TTML or JSON file.
TEST(SubtitlesStage, TtmlByDefaultNotMuxed) {
    test::stage_fixture f;
    transcript t;
    t.language = "en";
    t.task = "transcribe";
    t.segments = {test::seg(1, 3, "Hello there, how are you?"), test::seg(5, 7.5, "Fine, and you & yours?")};
    save_transcript(f.file("asr", "transcript.en.json"), t);
    util::write_json_atomic(
        f.path(stages::asr_files::tracks),
        nlohmann::json{
            {"schema", 1},
            {"tracks",
             {{{"language", "en"}, {"task", "transcribe"}, {"role", "source"}, {"file", "transcript.en.json"}}}}});
    util::write_json_atomic(f.path(stages::demux_files::media), nlohmann::json{{"schema", 1}, {"fps", 23.976}});
    f.set("title", "Film");
    auto stage = stages::make_subtitles_stage();
    const auto outputs = f.run(*stage);
    const auto dir = f.file("subtitles", "x").parent_path();
    EXPECT_NE(std::find(outputs.begin(), outputs.end(), dir / "Film.en.ttml"), outputs.end());
    const auto ttml = util::read_file(dir / "Film.en.ttml");
    EXPECT_NE(ttml.find("ttp:frameRate=\"24\" ttp:frameRateMultiplier=\"1000 1001\""), std::string::npos) << ttml;
    EXPECT_NE(ttml.find("xml:lang=\"en\""), std::string::npos);
    EXPECT_NE(ttml.find("&amp;"), std::string::npos) << ttml;
    EXPECT_EQ(subs::read_subtitles(dir / "Film.en.ttml").cues.size(),
              subs::read_subtitles(dir / "Film.en.srt").cues.size());
    auto tracks = util::read_json(dir / "tracks.json")["tracks"];
    ASSERT_EQ(tracks.size(), 1u);
    EXPECT_EQ(tracks[0]["file"], "Film.en.srt");

    f.set("subtitles.formats", nlohmann::json::array({"ttml", "json"}));
    f.run(*stage);
    EXPECT_TRUE(util::read_json(dir / "tracks.json")["tracks"].empty()) << "neither TTML nor JSON goes into the MKV";
    f.set("subtitles.formats", nlohmann::json::array({"json", "ttml", "vtt"}));
    f.run(*stage);
    tracks = util::read_json(dir / "tracks.json")["tracks"];
    ASSERT_EQ(tracks.size(), 1u);
    EXPECT_EQ(tracks[0]["file"], "Film.en.vtt");
}

}  // namespace
}  // namespace cinesub::subs
