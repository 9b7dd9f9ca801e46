#include "context/romanize.hpp"

#include "util/text.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace cinesub::context {
namespace {

const romanizer& rom_test_builtin() { return romanizer::builtin(); }

struct rom_test_item {
    std::string devanagari;
    std::vector<std::string> accepted;  // lower case
};

std::vector<rom_test_item> rom_test_list(const char* file = "hindi_romanization.tsv") {
    const std::string path = std::string(CINESUB_SOURCE_DIR "/tests/context/data/") + file;
    std::ifstream in(path);
    EXPECT_TRUE(in) << path;
    std::vector<rom_test_item> items;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line.front() == '#') continue;
        const std::size_t tab = line.find('\t');
        if (tab == std::string::npos) {
            ADD_FAILURE() << "no tab in: " << line;
            continue;
        }
        rom_test_item item{line.substr(0, tab), {}};
        std::stringstream alternatives(line.substr(tab + 1));
        std::string a;
        while (std::getline(alternatives, a, '|'))
            if (!a.empty()) item.accepted.push_back(util::lower_ascii(a));
        items.push_back(std::move(item));
    }
    return items;
}

bool rom_test_accepted(const rom_test_item& item, const std::string& got) {
    const std::string lower = util::lower_ascii(got);
    for (const std::string& a : item.accepted)
        if (a == lower) return true;
    return false;
}

// --- The test list ---------------------------------------------------------------------------------

TEST(RomanizeList, AccuracyOverallAndWithoutExceptionLexicon) {
    const romanizer& r = rom_test_builtin();
    const std::vector<rom_test_item> items = rom_test_list();
    ASSERT_GE(items.size(), 320u);
    std::size_t correct = 0;
    std::size_t rule_items = 0;  // items no word of which is in the exception lexicon
    std::size_t rule_correct = 0;
    std::vector<std::string> misses;
    for (const rom_test_item& item : items) {
        const std::string got = r.text(item.devanagari);
        const bool ok = rom_test_accepted(item, got);
        const bool exception = r.uses_exception(item.devanagari);
        correct += ok;
        if (!exception) {
            ++rule_items;
            rule_correct += ok;
        }
        if (!ok) misses.push_back(item.devanagari + " -> " + got + " (want " + item.accepted.front() + ")");
    }
    const double overall = static_cast<double>(correct) / static_cast<double>(items.size());
    const double rules = rule_items ? static_cast<double>(rule_correct) / static_cast<double>(rule_items) : 0.0;
    std::cout << "romanization accuracy: " << correct << "/" << items.size() << " = " << overall << "\n"
              << "without exception-lexicon words: " << rule_correct << "/" << rule_items << " = " << rules << "\n";
    for (std::size_t k = 0; k < misses.size() && k < 40; ++k) std::cout << "  miss: " << misses[k] << "\n";
    EXPECT_GE(overall, 0.90);
    EXPECT_GE(rules, 0.90);
    EXPECT_GE(rule_items, items.size() * 9 / 10);  // the list does not lean on the exception lexicon
}

// A list the rules were not tuned on (see its header): the honest estimate.
TEST(RomanizeList, HeldOutAccuracy) {
    const romanizer& r = rom_test_builtin();
    const std::vector<rom_test_item> items = rom_test_list("hindi_romanization_heldout.tsv");
    ASSERT_GE(items.size(), 70u);
    std::size_t correct = 0;
    for (const rom_test_item& item : items) {
        const std::string got = r.text(item.devanagari);
        if (rom_test_accepted(item, got))
            ++correct;
        else
            std::cout << "  held-out miss: " << item.devanagari << " -> " << got << "\n";
    }
    const double accuracy = static_cast<double>(correct) / static_cast<double>(items.size());
    std::cout << "held-out romanization accuracy: " << correct << "/" << items.size() << " = " << accuracy << "\n";
    EXPECT_GE(accuracy, 0.90);
}

// --- Rules ---------------------------------------------------------------------------------------------

// A romanizer without English words: what the rules alone write.
const romanizer& rom_test_rules_only() {
    static const romanizer r{""};
    return r;
}

