// Fuzz target: the lenient subtitle readers and the checker must never crash or throw on any bytes.
#include "subtitles/checker.hpp"
#include "subtitles/readers.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view s(reinterpret_cast<const char*>(data), size);
    using namespace cinesub::subs;
    static const auto style = get_profile("netflix-en");
    for (const auto* format : {"srt", "vtt", "ass", ""}) {
        const auto f = parse_subtitles(s, format);
        (void)check_file(f, style, 25);
    }
    (void)parse_timestamp(s);
    return 0;
}
