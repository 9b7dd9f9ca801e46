// `cinesub prepare`: validate the media and settings, create the job folder, write job.json.
// Takes well under a second: the media is probed, never decoded.
#include "asr/model_file.hpp"
#include "asr/params.hpp"
#include "cinesub/error.hpp"
#include "cinesub/job.hpp"
#include "context/glossary.hpp"
#include "hw/hardware.hpp"
#include "jobs/params.hpp"
#include "jobs/store.hpp"
#include "media/media.hpp"
#include "metadata/film.hpp"
#include "models/models.hpp"
#include "speakers/params.hpp"
#include "util/fs.hpp"
#include "util/path_json.hpp"
#include "util/timecode.hpp"
#include "vad/vad.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace cinesub {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A --set value: JSON when it parses, else the bare text; a path setting keeps any bytes.
json parse_override_value(const setting_info& info, const std::string& text) {
    if (info.kind == setting_kind::path) {
        if (text.size() >= 2 && text.front() == '"') {
            try {
                return util::path_to_json(json::parse(text).get<std::string>());
            } catch (const json::exception&) {
            }
        }
        return util::path_to_json(text);
    }
    try {
        return json::parse(text);
    } catch (const json::exception&) {
        return text;  // a bare word: a string
    }
}

// A flag's value checked by the setting it sets: error(usage) naming the flag.
void set_checked(job& j, const std::string& key, json value, setting_source from, std::string_view flag) {
    validate_settings({{key, &value}}, errc::usage, flag);
    j.set(key, std::move(value), from);
}

// Probe (no decoding) and check the clip range against the media's duration.
void probe_media(job& j, std::optional<double> start, std::optional<double> end, std::optional<int> audio_stream) {
    auto info = media::probe(j.media_path());
    media::clip_range range;
    range.start = start.value_or(0.0);
    range.end = end;
    media::validate_range(info, range);
    if (audio_stream) {
        bool found = false;
        for (const auto& s : info.streams) found = found || (s.index == *audio_stream && s.type == "audio");
        if (!found)
            throw error(errc::input_no_audio,
                        fmt::format("{} has no audio stream #{}", util::display_path(j.media_path()), *audio_stream));
    }
    j.media["info"] = info;
}

// Threads/workers/model from the (cached) hardware recommendation unless flags say otherwise;
// models resolved to paths now, so a missing model fails here with the command that gets it.
void apply_hardware_and_models(job& j, const prepare_options& o) {
    auto hw_info = hw::load_or_detect(false);
    auto rec = hw::recommend(hw_info);
    j.set("asr.threads", rec.threads, setting_source::hardware);
    j.set("asr.workers", rec.workers, setting_source::hardware);
    j.hardware = json{{"reasons", rec.reasons}};

    const auto spec = asr::parse_engine_spec(o.asr_engine.value_or(std::string(asr::engine_names[0])));
    const auto engine_from = o.asr_engine ? setting_source::flag : setting_source::default_value;
    j.set("asr.engine", std::string(asr::engine_names.at(static_cast<std::size_t>(spec.kind))), engine_from);
    if (spec.kind == asr::engine_kind::whisper) {
        auto name = o.model.value_or(rec.model);
        const auto from = o.model ? setting_source::flag : setting_source::hardware;
        j.set("asr.model_name", util::display_text(name), from);
        const auto model_path = models::resolve_whisper(name);
        j.set("asr.model", util::path_to_json(model_path), from);
        // A random-weight model (make-synthetic-model) marks every output SYNTHETIC downstream.
        j.set("asr.synthetic", asr::inspect_whisper_file(model_path).synthetic, setting_source::model);
    } else {
        util::require_readable_file(spec.replay, "replay transcript");
        j.set("asr.replay", util::path_to_json(fs::absolute(spec.replay).lexically_normal()), engine_from);
    }
    j.set("vad.model", util::path_to_json(models::resolve_vad(o.vad_model)),
          o.vad_model ? setting_source::flag : setting_source::default_value);
}

