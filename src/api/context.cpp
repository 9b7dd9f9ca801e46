#include "cinesub/context.hpp"

#include "cinesub/error.hpp"
#include "cinesub/job.hpp"
#include "cinesub/transcript.hpp"
#include "context/glossary.hpp"
#include "context/romanize.hpp"
#include "metadata/parse_name.hpp"
#include "stages/artefacts.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <map>

namespace cinesub {

media_name parse_media_name(std::string_view file_name_or_path) {
    auto p = metadata::parse_media_name(file_name_or_path);
    return {std::move(p.title), p.year, p.season, p.episode, std::move(p.discarded)};
}

struct hindi_romanizer::impl {
    context::romanizer r;
};

hindi_romanizer::hindi_romanizer(const std::filesystem::path& glossary)
    : impl_(std::make_unique<impl>(impl{glossary.empty() ? context::romanizer::builtin()
                                                         : context::romanizer_for(context::merge_glossary(
                                                               context::read_user_glossary(glossary), {}))})) {}

hindi_romanizer::~hindi_romanizer() = default;

std::string hindi_romanizer::line(std::string_view text) const { return impl_->r.text(text); }

namespace {

// Lower-case ASCII words of a (romanized) text, other bytes kept inside words.
std::vector<std::string> ctx_words(std::string_view text) {
    std::vector<std::string> out;
    std::string w;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '\'') {
            w += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        } else if (!w.empty()) {
            out.push_back(std::move(w));
            w.clear();
        }
    }
    if (!w.empty()) out.push_back(std::move(w));
    return out;
}

// How often the word sequence `needle` occurs in `hay`.
std::size_t ctx_count(const std::vector<std::string>& hay, const std::vector<std::string>& needle) {
    if (needle.empty() || needle.size() > hay.size()) return 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i)
        if (std::equal(needle.begin(), needle.end(), hay.begin() + static_cast<std::ptrdiff_t>(i))) ++n;
    return n;
}

}  // namespace

nlohmann::json job_glossary(const job& j) {
    const auto path = pipeline::artefact_path(j, stages::context_files::glossary);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw error(errc::input_missing,
                    fmt::format("job {} has no glossary yet ({}): run it first", j.id, path.string()));
    auto doc = util::read_json(path);
    const auto g = context::glossary_from_json(doc);
    const auto roman = context::romanizer_for(g);

    // Words of every transcript track, romanized where Devanagari.
    std::map<std::string, std::vector<std::string>> words;  // language → words
    const auto tracks = pipeline::artefact_path(j, stages::asr_files::tracks);
    for (const auto& file : stages::listed_transcripts(tracks)) {
        if (!std::filesystem::exists(file, ec)) continue;
        const auto tr = load_transcript(file);
        auto& w = words[tr.language.empty() ? "und" : tr.language];
        for (const auto& s : tr.segments)
            for (auto& x : ctx_words(roman.text(s.text))) w.push_back(std::move(x));
    }
    for (std::size_t i = 0; i < g.entries.size(); ++i) {
        const auto& e = g.entries[i];
        nlohmann::json seen = nlohmann::json::object();
        for (const auto& [lang, w] : words) {
            std::size_t n = ctx_count(w, ctx_words(roman.text(e.term)));
            for (const auto& a : e.aliases) n += ctx_count(w, ctx_words(roman.text(a)));
            seen[lang] = n;
        }
        doc["entries"][i]["seen"] = std::move(seen);
    }
    doc["job"] = j.id;
    return doc;
}

}  // namespace cinesub
