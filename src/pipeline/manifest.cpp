#include "pipeline/manifest.hpp"

#include "cinesub/error.hpp"
#include "util/fs.hpp"
#include "util/path_json.hpp"

#include <fmt/format.h>

extern "C" {
#include <libavutil/avutil.h>
}

namespace cinesub::pipeline {

using nlohmann::json;

namespace {
json fact_to_json(const file_fact& f) {
    return json{{"path", util::path_to_json(f.path)}, {"size", f.size}, {"mtime_ns", f.mtime_ns}, {"sha256", f.sha256}};
}
file_fact fact_from_json(const json& j) {
    return file_fact{util::path_from_json(j.at("path")).native(), j.at("size").get<std::uint64_t>(),
                     j.value("mtime_ns", std::int64_t{0}), j.at("sha256").get<std::string>()};
}
}  // namespace

json manifest::to_json() const {
    json in = json::array(), out = json::array();
    for (const auto& f : inputs) in.push_back(fact_to_json(f));
    for (const auto& f : outputs) out.push_back(fact_to_json(f));
    return json{{"schema", manifest_schema},
                {"stage", stage},
                {"status", status},
                {"reason", reason},
                {"inputs", in},
                {"settings", settings},
                {"settings_hash", settings_hash},
                {"outputs", out},
                {"tools", tools},
                {"started", started},
                {"finished", finished},
                {"seconds", seconds},
                {"fingerprint", fingerprint},
                {"metrics", metrics}};
}

manifest manifest::from_json(const json& j) {
    manifest m;
    m.stage = j.at("stage").get<std::string>();
    m.status = j.at("status").get<std::string>();
    m.reason = j.value("reason", std::string{});
    for (const auto& f : j.at("inputs")) m.inputs.push_back(fact_from_json(f));
    m.settings = j.value("settings", json::object());
    m.settings_hash = j.value("settings_hash", std::string{});
    for (const auto& f : j.at("outputs")) m.outputs.push_back(fact_from_json(f));
    m.tools = j.value("tools", json::object());
    m.started = j.value("started", std::string{});
    m.finished = j.value("finished", std::string{});
    m.seconds = j.value("seconds", 0.0);
    m.fingerprint = j.value("fingerprint", std::string{});
    m.metrics = j.value("metrics", json::object());
    return m;
}

std::optional<manifest> load_manifest(const std::filesystem::path& stage_dir) {
    auto file = stage_dir / "manifest.json";
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return std::nullopt;
    try {
        auto j = util::read_json(file);
        if (j.value("schema", 0) > manifest_schema) return std::nullopt;
        return manifest::from_json(j);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void save_manifest(const std::filesystem::path& stage_dir, const manifest& m) {
    util::write_json_atomic(stage_dir / "manifest.json", m.to_json());
}

file_fact describe_file(const std::filesystem::path& path, const std::vector<file_fact>* previous) {
    const auto stamp = util::stamp_of(path);
    if (!stamp) throw error(errc::input_missing, fmt::format("input file missing: {}", path.string()));
    file_fact f;
    f.path = path.string();
    f.size = stamp->size;
    f.mtime_ns = stamp->mtime_ns;
    if (previous) {
        for (const auto& p : *previous) {
            if (p.path == f.path && p.size == f.size && p.mtime_ns == f.mtime_ns && !p.sha256.empty()) {
                f.sha256 = p.sha256;
                return f;
            }
        }
    }
    f.sha256 = util::sha256_file(path);
    return f;
}

json tool_versions() {
    return json{{"cinesub", CINESUB_VERSION}, {"whisper.cpp", "1.9.1"}, {"ffmpeg", av_version_info()}};
}

std::string compute_fingerprint(const std::vector<file_fact>& inputs, const std::string& settings_hash,
                                const json& tools) {
    std::string material = settings_hash + "\n" + tools.dump() + "\n";
    for (const auto& f : inputs) material += f.path + "\t" + f.sha256 + "\n";
    return util::sha256_hex(material);
}

}  // namespace cinesub::pipeline
