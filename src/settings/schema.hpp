// Typed settings: a params struct per area, whose member initialisers are the only defaults, bound
// to dotted keys with a description, unit and allowed range or choices.
//
//   struct params { float threshold = 0.5f; … static const settings::schema<params>& schema(); };
//   const settings::schema<params>& params::schema() {
//       static const auto s = settings::schema<params>()
//           .add("vad.threshold", &params::threshold, "speech when p >= threshold", {.min = 0, .max = 1});
//       return s;
//   }
//   auto p = settings::read<vad::params>(job.settings);   // typed; missing keys keep their defaults
//
// Supported member types: bool, int, float, double, std::string (text, or a choice with `choices`),
// std::filesystem::path (kind path), std::optional<int|double> (nullable), std::vector<std::string>
// (list), and enums through add_enum().
#pragma once

#include "cinesub/error.hpp"
#include "cinesub/settings.hpp"
#include "util/path_json.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace cinesub::settings {

using value_map = std::map<std::string, setting_value, std::less<>>;

// What a field allows beyond its C++ type.
struct field_options {
    std::optional<double> min, max;
    std::vector<std::string> choices;
    std::string unit;
    std::string null_means;
    std::function<std::string(const nlohmann::json&)> rule;
};

// Throws cinesub::error(job_invalid) "setting KEY = VALUE is invalid: WHY" when `info` rejects `value`.
void require_valid(const setting_info& info, const nlohmann::json& value);

namespace detail {

template <class T>
struct is_optional : std::false_type {
    using value_type = T;
};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {
    using value_type = T;
};

template <class T>
constexpr setting_kind kind_of() {
    if constexpr (std::is_same_v<T, bool>)
        return setting_kind::boolean;
    else if constexpr (std::is_integral_v<T>)
        return setting_kind::integer;
    else if constexpr (std::is_floating_point_v<T>)
        return setting_kind::number;
    else if constexpr (std::is_same_v<T, std::filesystem::path>)
        return setting_kind::path;
    else if constexpr (std::is_same_v<T, std::vector<std::string>>)
        return setting_kind::list;
    else
        return setting_kind::text;
}

template <class T>
nlohmann::json to_value(const T& v) {
    if constexpr (is_optional<T>::value)
        return v ? to_value(*v) : nlohmann::json(nullptr);
    else if constexpr (std::is_same_v<T, std::filesystem::path>)
        return util::path_to_json(v);
    else
        return nlohmann::json(v);
}

// `j` has passed setting_info::check for T's kind.
template <class T>
T from_value(const nlohmann::json& j) {
    if constexpr (is_optional<T>::value) {
        if (j.is_null()) return std::nullopt;
        return from_value<typename T::value_type>(j);
    } else if constexpr (std::is_same_v<T, bool>) {
        return j.get<bool>();
    } else if constexpr (std::is_integral_v<T>) {
        return static_cast<T>(std::llround(j.get<double>()));  // 3.0 in JSON is an integer
    } else if constexpr (std::is_floating_point_v<T>) {
        return static_cast<T>(j.get<double>());
    } else if constexpr (std::is_same_v<T, std::filesystem::path>) {
        return util::path_from_json(j);
    } else {
        return j.get<T>();
    }
}

}  // namespace detail

template <class P>
class schema {
public:
    // A setting bound to a member; its default is that member in a default-constructed P.
    template <class T>
    schema& add(std::string key, T P::*member, std::string description, field_options o = {}) {
        using value_type = typename detail::is_optional<T>::value_type;
        setting_info info = make_info(std::move(key), std::move(description), std::move(o));
        info.kind = detail::kind_of<value_type>();
        info.nullable = detail::is_optional<T>::value;
        info.default_value = detail::to_value(P{}.*member);
        fields_.push_back({std::move(info), [member](const P& p) { return detail::to_value(p.*member); },
                           [member](P& p, const nlohmann::json& j) { p.*member = detail::from_value<T>(j); }});
        return *this;
    }

    // An enum stored by name: names[i] is the name of E(i).
    template <class E, std::size_t N>
    schema& add_enum(std::string key, E P::*member, const std::array<std::string_view, N>& names,
                     std::string description) {
        field_options o;
        for (auto n : names) o.choices.emplace_back(n);
        setting_info info = make_info(std::move(key), std::move(description), std::move(o));
        info.kind = setting_kind::text;
        auto name_of = [names](E e) { return nlohmann::json(std::string(names.at(static_cast<std::size_t>(e)))); };
        info.default_value = name_of(P{}.*member);
        fields_.push_back({std::move(info), [member, name_of](const P& p) { return name_of(p.*member); },
                           [member, names](P& p, const nlohmann::json& j) {
                               const auto s = j.get<std::string>();
                               for (std::size_t i = 0; i < N; ++i)
                                   if (names[i] == s) p.*member = static_cast<E>(i);
                           }});
        return *this;
    }

    // The descriptions, in declaration order (they live as long as the schema).
    std::vector<const setting_info*> info_list() const {
        std::vector<const setting_info*> out;
        out.reserve(fields_.size());
        for (const auto& f : fields_) out.push_back(&f.info);
        return out;
    }
    const setting_info* info(std::string_view key) const {
        for (const auto& f : fields_)
            if (f.info.key == key) return &f.info;
        return nullptr;
    }

    // The typed values: each key from `values` when present (checked: error(job_invalid) when bad),
    // else the default.
    P read(const value_map& values) const {
        P p{};
        for (const auto& f : fields_) {
            auto it = values.find(f.info.key);
            if (it == values.end()) continue;
            require_valid(f.info, it->second.value);
            f.set(p, it->second.value);
        }
        return p;
    }
    // Flat {"key": value} of every field of `p`.
    nlohmann::json to_json(const P& p) const {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& f : fields_) out[f.info.key] = f.get(p);
        return out;
    }

private:
    static setting_info make_info(std::string key, std::string description, field_options o) {
        setting_info info;
        info.key = std::move(key);
        info.description = std::move(description);
        info.min = o.min;
        info.max = o.max;
        info.choices = std::move(o.choices);
        info.unit = std::move(o.unit);
        info.null_means = std::move(o.null_means);
        info.rule = std::move(o.rule);
        return info;
    }
    struct field {
        setting_info info;
        std::function<nlohmann::json(const P&)> get;
        std::function<void(P&, const nlohmann::json&)> set;
    };
    std::vector<field> fields_;
};

// The typed params of an area from a job's settings (P::schema() binds them).
template <class P>
P read(const value_map& values) {
    return P::schema().read(values);
}

}  // namespace cinesub::settings
