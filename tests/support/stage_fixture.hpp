// A job folder for running stages one at a time through the stage interface (what `cinesub run`
// calls), without prepare: every setting at its default, as prepare writes them, and the media given.
#pragma once

#include "cinesub/job.hpp"
#include "pipeline/stage.hpp"
#include "support.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace cinesub::test {

class stage_fixture {
public:
    // media: the job's media file (may not exist for stages that do not read it).
    explicit stage_fixture(const std::filesystem::path& media = {});

    temp_dir tmp;
    cinesub::job job;
    bool refresh = false;  // what `run --refresh` hands the stage

    // A setting, as a flag would set it.
    void set(const std::string& key, nlohmann::json value);
    // Where an artefact is (its stage folder is created).
    std::filesystem::path path(const pipeline::artefact& a) const;
    // A file in a stage's folder (the folder is created).
    std::filesystem::path file(std::string_view stage, const std::string& name) const;
    // Runs `s` in its (created) folder with a one-hour deadline; logs go to logs/<stage>.log.
    std::vector<std::filesystem::path> run(pipeline::stage& s) const;
    // The stage's metrics after the last run() of it.
    const nlohmann::json& metrics() const { return metrics_; }

private:
    mutable nlohmann::json metrics_ = nlohmann::json::object();
};

}  // namespace cinesub::test
