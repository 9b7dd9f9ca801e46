#include "support.hpp"

#include "cinesub/error.hpp"
#include "util/timecode.hpp"

namespace cinesub::util {
namespace {

TEST(Timecode, ParsesSecondsAndClockForms) {
    EXPECT_DOUBLE_EQ(parse_time("90"), 90.0);
    EXPECT_DOUBLE_EQ(parse_time("90.5"), 90.5);
    EXPECT_DOUBLE_EQ(parse_time("1:30"), 90.0);
    EXPECT_DOUBLE_EQ(parse_time("00:01:30.500"), 90.5);
    EXPECT_DOUBLE_EQ(parse_time("01:00:00,250"), 3600.25);
}

TEST(Timecode, RejectsGarbage) {
    for (const char* bad : {"", "abc", "1:2:3:4", "00:61:00", "-5", "1.2.3", "12:", "1:2e3"}) {
        try {
            parse_time(bad, "--start");
            FAIL() << bad;
        } catch (const error& e) {
            EXPECT_EQ(e.code(), errc::range_invalid) << bad;
            EXPECT_NE(std::string(e.what()).find("--start"), std::string::npos);
        }
    }
}

TEST(Timecode, Formats) {
    EXPECT_EQ(format_time(3723.4567), "01:02:03.457");
    EXPECT_EQ(format_time(0), "00:00:00.000");
}

}  // namespace
}  // namespace cinesub::util
