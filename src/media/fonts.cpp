#include "media/fonts.hpp"

#include "subtitles/readers.hpp"
#include "util/text.hpp"

#include <algorithm>

#include <cstdlib>
#include <string>

namespace cinesub::media {

namespace fs = std::filesystem;

std::vector<fs::path> default_font_dirs() {
    std::vector<fs::path> dirs{"/usr/share/fonts", "/usr/local/share/fonts"};
    const char* home = std::getenv("HOME");
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        dirs.emplace_back(fs::path(xdg) / "fonts");
    else if (home && *home)
        dirs.emplace_back(fs::path(home) / ".local/share/fonts");
    if (home && *home) dirs.emplace_back(fs::path(home) / ".fonts");
    return dirs;
}

namespace {

fs::path find_named(const std::string& stem, const std::vector<fs::path>& dirs) {
    for (const auto& dir : dirs) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) continue;
        for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
             !ec && it != end; it.increment(ec)) {
            const auto& p = it->path();
            const auto ext = util::lower_ascii(p.extension().string());
            if ((ext == ".ttf" || ext == ".otf") && util::lower_ascii(p.stem().string()) == stem &&
                it->is_regular_file(ec))
                return p;
        }
    }
    return {};
}

}  // namespace

fs::path find_font_file(std::string_view family, bool bold, bool italic, const std::vector<fs::path>& dirs) {
    std::string base;
    for (const char c : family)
        if (c != ' ') base += c;
    base = util::lower_ascii(base);
    if (base.empty()) return {};
    const std::string style = bold && italic ? "bolditalic" : bold ? "bold" : italic ? "italic" : "regular";
    if (auto p = find_named(base + "-" + style, dirs); !p.empty()) return p;
    return style == "regular" ? fs::path{} : find_named(base + "-regular", dirs);
}

ass_fonts fonts_of_ass(const std::vector<fs::path>& ass_files, const std::vector<fs::path>& dirs) {
    ass_fonts out;
    for (const auto& file : ass_files)
        for (const auto& f : subs::read_ass_track(file).fonts) {
            const auto path = find_font_file(f.font, f.bold, f.italic, dirs);
            if (path.empty()) {
                const auto what = f.font + (f.bold || f.italic
                                                ? std::string(" (") + (f.bold ? "bold" : "") +
                                                      (f.bold && f.italic ? " " : "") + (f.italic ? "italic" : "") + ")"
                                                : std::string());
                if (std::find(out.missing.begin(), out.missing.end(), what) == out.missing.end())
                    out.missing.push_back(what);
            } else if (std::find(out.files.begin(), out.files.end(), path) == out.files.end()) {
                out.files.push_back(path);
            }
        }
    return out;
}

}  // namespace cinesub::media
