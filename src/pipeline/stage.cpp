#include "pipeline/stage.hpp"

#include "cinesub/error.hpp"
#include "util/interrupt.hpp"

#include <fmt/format.h>

#include <array>

namespace cinesub::pipeline {

namespace {
// The fixed order of every stage cinesub knows. Folder numbers come from here, so a stage keeps
// its folder whichever workflow runs it.
constexpr std::array<std::string_view, 10> all_stage_names = {
    "demux", "metadata", "context", "vad", "speakers", "asr", "songs", "correction", "subtitles", "mux"};
}  // namespace

bool stage_context::should_stop() const { return util::interrupted() || timed_out(); }

void stage_context::check_stop() const {
    if (util::interrupted()) throw error(errc::interrupted, "interrupted");
    if (timed_out()) throw error(errc::stage_timeout, "stage timed out");
}

fs::path stage_context::output_of(std::string_view stage, std::string_view file) const {
    return stage_output(job, stage, file);
}

std::string stage_folder(std::string_view stage_name) {
    for (std::size_t i = 0; i < all_stage_names.size(); ++i)
        if (all_stage_names[i] == stage_name) return fmt::format("{:02}_{}", i + 1, stage_name);
    throw error(errc::internal, fmt::format("unknown stage '{}'", stage_name));
}

fs::path stage_output(const jobs::job& job, std::string_view stage_name, std::string_view file) {
    return job.stage_dir(stage_folder(stage_name)) / std::string(file);
}

}  // namespace cinesub::pipeline
