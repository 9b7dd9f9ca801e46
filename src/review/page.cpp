// The review page: src/review/assets/review.html with review.css, review.js and the boot object put
// in its three markers (the assets are compiled in by src/CMakeLists.txt: no file is read at run
// time, no CDN). One document; the static report is the same page with the job document inside.
#include "cinesub/error.hpp"
#include "review/review.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include "review_css.inc"
#include "review_html.inc"
#include "review_js.inc"

namespace cinesub::review {

namespace {

std::string_view asset(const unsigned char* bytes, std::size_t size_with_nul) {
    return {reinterpret_cast<const char*>(bytes), size_with_nul - 1};
}

struct piece {
    std::size_t at;
    std::string_view marker;
    std::string_view content;
};

}  // namespace

std::string compose_page(const nlohmann::json& boot) {
    // JSON inside <script>: "</" would end the element and "<!--" would open a comment. Escape every
    // '<' (still valid JSON and JS: \u003c).
    std::string boot_js = "window.CINESUB_BOOT = ";
    for (const char c : boot.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) {
        if (c == '<')
            boot_js += "\\u003c";
        else
            boot_js += c;
    }
    boot_js += ";";
    const auto html = asset(review_html, sizeof review_html);
    // The markers are found in the template only, never in what is put in (a cue could hold the text).
    std::vector<piece> pieces{{0, "/*CINESUB_CSS*/", asset(review_css, sizeof review_css)},
                              {0, "/*CINESUB_BOOT*/", boot_js},
                              {0, "/*CINESUB_JS*/", asset(review_js, sizeof review_js)}};
    for (auto& p : pieces) {
        p.at = html.find(p.marker);
        if (p.at == std::string_view::npos)
            throw error(errc::internal, "review.html has no " + std::string(p.marker) + " marker");
    }
    std::sort(pieces.begin(), pieces.end(), [](const piece& a, const piece& b) { return a.at < b.at; });
    std::string page;
    page.reserve(html.size() + boot_js.size() + pieces[0].content.size() + pieces[1].content.size() +
                 pieces[2].content.size());
    std::size_t from = 0;
    for (const auto& p : pieces) {
        page.append(html.substr(from, p.at - from));
        page.append(p.content);
        from = p.at + p.marker.size();
    }
    page.append(html.substr(from));
    return page;
}

}  // namespace cinesub::review
