#include "cli_fixture.hpp"

#include "util/fs.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace cinesub::test {

namespace fs = std::filesystem;

int line_count(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

void expect_error(const run_result& r, errc code, const std::string& fragment) {
    EXPECT_EQ(r.exit_code, exit_code(code)) << r.err;
    EXPECT_EQ(line_count(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
}

std::vector<std::string> replay_prepare_args(const fs::path& media, const fs::path& out, const fs::path& reference,
                                             const std::vector<std::string>& extra) {
    std::vector<std::string> args{
        "prepare",       media.string(), "--out",           out.string(),   "--user",
        "tester",        "--vad-model",  silero().string(), "--asr-engine", "replay:" + reference.string(),
        "--source-lang", "en",           "--workflow",      "transcribe"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

fs::path prepare_job(const std::vector<std::string>& prepare_args) {
    auto args = prepare_args;
    args.emplace_back("--json");
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    if (r.exit_code != 0) return {};
    return fs::path(nlohmann::json::parse(r.out).at("dir").get<std::string>());
}

std::vector<std::pair<std::string, std::string>> stage_outputs(const fs::path& job_dir) {
    std::vector<std::pair<std::string, std::string>> out;
    const auto stages = job_dir / "stages";
    for (const auto& e : fs::recursive_directory_iterator(stages)) {
        if (!e.is_regular_file() || e.path().filename() == "manifest.json") continue;
        out.emplace_back(fs::relative(e.path(), stages).string(), util::read_file(e.path()));
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace cinesub::test