TEST(RomanizeRules, SchwaDeletion) {
    const romanizer& r = rom_test_rules_only();
    EXPECT_EQ(r.word("साथ"), "saath");  // final schwa
    EXPECT_EQ(r.word("मुसीबत"), "musibat");
    EXPECT_EQ(r.word("रोहन"), "rohan");
    EXPECT_EQ(r.word("समझना"), "samajhna");  // VC_CV, right to left
    EXPECT_EQ(r.word("करना"), "karna");
    EXPECT_EQ(r.word("बचपन"), "bachpan");
    EXPECT_EQ(r.word("समझदार"), "samajhdaar");  // compound
    EXPECT_EQ(r.word("हलचल"), "halchal");
    EXPECT_EQ(r.word("न"), "na");           // monosyllable
    EXPECT_EQ(r.word("मित्र"), "mitra");     // after a cluster ending in र
    EXPECT_EQ(r.word("दोस्त"), "dost");      // other clusters lose it
    EXPECT_EQ(r.word("ज़िंदगी"), "zindagi");  // not after an anusvara cluster
    EXPECT_EQ(r.word("दोपहर"), "dopahar");  // not before ह + schwa
    EXPECT_EQ(r.word("फ़िक्र"), "fikr");      // Urdu (nukta) words end in clusters
    EXPECT_EQ(r.word("पहले"), "pehle");      // schwa before a closing ह
    EXPECT_EQ(r.word("सुबह"), "subah");
}

TEST(RomanizeRules, NasalVowels) {
    const romanizer& r = rom_test_rules_only();
    EXPECT_EQ(r.word("में"), "mein");
    EXPECT_EQ(r.word("हैं"), "hain");
    EXPECT_EQ(r.word("तुम्हें"), "tumhein");
    EXPECT_EQ(r.word("नहीं"), "nahin");
    EXPECT_EQ(r.word("हूँ"), "hoon");
    EXPECT_EQ(r.word("संग"), "sang");
    EXPECT_EQ(r.word("चंपा"), "champa");  // anusvara before a labial
    EXPECT_EQ(r.word("कंबल"), "kambal");
    EXPECT_EQ(r.word("हँसना"), "hansna");  // chandrabindu
    EXPECT_EQ(r.word("करेंगे"), "karenge");
    EXPECT_EQ(r.word("दोनों"), "donon");
    EXPECT_EQ(r.word("हाँ"), "haan");
}

TEST(RomanizeRules, LongVowelsAsTyped) {
    const romanizer& r = rom_test_rules_only();
    EXPECT_EQ(r.word("शानदार"), "shaandaar");  // closed syllables
    EXPECT_EQ(r.word("बाहर"), "bahar");        // open ones
    EXPECT_EQ(r.word("पानी"), "pani");
    EXPECT_EQ(r.word("ठीक"), "theek");
    EXPECT_EQ(r.word("लड़की"), "ladki");  // ई at the end
    EXPECT_EQ(r.word("ज़रूर"), "zaroor");
    EXPECT_EQ(r.word("आज"), "aaj");    // initial आ
    EXPECT_EQ(r.word("लिए"), "liye");  // glide
    EXPECT_EQ(r.word("गए"), "gaye");
}

TEST(RomanizeRules, NuktaAndSpecialLetters) {
    const romanizer& r = rom_test_rules_only();
    EXPECT_EQ(r.word("पड़ा"), "pada");
    EXPECT_EQ(r.word("पढ़ना"), "padhna");
    EXPECT_EQ(r.word("फ़ायदा"), "faayda");
    EXPECT_EQ(r.word("क़ानून"), "qanoon");
    EXPECT_EQ(r.word("ख़बर"), "khabar");
    EXPECT_EQ(r.word("ग़लत"), "ghalat");
    EXPECT_EQ(r.word("शेर"), "sher");
    EXPECT_EQ(r.word("शिक्षा"), "shiksha");  // ष as sh
    EXPECT_EQ(r.word("ऋषि"), "rishi");
    EXPECT_EQ(r.word("कृपया"), "kripya");
    EXPECT_EQ(r.word("ज्ञान"), "gyaan");
    EXPECT_EQ(r.word("दुःख"), "dukh");  // visarga
    EXPECT_EQ(r.word("अतः"), "atah");
    EXPECT_EQ(r.word("डॉक्टर"), "doktar");  // ॉ without the English lexicon
    EXPECT_EQ(r.word("ऑफर"), "ophar");
    EXPECT_EQ(r.word("बॅट"), "bet");      // candra e
    EXPECT_EQ(r.word("अच्छा"), "accha");  // exception lexicon
}

