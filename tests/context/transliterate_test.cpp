// Tests of the Latin → Devanagari name transliterator: accuracy on real names (development lists the
// rules were tuned on and a held-out list they never were; each prints its misses), and the text
// handling (words, case, diacritics, non-Latin input, invalid UTF-8).
#include "context/transliterate.hpp"

#include "util/text.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <iostream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace cinesub::context {
namespace {

struct tl_test_name {
    std::string_view latin;
    std::string_view devanagari;  // the standard Hindi spelling
};

// Development list: real Indian given names, surnames and places with their standard Hindi spellings.
// The rules (and the exception list) were tuned against it.
constexpr tl_test_name tl_test_development[] = {
    {"Rohan", "रोहन"},
    {"Deepika", "दीपिका"},
    {"Ranbir", "रणबीर"},
    {"Ranveer", "रणवीर"},
    {"Ranjit", "रणजीत"},
    {"Priya", "प्रिया"},
    {"Aditya", "आदित्य"},
    {"Siddharth", "सिद्धार्थ"},
    {"Krishna", "कृष्ण"},
    {"Anand", "आनंद"},
    {"Sanjay", "संजय"},
    {"Chandra", "चंद्र"},
    {"Gyan", "ज्ञान"},
    {"Ram", "राम"},
    {"Amitabh", "अमिताभ"},
    {"Aishwarya", "ऐश्वर्या"},
    {"Salman", "सलमान"},
    {"Aamir", "आमिर"},
    {"Priyanka", "प्रियंका"},
    {"Kriti", "कृति"},
    {"Hema", "हेमा"},
    {"Jaya", "जया"},
    {"Nandita", "नंदिता"},
    {"Naseeruddin", "नसीरुद्दीन"},
    {"Kapoor", "कपूर"},
    {"Khan", "ख़ान"},
    {"Khanna", "खन्ना"},
    {"Padukone", "पादुकोण"},
    {"Shah", "शाह"},
    {"Singh", "सिंह"},
    {"Kumar", "कुमार"},
    {"Sharma", "शर्मा"},
    {"Malhotra", "मल्होत्रा"},
    {"Chopra", "चोपड़ा"},
    {"Bachchan", "बच्चन"},
    {"Deol", "देओल"},
    {"Rao", "राव"},
    {"Sen", "सेन"},
    {"Mukherjee", "मुखर्जी"},
    {"Banerjee", "बनर्जी"},
    {"Roshan", "रोशन"},
    {"Shetty", "शेट्टी"},
    {"Tandon", "टंडन"},
    {"Rishi", "ऋषि"},
    {"Abhishek", "अभिषेक"},
    {"Abhay", "अभय"},
    {"Vaibhav", "वैभव"},
    {"Gaurav", "गौरव"},
    {"Saurabh", "सौरभ"},
    {"Kailash", "कैलाश"},
    {"Akash", "आकाश"},
    {"Vikas", "विकास"},
    {"Subhash", "सुभाष"},
    {"Gopal", "गोपाल"},
    {"Kunal", "कुणाल"},
    {"Sagar", "सागर"},
    {"Amar", "अमर"},
    {"Amit", "अमित"},
    {"Ankit", "अंकित"},
    {"Sumit", "सुमित"},
    {"Mohan", "मोहन"},
    {"Chetan", "चेतन"},
    {"Pawan", "पवन"},
    {"Madan", "मदन"},
    {"Jeevan", "जीवन"},
    {"Sachin", "सचिन"},
    {"Rohit", "रोहित"},
    {"Yash", "यश"},
    {"Kartik", "कार्तिक"},
    {"Sushant", "सुशांत"},
    {"Rajkumar", "राजकुमार"},
    {"Ashok", "अशोक"},
    {"Amrish", "अमरीश"},
    {"Shakti", "शक्ति"},
    {"Preeti", "प्रीति"},
    {"Jyoti", "ज्योति"},
    {"Smita", "स्मिता"},
    {"Shilpa", "शिल्पा"},
    {"Kalpana", "कल्पना"},
    {"Sapna", "सपना"},
    {"Rashmi", "रश्मि"},
    {"Divya", "दिव्या"},
    {"Ananya", "अनन्या"},
    {"Nandini", "नंदिनी"},
    {"Urmila", "उर्मिला"},
    {"Manisha", "मनीषा"},
    {"Raveena", "रवीना"},
    {"Sushmita", "सुष्मिता"},
    {"Sonam", "सोनम"},
    {"Zeenat", "ज़ीनत"},
    {"Waheeda", "वहीदा"},
    {"Mumtaz", "मुमताज़"},
    {"Dilip", "दिलीप"},
    {"Vinod", "विनोद"},
    {"Pramod", "प्रमोद"},
    {"Naresh", "नरेश"},
    {"Manohar", "मनोहर"},
    {"Shankar", "शंकर"},
    {"Mahendra", "महेंद्र"},
    {"Surendra", "सुरेंद्र"},
    {"Narendra", "नरेंद्र"},
    {"Indira", "इंदिरा"},
    {"Sonia", "सोनिया"},
    {"Bhatt", "भट्ट"},
    {"Kashyap", "कश्यप"},
    {"Trivedi", "त्रिवेदी"},
    {"Chaturvedi", "चतुर्वेदी"},
    {"Dwivedi", "द्विवेदी"},
    {"Pathak", "पाठक"},
    {"Yadav", "यादव"},
    {"Chauhan", "चौहान"},
    {"Ghosh", "घोष"},
    {"Santosh", "संतोष"},
    {"Vishnu", "विष्णु"},
    {"Pushpa", "पुष्पा"},
    {"Mumbai", "मुंबई"},
    {"Delhi", "दिल्ली"},
    {"Hyderabad", "हैदराबाद"},
    {"Ahmedabad", "अहमदाबाद"},
    {"Agra", "आगरा"},
    {"Shimla", "शिमला"},
    {"Kashmir", "कश्मीर"},
    {"Punjab", "पंजाब"},
    {"Gujarat", "गुजरात"},
    {"Bihar", "बिहार"},
    {"Rajasthan", "राजस्थान"},
    {"Kerala", "केरल"},
    {"Mathura", "मथुरा"},
    {"Ayodhya", "अयोध्या"},
    {"Haridwar", "हरिद्वार"},
    {"Rishikesh", "ऋषिकेश"},
    {"Ujjain", "उज्जैन"},
    {"Gwalior", "ग्वालियर"},
    {"Ranchi", "रांची"},
    {"Dehradun", "देहरादून"},
    {"Hrishikesh", "हृषिकेश"},
    {"Mrinal", "मृणाल"},
    {"Bhagat", "भगत"},
    {"Gulzar", "गुलज़ार"},
    {"Farida", "फ़रीदा"},
    {"Azmi", "आज़मी"},
    {"Kher", "खेर"},
    {"Puri", "पुरी"},
    {"Nawaz", "नवाज़"},
    {"Arshad", "अरशद"},
    {"Warsi", "वारसी"},
};

// FORMER held-out list: written before the rules were implemented, as the held-out list. Its first
// run scored 73/118 (61.9 %), below the 75 % target; after that run it was used for tuning like the
// development list (rules were added and changed while looking at its misses), so it no longer
// measures how the rules do on unseen names. Kept as a second development list and regression guard.
constexpr tl_test_name tl_test_former_held_out[] = {
    {"Akshay", "अक्षय"},
    {"Kareena", "करीना"},
    {"Hrithik", "ऋतिक"},
    {"Madhuri", "माधुरी"},
    {"Juhi", "जूही"},
    {"Sunil", "सुनील"},
    {"Govinda", "गोविंदा"},
    {"Anil", "अनिल"},
    {"Sridevi", "श्रीदेवी"},
    {"Rekha", "रेखा"},
    {"Shabana", "शबाना"},
    {"Vidya", "विद्या"},
    {"Kajol", "काजोल"},
    {"Rani", "रानी"},
    {"Arjun", "अर्जुन"},
    {"Varun", "वरुण"},
    {"Ayushmann", "आयुष्मान"},
    {"Rajkummar", "राजकुमार"},
    {"Nawazuddin", "नवाज़ुद्दीन"},
    {"Irrfan", "इरफ़ान"},
    {"Pankaj", "पंकज"},
    {"Manoj", "मनोज"},
    {"Kangana", "कंगना"},
    {"Taapsee", "तापसी"},
    {"Bhumi", "भूमि"},
    {"Sara", "सारा"},
    {"Janhvi", "जान्हवी"},
    {"Kiara", "कियारा"},
    {"Alia", "आलिया"},
    {"Shraddha", "श्रद्धा"},
    {"Sonakshi", "सोनाक्षी"},
    {"Anushka", "अनुष्का"},
    {"Kolkata", "कोलकाता"},
    {"Chennai", "चेन्नई"},
    {"Jaipur", "जयपुर"},
    {"Lucknow", "लखनऊ"},
    {"Pune", "पुणे"},
    {"Nagpur", "नागपुर"},
    {"Amritsar", "अमृतसर"},
    {"Varanasi", "वाराणसी"},
    {"Bhopal", "भोपाल"},
    {"Indore", "इंदौर"},
    {"Patna", "पटना"},
    {"Surat", "सूरत"},
    {"Goa", "गोवा"},
    {"Dutt", "दत्त"},
    {"Joshi", "जोशी"},
    {"Mehta", "मेहता"},
    {"Verma", "वर्मा"},
    {"Gupta", "गुप्ता"},
    {"Agarwal", "अग्रवाल"},
    {"Desai", "देसाई"},
    {"Patel", "पटेल"},
    {"Reddy", "रेड्डी"},
    {"Iyer", "अय्यर"},
    {"Nair", "नायर"},
    {"Tiwari", "तिवारी"},
    {"Mishra", "मिश्रा"},
    {"Pandey", "पांडे"},
    {"Saxena", "सक्सेना"},
    {"Vikram", "विक्रम"},
    {"Suresh", "सुरेश"},
    {"Ramesh", "रमेश"},
    {"Mahesh", "महेश"},
    {"Ganesh", "गणेश"},
    {"Lakshmi", "लक्ष्मी"},
    {"Pooja", "पूजा"},
    {"Neha", "नेहा"},
    {"Kavita", "कविता"},
    {"Sunita", "सुनीता"},
    {"Anjali", "अंजलि"},
    {"Meera", "मीरा"},
    {"Radha", "राधा"},
    {"Sita", "सीता"},
    {"Gita", "गीता"},
    {"Ravi", "रवि"},
    {"Vijay", "विजय"},
    {"Ajay", "अजय"},
    {"Sanjeev", "संजीव"},
    {"Rajesh", "राजेश"},
    {"Dinesh", "दिनेश"},
    {"Naveen", "नवीन"},
    {"Prakash", "प्रकाश"},
    {"Nikhil", "निखिल"},
    {"Rahul", "राहुल"},
    {"Karan", "करण"},
    {"Arun", "अरुण"},
    {"Tanvi", "तन्वी"},
    {"Ishaan", "ईशान"},
    {"Kabir", "कबीर"},
    {"Zoya", "ज़ोया"},
    {"Farhan", "फ़रहान"},
    {"Imran", "इमरान"},
    {"Salim", "सलीम"},
    {"Javed", "जावेद"},
    {"Nargis", "नरगिस"},
    {"Dharmendra", "धर्मेंद्र"},
    {"Jeetendra", "जीतेंद्र"},
    {"Mithun", "मिथुन"},
    {"Raj", "राज"},
    {"Dev", "देव"},
    {"Shashi", "शशि"},
    {"Om", "ओम"},
    {"Anupam", "अनुपम"},
    {"Paresh", "परेश"},
    {"Boman", "बोमन"},
    {"Kishore", "किशोर"},
    {"Lata", "लता"},
    {"Asha", "आशा"},
    {"Mohammed", "मोहम्मद"},
    {"Rafi", "रफ़ी"},
    {"Mukesh", "मुकेश"},
    {"Sonu", "सोनू"},
    {"Shreya", "श्रेया"},
    {"Arijit", "अरिजीत"},
    {"Pritam", "प्रीतम"},
    {"Vishal", "विशाल"},
    {"Shekhar", "शेखर"},
};

// HELD-OUT list: written after the former held-out list was spent and before the last rule changes
// (which were tuned on the two lists above only); never tuned against: no rule or exception was
// added or changed after looking at its results, and none of its names is in another list, in the
// exception list or in a comment of transliterate.cpp. Its first (and only measuring) run: 65/111
// (58.6 %). The target was 75 %: NOT met; the assertion below guards that level against regressions.
constexpr tl_test_name tl_test_held_out[] = {
    {"Rakesh", "राकेश"},
    {"Ritesh", "रितेश"},
    {"Vivek", "विवेक"},
    {"Arvind", "अरविंद"},
    {"Harish", "हरीश"},
    {"Girish", "गिरीश"},
    {"Satish", "सतीश"},
    {"Yogesh", "योगेश"},
    {"Umesh", "उमेश"},
    {"Kamal", "कमल"},
    {"Jatin", "जतिन"},
    {"Nitin", "नितिन"},
    {"Lalit", "ललित"},
    {"Mohit", "मोहित"},
    {"Sahil", "साहिल"},
    {"Aman", "अमन"},
    {"Ashish", "आशीष"},
    {"Deepak", "दीपक"},
    {"Sandeep", "संदीप"},
    {"Pradeep", "प्रदीप"},
    {"Gagan", "गगन"},
    {"Tarun", "तरुण"},
    {"Kiran", "किरण"},
    {"Shyam", "श्याम"},
    {"Mohini", "मोहिनी"},
    {"Rupa", "रूपा"},
    {"Sneha", "स्नेहा"},
    {"Swati", "स्वाति"},
    {"Pallavi", "पल्लवी"},
    {"Archana", "अर्चना"},
    {"Vandana", "वंदना"},
    {"Sadhana", "साधना"},
    {"Usha", "उषा"},
    {"Shobha", "शोभा"},
    {"Kamini", "कामिनी"},
    {"Savita", "सविता"},
    {"Poonam", "पूनम"},
    {"Neelam", "नीलम"},
    {"Simran", "सिमरन"},
    {"Geeta", "गीता"},
    {"Rupali", "रूपाली"},
    {"Chitra", "चित्रा"},
    {"Manju", "मंजू"},
    {"Bindu", "बिंदु"},
    {"Kulkarni", "कुलकर्णी"},
    {"Bhardwaj", "भारद्वाज"},
    {"Kaushik", "कौशिक"},
    {"Rastogi", "रस्तोगी"},
    {"Srivastava", "श्रीवास्तव"},
    {"Chaudhary", "चौधरी"},
    {"Rawat", "रावत"},
    {"Negi", "नेगी"},
    {"Bisht", "बिष्ट"},
    {"Goswami", "गोस्वामी"},
    {"Shukla", "शुक्ला"},
    {"Dubey", "दुबे"},
    {"Mathur", "माथुर"},
    {"Bansal", "बंसल"},
    {"Jain", "जैन"},
    {"Soni", "सोनी"},
    {"Bhalla", "भल्ला"},
    {"Arora", "अरोड़ा"},
    {"Khurana", "खुराना"},
    {"Sethi", "सेठी"},
    {"Grover", "ग्रोवर"},
    {"Kaur", "कौर"},
    {"Gill", "गिल"},
    {"Sandhu", "संधू"},
    {"Lahore", "लाहौर"},
    {"Manali", "मनाली"},
    {"Nainital", "नैनीताल"},
    {"Kanpur", "कानपुर"},
    {"Meerut", "मेरठ"},
    {"Jodhpur", "जोधपुर"},
    {"Udaipur", "उदयपुर"},
    {"Ajmer", "अजमेर"},
    {"Kochi", "कोच्चि"},
    {"Madurai", "मदुरै"},
    {"Nashik", "नासिक"},
    {"Aurangabad", "औरंगाबाद"},
    {"Prayagraj", "प्रयागराज"},
    {"Gorakhpur", "गोरखपुर"},
    {"Jhansi", "झांसी"},
    {"Bareilly", "बरेली"},
    {"Darjeeling", "दार्जिलिंग"},
    {"Siliguri", "सिलीगुड़ी"},
    {"Bhubaneswar", "भुवनेश्वर"},
    {"Guwahati", "गुवाहाटी"},
    {"Sikkim", "सिक्किम"},
    {"Assam", "असम"},
    {"Odisha", "ओडिशा"},
    {"Bengal", "बंगाल"},
    {"Prem", "प्रेम"},
    {"Veeru", "वीरू"},
    {"Basanti", "बसंती"},
    {"Gabbar", "गब्बर"},
    {"Munna", "मुन्ना"},
    {"Chulbul", "चुलबुल"},
    {"Dhoni", "धोनी"},
    {"Kapil", "कपिल"},
    {"Sourav", "सौरव"},
    {"Kishan", "किशन"},
    {"Ganga", "गंगा"},
    {"Yamuna", "यमुना"},
    {"Parvati", "पार्वती"},
    {"Durga", "दुर्गा"},
    {"Hanuman", "हनुमान"},
    {"Bharat", "भरत"},
    {"Bheem", "भीम"},
    {"Draupadi", "द्रौपदी"},
    {"Shakuntala", "शकुंतला"},
};

struct tl_test_score {
    std::size_t total = 0;
    std::size_t exact = 0;
    std::size_t exact_rules_only = 0;  // without the exception list
    double accuracy() const { return total == 0 ? 0.0 : static_cast<double>(exact) / static_cast<double>(total); }
    double rules_accuracy() const {
        return total == 0 ? 0.0 : static_cast<double>(exact_rules_only) / static_cast<double>(total);
    }
};

template <std::size_t N>
tl_test_score tl_test_measure(const char* title, const tl_test_name (&names)[N]) {
    tl_test_score score;
    std::string misses;
    for (const tl_test_name& name : names) {
        const std::string got = devanagari_name(name.latin);
        ++score.total;
        if (got == name.devanagari)
            ++score.exact;
        else
            misses += "  " + std::string(name.latin) + ": want " + std::string(name.devanagari) + ", got " + got + "\n";
        if (devanagari_word(name.latin, false) == name.devanagari) ++score.exact_rules_only;
    }
    std::cout << title << ": " << score.exact << "/" << score.total << " exact (" << 100.0 * score.accuracy()
              << " %); rules alone, without the exception list: " << score.exact_rules_only << "/" << score.total
              << " (" << 100.0 * score.rules_accuracy() << " %)\n";
    if (!misses.empty()) std::cout << "misses:\n" << misses;
    return score;
}

TEST(Transliterate, TheThreeExamplesAreExact) {
    EXPECT_EQ(devanagari_name("Rohan"), "रोहन");
    EXPECT_EQ(devanagari_name("Deepika"), "दीपिका");
    EXPECT_EQ(devanagari_name("Ranbir"), "रणबीर");
}

TEST(Transliterate, DevelopmentListAccuracy) {
    static_assert(std::size(tl_test_development) >= 80);
    const tl_test_score score = tl_test_measure("development list", tl_test_development);
    EXPECT_GE(score.accuracy(), 0.90);
    // The exception list is small: the rules alone must still get most names right.
    EXPECT_GE(score.rules_accuracy(), 0.70);
}

TEST(Transliterate, FormerHeldOutListAccuracy) {
    const tl_test_score score = tl_test_measure("former held-out list (now development)", tl_test_former_held_out);
    EXPECT_GE(score.accuracy(), 0.65);
}

TEST(Transliterate, HeldOutListAccuracy) {
    static_assert(std::size(tl_test_held_out) >= 40);
    const tl_test_score score = tl_test_measure("held-out list", tl_test_held_out);
    // Measured 58.6 % (the target of 75 % is not met: see the list's comment).
    EXPECT_GE(score.accuracy(), 0.55);
}

TEST(Transliterate, ListsAreDisjoint) {
    for (const tl_test_name& h : tl_test_held_out) {
        for (const tl_test_name& d : tl_test_development) EXPECT_NE(h.latin, d.latin);
        for (const tl_test_name& d : tl_test_former_held_out) EXPECT_NE(h.latin, d.latin);
    }
    for (const tl_test_name& h : tl_test_former_held_out)
        for (const tl_test_name& d : tl_test_development) EXPECT_NE(h.latin, d.latin);
}

TEST(Transliterate, HeldOutNamesAreNotExceptions) {
    for (const tl_test_name& h : tl_test_held_out)
        EXPECT_EQ(devanagari_name(h.latin), devanagari_word(h.latin, false)) << h.latin;
}

TEST(Transliterate, RulesOfTheBrief) {
    EXPECT_EQ(devanagari_name("Siddharth"), "सिद्धार्थ");  // th थ, dd → conjunct, -arth
    EXPECT_EQ(devanagari_name("Priya"), "प्रिया");        // pr conjunct, final -a ा
    EXPECT_EQ(devanagari_name("Krishna"), "कृष्ण");        // kri कृ, ṣṇ, final schwa
    EXPECT_EQ(devanagari_name("Aditya"), "आदित्य");
    EXPECT_EQ(devanagari_name("Sanjay"), "संजय");  // anusvara
    EXPECT_EQ(devanagari_name("Chandra"), "चंद्र");
    EXPECT_EQ(devanagari_name("Mumbai"), "मुंबई");
    EXPECT_EQ(devanagari_name("Gyan"), "ज्ञान");  // gy ज्ञ, one syllable: ा
    EXPECT_EQ(devanagari_name("Ram"), "राम");
    EXPECT_EQ(devanagari_name("Ranveer"), "रणवीर");
    EXPECT_EQ(devanagari_name("Ranjit"), "रणजीत");
    EXPECT_EQ(devanagari_name("Khanna"), "खन्ना");
    EXPECT_EQ(devanagari_name("Bachchan"), "बच्चन");
    EXPECT_EQ(devanagari_name("Malhotra"), "मल्होत्रा");
    EXPECT_EQ(devanagari_name("Sharma"), "शर्मा");
    EXPECT_EQ(devanagari_name("Kapoor"), "कपूर");
    EXPECT_EQ(devanagari_name("Deol"), "देओल");    // a vowel after a vowel is an independent letter
    EXPECT_EQ(devanagari_name("Zoheb"), "ज़ोहेब");  // z ज़ (letter + nukta, NFC)
}

TEST(Transliterate, ExceptionsAreOnlyAnException) {
    EXPECT_EQ(devanagari_name("Khan"), "ख़ान");
    EXPECT_EQ(devanagari_word("Khan", false), "खान");
    EXPECT_EQ(devanagari_name("Singh"), "सिंह");
    EXPECT_EQ(devanagari_name("Kumar"), "कुमार");  // a name part (-kumar), not an exception
    EXPECT_EQ(devanagari_word("Kumar", false), "कुमार");
}

TEST(Transliterate, MultiWordNamesAreTransliteratedWordByWord) {
    EXPECT_EQ(devanagari_name("Deepika Padukone"), "दीपिका पादुकोण");
    EXPECT_EQ(devanagari_name("Naseeruddin Shah"), "नसीरुद्दीन शाह");
    EXPECT_EQ(devanagari_name("Shah Rukh Khan"), "शाह रुख़ ख़ान");
    EXPECT_EQ(devanagari_name("Ranbir  Kapoor "), "रणबीर  कपूर ");  // spaces kept as they are
    EXPECT_EQ(devanagari_name("Om Puri"), "ओम पुरी");
}

TEST(Transliterate, KeepsWhatIsNotALatinLetter) {
    EXPECT_EQ(devanagari_name("Ram-Leela"), "राम-लीला");
    EXPECT_EQ(devanagari_name("Raj's"), "राज'स");
    EXPECT_EQ(devanagari_name("Rohan (2)"), "रोहन (2)");
    EXPECT_EQ(devanagari_name("Rohan, Deepika."), "रोहन, दीपिका.");
    EXPECT_EQ(devanagari_name("Rohan रोहन"), "रोहन रोहन");  // letters of other scripts are kept
}

TEST(Transliterate, CaseIsIgnored) {
    EXPECT_EQ(devanagari_name("ROHAN"), "रोहन");
    EXPECT_EQ(devanagari_name("rOhAn"), "रोहन");
    EXPECT_EQ(devanagari_name("DEEPIKA PADUKONE"), "दीपिका पादुकोण");
}

TEST(Transliterate, DiacriticsAreReadAsWritten) {
    EXPECT_EQ(devanagari_name("Kṛṣṇa"), "कृष्ण");
    EXPECT_EQ(devanagari_name("Dīpikā"), "दीपिका");
    EXPECT_EQ(devanagari_name("Rāmāyaṇa"), "रामायण");
    EXPECT_EQ(devanagari_name("Śiva"), "शिव");
    EXPECT_EQ(devanagari_name("Ūṣā"), "ऊषा");
    // Decomposed input (combining macron) is the same name.
    EXPECT_EQ(devanagari_name("Di\u0304pika\u0304"), "दीपिका");
}

TEST(Transliterate, TextWithoutLatinLettersGivesEmpty) {
    EXPECT_EQ(devanagari_name(""), "");
    EXPECT_EQ(devanagari_name("   "), "");
    EXPECT_EQ(devanagari_name("123"), "");
    EXPECT_EQ(devanagari_name("- 42 -"), "");
    EXPECT_EQ(devanagari_name("रोहन"), "");
    EXPECT_EQ(devanagari_name("\u0304"), "");  // a combining mark alone
    EXPECT_EQ(devanagari_word(""), "");
}

TEST(Transliterate, InvalidUtf8DoesNotCrash) {
    const std::vector<std::string> inputs = {
        "Ro\xFFhan",          "\xC0\xAF",         "Deepika\xE0\xA4",         "\xE0\xA4",
        "\xED\xA0\x80Ranbir", "\xF4\x90\x80\x80", std::string("Ro\0han", 6), "\x80\x80\x80",
    };
    for (const std::string& in : inputs) {
        const std::string out = devanagari_name(in);
        EXPECT_TRUE(util::valid_utf8(out)) << out;
    }
    EXPECT_EQ(devanagari_name("Deepika\xE0\xA4"), "दीपिका\uFFFD");  // one U+FFFD, as util::sanitize_utf8
    EXPECT_EQ(devanagari_name("\xC0\xAF"), "");                     // no Latin letter
}

TEST(Transliterate, OutputIsAlwaysValidUtf8) {
    for (const tl_test_name& name : tl_test_development) EXPECT_TRUE(util::valid_utf8(devanagari_name(name.latin)));
    for (const tl_test_name& name : tl_test_former_held_out) EXPECT_TRUE(util::valid_utf8(devanagari_name(name.latin)));
    for (const tl_test_name& name : tl_test_held_out) EXPECT_TRUE(util::valid_utf8(devanagari_name(name.latin)));
    // Random text: Latin letters (with and without diacritics), marks, other scripts, broken bytes.
    const std::vector<std::string> pieces = {
        "a",      "aa", "e",   "i",  "o", "u", "y", "k",    "kh",       "sh", "ksh", "n", "m", "r",
        "h",      "ch", "chh", "gy", "x", "z", "q", "ā",    "ṣ",        "ṇ",  "ṛ",   "ṁ", "ḥ", "\u0304",
        "\u0323", "'",  "-",   " ",  "7", "र", "ज़", "\xFF", "\xE0\xA4", "A",  "Q",   "É", "ø", "ß",
    };
    std::mt19937 rng(12345);
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
    std::uniform_int_distribution<int> length(0, 12);
    for (int round = 0; round < 5000; ++round) {
        std::string in;
        for (int k = length(rng); k > 0; --k) in += pieces[pick(rng)];
        const std::string out = devanagari_name(in);
        ASSERT_TRUE(util::valid_utf8(out)) << "input: " << in;
    }
}

}  // namespace
}  // namespace cinesub::context
