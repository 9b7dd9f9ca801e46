#include "jobs/prepare.hpp"

#include "asr/model_file.hpp"
#include "cinesub/error.hpp"
#include "hw/hardware.hpp"
#include "jobs/store.hpp"
#include "media/media.hpp"
#include "models/models.hpp"
#include "pipeline/runner.hpp"
#include "util/fs.hpp"
#include "util/timecode.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <sys/stat.h>

namespace cinesub::jobs {

using nlohmann::json;

namespace {

json parse_override_value(const std::string& text) {
    try {
        return json::parse(text);
    } catch (const json::exception&) {
        return text;  // a bare word: a string
    }
}

void check_language(const std::string& code, std::string_view what) {
    bool ok = code == "auto" || (code.size() >= 2 && code.size() <= 3);
    for (char c : code) ok = ok && std::islower(static_cast<unsigned char>(c));
    if (!ok)
        throw error(errc::usage,
                    fmt::format("{} '{}' is not a language code (ISO 639-1 like hi, en, or auto)", what, code));
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
                        fmt::format("{} has no audio stream #{}", j.media_path().string(), *audio_stream));
    }
    j.media["info"] = info;
}

// Threads/workers/model from the (cached) hardware recommendation unless flags say otherwise;
// models resolved to paths now, so a missing model fails here with the command that gets it.
void apply_hardware_and_models(job& j, const prepare_options& o) {
    auto hw_info = hw::load_or_detect(false);
    auto rec = hw::recommend(hw_info);
    j.set("asr.threads", rec.threads, source::hardware);
    j.set("asr.workers", rec.workers, source::hardware);
    j.set("hardware.reasons", rec.reasons, source::hardware);

    auto engine = j.get_or<std::string>("asr.engine", "whisper");
    if (engine == "whisper") {
        auto name = o.model.value_or(rec.model);
        j.set("asr.model_name", name, o.model ? source::flag : source::hardware);
        const auto model_path = models::resolve_whisper(name);
        j.set("asr.model", model_path.string(), o.model ? source::flag : source::hardware);
        // A random-weight model (make-synthetic-model) marks every output SYNTHETIC downstream.
        j.set("asr.synthetic", asr::inspect_whisper_file(model_path).synthetic, source::model);
    } else if (engine.starts_with("replay:")) {
        util::require_readable_file(engine.substr(7), "replay transcript");
    } else {
        throw error(errc::usage, fmt::format("unknown --asr-engine '{}' (whisper, replay:FILE)", engine));
    }
    std::optional<std::string> vad_flag = o.vad_model;
    j.set("vad.model", models::resolve_vad(vad_flag).string(), o.vad_model ? source::flag : source::default_value);
}

}  // namespace

job prepare(const prepare_options& o) {
    // 1. Validate everything that can be checked before any folder is created.
    util::require_readable_file(o.media, "media file");
    auto media_path = fs::absolute(o.media).lexically_normal();

    std::optional<double> start, end;
    if (o.start) start = util::parse_time(*o.start, "--start");
    if (o.end) end = util::parse_time(*o.end, "--end");
    if (start && end && *start >= *end)
        throw error(errc::range_invalid, fmt::format("--start {} is not before --end {}", *o.start, *o.end));

    auto workflow = o.workflow.value_or("subtitle");
    if (workflow != "subtitle" && workflow != "transcribe" && workflow != "translate")
        throw error(errc::usage, fmt::format("unknown workflow '{}' (subtitle, transcribe, translate)", workflow));
    auto source_lang = o.source_lang.value_or("hi");
    auto target_lang = o.target_lang.value_or("en");
    check_language(source_lang, "--source-lang");
    check_language(target_lang, "--target-lang");
    if (target_lang != "en")
        throw error(errc::usage, fmt::format("--target-lang {}: whisper translates to English only (en)", target_lang));

    job j;
    j.media = json{{"path", media_path.string()}};
    struct stat st {};
    if (::stat(media_path.c_str(), &st) == 0) {
        j.media["size"] = static_cast<std::uint64_t>(st.st_size);
        j.media["mtime_ns"] = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
    }
    probe_media(j, start, end, o.audio_stream);

    // 2. Settings: every stage's defaults, then what prepare knows (hardware), then flags.
    j.set("workflow", workflow, o.workflow ? source::flag : source::default_value);
    j.set("source_lang", source_lang, o.source_lang ? source::flag : source::default_value);
    j.set("target_lang", target_lang, o.target_lang ? source::flag : source::default_value);
    j.set("title", o.title.value_or(media_path.stem().string()), o.title ? source::flag : source::default_value);
    j.set("year", o.year ? json(*o.year) : json(nullptr), o.year ? source::flag : source::default_value);
    for (const auto& s : pipeline::job_stages(j)) {
        const auto stage_defaults = s->defaults();  // named: items() of a temporary would dangle
        for (const auto& [key, value] : stage_defaults.items())
            if (!j.has(key)) j.set(key, value, source::default_value);
    }
    if (start) j.set("range.start", *start, source::flag);
    if (end) j.set("range.end", *end, source::flag);
    if (o.audio_stream) j.set("audio_stream", *o.audio_stream, source::flag);
    if (o.asr_engine) j.set("asr.engine", *o.asr_engine, source::flag);
    apply_hardware_and_models(j, o);
    for (const auto& kv : o.overrides) {
        auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0)
            throw error(errc::usage, fmt::format("--set '{}' is not KEY=VALUE", kv));
        j.set(kv.substr(0, eq), parse_override_value(kv.substr(eq + 1)), source::flag);
    }

    // 3. Only now create the folder and write job.json (atomically).
    auto created =
        create_job_dir(o.out_root.empty() ? default_out_root() : o.out_root, o.user.empty() ? default_user() : o.user);
    j.id = created.id;
    j.dir = created.dir;
    j.created = fmt::format("{:%Y-%m-%dT%H:%M:%S}Z",
                            std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    fs::create_directories(j.logs_dir());
    j.save();
    return j;
}

}  // namespace cinesub::jobs
