#include "speakers/rttm.hpp"

#include "cinesub/error.hpp"
#include "util/fs.hpp"
#include "util/path_json.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>
#include <tuple>

namespace cinesub::speakers {

namespace {

bool rttm_is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::vector<std::string_view> rttm_fields(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && rttm_is_blank(line[i])) ++i;
        const std::size_t start = i;
        while (i < line.size() && !rttm_is_blank(line[i])) ++i;
        if (i > start) out.push_back(line.substr(start, i - start));
    }
    return out;
}

// A finite decimal number filling the whole field; false otherwise.
bool rttm_number(std::string_view field, double& value) {
    if (!field.empty() && field.front() == '+') field.remove_prefix(1);
    const auto* last = field.data() + field.size();
    const auto [ptr, ec] = std::from_chars(field.data(), last, value);
    return ec == std::errc() && ptr == last && std::isfinite(value);
}

bool rttm_token_ok(std::string_view s) {
    return !s.empty() && std::none_of(s.begin(), s.end(), [](char c) { return rttm_is_blank(c) || c == '\n'; });
}

}  // namespace

std::vector<rttm_file> parse_rttm(std::string_view text, std::string_view source) {
    std::vector<rttm_file> files;
    std::size_t pos = 0, line_no = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        if (line_no == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
        const auto trimmed = util::trim(line);
        if (trimmed.empty() || trimmed.starts_with(";;")) continue;
        const auto f = rttm_fields(trimmed);
        if (f.empty() || f[0] != "SPEAKER") continue;  // SPKR-INFO, SEGMENT, LEXEME…: not speaker turns
        const auto where = [&] { return fmt::format("{} line {}", source, line_no); };
        if (f.size() < 8)
            throw error(errc::input_corrupt,
                        where() + fmt::format(": a SPEAKER line has {} fields, expected 10 (SPEAKER <file> <channel> "
                                              "<onset> <duration> <NA> <NA> <speaker> <NA> <NA>)",
                                              f.size()));
        double onset = 0, duration = 0;
        if (!rttm_number(f[3], onset))
            throw error(errc::input_corrupt,
                        where() + fmt::format(": onset '{}' is not a number of seconds", util::display_text(f[3])));
        if (!rttm_number(f[4], duration))
            throw error(errc::input_corrupt,
                        where() + fmt::format(": duration '{}' is not a number of seconds", util::display_text(f[4])));
        if (onset < 0) throw error(errc::input_corrupt, where() + fmt::format(": negative onset {}", f[3]));
        if (duration < 0) throw error(errc::input_corrupt, where() + fmt::format(": negative duration {}", f[4]));
        if (duration == 0) continue;
        const std::string file_id(f[1]);
        auto it = std::find_if(files.begin(), files.end(), [&](const rttm_file& x) { return x.file_id == file_id; });
        if (it == files.end()) it = files.insert(files.end(), rttm_file{file_id, {}});
        it->turns.push_back(turn{onset, onset + duration, std::string(f[7])});
    }
    return files;
}

std::vector<rttm_file> read_rttm(const std::filesystem::path& path) {
    util::require_readable_file(path, "RTTM file");
    return parse_rttm(util::read_file(path), util::display_path(path));
}

std::string format_rttm(std::string_view file_id, std::vector<turn> turns) {
    if (!rttm_token_ok(file_id))
        throw error(errc::internal, fmt::format("RTTM file id '{}' is empty or holds whitespace", file_id));
    for (const auto& t : turns) {
        if (!rttm_token_ok(t.speaker))
            throw error(errc::internal, fmt::format("RTTM speaker '{}' is empty or holds whitespace", t.speaker));
        if (!(t.start >= 0) || !(t.end > t.start) || !std::isfinite(t.end))
            throw error(errc::internal, fmt::format("RTTM turn of {} from {} to {}: needs 0 <= start < end", t.speaker,
                                                    t.start, t.end));
    }
    std::stable_sort(turns.begin(), turns.end(), [](const turn& a, const turn& b) {
        return std::tie(a.start, a.end, a.speaker) < std::tie(b.start, b.end, b.speaker);
    });
    std::string out;
    for (const auto& t : turns) {
        const double start = util::round_ms(t.start);
        const double duration = util::round_ms(util::round_ms(t.end) - start);
        if (duration <= 0) continue;
        out += fmt::format("SPEAKER {} 1 {:.3f} {:.3f} <NA> <NA> {} <NA> <NA>\n", file_id, start, duration, t.speaker);
    }
    return out;
}

void write_rttm(const std::filesystem::path& path, std::string_view file_id, std::vector<turn> turns) {
    util::write_file_atomic(path, format_rttm(file_id, std::move(turns)));
}

}  // namespace cinesub::speakers