std::vector<setting_entry> entries_of(const job& j) {
    std::vector<setting_entry> out;
    for (const auto& [key, v] : j.settings) out.push_back({key, &v.value});
    return out;
}

}  // namespace

job prepare(const prepare_options& o) {
    // 1. Validate everything that can be checked before any folder is created.
    util::require_readable_file(o.media, "media file");
    const auto media_path = fs::absolute(o.media).lexically_normal();

    std::optional<double> start, end;
    if (o.start) start = util::parse_time(*o.start, "--start");
    if (o.end) end = util::parse_time(*o.end, "--end");
    if (start && end && *start >= *end)
        throw error(errc::range_invalid, fmt::format("--start {} is not before --end {}", *o.start, *o.end));

    // Overrides parsed first, so that a typo fails before anything is probed.
    std::vector<std::pair<std::string, json>> overrides;
    for (const auto& kv : o.overrides) {
        auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0)
            throw error(errc::usage, fmt::format("--set '{}' is not KEY=VALUE", util::display_text(kv)));
        const auto key = kv.substr(0, eq);
        const auto* info = find_setting(key);
        json value = info ? parse_override_value(*info, kv.substr(eq + 1)) : json(nullptr);
        validate_settings({{key, &value}}, errc::usage, "--set");
        overrides.emplace_back(key, std::move(value));
    }

    job j;
    j.set_media_path(media_path);
    if (const auto stamp = util::stamp_of(media_path)) {
        j.media["size"] = stamp->size;
        j.media["mtime_ns"] = stamp->mtime_ns;
    }

    // 2. Settings: every default, then what prepare knows (media, hardware), then flags, then --set.
    for (const auto& s : all_settings()) j.set(s.key, s.default_value, setting_source::default_value);
    auto flag = [&](const char* key, const auto& value, std::string_view name) {
        if (value) set_checked(j, key, json(*value), setting_source::flag, name);
    };
    flag("workflow", o.workflow, "--workflow");
    flag("source_lang", o.source_lang, "--source-lang");
    flag("target_lang", o.target_lang, "--target-lang");
    flag("year", o.year, "--year");
    flag("audio_stream", o.audio_stream, "--audio-stream");
    if (o.title)
        set_checked(j, "title", util::display_text(*o.title), setting_source::flag, "--title");
    else
        j.set("title", util::display_path(media_path.stem()), setting_source::default_value);
    if (start) j.set("range.start", *start, setting_source::flag);
    if (end) j.set("range.end", *end, setting_source::flag);

    if (o.metadata) {
        // Checked now, so that a wrong file fails here rather than soft in the metadata stage.
        (void)metadata::read_film_file(*o.metadata);
        j.set("metadata.file", util::path_to_json(fs::absolute(*o.metadata).lexically_normal()), setting_source::flag);
    }
    if (o.glossary) {
        (void)context::read_user_glossary(*o.glossary);  // a bad line fails here, with its number
        j.set("context.glossary", util::path_to_json(fs::absolute(*o.glossary).lexically_normal()),
              setting_source::flag);
    }
    if (o.speaker_map) {
        (void)speakers::read_speaker_map(*o.speaker_map);  // a bad line fails here, with its number
        j.set("speakers.map", util::path_to_json(fs::absolute(*o.speaker_map).lexically_normal()),
              setting_source::flag);
    }
    probe_media(j, start, end, o.audio_stream);
    apply_hardware_and_models(j, o);
    for (auto& [key, value] : overrides) j.set(key, std::move(value), setting_source::flag);
    validate_settings(entries_of(j), errc::usage, "prepare");

    // 3. Only now create the folder and write job.json (atomically).
    auto created = jobs::create_job_dir(o.out_root.empty() ? default_out_root() : o.out_root,
                                        o.user.empty() ? default_user() : o.user);
    j.id = created.id;
    j.dir = created.dir;
    j.created = fmt::format("{:%Y-%m-%dT%H:%M:%S}Z",
                            std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    fs::create_directories(j.logs_dir());
    j.save();
    return j;
}

}  // namespace cinesub