TEST(RomanizeRules, TextKeepsEverythingElse) {
    const romanizer& r = rom_test_rules_only();
    EXPECT_EQ(r.text("Rohan, क्या हुआ? 5 बजे!"), "Rohan, kya hua? 5 baje!");
    EXPECT_EQ(r.text("हाँ। ठीक है॥"), "haan. theek hai.");
    EXPECT_EQ(r.text("१२३ रुपये"), "123 rupye");
    EXPECT_EQ(r.text("  \"नमस्ते\" -- OK\n"), "  \"namaste\" -- OK\n");
    EXPECT_EQ(r.text(""), "");
    EXPECT_EQ(r.text("é ü 日本"), "é ü 日本");
    EXPECT_EQ(r.text("क\u200Dया"), r.text("कया"));  // a joiner inside a word is silent
}

TEST(RomanizeRules, NoAutomaticCapitals) {
    const romanizer& r = rom_test_builtin();
    EXPECT_EQ(r.text("रोहन घर गया।"), "rohan ghar gaya.");
    EXPECT_EQ(r.text("Hello रोहन"), "Hello rohan");
}

// --- English words --------------------------------------------------------------------------------------

TEST(RomanizeLoanwords, BackToEnglish) {
    const romanizer& r = rom_test_builtin();
    EXPECT_GE(r.lexicon_size(), 800u);
    EXPECT_EQ(r.text("बंपर ऑफर्स के साथ बिक रहा है यह शानदार स्मार्टफोन"),
              "bumper offers ke saath bik raha hai yeh shaandaar smartphone");
    EXPECT_EQ(r.text("मुसीबत में होमवर्क"), "musibat mein homework");
    EXPECT_EQ(r.word("टेस्ट्स"), "tests");  // plural
    EXPECT_EQ(r.word("पुलिसवाला"), "policewala");
    EXPECT_EQ(r.text("थैंक यू"), "thank you");  // a phrase of the lexicon
}

TEST(RomanizeLoanwords, ByPronunciationNotByTable) {
    // A word the built-in lexicon does not have becomes English once a lexicon has it.
    const romanizer none{""};
    const romanizer zebra{"# animals\nzebra\n  giraffe  \n"};
    EXPECT_EQ(zebra.lexicon_size(), 2u);
    EXPECT_EQ(none.word("ज़ेब्रा"), "zebra");  // the rules happen to agree here
    EXPECT_EQ(none.word("जिराफ़"), "jiraaf");
    EXPECT_EQ(zebra.word("जिराफ़"), "giraffe");
    EXPECT_EQ(zebra.word("जिराफ"), "giraffe");
    EXPECT_EQ(zebra.word("जिराफ़्स"), "giraffes");
    EXPECT_EQ(none.word("होमवर्क"), "homwark");
    EXPECT_EQ(romanizer{"home\nwork\nhomework\n"}.word("होमवर्क"), "homework");
    // Keys: the same sound gives the same key, from either script.
    const romanizer& r = rom_test_builtin();
    EXPECT_EQ(r.key("बंपर"), r.key("bumper"));
    EXPECT_EQ(r.key("फोन"), r.key("phone"));
    EXPECT_EQ(r.key("होटल"), r.key("hotel"));
    EXPECT_NE(r.key("बात"), r.key("bat"));  // dental त, retroflex English t
}

TEST(RomanizeLoanwords, FalseFriendsStayHindi) {
    // A lexicon full of English words that sound like native words.
    const romanizer r{"come\nbut\nbat\nbus\nman\nmatter\nrum\nthin\npass\nbar\nmail\nday\ncome on\n"};
    EXPECT_EQ(r.word("कम"), "kam");     // not "come": a CaC word
    EXPECT_EQ(r.word("बात"), "baat");   // not "but"/"bat": dental t
    EXPECT_EQ(r.word("बस"), "bas");     // "bas" (enough) far more often than "bus"
    EXPECT_EQ(r.word("मन"), "man");     // the same letters, from the rules
    EXPECT_EQ(r.word("मटर"), "matar");  // not "matter"
    EXPECT_EQ(r.word("राम"), "raam");   // आ is not English /ʌ/
    EXPECT_EQ(r.word("तीन"), "teen");   // त is not English th
    EXPECT_EQ(r.word("पास"), "paas");   // stop-list
    EXPECT_EQ(r.word("बार"), "baar");
    EXPECT_EQ(r.word("में"), "mein");  // nasal vowel at the end: never English
    EXPECT_EQ(r.word("दे"), "de");    // one consonant: never without a cue
    const romanizer& builtin = rom_test_builtin();
    for (const std::string_view native :
         {"कम", "बात", "मन", "बस", "काम", "नाम", "लोग", "देना", "होली", "सोना", "राम", "दिन"})
        EXPECT_EQ(builtin.word(native), rom_test_rules_only().word(native)) << native;
}

