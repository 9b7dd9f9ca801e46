#include "stage_fixture.hpp"

#include "util/log.hpp"
#include "util/progress.hpp"

#include <chrono>

namespace cinesub::test {

stage_fixture::stage_fixture(const std::filesystem::path& media) {
    job.id = "20261124-0001";
    job.dir = tmp.path();
    job.set_media_path(media.empty() ? tmp / "film.mkv" : media);
    for (const auto& s : all_settings()) job.set(s.key, s.default_value, setting_source::default_value);
    std::filesystem::create_directories(job.logs_dir());
}

void stage_fixture::set(const std::string& key, nlohmann::json value) {
    job.set(key, std::move(value), setting_source::flag);
}

std::filesystem::path stage_fixture::path(const pipeline::artefact& a) const {
    auto p = pipeline::artefact_path(job, a);
    std::filesystem::create_directories(p.parent_path());
    return p;
}

std::filesystem::path stage_fixture::file(std::string_view stage, const std::string& name) const {
    const auto dir = job.stage_dir(pipeline::stage_folder(stage));
    std::filesystem::create_directories(dir);
    return dir / name;
}

std::vector<std::filesystem::path> stage_fixture::run(pipeline::stage& s) const {
    const std::string name(s.name());
    const auto dir = job.stage_dir(pipeline::stage_folder(name));
    std::filesystem::create_directories(dir);
    util::progress progress(name, false);
    pipeline::stage_context ctx(job, name, dir,
                                util::make_file_logger(name + "-test", job.logs_dir() / (name + ".log")), progress,
                                std::chrono::steady_clock::now() + std::chrono::hours(1));
    ctx.refresh = refresh;
    auto out = s.run(ctx);
    metrics_ = ctx.metrics();
    return out;
}

}  // namespace cinesub::test
