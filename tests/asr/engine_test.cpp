// The whisper.cpp engine end to end with a synthetic tiny model (random weights: the text is noise,
// only the mechanics are checked): load → VAD → chunk → parallel decode → transcript.
#include "audio_fixtures.hpp"

#include "asr/chunker.hpp"
#include "asr/whisper_engine.hpp"
#include "asr/words.hpp"
#include "cinesub/error.hpp"
#include "util/text.hpp"
#include "vad/vad.hpp"

#include <gtest/gtest.h>

#include <array>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

namespace cinesub::asr {
namespace {

namespace fs = std::filesystem;

using test::testdata;

// Fast settings for the mechanics: greedy, no fallback ladder, few tokens per window.
params fast_options(const fs::path& model, int workers = 1) {
    params o;
    o.model = model.string();
    o.workers = workers;
    o.threads = 1;
    o.beam_size = 1;
    o.best_of = 1;
    o.temperature_inc = 0.0f;
    o.max_tokens = 6;
    o.chunk_s = 5.0;  // jfk's 11 s become several chunks
    return o;
}

speech_map vad_of(const std::vector<float>& audio) {
    vad::detector d(test::vad_model());
    return vad::detect(d, audio, {});
}

errc error_of(const std::function<void()>& f, std::string* message = nullptr) {
    try {
        f();
    } catch (const error& e) {
        if (message) *message = e.what();
        return e.code();
    }
    return errc::internal;
}

class EngineTest : public ::testing::Test {
protected:
    void SetUp() override {
        model_ = test::synthetic_tiny();
        if (model_.empty()) GTEST_SKIP() << "test data missing: " << test::header_model();
        if (!fs::exists(test::vad_model())) GTEST_SKIP() << "test data missing: " << test::vad_model();
        const auto jfk = testdata("media/en/en_jfk.wav");
        if (!fs::exists(jfk)) GTEST_SKIP() << "test data missing: " << jfk;
        audio_ = read_wav_16k_mono(jfk);
        speech_ = vad_of(audio_);
    }
    request make_request() const {
        request r;
        r.audio = audio_;
        r.speech = &speech_;
        r.language = "hi";
        return r;
    }
    fs::path model_;
    std::vector<float> audio_;
    speech_map speech_;
};

TEST_F(EngineTest, TranscriptMechanics) {
    whisper_engine e(fast_options(model_, 2));
    const auto chunks = make_chunks(speech_, 5.0, params{}.max_gap_s);
    ASSERT_GE(chunks.size(), 2u);
    std::vector<double> fractions;
    std::string last_detail;
    auto req = make_request();
    req.on_progress = [&](double f, std::string_view d) {
        fractions.push_back(f);
        last_detail = d;
    };
    const auto t = e.run(req);
    EXPECT_TRUE(t.synthetic);
    EXPECT_EQ(t.engine, "whisper");
    EXPECT_EQ(t.language, "hi");
    double prev = 0;
    for (const auto& s : t.segments) {
        ASSERT_GE(s.chunk, 0);
        ASSERT_LT(static_cast<std::size_t>(s.chunk), chunks.size());
        const auto& c = chunks[static_cast<std::size_t>(s.chunk)];
        EXPECT_GE(s.start, c.start - 1e-9);
        EXPECT_LE(s.end, c.end + 1e-9);
        EXPECT_GE(s.start, prev - 1e-9) << "segments out of order";
        EXPECT_LE(s.start, s.end);
        EXPECT_TRUE(util::valid_utf8(s.text));
        double wprev = s.start;
        for (const auto& w : s.words) {
            EXPECT_TRUE(util::valid_utf8(w.text)) << w.text;
            EXPECT_FALSE(w.text.empty());
            EXPECT_GE(w.start, wprev - 1e-9);
            EXPECT_LE(w.end, s.end + 1e-9);
            EXPECT_GE(w.probability, 0.0f);
            EXPECT_LE(w.probability, 1.0f);
            wprev = w.end;
        }
        prev = s.end;
    }
    // Progress: chunks done / total, realtime factor and ETA, ending at 1.
    ASSERT_FALSE(fractions.empty());
    EXPECT_TRUE(std::is_sorted(fractions.begin(), fractions.end()));
    EXPECT_DOUBLE_EQ(fractions.back(), 1.0);
    const auto info = e.last_run_info();
    EXPECT_EQ(info["chunks"], chunks.size());
    EXPECT_EQ(info["synthetic"], true);
    EXPECT_EQ(info["workers"], 2);
    EXPECT_GT(info["x_realtime"].get<double>(), 0.0);
}

// jfk's 11 s in 5 s chunks: 3 chunks, so 2 workers decode one round of 2 and a tail of 1. With flash
// attention off (word_times=dtw) the tail chunk gets both workers' threads; with it on (the default) it
// keeps its worker's (ggml's flash attention sums in an order that depends on the thread count).
// Under TSan only the default mode: the re-threaded tail runs ggml's thread pool, whose synchronisation is
// in uninstrumented ggml-cpu code (cmake/sanitize.cmake), so TSan would report its memcpy's as races.
#if defined(__SANITIZE_THREAD__)
constexpr std::array parallel_methods{word_time_method::tokens};
#else
constexpr std::array parallel_methods{word_time_method::tokens, word_time_method::dtw};
#endif

TEST_F(EngineTest, ParallelEqualsSequentialAndDeterministic) {
    for (const auto method : parallel_methods) {
        auto one = fast_options(model_, 1);
        auto two = fast_options(model_, 2);
        one.word_times = two.word_times = method;
        whisper_engine seq(one);
        whisper_engine par(two);
        const auto req = make_request();
        const nlohmann::json a = seq.run(req);
        const nlohmann::json b = par.run(req);
        const nlohmann::json c = par.run(req);  // the same engine again (states reused)
        EXPECT_EQ(a, b) << word_time_names[static_cast<std::size_t>(method)];
        EXPECT_EQ(b, c);
        const auto info = par.last_run_info();
        EXPECT_EQ(info["chunks"], 3);
        EXPECT_EQ(info["tail_chunks"], 1);
        EXPECT_EQ(info["tail_threads"], method == word_time_method::dtw ? 2 : 1);
    }
}

TEST_F(EngineTest, ProgressDetailSaysChunksRealtimeAndEta) {
    whisper_engine e(fast_options(model_, 1));
    std::vector<std::string> details;
    auto req = make_request();
    req.on_progress = [&](double, std::string_view d) { details.emplace_back(d); };
    e.run(req);
    ASSERT_GE(details.size(), 3u);
    const auto& mid = details[1];
    EXPECT_NE(mid.find("chunk 1/"), std::string::npos) << mid;
    EXPECT_NE(mid.find("realtime"), std::string::npos) << mid;
    EXPECT_NE(mid.find("ETA"), std::string::npos) << mid;
}

TEST_F(EngineTest, LanguageDetectionTranslateAndLongPrompt) {
    auto o = fast_options(model_, 1);
    whisper_engine e(o);
    auto req = make_request();
    req.language = "auto";
    const auto t = e.run(req);
    const auto info = e.last_run_info();
    EXPECT_EQ(info["language_detected"], true);
    EXPECT_FALSE(t.language.empty());
    EXPECT_GE(t.language_probability, 0.0f);
    EXPECT_LE(t.language_probability, 1.0f);

    req.language = "hi";
    req.task = "translate";
    std::string prompt;
    for (int i = 0; i < 400; ++i) prompt += "Sholay Jai Veeru Basanti ";  // far beyond 224 tokens: the tail is kept
    req.prompt = prompt;
    const auto tr = e.run(req);
    EXPECT_EQ(tr.task, "translate");
    EXPECT_EQ(tr.language, "en");

    req.task = "summarise";
    EXPECT_EQ(error_of([&] { e.run(req); }), errc::usage);
}

// Rolling prompts: with 2 streams over jfk's 3 chunks, chunk 0 sees nothing before it, chunk 1 starts
// the second stream, chunk 2 sees chunk 1. Each prompt is made from the text decoded before it, so the
// transcript depends on the order: it must come out the same with 1 and 2 workers, and twice.
TEST_F(EngineTest, RollingPromptsSeeTheirStreamOnlyAndDoNotDependOnWorkers) {
    struct asked {
        int index, first;
        std::size_t earlier_segments;
        std::string prompt;
        int max_tokens;
    };
    auto run = [&](int workers, std::vector<asked>& log) {
        whisper_engine e(fast_options(model_, workers));
        std::mutex m;
        auto req = make_request();
        req.prompt_streams = 2;
        req.prompt_for = [&](const prompt_query& q) {
            std::size_t n = 0;
            std::string prompt = "Rohan";
            for (int j = q.first; j < q.index; ++j)
                for (const auto& s : q.segments_of(j)) {
                    ++n;
                    prompt += " " + s.text;
                }
            EXPECT_GT(q.count_tokens(prompt), 0);
            // whisper.cpp's test vocabulary has no one-byte tokens above 0x7F: Devanagari cannot be written.
            EXPECT_EQ(q.count_tokens("रोहन"), -1);
            EXPECT_THROW(q.segments_of(q.index), error);  // not decoded yet
            std::lock_guard lock(m);
            log.push_back({q.index, q.first, n, prompt, q.max_tokens});
            return prompt;
        };
        return nlohmann::json(e.run(req));
    };
    std::vector<asked> one, two, again;
    const auto a = run(1, one);
    const auto b = run(2, two);
    const auto c = run(2, again);
    EXPECT_EQ(a, b);
    EXPECT_EQ(b, c);
    for (auto* log : {&one, &two, &again}) {
        ASSERT_EQ(log->size(), 3u);
        std::sort(log->begin(), log->end(), [](const asked& x, const asked& y) { return x.index < y.index; });
        EXPECT_EQ((*log)[0].first, 0);
        EXPECT_EQ((*log)[1].first, 1);
        EXPECT_EQ((*log)[2].first, 1);
        EXPECT_EQ((*log)[0].earlier_segments, 0u);
        EXPECT_EQ((*log)[1].earlier_segments, 0u);
        EXPECT_EQ((*log)[0].max_tokens, 223);  // n_text_ctx / 2 − 1 for every Whisper model
    }
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(one[i].prompt, two[i].prompt) << i;
    // An error in the prompt stops the run with that error.
    whisper_engine e(fast_options(model_, 2));
    auto req = make_request();
    req.prompt_streams = 2;
    req.prompt_for = [](const prompt_query& q) -> std::string {
        if (q.index == 2) throw error(errc::input_corrupt, "bad glossary");
        return "Rohan";
    };
    EXPECT_EQ(error_of([&] { e.run(req); }), errc::input_corrupt);
}

TEST_F(EngineTest, InterruptionStopsAfterTheCurrentChunkAndTheNextRunCompletes) {
    whisper_engine e(fast_options(model_, 1));
    auto req = make_request();
    int chunks_done = 0;
    req.on_progress = [&](double f, std::string_view) {
        if (f > 0) ++chunks_done;
    };
    req.should_stop = [&] { return chunks_done >= 1; };
    std::string msg;
    EXPECT_EQ(error_of([&] { e.run(req); }, &msg), errc::interrupted);
    EXPECT_EQ(msg.find('\n'), std::string::npos);
    EXPECT_NE(msg.find("1 of"), std::string::npos) << msg;
    req.should_stop = {};
    req.on_progress = {};
    const nlohmann::json again = e.run(req);
    whisper_engine fresh(fast_options(model_, 1));
    const nlohmann::json reference = fresh.run(make_request());
    EXPECT_EQ(again, reference);
}

TEST_F(EngineTest, SilenceGivesAnEmptyTranscriptWithoutDecoding) {
    whisper_engine e(fast_options(model_, 2));
    const std::vector<float> hour(16000 * 3600, 0.0f);
    const auto t0 = std::chrono::steady_clock::now();
    const auto speech = vad_of(hour);
    request req;
    req.audio = hour;
    req.speech = &speech;
    req.language = "auto";
    const auto t = e.run(req);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_TRUE(t.segments.empty());
    EXPECT_EQ(e.chunks_decoded_total(), 0);
    EXPECT_EQ(e.last_run_info()["chunks"], 0);
    EXPECT_LT(s, 10.0);
    RecordProperty("vad_and_asr_seconds_for_1h_of_silence", std::to_string(s));
    std::printf("VAD + ASR of 1 h of silence: %.2f s\n", s);

    // Empty audio is an error, not an empty transcript.
    req.audio = {};
    EXPECT_EQ(error_of([&] { e.run(req); }), errc::input_empty_audio);
}

TEST(EngineModels, BadModelFilesAreRefusedWithOneLine) {
    CINESUB_SYNTHETIC_TINY(model);
    CINESUB_SKIP_IF_MISSING(test::vad_model());
    test::temp_dir tmp;
    auto load = [](const fs::path& p) {
        params o;
        o.model = p.string();
        whisper_engine e(o);
    };
    std::string msg;
    EXPECT_EQ(error_of([&] { load(tmp / "absent.bin"); }, &msg), errc::model_missing);
    EXPECT_EQ(error_of([&] { load(test::vad_model()); }, &msg), errc::model_invalid);
    EXPECT_NE(msg.find("VAD"), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos);
    EXPECT_EQ(error_of([&] { load(test::header_model()); }, &msg), errc::model_invalid);
    EXPECT_EQ(error_of([&] { vad::detector d(model); }, &msg), errc::model_invalid);
    EXPECT_NE(msg.find("Whisper"), std::string::npos) << msg;
    // Truncated and corrupt copies.
    {
        std::ifstream in(model, std::ios::binary);
        std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::ofstream(tmp / "half.bin", std::ios::binary)
            .write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
        bytes[0] ^= 0x5a;
        std::ofstream(tmp / "magic.bin", std::ios::binary)
            .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    EXPECT_EQ(error_of([&] { load(tmp / "half.bin"); }, &msg), errc::model_invalid);
    EXPECT_EQ(msg.find('\n'), std::string::npos);
    EXPECT_EQ(error_of([&] { load(tmp / "magic.bin"); }, &msg), errc::model_invalid);
    std::ofstream(tmp / "empty.bin").flush();
    EXPECT_EQ(error_of([&] { load(tmp / "empty.bin"); }, &msg), errc::model_invalid);
}

// Transcription quality needs real weights: runs only when CINESUB_MODEL_DIR holds ggml-tiny/base.
TEST(EngineRealModel, JfkWithARealModel) {
    const char* dir = std::getenv("CINESUB_MODEL_DIR");
    fs::path model;
    for (const char* name : {"ggml-base.bin", "ggml-tiny.bin", "ggml-base.en.bin", "ggml-tiny.en.bin"})
        if (dir && fs::exists(fs::path(dir) / name)) {
            model = fs::path(dir) / name;
            break;
        }
    if (model.empty())
        GTEST_SKIP() << "no real Whisper model (ggml-base/tiny[.en].bin) in CINESUB_MODEL_DIR: quality not checked";
    const auto jfk = testdata("media/en/en_jfk.wav");
    CINESUB_SKIP_IF_MISSING(jfk);
    CINESUB_SKIP_IF_MISSING(test::vad_model());
    const auto audio = read_wav_16k_mono(jfk);
    const auto speech = vad_of(audio);
    params o;
    o.model = model.string();
    whisper_engine e(o);
    request req;
    req.audio = audio;
    req.speech = &speech;
    req.language = "auto";
    const auto t = e.run(req);
    EXPECT_FALSE(t.synthetic);
    EXPECT_EQ(t.language, "en");
    std::string text;
    for (const auto& s : t.segments) text += s.text + " ";
    text = util::lower_ascii(text);
    EXPECT_NE(text.find("ask not what your country can do for you"), std::string::npos) << text;
}

}  // namespace
}  // namespace cinesub::asr

namespace cinesub::asr {
namespace {

// Not a timed test: opt-in measurement of 2 workers × 1 thread against 1 worker × 2 threads (and the
// other splits) with a synthetic model of real dimensions. CINESUB_ASR_BENCH=base (or tiny, small…).
TEST(EngineBench, WorkersVersusThreads) {
    const char* type = std::getenv("CINESUB_ASR_BENCH");
    if (!type || !*type) GTEST_SKIP() << "set CINESUB_ASR_BENCH=base to measure workers × threads";
    CINESUB_SKIP_IF_MISSING(test::header_model());
    CINESUB_SKIP_IF_MISSING(test::vad_model());
    const auto model = ensure_synthetic_model({type, 42, "f16"}, test::header_model(), test::test_models_dir());
    // ~100 s, several chunks: the diarization sample, jfk, and the English/German reading.
    std::vector<float> audio;
    for (const char* f : {"media/diarization/en_pyannote_sample.wav", "media/en/en_jfk.wav",
                          "media/multilingual/en_de_multilingual_mit_license.mp3"}) {
        CINESUB_LOAD_16K(part, testdata(f));
        audio.insert(audio.end(), part.begin(), part.end());
        audio.insert(audio.end(), 16000 * 2, 0.0f);
    }
    const auto speech = vad_of(audio);
    const unsigned cores = std::max(2u, std::thread::hardware_concurrency());
    std::vector<std::pair<int, int>> splits{{static_cast<int>(cores), 1}, {1, static_cast<int>(cores)}};
    if (cores >= 4) splits.push_back({2, static_cast<int>(cores / 2)});
    std::optional<nlohmann::json> first;
    for (const auto& [workers, threads] : splits) {
        auto o = fast_options(model, workers);
        o.threads = threads;
        o.chunk_s = 30.0;
        o.max_tokens = 32;  // random weights: cap the decoder's tokens per window
        whisper_engine e(o);
        request req;
        req.audio = audio;
        req.speech = &speech;
        req.language = "en";
        const nlohmann::json t = e.run(req);
        const auto info = e.last_run_info();
        std::printf("%s synthetic, %.1f s audio, %d chunks: %d workers x %d threads: %.2f s wall, %.2fx realtime\n",
                    type, info["audio_seconds"].get<double>(), info["chunks"].get<int>(), workers, threads,
                    info["wall_seconds"].get<double>(), info["x_realtime"].get<double>());
        if (first) {
            EXPECT_EQ(*first, t) << "the split changed the transcript";
        } else {
            first = t;
        }
    }
}

}  // namespace
}  // namespace cinesub::asr
