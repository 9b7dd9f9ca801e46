// models: resolve errors, add (synthetic / garbage / wrong kind), verify, download against a local
// HTTP server (ok, resume, checksum mismatch, 404, no server), and the CLI.
#include "models/models.hpp"

#include "asr/synthetic_model.hpp"
#include "cinesub/error.hpp"
#include "support.hpp"
#include "util/fs.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>

namespace cinesub::models {
namespace {

namespace fs = std::filesystem;

using nlohmann::json;
using test::testdata;

fs::path vad_file() { return testdata("models/ggml-silero-v6.2.0.bin"); }
fs::path header_only() { return testdata("models/ggml-tiny-header-only.bin"); }

// A fresh, empty model cache for each test (CINESUB_MODEL_DIR), no VAD override.
struct cache : ::testing::Test {
    test::temp_dir dir;
    void SetUp() override {
        ::setenv("CINESUB_MODEL_DIR", dir.path().c_str(), 1);
        ::unsetenv("CINESUB_VAD_MODEL");
        ::unsetenv("CINESUB_MODEL_URL");
    }
    void TearDown() override { ::unsetenv("CINESUB_MODEL_DIR"); }
    std::vector<std::string> env() const { return {"CINESUB_MODEL_DIR=" + dir.path().string()}; }
};

template <class F>
error catch_error(F&& f) {
    try {
        f();
    } catch (const error& e) {
        return e;
    }
    ADD_FAILURE() << "no cinesub::error thrown";
    return error(errc::internal, "none");
}

TEST(Catalog, HasTheStandardNamesWithChecksums) {
    for (const char* n : {"tiny", "tiny.en", "base", "base.en", "small", "small.en", "medium", "medium.en", "large-v1",
                          "large-v2", "large-v3", "large-v3-turbo", "large-v3-turbo-q5_0", "base-q5_1", "tiny-q8_0",
                          "silero-v5.1.2", "silero-v6.2.0"}) {
        const auto* k = find_known(n);
        ASSERT_TRUE(k) << n;
        EXPECT_EQ(k->file, std::string("ggml-") + n + ".bin");
    }
    EXPECT_EQ(find_known("base")->sha256, "60ed5bc3dd14eea856493d334349b405782ddcaf0028d4b5df4088345fba2efe");
    EXPECT_EQ(find_known("base")->url, "https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-base.bin");
    EXPECT_EQ(find_known("silero-v6.2.0")->kind, model_kind::vad);
    for (const auto& m : catalog()) {
        EXPECT_TRUE(m.sha256.empty() || m.sha256.size() == 64) << m.name;
        EXPECT_TRUE(m.sha1.empty() || m.sha1.size() == 40) << m.name;
    }
}

TEST_F(cache, ResolveErrorsCarryTheCommand) {
    auto e = catch_error([] { resolve_whisper("base"); });
    EXPECT_EQ(e.code(), errc::model_missing);
    EXPECT_EQ(std::string(e.what()), "model 'base' is not in the cache (" + dir.path().string() +
                                         "); get it with: cinesub models download base  (or: cinesub models add FILE)");
    auto v = catch_error([] { resolve_vad(std::nullopt); });
    EXPECT_EQ(v.code(), errc::model_missing);
    EXPECT_NE(std::string(v.what()).find("cinesub models download silero-v6.2.0"), std::string::npos) << v.what();
    EXPECT_EQ(catch_error([] { resolve_whisper("/nonexistent/ggml-x.bin"); }).code(), errc::model_missing);
    EXPECT_EQ(catch_error([] { resolve_vad(std::string("/nonexistent/vad.bin")); }).code(), errc::model_missing);
}

TEST_F(cache, ResolveValidatesKinds) {
    CINESUB_SKIP_IF_MISSING(vad_file());
    EXPECT_EQ(resolve_vad(vad_file().string()), fs::absolute(vad_file()).lexically_normal());
    ::setenv("CINESUB_VAD_MODEL", vad_file().c_str(), 1);
    EXPECT_EQ(resolve_vad(std::nullopt), fs::absolute(vad_file()).lexically_normal());
    ::unsetenv("CINESUB_VAD_MODEL");
    EXPECT_EQ(catch_error([] { resolve_whisper(vad_file().string()); }).code(), errc::model_invalid);
    EXPECT_EQ(catch_error([] { resolve_whisper("silero-v6.2.0"); }).code(), errc::model_invalid);
    CINESUB_SKIP_IF_MISSING(header_only());
    EXPECT_EQ(catch_error([] { resolve_vad(header_only().string()); }).code(), errc::model_invalid);
}

TEST_F(cache, AddVadFileUnderItsStandardName) {
    CINESUB_SKIP_IF_MISSING(vad_file());
    auto r = add(vad_file(), std::nullopt);
    EXPECT_EQ(r.name, "silero-v6.2.0");
    EXPECT_EQ(r.kind, model_kind::vad);
    EXPECT_EQ(r.path, dir / "ggml-silero-v6.2.0.bin");
    EXPECT_EQ(util::sha256_file(r.path), util::sha256_file(vad_file()));
    EXPECT_TRUE(test::leftover_temporaries(dir.path()).empty());
    EXPECT_EQ(resolve_vad(std::nullopt), r.path);
    auto v = verify(std::nullopt);
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].status, "unknown");  // no published checksum for the VAD files
    bool listed = false;
    for (const auto& e : list()) listed = listed || (e.name == "silero-v6.2.0" && e.present);
    EXPECT_TRUE(listed);
}

