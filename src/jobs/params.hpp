// Job-wide settings: what to make (workflow, languages), of which part of the media, for which film.
// The initialisers are the defaults.
#pragma once

#include "cinesub/job.hpp"
#include "settings/schema.hpp"

#include <optional>
#include <string>

namespace cinesub::jobs {

struct job_params {
    cinesub::workflow workflow = cinesub::workflow::subtitle;
    std::string source_lang = "hi";   // ISO 639-1, or "auto" (detected)
    std::string target_lang = "en";   // whisper translates to English only
    std::string title;                // names the output files; "" → the media file's name
    std::optional<int> year;          // release year
    double start = 0;                 // clip start (range.start), seconds
    std::optional<double> end;        // clip end (range.end), seconds; unset → end of media
    std::optional<int> audio_stream;  // audio stream index; unset → FFmpeg's best audio stream
    bool audio_centre = true;         // 5.1/7.1: the dialogue is the front centre channel, not the mix

    static const settings::schema<job_params>& schema();
};

// The film's title for file names and track titles: the title setting, else the media file's name.
std::string film_title(const cinesub::job& job, const job_params& p);

// Seconds of media the job covers: its clip end (the media's duration when unset) minus its start.
double clip_seconds(const cinesub::job& job, const job_params& p);

// "hi", "en", "auto"…: 2–3 lower-case letters or "auto". The rule of source_lang.
bool is_language_code(std::string_view code);

}  // namespace cinesub::jobs