// --- Glossary ---------------------------------------------------------------------------------------------

TEST(RomanizeNames, GlossaryWins) {
    romanizer r = rom_test_builtin();
    r.add_name("रोहन", "Rohan");
    r.add_name("शाहरुख़ ख़ान", "Shah Rukh Khan");
    r.add_name("हम", "Hum");   // over the exception lexicon
    r.add_name("फोन", "Fon");  // over the English lexicon
    EXPECT_EQ(r.text("रोहन कहाँ है?"), "Rohan kahaan hai?");
    EXPECT_EQ(r.text("शाहरुख़ ख़ान की फ़िल्म"), "Shah Rukh Khan ki film");
    EXPECT_EQ(r.text("शाहरुख़ आया"), "shaahrukh aaya");  // half a name is not the name
    EXPECT_EQ(r.word("हम"), "Hum");
    EXPECT_EQ(r.word("फोन"), "Fon");
    EXPECT_FALSE(r.uses_exception("हम"));
    EXPECT_EQ(rom_test_builtin().word("रोहन"), "rohan");  // the built-in one is untouched
}

TEST(RomanizeNames, ExceptionLexiconIsReported) {
    const romanizer& r = rom_test_builtin();
    EXPECT_TRUE(r.uses_exception("यह"));
    EXPECT_TRUE(r.uses_exception("क्या यह सच है"));
    EXPECT_FALSE(r.uses_exception("साथ"));
    EXPECT_FALSE(r.uses_exception("hello"));
}

// --- Robustness ---------------------------------------------------------------------------------------------

TEST(RomanizeRobust, InvalidUtf8IsReplaced) {
    const romanizer& r = rom_test_builtin();
    const std::string fffd = "\xEF\xBF\xBD";
    EXPECT_EQ(r.text("\xE0\xA4"), fffd);  // Devanagari cut short
    EXPECT_EQ(r.text("क\xFF"
                     "ख"),
              "ka" + fffd + "kha");  // the byte splits two words
    EXPECT_EQ(r.text("ab\xC0\xAF"), "ab" + fffd + fffd);
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> length(0, 40);
    for (int k = 0; k < 3000; ++k) {
        std::string s;
        const int n = length(rng);
        for (int m = 0; m < n; ++m) {
            if (byte(rng) < 128) {  // mostly Devanagari code units, in any order
                s += static_cast<char>(0xE0);
                s += static_cast<char>(0xA4 + byte(rng) % 2);
                s += static_cast<char>(0x80 + byte(rng) % 64);
            } else {
                s += static_cast<char>(byte(rng));
            }
        }
        const std::string out = r.text(s);
        EXPECT_TRUE(util::valid_utf8(out));
        (void)r.key(s);
    }
}

TEST(RomanizeRobust, ThreadsGiveTheSameResults) {
    const romanizer& r = rom_test_builtin();
    const std::vector<rom_test_item> items = rom_test_list();
    std::vector<std::string> expected;
    for (const rom_test_item& item : items) expected.push_back(r.text(item.devanagari));
    const auto run = [&](std::vector<std::string>& out) {
        for (const rom_test_item& item : items) out.push_back(r.text(item.devanagari));
    };
    std::vector<std::string> a;
    std::vector<std::string> b;
    std::thread ta(run, std::ref(a));
    std::thread tb(run, std::ref(b));
    ta.join();
    tb.join();
    EXPECT_EQ(a, expected);
    EXPECT_EQ(b, expected);
}

// Cast names known only in Latin letters (TMDB) spell the Devanagari words that sound like them.
TEST(Romanizer, LatinNamesFromTheCastSpellTheirWords) {
    romanizer r = romanizer::builtin();
    for (const char* name : {"Rohan Mehra", "Aditi Mahant", "Meghna", "Imran Khan", "Savitri Rathore"})
        r.add_latin_name(name);
    EXPECT_EQ(r.text("रोहन ने अदिति से कहा"), "Rohan ne Aditi se kaha");
    EXPECT_EQ(r.text("मेघना और इमरान"), "Meghna aur Imran");
    EXPECT_EQ(r.text("सावित्री राठौर"), "Savitri Rathore");
    // Common words stay common words, names or not.
    EXPECT_EQ(r.text("और क्या"), "aur kya");
    romanizer plain = romanizer::builtin();
    EXPECT_EQ(plain.text("रोहन ने अदिति से कहा"), "rohan ne aditi se kaha");
}

}  // namespace
}  // namespace cinesub::context
