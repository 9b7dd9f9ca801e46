// ISO 639 language tags for subtitle streams.
#include "media/media.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <array>

namespace cinesub::media {

language_tag language_from_code(const std::string& code_in) {
    struct entry {
        const char* one;
        const char* two;  // ISO 639-2/B (what Matroska expects; FFmpeg's mp4 writer maps it)
        const char* name;
    };
    static constexpr std::array<entry, 49> table{{
        {"hi", "hin", "Hindi"},     {"en", "eng", "English"},    {"ur", "urd", "Urdu"},
        {"bn", "ben", "Bengali"},   {"ta", "tam", "Tamil"},      {"te", "tel", "Telugu"},
        {"mr", "mar", "Marathi"},   {"gu", "guj", "Gujarati"},   {"kn", "kan", "Kannada"},
        {"ml", "mal", "Malayalam"}, {"pa", "pan", "Punjabi"},    {"or", "ori", "Odia"},
        {"as", "asm", "Assamese"},  {"ne", "nep", "Nepali"},     {"sa", "san", "Sanskrit"},
        {"si", "sin", "Sinhala"},   {"fr", "fre", "French"},     {"de", "ger", "German"},
        {"es", "spa", "Spanish"},   {"it", "ita", "Italian"},    {"pt", "por", "Portuguese"},
        {"ru", "rus", "Russian"},   {"ja", "jpn", "Japanese"},   {"ko", "kor", "Korean"},
        {"zh", "chi", "Chinese"},   {"ar", "ara", "Arabic"},     {"fa", "per", "Persian"},
        {"tr", "tur", "Turkish"},   {"nl", "dut", "Dutch"},      {"sv", "swe", "Swedish"},
        {"pl", "pol", "Polish"},    {"id", "ind", "Indonesian"}, {"ms", "may", "Malay"},
        {"th", "tha", "Thai"},      {"vi", "vie", "Vietnamese"}, {"he", "heb", "Hebrew"},
        {"el", "gre", "Greek"},     {"uk", "ukr", "Ukrainian"},  {"ro", "rum", "Romanian"},
        {"cs", "cze", "Czech"},     {"hu", "hun", "Hungarian"},  {"fi", "fin", "Finnish"},
        {"da", "dan", "Danish"},    {"no", "nor", "Norwegian"},  {"my", "bur", "Burmese"},
        {"km", "khm", "Khmer"},     {"sw", "swa", "Swahili"},    {"tl", "tgl", "Tagalog"},
        {"ca", "cat", "Catalan"},
    }};
    std::string code = util::lower_ascii(code_in);
    std::string script;
    if (auto dash = code.find_first_of("-_"); dash != std::string::npos) {
        script = code.substr(dash + 1);
        code.resize(dash);
    }
    std::string suffix;
    if (script == "latn")
        suffix = " (Latin)";
    else if (script == "deva")
        suffix = " (Devanagari)";
    else if (script == "arab")
        suffix = " (Arabic)";
    else if (!script.empty())
        suffix = " (" + script + ")";
    for (const auto& e : table)
        if (code == e.one || code == e.two) return {e.two, std::string(e.name) + suffix};
    // Other ISO 639-2/T codes some tools write.
    if (code == "deu") return {"ger", "German" + suffix};
    if (code == "fra") return {"fre", "French" + suffix};
    if (code == "zho") return {"chi", "Chinese" + suffix};
    if (code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        return {code, code + suffix};
    return {"und", code_in.empty() ? "Unknown" : code_in};
}

}  // namespace cinesub::media
