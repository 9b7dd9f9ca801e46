#include "jobs/params.hpp"

#include "util/path_json.hpp"

#include <algorithm>

namespace cinesub::jobs {

bool is_language_code(std::string_view code) {
    if (code == "auto") return true;
    if (code.size() < 2 || code.size() > 3) return false;
    for (char c : code)
        if (c < 'a' || c > 'z') return false;
    return true;
}

const settings::schema<job_params>& job_params::schema() {
    static const auto s =
        settings::schema<job_params>()
            .add_enum("workflow", &job_params::workflow, workflow_names,
                      "subtitle: source track + English; transcribe: source only; translate: English only")
            .add("source_lang", &job_params::source_lang, "Dialogue language (ISO 639-1), or auto to detect it",
                 {.rule = [](const nlohmann::json& v) -> std::string {
                     return is_language_code(v.get<std::string>()) ? "" : "must be an ISO 639-1 code (hi, en…) or auto";
                 }})
            .add("target_lang", &job_params::target_lang, "Translation language (whisper translates to English)",
                 {.choices = {"en"}})
            .add("title", &job_params::title,
                 "Film title: names the output files and tracks; \"\": the media file's name")
            .add("year", &job_params::year, "Release year", {.min = 1880, .max = 2100, .null_means = "unknown"})
            .add("range.start", &job_params::start, "Clip start", {.min = 0, .unit = "s"})
            .add("range.end", &job_params::end, "Clip end", {.min = 0, .unit = "s", .null_means = "end of the media"})
            .add("audio_stream", &job_params::audio_stream, "Audio stream index",
                 {.min = 0, .max = 4096, .null_means = "FFmpeg's best audio stream"})
            .add("audio_centre", &job_params::audio_centre,
                 "5.1, 7.1…: transcribe the front centre channel (where films put the dialogue), not the mix");
    return s;
}

std::string film_title(const cinesub::job& job, const job_params& p) {
    if (!p.title.empty()) return p.title;
    return util::display_path(job.media_path().stem());
}

double clip_seconds(const cinesub::job& job, const job_params& p) {
    double duration = 0;
    if (job.media.contains("info")) duration = job.media["info"].value("duration", 0.0);
    const double end = p.end && *p.end > 0 ? *p.end : duration;
    return std::max(0.0, end - p.start);
}

}  // namespace cinesub::jobs
