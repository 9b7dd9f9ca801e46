// cinesub — job settings: what each setting is, its default, what it allows, which stage reads it.
//
// Every setting has one default: the member initialiser of its area's params struct (src/<area>/),
// from which this description is built. `cinesub settings` prints the list; `prepare --set` and
// hand edits of job.json are checked against it.
#pragma once

#include "cinesub/error.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub {

// The JSON shape of a setting's value.
enum class setting_kind {
    boolean,  // true / false
    integer,  // a whole number, optionally within [min, max]
    number,   // a finite number, optionally within [min, max]
    text,     // a UTF-8 string; with choices: one of them
    list,     // an array of strings, each one of the choices
    path,     // a file path (any bytes: non-UTF-8 names are stored losslessly, see util/path_json)
};
std::string_view setting_kind_name(setting_kind k);

// Where a setting's value came from (recorded per setting in job.json).
enum class setting_source {
    default_value,  // the params struct's default
    hardware,       // prepare's hardware recommendation
    flag,           // a command-line flag
    user,           // a hand edit of job.json
    model,          // read from the model file (e.g. asr.synthetic)
};
std::string_view setting_source_name(setting_source s);
// "default", "hardware", "flag", "user", "model"; anything else → user.
setting_source parse_setting_source(std::string_view name);

// NOLINTNEXTLINE(bugprone-exception-escape): clang-tidy 14 misreads the implicit members
struct setting_value {
    nlohmann::json value;
    setting_source from = setting_source::default_value;
};

// One setting, described.
// NOLINTNEXTLINE(bugprone-exception-escape): clang-tidy 14 misreads the implicit members
struct setting_info {
    std::string key;  // dotted: "vad.threshold"
    setting_kind kind = setting_kind::text;
    nlohmann::json default_value;      // null: unset by default (see null_means)
    bool nullable = false;             // null is allowed
    std::optional<double> min, max;    // integer / number bounds (inclusive)
    std::vector<std::string> choices;  // text: allowed values; list: allowed elements
    std::string unit;                  // "s", "ms", "frames", "tokens"…; "" when none
    std::string description;           // one line
    std::string null_means;            // nullable settings: what an unset value does
    // An extra rule beyond kind/range/choices: "" when the value is fine, else what is wrong.
    std::function<std::string(const nlohmann::json&)> rule;

    // Filled by the settings registry: the stages that read it, and those whose output depends on
    // it (a change re-runs them). "prepare" when only `cinesub prepare` reads it.
    std::vector<std::string> read_by;
    std::vector<std::string> reruns;

    // "" when `value` is allowed, else why not ("must be a number from 0 to 1").
    std::string check(const nlohmann::json& value) const;
    // What is allowed, in words: "number 0–1", "one of mkv, mp4", "true/false".
    std::string allowed() const;
};

// Every setting cinesub knows, in area order (job, vad, asr, subtitles, mux, timeouts).
const std::vector<setting_info>& all_settings();
// nullptr when no such key.
const setting_info* find_setting(std::string_view key);
// The keys closest to `key` (edit distance), best first, at most `n`, only reasonably close ones.
std::vector<std::string> nearest_settings(std::string_view key, std::size_t n = 3);
// A setting's default as text ("hi", "0.5", "[srt, vtt, ass, json]", "unset"), for --help.
std::string default_text(std::string_view key);

// The settings of a job checked against the schema. `where` names the source for messages
// ("--set" or "job.json"). Unknown key or bad value → cinesub::error(code) naming the key, the value
// and what is allowed (with the nearest valid keys for a typo).
struct setting_entry {
    std::string key;
    const nlohmann::json* value = nullptr;
};
void validate_settings(const std::vector<setting_entry>& values, errc code, std::string_view where);

// `cinesub settings` as a Markdown table (README's settings section is this text).
std::string settings_markdown();

}  // namespace cinesub
