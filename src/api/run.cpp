// run_job, job_status, job_outputs: the public job API over the runner and the workflow's stages.
#include "cinesub/error.hpp"
#include "cinesub/job.hpp"
#include "pipeline/manifest.hpp"
#include "pipeline/runner.hpp"
#include "stages/stages.hpp"

namespace cinesub {

namespace {

// job.json's settings against the schema, before any stage runs: exit 23 naming the key.
void validate_job(const job& j) {
    std::vector<setting_entry> entries;
    for (const auto& [key, v] : j.settings) entries.push_back({key, &v.value});
    validate_settings(entries, errc::job_invalid, (j.dir / "job.json").string());
}

}  // namespace

run_report run_job(const job& j, const run_options& options) {
    validate_job(j);
    return pipeline::run(j, stages::job_stages(j), options);
}

std::vector<stage_status> job_status(const job& j) {
    validate_job(j);
    return pipeline::list_stages(j, stages::job_stages(j));
}

std::map<std::string, std::vector<std::filesystem::path>> job_outputs(const job& j) {
    validate_job(j);
    std::map<std::string, std::vector<std::filesystem::path>> out;
    for (const auto& s : stages::job_stages(j)) {
        const auto folder = j.stage_dir(pipeline::stage_folder(s->name()));
        const auto m = pipeline::load_manifest(folder);
        if (!m || m->status != "done") continue;
        auto& files = out[std::string(s->name())];
        for (const auto& o : m->outputs) files.push_back(folder / o.path);
    }
    return out;
}

}  // namespace cinesub