TEST_F(cache, AddRefusesGarbageWrongKindAndHeaderOnly) {
    CINESUB_SKIP_IF_MISSING(vad_file());
    util::write_file_atomic(dir / "garbage.bin", std::string(4096, 'x'));
    EXPECT_EQ(catch_error([&] { add(dir / "garbage.bin", std::nullopt); }).code(), errc::model_invalid);
    auto wrong = catch_error([] { add(vad_file(), std::string("base")); });
    EXPECT_EQ(wrong.code(), errc::model_invalid);
    EXPECT_NE(std::string(wrong.what()).find("Silero VAD"), std::string::npos) << wrong.what();
    EXPECT_EQ(catch_error([] { add("/nonexistent/model.bin", std::nullopt); }).code(), errc::model_missing);
    CINESUB_SKIP_IF_MISSING(header_only());
    EXPECT_EQ(catch_error([] { add(header_only(), std::nullopt); }).code(), errc::model_invalid);
    EXPECT_FALSE(fs::exists(dir / "ggml-base.bin"));
    EXPECT_FALSE(fs::exists(dir / "ggml-tiny.bin"));
}

TEST_F(cache, AddSyntheticModel) {
    CINESUB_SKIP_IF_MISSING(header_only());
    test::temp_dir work;
    asr::synthetic_model_spec spec;
    spec.type = "tiny";
    spec.ftype = "q5_0";
    auto file = work / "synthetic.bin";
    models::write_synthetic_model(spec, header_only(), file);
    // Never under a standard name…
    auto e = catch_error([&] { add(file, std::string("tiny-q5_1")); });
    EXPECT_EQ(e.code(), errc::model_invalid);
    EXPECT_NE(std::string(e.what()).find("SYNTHETIC"), std::string::npos) << e.what();
    // …but under its derived one, and then it resolves.
    auto r = add(file, std::nullopt);
    EXPECT_EQ(r.name, "tiny-synthetic-q5_0");
    EXPECT_TRUE(r.synthetic);
    EXPECT_EQ(resolve_whisper("tiny-synthetic-q5_0"), r.path);
    EXPECT_EQ(resolve_any(r.path.string()), r.path);
    // A truncated copy is refused.
    auto bytes = util::read_file(file);
    util::write_file_atomic(work / "truncated.bin", std::string_view(bytes).substr(0, bytes.size() / 2));
    EXPECT_EQ(catch_error([&] { add(work / "truncated.bin", std::string("mine")); }).code(), errc::model_invalid);
    EXPECT_FALSE(fs::exists(dir / "ggml-mine.bin"));
}

