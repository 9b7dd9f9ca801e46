#include "subtitles/profile.hpp"

#include "cinesub/error.hpp"

#include <fmt/format.h>

#include <array>

namespace cinesub::subs {

using nlohmann::json;

namespace {

// The profiles, as data. Netflix Timed Text Style Guide values: 42 characters per line, 2 lines,
// 20 cps (adult English) / 17 cps (most other languages, Hindi included), 5/6 s minimum and 7 s
// maximum duration, 2 frames between cues, and gaps under 0.5 s closed.
const std::array<profile, 3> profiles{{
    {"netflix-en", 42, 2, 20, 5.0 / 6, 7, 2, 0.1, 0.25, 0.5, 2.0},
    {"netflix-other", 42, 2, 17, 5.0 / 6, 7, 2, 0.1, 0.25, 0.5, 2.0},
    {"relaxed", 50, 2, 25, 0.5, 10, 1, 0.1, 0.25, 0.0, 3.0},
}};

struct key_spec {
    std::string_view key;
    double lo, hi;
    bool integer;
};

const std::array<key_spec, 10> keys{{
    {"max_cpl", 4, 200, true},
    {"max_lines", 1, 10, true},
    {"max_cps", 1, 100, false},
    {"min_duration", 0, 60, false},
    {"max_duration", 0.1, 600, false},
    {"min_gap_frames", 0, 100, true},
    {"lead_in", 0, 2, false},
    {"snap_window", 0, 2, false},
    {"chain_gap", 0, 10, false},
    {"max_pause", 0.1, 600, false},
}};

}  // namespace

json profile::to_json() const {
    return json{{"name", name},
                {"max_cpl", max_cpl},
                {"max_lines", max_lines},
                {"max_cps", max_cps},
                {"min_duration", min_duration},
                {"max_duration", max_duration},
                {"min_gap_frames", min_gap_frames},
                {"lead_in", lead_in},
                {"snap_window", snap_window},
                {"chain_gap", chain_gap},
                {"max_pause", max_pause}};
}

profile get_profile(std::string_view name) {
    for (const auto& p : profiles)
        if (p.name == name) return p;
    throw error(errc::usage, fmt::format("unknown subtitle profile '{}' (netflix-en, netflix-other, relaxed)", name));
}

std::vector<std::string> profile_names() {
    std::vector<std::string> out;
    for (const auto& p : profiles) out.push_back(p.name);
    return out;
}

std::string default_profile_name(std::string_view language) {
    return language == "en" || language.starts_with("en-") ? "netflix-en" : "netflix-other";
}

void apply_overrides(profile& p, const json& settings) {
    if (!settings.is_object()) return;
    for (const auto& spec : keys) {
        auto full = fmt::format("subtitles.{}", spec.key);
        auto it = settings.find(full);
        if (it == settings.end() || it->is_null()) continue;
        if (!it->is_number())
            throw error(errc::job_invalid, fmt::format("setting {} must be a number, not {}", full, it->dump()));
        double v = it->get<double>();
        if (v < spec.lo || v > spec.hi || (spec.integer && v != static_cast<double>(static_cast<long long>(v))))
            throw error(errc::job_invalid, fmt::format("setting {} = {} is out of range ({}{} to {})", full, it->dump(),
                                                       spec.integer ? "an integer " : "", spec.lo, spec.hi));
        if (spec.key == "max_cpl")
            p.max_cpl = static_cast<int>(v);
        else if (spec.key == "max_lines")
            p.max_lines = static_cast<int>(v);
        else if (spec.key == "max_cps")
            p.max_cps = v;
        else if (spec.key == "min_duration")
            p.min_duration = v;
        else if (spec.key == "max_duration")
            p.max_duration = v;
        else if (spec.key == "min_gap_frames")
            p.min_gap_frames = static_cast<int>(v);
        else if (spec.key == "lead_in")
            p.lead_in = v;
        else if (spec.key == "snap_window")
            p.snap_window = v;
        else if (spec.key == "chain_gap")
            p.chain_gap = v;
        else if (spec.key == "max_pause")
            p.max_pause = v;
    }
    if (p.min_duration > p.max_duration)
        throw error(errc::job_invalid, fmt::format("subtitles.min_duration {} exceeds subtitles.max_duration {}",
                                                   p.min_duration, p.max_duration));
}

std::vector<std::string> override_keys() {
    std::vector<std::string> out;
    for (const auto& spec : keys) out.push_back(fmt::format("subtitles.{}", spec.key));
    return out;
}

}  // namespace cinesub::subs
