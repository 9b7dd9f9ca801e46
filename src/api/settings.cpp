// The settings registry: every area's schema, annotated with the stages that read each setting.
#include "cinesub/settings.hpp"

#include "jobs/params.hpp"
#include "pipeline/params.hpp"
#include "stages/stages.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace cinesub {

using nlohmann::json;

namespace {

void add_unique(std::vector<std::string>& list, std::string_view name) {
    if (std::find(list.begin(), list.end(), name) == list.end()) list.emplace_back(name);
}

std::vector<setting_info> build_registry() {
    std::vector<setting_info> out;
    auto index_of = [&](const std::string& key) -> setting_info* {
        for (auto& s : out)
            if (s.key == key) return &s;
        return nullptr;
    };
    // Job-wide settings first, then each stage's in pipeline order, then the runner's timeouts.
    for (const auto* info : jobs::job_params::schema().info_list()) out.push_back(*info);
    for (auto name : workflow_names) {
        for (const auto& stage : stages::workflow_stages(*parse_workflow(name))) {
            for (const auto& use : stage->settings_read()) {
                auto* s = index_of(use.info->key);
                if (!s) {
                    out.push_back(*use.info);
                    s = &out.back();
                }
                add_unique(s->read_by, stage->name());
                if (use.reruns) add_unique(s->reruns, stage->name());
            }
        }
    }
    for (const auto* info : pipeline::timeout_params::schema().info_list()) {
        out.push_back(*info);
        out.back().read_by = {"run"};
    }
    for (auto& s : out)
        if (s.read_by.empty()) s.read_by = {"prepare"};
    return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

std::string value_text(const json& v) {
    if (v.is_null()) return "unset";
    if (v.is_string()) return v.get<std::string>().empty() ? "\"\"" : v.get<std::string>();
    if (v.is_array()) {
        std::string out;
        for (const auto& e : v) out += (out.empty() ? "" : ", ") + value_text(e);
        return "[" + out + "]";
    }
    return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

const std::vector<setting_info>& all_settings() {
    static const std::vector<setting_info> registry = build_registry();
    return registry;
}

const setting_info* find_setting(std::string_view key) {
    for (const auto& s : all_settings())
        if (s.key == key) return &s;
    return nullptr;
}

std::vector<std::string> nearest_settings(std::string_view key, std::size_t n) {
    std::vector<std::pair<std::size_t, std::string>> scored;
    const std::size_t limit = std::max<std::size_t>(2, key.size() / 3);
    for (const auto& s : all_settings()) {
        auto d = edit_distance(key, s.key);
        // "treshold" also matches "vad.threshold" by its last part.
        if (auto dot = s.key.rfind('.'); dot != std::string::npos && key.find('.') == std::string_view::npos)
            d = std::min(d, edit_distance(key, std::string_view(s.key).substr(dot + 1)));
        if (d <= limit) scored.emplace_back(d, s.key);
    }
    std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> out;
    for (const auto& [d, k] : scored)
        if (out.size() < n) out.push_back(k);
    return out;
}

std::string default_text(std::string_view key) {
    const auto* s = find_setting(key);
    return s ? value_text(s->default_value) : std::string{};
}

void validate_settings(const std::vector<setting_entry>& values, errc code, std::string_view where) {
    for (const auto& [key, value] : values) {
        const auto* info = find_setting(key);
        if (!info) {
            const auto near = nearest_settings(key);
            std::string hint;
            for (const auto& k : near) hint += (hint.empty() ? "" : " or ") + k;
            throw error(code, fmt::format("unknown setting '{}' in {}{} (cinesub settings lists them all)", key, where,
                                          hint.empty() ? "" : " — did you mean " + hint + "?"));
        }
        if (auto why = info->check(*value); !why.empty())
            throw error(code, fmt::format("setting {} = {} in {} is invalid: {}", key,
                                          value->dump(-1, ' ', false, json::error_handler_t::replace), where, why));
    }
}

std::string settings_markdown() {
    auto cell = [](std::string_view s) {
        std::string out;
        for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
        return out;
    };
    auto join = [](const std::vector<std::string>& v) {
        std::string out;
        for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
        return out.empty() ? std::string("—") : out;
    };
    std::string out = "| Setting | Default | Allowed | Read by | A change re-runs | Description |\n";
    out += "|---|---|---|---|---|---|\n";
    for (const auto& s : all_settings())
        out += fmt::format("| `{}` | `{}` | {} | {} | {} | {} |\n", s.key, cell(value_text(s.default_value)),
                           cell(s.allowed()), join(s.read_by), join(s.reruns), cell(s.description));
    return out;
}

}  // namespace cinesub
