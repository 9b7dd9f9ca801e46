#include "settings/schema.hpp"

#include "util/text.hpp"

#include <fmt/format.h>

#include <cmath>

namespace cinesub {

using nlohmann::json;

std::string_view setting_kind_name(setting_kind k) {
    switch (k) {
        case setting_kind::boolean:
            return "boolean";
        case setting_kind::integer:
            return "integer";
        case setting_kind::number:
            return "number";
        case setting_kind::text:
            return "text";
        case setting_kind::list:
            return "list";
        case setting_kind::path:
            return "path";
    }
    return "text";
}

std::string_view setting_source_name(setting_source s) {
    switch (s) {
        case setting_source::default_value:
            return "default";
        case setting_source::hardware:
            return "hardware";
        case setting_source::flag:
            return "flag";
        case setting_source::user:
            return "user";
        case setting_source::model:
            return "model";
    }
    return "default";
}

setting_source parse_setting_source(std::string_view name) {
    if (name == "default") return setting_source::default_value;
    if (name == "hardware") return setting_source::hardware;
    if (name == "flag") return setting_source::flag;
    if (name == "model") return setting_source::model;
    return setting_source::user;
}

namespace {

std::string number_text(double v) {
    if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
    return fmt::format("{}", v);
}

std::string bounds_text(const setting_info& s) {
    if (s.min && s.max) return fmt::format(" {}–{}", number_text(*s.min), number_text(*s.max));
    if (s.min) return fmt::format(" ≥ {}", number_text(*s.min));
    if (s.max) return fmt::format(" ≤ {}", number_text(*s.max));
    return "";
}

std::string choices_text(const std::vector<std::string>& choices) {
    std::string out;
    for (const auto& c : choices) out += (out.empty() ? "" : ", ") + (c.empty() ? std::string("\"\"") : c);
    return out;
}

bool in_choices(const setting_info& s, const std::string& v) {
    for (const auto& c : s.choices)
        if (c == v) return true;
    return false;
}

}  // namespace

std::string setting_info::allowed() const {
    std::string out;
    switch (kind) {
        case setting_kind::boolean:
            out = "true/false";
            break;
        case setting_kind::integer:
            out = "integer" + bounds_text(*this);
            break;
        case setting_kind::number:
            out = "number" + bounds_text(*this);
            break;
        case setting_kind::text:
            out = choices.empty() ? "text" : "one of " + choices_text(choices);
            break;
        case setting_kind::list:
            out = "list of " + (choices.empty() ? std::string("text") : choices_text(choices));
            break;
        case setting_kind::path:
            out = "file path";
            break;
    }
    if (!unit.empty() && (kind == setting_kind::integer || kind == setting_kind::number)) out += " " + unit;
    if (nullable) out += ", or null (" + (null_means.empty() ? std::string("unset") : null_means) + ")";
    return out;
}

std::string setting_info::check(const json& v) const {
    auto want = [&] { return "must be " + allowed(); };
    if (v.is_null()) return nullable ? "" : want();
    switch (kind) {
        case setting_kind::boolean:
            if (!v.is_boolean()) return want();
            break;
        case setting_kind::integer:
        case setting_kind::number: {
            if (!v.is_number()) return want();
            const double d = v.get<double>();
            if (!std::isfinite(d)) return want();
            if (kind == setting_kind::integer && d != std::floor(d)) return want();
            if ((min && d < *min) || (max && d > *max)) return want();
            break;
        }
        case setting_kind::text:
            if (!v.is_string()) return want();
            if (!util::valid_utf8(v.get_ref<const std::string&>())) return "must be valid UTF-8 text";
            if (!choices.empty() && !in_choices(*this, v.get<std::string>())) return want();
            break;
        case setting_kind::list:
            if (!v.is_array()) return want();
            for (const auto& e : v)
                if (!e.is_string() || (!choices.empty() && !in_choices(*this, e.get<std::string>()))) return want();
            break;
        case setting_kind::path:
            if (!util::is_path_json(v)) return want();
            break;
    }
    if (rule) return rule(v);
    return "";
}

namespace settings {

void require_valid(const setting_info& info, const json& value) {
    if (auto why = info.check(value); !why.empty())
        throw error(errc::job_invalid, fmt::format("setting {} = {} is invalid: {}", info.key,
                                                   value.dump(-1, ' ', false, json::error_handler_t::replace), why));
}

}  // namespace settings

}  // namespace cinesub
