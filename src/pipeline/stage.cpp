#include "pipeline/stage.hpp"

#include "cinesub/error.hpp"
#include "util/interrupt.hpp"

#include <fmt/format.h>

#include <array>

namespace cinesub::pipeline {

namespace {
// The fixed order of every stage cinesub knows. Folder numbers come from here, so a stage keeps
// its folder whichever workflow runs it (the workflows' stage lists are in src/stages/workflow.cpp).
constexpr std::array<std::string_view, 10> all_stage_names = {
    "demux", "metadata", "context", "vad", "speakers", "songs", "asr", "correction", "subtitles", "mux"};
}  // namespace

std::filesystem::path artefact_path(const cinesub::job& job, const artefact& a) {
    return job.stage_dir(stage_folder(a.stage)) / std::string(a.file);
}

void setting_uses::mark(std::initializer_list<std::string_view> keys, bool hashed, bool reruns) {
    for (auto k : keys) {
        bool found = false;
        for (auto& u : list_)
            if (u.info->key == k) {
                u.hashed = hashed;
                u.reruns = reruns;
                found = true;
            }
        if (!found) throw error(errc::internal, fmt::format("setting_uses: {} is not among the stage's settings", k));
    }
}

setting_uses&& setting_uses::input(std::initializer_list<std::string_view> keys) && {
    mark(keys, false, true);
    return std::move(*this);
}

setting_uses&& setting_uses::not_hashed(std::initializer_list<std::string_view> keys) && {
    mark(keys, false, false);
    return std::move(*this);
}

const setting_info* setting_uses::require(const setting_info* info, std::string_view key) {
    if (!info) throw error(errc::internal, fmt::format("setting_uses: no setting {} in that schema", key));
    return info;
}

std::filesystem::path stage_context::path(const artefact& a) const {
    return a.stage == stage_ ? dir / std::string(a.file) : artefact_path(job, a);
}

bool stage_context::should_stop() const { return util::interrupted() || timed_out(); }

void stage_context::check_stop() const {
    if (should_stop()) throw error(errc::interrupted, "stopped");
}

nlohmann::json stage_settings(const stage& s, const cinesub::job& job) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& use : s.settings_read()) {
        if (!use.hashed) continue;
        const auto* v = job.value(use.info->key);
        out[use.info->key] = v ? *v : use.info->default_value;
    }
    const auto derived = s.derived_settings(job);  // named: items() of a temporary would dangle
    for (const auto& [key, value] : derived.items()) out[key] = value;
    return out;
}

std::string stage_folder(std::string_view stage_name) {
    for (std::size_t i = 0; i < all_stage_names.size(); ++i)
        if (all_stage_names[i] == stage_name) return fmt::format("{:02}_{}", i + 1, stage_name);
    throw error(errc::internal, fmt::format("unknown stage '{}'", stage_name));
}

}  // namespace cinesub::pipeline
