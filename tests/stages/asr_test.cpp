// The asr stage on a job folder: demux's audio.wav + vad's speech.json → transcripts, tracks.json,
// summary.json; with a synthetic tiny model (mechanics only) and with the replay engine.
#include "audio_fixtures.hpp"

#include "cinesub/error.hpp"
#include "context/glossary.hpp"
#include "pipeline/stage.hpp"
#include "stage_fixture.hpp"
#include "stages/artefacts.hpp"
#include "stages/stages.hpp"
#include "util/fs.hpp"
#include "vad/vad.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace cinesub {
namespace {

using nlohmann::json;
using test::testdata;
namespace fs = std::filesystem;

// A job with demux's audio.wav and vad's speech.json made from `audio`.
struct asr_fixture : test::stage_fixture {
    std::unique_ptr<pipeline::stage> stage = stages::make_asr_stage();

    explicit asr_fixture(const std::vector<float>& audio) {
        test::write_wav_f32(path(stages::demux_files::audio), audio);
        vad::detector d(test::vad_model());
        save_speech_map(path(stages::vad_files::speech), vad::detect(d, audio, {}));
    }
    std::vector<fs::path> run() { return stage_fixture::run(*stage); }
    fs::path out(const std::string& name) const { return file("asr", name); }
};

void fast_synthetic(test::stage_fixture& f, const fs::path& model) {
    f.set("asr.model", model.string());
    f.set("asr.workers", 2);
    f.set("asr.threads", 1);
    f.set("asr.beam_size", 1);
    f.set("asr.best_of", 1);
    f.set("asr.temperature_inc", 0.0);
    f.set("asr.max_tokens", 6);
}

TEST(AsrStage, SubtitleWorkflowWritesBothTracksOnOneTimeline) {
    CINESUB_SYNTHETIC_TINY(model);
    CINESUB_SKIP_IF_MISSING(test::vad_model());
    const auto jfk = testdata("media/en/en_jfk.wav");
    CINESUB_SKIP_IF_MISSING(jfk);
    asr_fixture f(asr::read_wav_16k_mono(jfk));
    fast_synthetic(f, model);
    f.set("workflow", "subtitle");
    f.set("source_lang", "hi");

    // Inputs: audio, speech, model; workers/threads do not change the output (not in settings).
    const auto inputs = f.stage->inputs(f.job);
    ASSERT_EQ(inputs.size(), 3u);
    EXPECT_EQ(inputs[2], model);
    const auto settings = pipeline::stage_settings(*f.stage, f.job);
    EXPECT_FALSE(settings.contains("asr.workers"));
    EXPECT_FALSE(settings.contains("asr.threads"));
    EXPECT_EQ(settings["workflow"], "subtitle");

    const auto written = f.run();
    EXPECT_EQ(written.size(), 5u);  // 2 transcripts, tracks, summary, prompts
    EXPECT_EQ(util::read_json(f.out("prompts.json"))["none"], "no glossary (the context stage did not run)");
    const auto hi = load_transcript(f.out("transcript.hi.json"));
    const auto en = load_transcript(f.out("transcript.en.json"));
    EXPECT_EQ(hi.task, "transcribe");
    EXPECT_EQ(en.task, "translate");
    EXPECT_TRUE(hi.synthetic);
    EXPECT_TRUE(en.synthetic);
    const auto summary = util::read_json(f.out("summary.json"));
    EXPECT_EQ(summary["synthetic"], true);
    EXPECT_EQ(summary["engine"], "whisper");
    EXPECT_EQ(summary["model_type"], "tiny");
    EXPECT_EQ(summary["chunks"], 1);  // jfk's 11 s fit one 30 s chunk
    EXPECT_EQ(summary["language"], "hi");
    EXPECT_EQ(summary["passes"].size(), 2u);
    // How it ran is not an output (identical inputs give identical files): it is the stage's metrics.
    EXPECT_EQ(f.metrics()["workers"], 1);  // one chunk: one worker is enough
    EXPECT_GT(f.metrics()["realtime_factor"].get<double>(), 0.0);
    EXPECT_FALSE(summary.contains("wall_seconds"));
    const auto tracks = util::read_json(f.out("tracks.json"));
    ASSERT_EQ(tracks["tracks"].size(), 2u);
    EXPECT_EQ(tracks["tracks"][0]["role"], "source");
    EXPECT_EQ(tracks["tracks"][1]["file"], "transcript.en.json");
    EXPECT_EQ(tracks["synthetic"], true);
    for (const auto* t : {&hi, &en})
        for (const auto& s : t->segments) {
            EXPECT_EQ(s.chunk, 0);
            EXPECT_GE(s.start, 0.0);
            EXPECT_LE(s.end, 11.0 + 1e-6);
        }
    EXPECT_TRUE(test::leftover_temporaries(f.tmp.path()).empty());
}

TEST(AsrStage, AllSilenceGivesEmptyTranscriptQuickly) {
    CINESUB_SYNTHETIC_TINY(model);
    CINESUB_SKIP_IF_MISSING(test::vad_model());
    asr_fixture f(std::vector<float>(16000 * 600, 0.0f));  // 10 min of digital silence
    fast_synthetic(f, model);
    f.set("workflow", "transcribe");
    f.set("source_lang", "auto");
    const auto t0 = std::chrono::steady_clock::now();
    f.run();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto t = load_transcript(f.out("transcript.und.json"));
    EXPECT_TRUE(t.segments.empty());
    EXPECT_EQ(util::read_json(f.out("summary.json"))["chunks"], 0);
    EXPECT_LT(s, 10.0);
}

TEST(AsrStage, MissingModelAndEmptyAudio) {
    CINESUB_SKIP_IF_MISSING(test::vad_model());
    {
        asr_fixture f(std::vector<float>(16000, 0.01f));
        f.set("asr.model", (f.tmp / "ggml-absent.bin").string());
        try {
            f.run();
            FAIL() << "no error";
        } catch (const error& e) {
            EXPECT_EQ(e.code(), errc::model_missing);
        }
    }
    {
        asr_fixture f(std::vector<float>(16000, 0.0f));
        test::write_wav_f32(f.path(stages::demux_files::audio), {});
        f.set("asr.model", test::vad_model().string());
        try {
            f.run();
            FAIL() << "no error";
        } catch (const error& e) {
            EXPECT_EQ(e.code(), errc::input_empty_audio);
        }
    }
}

// The context stage's glossary → one prompt per chunk and pass, in the pass's script, within the
// budget by the model's tokenizer; prompts.json says what biased what. 10 000 names: still within.
TEST(AsrStage, PromptsFromTheGlossaryPerChunkAndPass) {
    CINESUB_SYNTHETIC_TINY(model);
    CINESUB_SKIP_IF_MISSING(test::vad_model());
    const auto jfk = testdata("media/en/en_jfk.wav");
    CINESUB_SKIP_IF_MISSING(jfk);
    asr_fixture f(asr::read_wav_16k_mono(jfk));
    fast_synthetic(f, model);
    f.set("workflow", "subtitle");
    f.set("source_lang", "hi");
    f.set("asr.chunk_s", 5.0);  // 3 chunks
    context::glossary g;
    g.entries = {{"Rohan", "रोहन", {}, "character", "test", 0},
                 {"Deepika", "दीपिका", {}, "character", "test", 1},
                 {"Ranbir", "", {}, "character", "test", 2},
                 {"Imran Khan", "", {}, "actor", "test", 1000}};
    util::write_json_atomic(f.path(stages::context_files::glossary), context::to_json(g));
    EXPECT_EQ(f.stage->inputs(f.job).back(), f.path(stages::context_files::glossary));
    f.run();
    const auto prompts = util::read_json(f.out("prompts.json"));
    EXPECT_FALSE(prompts.contains("none"));
    EXPECT_EQ(prompts["mode"], "rolling");
    ASSERT_EQ(prompts["passes"].size(), 2u);
    EXPECT_EQ(prompts["passes"][0]["task"], "transcribe");
    const auto& hi = prompts["passes"][0]["chunks"];
    const auto& en = prompts["passes"][1]["chunks"];
    ASSERT_EQ(hi.size(), 3u);
    ASSERT_EQ(en.size(), 3u);
    // The synthetic model has whisper.cpp's test vocabulary, which lost the partial UTF-8 bytes: it
    // cannot write Devanagari, so the Hindi pass gets no prompt rather than one with letters dropped
    // (context/prompt_test.cpp checks the Hindi sentence itself). The English pass names all three.
    for (const auto& c : hi) {
        EXPECT_EQ(c["prompt"], "");
        EXPECT_EQ(c["unwritable"], true);
        EXPECT_TRUE(c["names"].empty());
    }
    EXPECT_EQ(en[0]["prompt"], "With Rohan, Deepika and Ranbir.");
    for (const auto& c : en) {
        EXPECT_GT(c["tokens"].get<int>(), 0);
        EXPECT_LE(c["tokens"].get<int>(), c["budget"].get<int>());
        EXPECT_EQ(c["budget"], 223);
        EXPECT_EQ(c["names"].size(), 3u);
        EXPECT_FALSE(c.contains("unwritable"));
    }
    // The second stream starts at chunk 1 (8 streams, 3 chunks: one chunk each).
    EXPECT_EQ(hi[2]["seen_from_chunk"], 2);

    // A named speaker (the user's speaker map, through speakers.json) talking over all of it puts
    // Ranbir first in every English prompt.
    util::write_json_atomic(
        f.path(stages::speakers_files::speakers),
        nlohmann::json{{"schema", 1},
                       {"turns", {{{"start", 0.0}, {"end", 11.0}, {"speaker", "SPEAKER_00"}, {"name", "Ranbir"}}}}});
    f.run();
    const auto spoken = util::read_json(f.out("prompts.json"));
    for (const auto& c : spoken["passes"][1]["chunks"]) {
        EXPECT_EQ(c["names"][0]["term"], "Ranbir");
        EXPECT_EQ(c["names"][0]["speaking"], true);
    }
    fs::remove(f.path(stages::speakers_files::speakers));

    // 10 000 names, 100 allowed: the budget, measured with the model's tokenizer, stops the list.
    for (int i = 0; i < 10000; ++i)
        g.entries.push_back(
            {"Naam" + std::to_string(i) + " Kumari" + std::to_string(i), "", {}, "character", "test", 3 + i});
    util::write_json_atomic(f.path(stages::context_files::glossary), context::to_json(g));
    f.set("context.prompt_names", 100);
    f.set("workflow", "transcribe");
    f.set("source_lang", "en");  // a prompt the test vocabulary can write
    f.run();
    const auto big = util::read_json(f.out("prompts.json"));
    for (const auto& c : big["passes"][0]["chunks"]) {
        EXPECT_LE(c["tokens"].get<int>(), 223);
        EXPECT_GT(c["tokens"].get<int>(), 180);  // filled up to the budget
        EXPECT_LT(c["names"].size(), 100u);
        EXPECT_GT(c["names"].size(), 10u);
    }
    // asr.prompt wins: the same text for every chunk, no planner.
    f.set("asr.prompt", "Sholay");
    f.run();
    EXPECT_EQ(util::read_json(f.out("prompts.json"))["none"], "asr.prompt is set: it is every chunk's prompt");
}

// The replay engine goes through the same stage (skips until src/asr/replay_engine.cpp is the real one).
TEST(AsrStage, ReplayEngineThroughTheStage) {
    CINESUB_SKIP_IF_MISSING(test::vad_model());
    const auto jfk = testdata("media/en/en_jfk.wav");
    CINESUB_SKIP_IF_MISSING(jfk);
    asr_fixture f(asr::read_wav_16k_mono(jfk));
    transcript ref;
    ref.language = "en";
    ref.engine = "human";
    segment s;
    s.start = 0.3;
    s.end = 10.5;
    s.text = "And so my fellow Americans, ask not what your country can do for you.";
    ref.segments.push_back(s);
    save_transcript(f.tmp / "reference.json", ref);
    f.set("asr.engine", "replay");
    f.set("asr.replay", (f.tmp / "reference.json").string());
    f.set("workflow", "subtitle");
    f.set("source_lang", "en");
    EXPECT_EQ(f.stage->inputs(f.job).back(), f.tmp / "reference.json");
    try {
        f.run();
    } catch (const error& e) {
        if (std::string(e.what()).find("not available yet") != std::string::npos) GTEST_SKIP() << e.what();
        throw;
    }
    const auto t = load_transcript(f.out("transcript.en.json"));
    ASSERT_EQ(t.segments.size(), 1u);
    EXPECT_FALSE(t.synthetic);
    const auto tracks = util::read_json(f.out("tracks.json"));
    ASSERT_EQ(tracks["tracks"].size(), 1u);
    EXPECT_EQ(tracks["tracks"][0]["role"], "source+translation");
}

}  // namespace
}  // namespace cinesub
