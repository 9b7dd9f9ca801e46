#include "metadata/parse_name.hpp"

#include "util/text.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::metadata {
namespace {

using namespace std::string_literals;

struct name_case {
    std::string_view name;
    std::string_view title;
    std::optional<int> year;
    std::optional<int> season = std::nullopt;
    std::optional<int> episode = std::nullopt;
};

constexpr std::optional<int> no_year = std::nullopt;

// Real-world-style names: scene releases, YTS/torrent names, hand-named files, episodes.
const name_case name_cases[] = {
    // Scene style, dots.
    {"Jaane.Tu.Ya.Jaane.Na.2008.1080p.BluRay.x264.mkv", "Jaane Tu Ya Jaane Na", 2008},
    {"Zindagi.Na.Milegi.Dobara.2011.Hindi.1080p.BluRay.x264.DD5.1.ESub-Tigole.mkv", "Zindagi Na Milegi Dobara", 2011},
    {"Andhadhun.2018.Hindi.720p.AMZN.WEB-DL.DDP5.1.H.264-KHN.mkv", "Andhadhun", 2018},
    {"Gangs.of.Wasseypur.Part.1.2012.1080p.BluRay.x264.mkv", "Gangs of Wasseypur Part 1", 2012},
    {"Sholay.1975.REMASTERED.1080p.BluRay.x264.DTS-HDC.mkv", "Sholay", 1975},
    {"Tumbbad.2018.UNRATED.1080p.AMZN.WEBRip.DDP5.1.x264-NTb.mkv", "Tumbbad", 2018},
    {"Tanu.Weds.Manu.Returns.2015.PROPER.720p.BluRay.x264.mkv", "Tanu Weds Manu Returns", 2015},
    {"Uri.The.Surgical.Strike.2019.1080p.ZEE5.WEB-DL.mkv", "Uri The Surgical Strike", 2019},
    {"Lootcase.2020.Hindi.720p.DSNP.WEB-DL.mkv", "Lootcase", 2020},
    {"Taare.Zameen.Par.2007.480p.DVDRip.mkv", "Taare Zameen Par", 2007},
    {"Raees.2017.Hindi.720p.BluRay.x264.AAC.5.1.ESubs-Tigole.mkv", "Raees", 2017},
    {"Stree.2018.720p.WEBRip.Hin-Eng.x264.mkv", "Stree", 2018},
    {"Pathaan.2023.Hindi.HDTS.720p.x264.mkv", "Pathaan", 2023},
    {"Super.30.2019.Hindi.HC.HDRip.720p.mkv", "Super 30", 2019},
    {"KGF.Chapter.2.2022.Hindi.1080p.HDCAM.x264.mkv", "KGF Chapter 2", 2022},
    {"PK.2014.Hindi.1080p.BluRay.x264.DTS.mkv", "PK", 2014},
    {"Kahaani.2012.1080p.BluRay.x264-[YTS.AG].mp4", "Kahaani", 2012},
    {"Dilwale.2015.DvDScr.XviD", "Dilwale", 2015},  // no extension
    {"Spider-Man.Into.the.Spider-Verse.2018.1080p.WEBRip.x264-RARBG.mp4", "Spider-Man Into the Spider-Verse", 2018},
    {"The.Dark.Knight.2008.EXTENDED.1080p.BluRay.x264.mkv", "The Dark Knight", 2008},
    {"Oppenheimer.2023.IMAX.1080p.BluRay.x264-SPARKS.mkv", "Oppenheimer", 2023},
    {"Dune.Part.Two.2024.2160p.WEB-DL.DDP5.1.Atmos.DV.HDR.H.265-FLUX.mkv", "Dune Part Two", 2024},
    {"Amelie.2001.FRENCH.1080p.BluRay.x264.mkv", "Amelie", 2001},
    {"Apocalypse.Now.1979.Directors.Cut.1080p.BluRay.x264.mkv", "Apocalypse Now", 1979},
    {"the.lunchbox.2013.limited.720p.bluray.x264-geckos.mkv", "the lunchbox", 2013},       // case kept
    {"Chandni.Chowk.to.China.2009.720p.BluRay.x264.mkv", "Chandni Chowk to China", 2009},  // "to" is no domain here
    // Titles with numbers.
    {"2.States.2014.1080p.BluRay.x264-DEPTH.mkv", "2 States", 2014},
    {"1920.2008.720p.BRRip.x264.mkv", "1920", 2008},
    {"1920 (2008).mkv", "1920", 2008},
    {"Article.15.2019.WEB-DL.1080p.NF.mkv", "Article 15", 2019},
    {"1917.1080p.mkv", "1917", no_year},
    {"1917.2019.2160p.UHD.BluRay.x265.10bit.HDR.DTS-HD.MA.5.1-SWTYBLZ.mkv", "1917", 2019},
    {"102.Not.Out.2018.Hindi.1080p.WEB-DL.mkv", "102 Not Out", 2018},
    {"1942.A.Love.Story.1994.DVDRip.XviD.avi", "1942 A Love Story", 1994},
    {"2001.A.Space.Odyssey.1968.1080p.BluRay.x264.mkv", "2001 A Space Odyssey", 1968},
    {"Blade.Runner.2049.2017.1080p.BluRay.x264-SPARKS.mkv", "Blade Runner 2049", 2017},
    {"Blade Runner 2049.mkv", "Blade Runner 2049", no_year},
    {"Wonder.Woman.1984.2020.1080p.mkv", "Wonder Woman 1984", 2020},
    {"Baahubali.2.The.Conclusion.2017.Hindi.1080p.BluRay.x264.mkv", "Baahubali 2 The Conclusion", 2017},
    {"Drishyam.2.2022.1080p.AMZN.WEB-DL.DDP5.1.H.264-TEPES.mkv", "Drishyam 2", 2022},
    {"Special.26.2013.Hindi.1080p.BluRay.x264.mkv", "Special 26", 2013},
    {"2.0.2018.Hindi.1080p.WEB-DL.x264.mkv", "2.0", 2018},
    {"3 Idiots (2009) [720p] [BluRay] [YTS.MX]", "3 Idiots", 2009},
    // Abbreviations and punctuation.
    {"M.S.Dhoni.The.Untold.Story.2016.720p.BluRay.x264.mkv", "M.S. Dhoni The Untold Story", 2016},
    {"E.T.the.Extra-Terrestrial.1982.1080p.BluRay.x264.mkv", "E.T. the Extra-Terrestrial", 1982},
    {"Mr. India (1987).mkv", "Mr. India", 1987},
    {"Dil Se.. (1998).mkv", "Dil Se..", 1998},
    {"Hum Aapke Hain Koun..! (1994).mkv", "Hum Aapke Hain Koun..!", 1994},
    {"Barfi! (2012).mkv", "Barfi!", 2012},
    {"Chak De! India (2007) BluRay 720p.mkv", "Chak De! India", 2007},
    {"Mughal-E-Azam (1960) [Hindi] 1080p.mkv", "Mughal-E-Azam", 1960},
    // YTS and torrent styles, brackets, site prefixes.
    {"Jaane Tu... Ya Jaane Na (2008) [1080p] [BluRay] [5.1] [YTS.MX].mp4", "Jaane Tu... Ya Jaane Na", 2008},
    {"[YTS.MX] Gully Boy (2019) [1080p] [WEBRip].mkv", "Gully Boy", 2019},
    {"Parasite (2019) [Korean] [1080p] [BluRay] [YTS.MX].mp4", "Parasite", 2019},
    {"Kabhi Khushi Kabhie Gham... (2001) Hindi 720p BluRay.mkv", "Kabhi Khushi Kabhie Gham...", 2001},
    {"Dangal (2016) Hindi 1080p HDRip x264 AAC 5.1 ESubs - Tigole.mkv", "Dangal", 2016},
    {"Sooryavanshi (2021) Hindi 1080p WEB-DL x264 DD5.1 MSubs [DSNP].mkv", "Sooryavanshi", 2021},
    {"RRR (2022) [Hindi Dubbed] 1080p WEB-DL.mkv", "RRR", 2022},
    {"www.TamilMV.cz - Vikram (2022) Tamil HQ HDRip - 1080p - x264 - (DD+5.1 - 384Kbps & AAC) - 2.6GB - ESub.mkv",
     "Vikram", 2022},
    {"www.1TamilBlasters.link - Jailer (2023) Tamil TRUE WEB-DL - 1080p - AVC - 3.2GB - ESub.mkv", "Jailer", 2023},
    {"[Hindi] Sholay 1975.mkv", "Sholay", 1975},
    {"(2008) Jaane Tu Ya Jaane Na.mkv", "Jaane Tu Ya Jaane Na", 2008},
    // Hand-named files, underscores, spaces.
    {"Dil Chahta Hai (2001).mkv", "Dil Chahta Hai", 2001},
    {"दिल चाहता है (2001).mkv", "दिल चाहता है", 2001},
    {"शोले 1975 720p.mp4", "शोले", 1975},
    {"Lagaan_2001_Hindi_DVDRip_XviD.avi", "Lagaan", 2001},
    {"Ek_Tha_Tiger_2012_Hindi_DVDRip.avi", "Ek Tha Tiger", 2012},
    {"Bajrangi_Bhaijaan_(2015)_Hindi_720p.mkv", "Bajrangi Bhaijaan", 2015},
    {"Queen 2014 Hindi 720p DvDRip x264 AAC ESubs.mkv", "Queen", 2014},
    {"Padman 2018 720p HDRip Hindi x264 AAC.mkv", "Padman", 2018},
    {"Jodhaa Akbar 2008 Dual Audio Hindi English 720p.mkv", "Jodhaa Akbar", 2008},
    {"Kuch Kuch Hota Hai - 1998 - Hindi.mp4", "Kuch Kuch Hota Hai", 1998},
    {"Kal Ho Naa Ho 2003 Full Movie HD.mp4", "Kal Ho Naa Ho", 2003},
    {"Dilwale Dulhania Le Jayenge 1995.mkv", "Dilwale Dulhania Le Jayenge", 1995},
    {"Hindi.Medium.2017.1080p.WEB-DL.mkv", "Hindi Medium", 2017},  // a language word as the title
    {"English.Vinglish.2012.Hindi.720p.BRRip.mkv", "English Vinglish", 2012},
    // No year.
    {"Swades.mkv", "Swades", no_year},
    {"Dil.Chahta.Hai.Hindi.720p.mkv", "Dil Chahta Hai", no_year},
    {"Haider.Hindi.Dubbed.720p.mkv", "Haider", no_year},
    {"Spider-Man.Homecoming.1080p.BluRay.x264-SPARKS.mkv", "Spider-Man Homecoming", no_year},
    // Episodes.
    {"Sacred.Games.S01E03.720p.NF.WEB-DL.x264.mkv", "Sacred Games", no_year, 1, 3},
    {"Panchayat.S02E05.Hindi.1080p.AMZN.WEB-DL.mkv", "Panchayat", no_year, 2, 5},
    {"The.Family.Man.2019.S01E01.1080p.AMZN.WEBRip.mkv", "The Family Man", 2019, 1, 1},
    {"Mirzapur S1E3.mkv", "Mirzapur", no_year, 1, 3},
    {"Friends 1x03 The One with the Thumb.avi", "Friends", no_year, 1, 3},
    {"Kota Factory Episode 5.mp4", "Kota Factory", no_year, std::nullopt, 5},
    {"Kota Factory Season 2 Episode 4.mp4", "Kota Factory", no_year, 2, 4},
    {"Gullak.Episode.3.720p.SonyLIV.WEB-DL.mkv", "Gullak", no_year, std::nullopt, 3},
    {"Star Wars Episode 1 The Phantom Menace (1999).mkv", "Star Wars Episode 1 The Phantom Menace", 1999},
    {"Paatal.Lok.S01.1080p.AMZN.WEB-DL.mkv", "Paatal Lok", no_year, 1},
    {"Aspirants.S01.E02.720p.mkv", "Aspirants", no_year, 1, 2},
    {"[SubsPlease] Spy x Family - 03 (1080p) [A1B2C3D4].mkv", "Spy x Family", no_year, std::nullopt, 3},
};

TEST(ParseMediaName, Table) {
    EXPECT_GE(std::size(name_cases), 45u);
    for (const auto& row : name_cases) {
        SCOPED_TRACE(row.name);
        auto parsed = parse_media_name(row.name);
        EXPECT_EQ(parsed.title, row.title);
        EXPECT_EQ(parsed.year, row.year);
        EXPECT_EQ(parsed.season, row.season);
        EXPECT_EQ(parsed.episode, row.episode);
    }
}

TEST(ParseMediaName, DiscardedInOrder) {
    EXPECT_EQ(parse_media_name("Jaane.Tu.Ya.Jaane.Na.2008.1080p.BluRay.x264.mkv").discarded,
              (std::vector<std::string>{"1080p", "BluRay", "x264", "mkv"}));
    EXPECT_EQ(parse_media_name("[YTS.MX] Gully Boy (2019) [1080p] [WEBRip].mkv").discarded,
              (std::vector<std::string>{"[YTS.MX]", "[1080p]", "[WEBRip]", "mkv"}));
    EXPECT_EQ(parse_media_name("Andhadhun.2018.Hindi.720p.AMZN.WEB-DL.DDP5.1.H.264-KHN.mkv").discarded,
              (std::vector<std::string>{"Hindi", "720p", "AMZN", "WEB-DL", "DDP5.1", "H.264", "KHN", "mkv"}));
    EXPECT_EQ(parse_media_name("www.TamilMV.cz - Vikram (2022) Tamil.mkv").discarded,
              (std::vector<std::string>{"www.TamilMV.cz", "-", "Tamil", "mkv"}));
    EXPECT_EQ(parse_media_name("Dil.Chahta.Hai.Hindi.720p").discarded, (std::vector<std::string>{"Hindi", "720p"}));
    // An episode tag is dropped from the title like any other tag.
    EXPECT_EQ(parse_media_name("Sacred.Games.S01E03.720p").discarded, (std::vector<std::string>{"S01E03", "720p"}));
}

TEST(ParseMediaName, PathUsesLastComponent) {
    for (std::string_view path :
         {"/media/films/Bollywood/Dil Chahta Hai (2001).mkv", "../films/2001/Dil Chahta Hai (2001).mkv",
          "D:\\Films\\Dil Chahta Hai (2001).mkv", "/media/films/Dil Chahta Hai (2001)/", "Dil Chahta Hai (2001)"}) {
        SCOPED_TRACE(path);
        auto parsed = parse_media_name(path);
        EXPECT_EQ(parsed.title, "Dil Chahta Hai");
        EXPECT_EQ(parsed.year, 2001);
    }
}

TEST(ParseMediaName, MediaAndSubtitleExtensionsAreStripped) {
    for (std::string_view name : {"Lagaan.2001.mkv", "Lagaan.2001.MKV", "Lagaan.2001.Mp4", "Lagaan.2001.srt",
                                  "Lagaan.2001.en.srt", "Lagaan.2001.hi.forced.srt", "Lagaan.2001.ass"}) {
        SCOPED_TRACE(name);
        auto parsed = parse_media_name(name);
        EXPECT_EQ(parsed.title, "Lagaan");
        EXPECT_EQ(parsed.year, 2001);
        EXPECT_EQ(parsed.discarded.back(), name.substr(name.rfind('.') + 1));
    }
    EXPECT_EQ(parse_media_name("Lagaan.2001.en.srt").discarded, (std::vector<std::string>{"en", "srt"}));
    // A language code before a video extension is not a subtitle's: it is just a word.
    EXPECT_EQ(parse_media_name("Swades.en.mkv").title, "Swades en");
    // A file that is only an extension.
    EXPECT_EQ(parse_media_name(".mkv").title, "");
}

TEST(ParseMediaName, UnknownExtensionIsKeptAsAWord) {
    // Dotted names end in a piece of the name, which must not be taken for an extension.
    EXPECT_EQ(parse_media_name("Article.15").title, "Article 15");
    EXPECT_EQ(parse_media_name("Swades.txt").title, "Swades txt");
    auto parsed = parse_media_name("Lagaan.2001.1080p.part");
    EXPECT_EQ(parsed.title, "Lagaan");
    EXPECT_EQ(parsed.year, 2001);
    EXPECT_EQ(parsed.discarded, (std::vector<std::string>{"1080p", "part"}));
}

TEST(ParseMediaName, YearRange) {
    EXPECT_EQ(parse_media_name("Film.1899.mkv").year, std::nullopt);
    EXPECT_EQ(parse_media_name("Film.1900.mkv").year, earliest_year);
    EXPECT_EQ(parse_media_name("Film.2039.mkv").year, latest_year);
    EXPECT_EQ(parse_media_name("Film.2040.mkv").year, std::nullopt);
    EXPECT_EQ(parse_media_name("Film.2040.mkv").title, "Film 2040");
    EXPECT_EQ(parse_media_name("2012.mkv").title, "2012");  // a year needs a title before it
    EXPECT_EQ(parse_media_name("2012.mkv").year, std::nullopt);
    EXPECT_EQ(parse_media_name("(2012).mkv").title, "");  // but a bracketed year is a year
    EXPECT_EQ(parse_media_name("(2012).mkv").year, 2012);
}

TEST(ParseMediaName, EmptyAndGarbage) {
    for (std::string_view name : {"", " ", ".", "....", "---", " - ", "_-_", "[]", "()", "[YTS.MX]", "/", "\\", "((((",
                                  ")))", "[[]]", "-.-", "~|~", "\xC2\xA0", "\xEF\xBB\xBF"}) {
        SCOPED_TRACE(name);
        auto parsed = parse_media_name(name);
        EXPECT_EQ(parsed.title, "");
        EXPECT_EQ(parsed.year, std::nullopt);
        EXPECT_EQ(parsed.episode, std::nullopt);
    }
    EXPECT_EQ(parse_media_name("S01E03.mkv").title, "");
    EXPECT_EQ(parse_media_name("S01E03.mkv").episode, 3);
    // An unmatched bracket is a separator.
    EXPECT_EQ(parse_media_name("Lagaan (2001.mkv").title, "Lagaan");
    EXPECT_EQ(parse_media_name("Lagaan (2001.mkv").year, 2001);
}

TEST(ParseMediaName, InvalidUtf8) {
    const std::string fffd = "\xEF\xBF\xBD";
    auto parsed = parse_media_name("Dil\xFF.Chahta.Hai.2001.1080p.mkv");
    EXPECT_EQ(parsed.title, "Dil" + fffd + " Chahta Hai");
    EXPECT_EQ(parsed.year, 2001);
    parsed = parse_media_name("\xE0\xA4 (2001).mkv");  // cut Devanagari
    EXPECT_EQ(parsed.title, fffd);
    EXPECT_EQ(parsed.year, 2001);
    parsed = parse_media_name("Film.2001.\xC0\xAF.mkv");
    EXPECT_EQ(parsed.discarded, (std::vector<std::string>{fffd + fffd, "mkv"}));
}

TEST(ParseMediaName, AnyBytesNoCrash) {
    // Deterministic pseudo-random names built from pieces that exercise every rule.
    const std::vector<std::string> pieces = {
        ".",        " ",    "_",        "-",        "(",    ")",      "[",     "]",       "{",      "}", "~",
        "|",        "/",    "\\",       "2008",     "1920", "S01E03", "1x03",  "Episode", "Season", "5", "1",
        "H",        "264",  "DD5",      "x264-GRP", "www",  "com",    "Hindi", "1080p",   "M",      "S", "\xE2\x80\x93",
        "\xC2\xA0", "\xFF", "\xE0\xA4", "दिल",      "mkv",  "srt",    "..",    "'",       "!",      "&", "+"};
    std::uint32_t state = 12345;
    for (int n = 0; n < 5000; ++n) {
        std::string name;
        state = state * 1664525u + 1013904223u;
        int count = static_cast<int>(state >> 28);
        for (int k = 0; k < count; ++k) {
            state = state * 1664525u + 1013904223u;
            name += pieces[(state >> 16) % pieces.size()];
        }
        auto parsed = parse_media_name(name);
        EXPECT_TRUE(util::valid_utf8(parsed.title)) << name;
        EXPECT_EQ(parsed.title, util::trim(parsed.title)) << name;
        EXPECT_EQ(parsed.title.find("  "), std::string::npos) << name;
        if (parsed.year) {
            EXPECT_GE(*parsed.year, earliest_year) << name;
            EXPECT_LE(*parsed.year, latest_year) << name;
        }
        for (const auto& piece : parsed.discarded) EXPECT_TRUE(util::valid_utf8(piece)) << name;
    }
}

}  // namespace
}  // namespace cinesub::metadata