// A local HTTP server serving one file, with Range support, recording the Range headers it saw.
struct server {
    httplib::Server http;
    std::thread thread;
    int port = 0;
    std::string content;
    std::vector<std::string> ranges;
    std::mutex mutex;
    explicit server(std::string body) : content(std::move(body)) {
        http.Get("/ggml-served.bin", [this](const httplib::Request& req, httplib::Response& res) {
            {
                std::lock_guard lock(mutex);
                ranges.push_back(req.get_header_value("Range"));
            }
            res.set_content(content, "application/octet-stream");
        });
        port = http.bind_to_any_port("127.0.0.1");
        thread = std::thread([this] { http.listen_after_bind(); });
        while (!http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~server() {
        http.stop();
        thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

known_model served_model(std::string sha256) {
    known_model m;
    m.name = "served";
    m.kind = model_kind::vad;
    m.file = "ggml-served.bin";
    m.sha256 = std::move(sha256);
    return m;
}

TEST_F(cache, DownloadOkResumeMismatch404) {
    CINESUB_SKIP_IF_MISSING(vad_file());
    const auto body = util::read_file(vad_file());
    const auto sha = util::sha256_file(vad_file());
    server s(body);
    download_options o;
    o.base_url = s.url();
    o.dir = dir.path();

    // ok
    auto r = download(served_model(sha), o);
    EXPECT_EQ(r.path, dir / "ggml-served.bin");
    EXPECT_EQ(r.bytes, body.size());
    EXPECT_EQ(r.verification, "sha256 ok");
    EXPECT_EQ(util::sha256_file(r.path), sha);
    EXPECT_FALSE(fs::exists(dir / "ggml-served.bin.part"));
    // present + verified: nothing fetched
    EXPECT_TRUE(download(served_model(sha), o).already_present);
    fs::remove(r.path);

    // resume after a partial .part
    util::write_file_atomic(dir / "ggml-served.bin.part", std::string_view(body).substr(0, 100000));
    s.ranges.clear();
    auto resumed = download(served_model(sha), o);
    EXPECT_EQ(resumed.resumed_from, 100000u);
    EXPECT_EQ(resumed.downloaded, body.size() - 100000);
    ASSERT_FALSE(s.ranges.empty());
    EXPECT_EQ(s.ranges.back(), "bytes=100000-");
    EXPECT_EQ(util::sha256_file(resumed.path), sha);
    fs::remove(resumed.path);

    // checksum mismatch: nothing installed, the .part deleted
    auto e = catch_error([&] { download(served_model(std::string(64, '0')), o); });
    EXPECT_EQ(e.code(), errc::model_invalid);
    EXPECT_FALSE(fs::exists(dir / "ggml-served.bin"));
    EXPECT_FALSE(fs::exists(dir / "ggml-served.bin.part"));

    // 404
    auto missing = served_model(sha);
    missing.file = "ggml-absent.bin";
    auto n = catch_error([&] { download(missing, o); });
    EXPECT_EQ(n.code(), errc::network);
    EXPECT_NE(std::string(n.what()).find("404"), std::string::npos) << n.what();
    EXPECT_FALSE(fs::exists(dir / "ggml-absent.bin"));
}

TEST_F(cache, DownloadWithoutServerIsNetworkError) {
    const int port = 1;  // nothing listens there (privileged, unused)
    download_options o;
    o.base_url = "http://127.0.0.1:" + std::to_string(port);
    o.dir = dir.path();
    auto e = catch_error([&] { download(served_model(""), o); });
    EXPECT_EQ(e.code(), errc::network);
    EXPECT_FALSE(fs::exists(dir / "ggml-served.bin"));
    EXPECT_EQ(catch_error([] { download("no-such-model"); }).code(), errc::usage);
}

TEST_F(cache, Cli) {
    auto list = test::run_cli({"models", "list", "--json"}, env());
    ASSERT_EQ(list.exit_code, 0) << list.err;
    auto j = json::parse(list.out);
    EXPECT_EQ(j["dir"], dir.path().string());
    bool base_absent = false;
    for (const auto& m : j["models"]) base_absent = base_absent || (m["name"] == "base" && !m["present"].get<bool>());
    EXPECT_TRUE(base_absent);
    EXPECT_NE(list.out.find("\"name\": \"base\", \"path\""), std::string::npos);  // one object per line

    auto path = test::run_cli({"models", "path", "base"}, env());
    EXPECT_EQ(path.exit_code, 30);
    EXPECT_NE(path.err.find("cinesub models download base"), std::string::npos) << path.err;

    auto offline = env();
    offline.push_back("CINESUB_MODEL_URL=http://127.0.0.1:1");
    auto dl = test::run_cli({"models", "download", "base"}, offline);
    EXPECT_EQ(dl.exit_code, 32) << dl.err;
    EXPECT_FALSE(fs::exists(dir / "ggml-base.bin"));

    CINESUB_SKIP_IF_MISSING(vad_file());
    auto added = test::run_cli({"models", "add", vad_file().string()}, env());
    ASSERT_EQ(added.exit_code, 0) << added.err;
    auto vp = test::run_cli({"models", "path", "silero-v6.2.0"}, env());
    ASSERT_EQ(vp.exit_code, 0) << vp.err;
    EXPECT_EQ(vp.out, (dir / "ggml-silero-v6.2.0.bin").string() + "\n");
    auto refused = test::run_cli({"models", "add", vad_file().string(), "--name", "base"}, env());
    EXPECT_EQ(refused.exit_code, 31);
    auto ver = test::run_cli({"models", "verify", "--json"}, env());
    EXPECT_EQ(ver.exit_code, 0) << ver.err;
    EXPECT_EQ(json::parse(ver.out)["results"][0]["status"], "unknown");
}

}  // namespace
}  // namespace cinesub::models
