// read_subtitles(): file access and the JSON format; the strict entry points, which throw (kept apart
// from readers.cpp, which the fuzz targets compile on its own).
#include "cinesub/error.hpp"
#include "subtitles/readers.hpp"
#include "subtitles/ttml.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <limits>

namespace cinesub::subs {

subtitle_file read_subtitles(const std::filesystem::path& path) {
    util::require_readable_file(path, "subtitle file");
    auto content = util::read_file(path);
    const auto ext = util::lower_ascii(path.extension().string());
    if (ext == ".json") {
        subtitle_file f;
        f.format = "json";
        try {
            auto doc = nlohmann::json::parse(content);
            const auto& cues = doc.is_array() ? doc : doc.at("cues");
            for (const auto& c : cues) {
                f.cues.push_back(c.get<cue>());
                f.raw.push_back(f.cues.back().text());
                f.numbers.push_back(++f.blocks);
                f.lines.push_back(0);
            }
        } catch (const nlohmann::json::exception& e) {
            throw error(errc::input_corrupt,
                        fmt::format("{} is not a cinesub subtitle JSON file: {}", path.string(), e.what()));
        }
        return f;
    }
    if (ext == ".srt") return parse_srt(content);
    if (ext == ".vtt") return parse_vtt(content);
    if (ext == ".ass" || ext == ".ssa") return parse_ass(content);
    if (ext == ".ttml" || ext == ".dfxp" || ext == ".xml") return parse_ttml(content);
    return parse_subtitles(content);
}

void require_intact(const subtitle_file& file, std::string_view what) {
    int line = std::numeric_limits<int>::max();
    std::string why;
    for (const auto& issue : file.issues) {
        if ((issue.rule != "bad_timestamp" && issue.rule != "stray_text") || issue.line >= line) continue;
        line = issue.line;
        why = issue.message;
        if (why.size() > 120) {  // a long text line (or a binary file): the error stays one short line
            std::size_t cut = 120;
            while (cut > 0 && (static_cast<unsigned char>(why[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
            why = why.substr(0, cut) + "\xE2\x80\xA6";
        }
        why += " (a cue starts with a timing line like '00:00:12,000 --> 00:00:15,000')";
    }
    for (std::size_t k = 0; k < file.cues.size() && k < file.lines.size(); ++k)
        if (file.cues[k].end < file.cues[k].start && file.lines[k] < line) {
            line = file.lines[k];
            why = "cue ends before it starts";
        }
    if (!why.empty()) throw error(errc::input_corrupt, fmt::format("{}: line {}: {}", what, line, why));
}

subtitle_file parse_cues_strict(std::string_view content, std::string_view what) {
    auto f = parse_subtitles(content);
    if (f.format != "srt" && f.format != "vtt")
        throw error(errc::input_corrupt, fmt::format("{}: {}, not SRT or WebVTT", what,
                                                     f.format == "ttml" ? "a TTML document" : "an ASS/SSA file"));
    require_intact(f, what);
    return f;
}

ass_track read_ass_track(const std::filesystem::path& path) {
    return parse_ass_track(util::read_file(path), path.string());
}

subtitle_file read_cues_strict(const std::filesystem::path& path) {
    util::require_readable_file(path, "subtitle file");
    return parse_cues_strict(util::read_file(path), path.string());
}

}  // namespace cinesub::subs
