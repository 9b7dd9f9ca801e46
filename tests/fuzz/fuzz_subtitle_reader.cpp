// Fuzz target: the lenient subtitle readers and the checker must never crash or throw on any bytes;
// the strict reader (mux's) throws nothing but cinesub::error.
#include "cinesub/error.hpp"
#include "subtitles/checker.hpp"
#include "subtitles/readers.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view s(reinterpret_cast<const char*>(data), size);
    using namespace cinesub::subs;
    static const auto style = get_profile("netflix-en");
    for (const auto* format : {"srt", "vtt", "ass", "ttml", ""}) {
        const auto f = parse_subtitles(s, format);
        if (f.raw.size() != f.cues.size()) __builtin_trap();  // one raw text per cue
        (void)check_file(f, style, 25);
    }
    try {
        (void)parse_cues_strict(s);
    } catch (const cinesub::error&) {
    }
    (void)parse_timestamp(s);
    return 0;
}
