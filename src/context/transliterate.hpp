// Latin → Devanagari for Indian personal and place names as TMDB credits them ("Rohan" → "रोहन",
// "Deepika" → "दीपिका", "Ranbir" → "रणबीर"): the glossary gives each cast member and character a
// Devanagari form, so a Hindi Whisper prompt names them in Devanagari and name correction can match
// Devanagari transcripts.
//
// Credits are written in English "chat" spelling, not in a scholarly romanization: vowel length is
// mostly unwritten ("Rahul" राहुल, "Sunil" सुनील), "th" is थ, "sh" is श or ष, and a written cluster may
// be a Hindi conjunct ("Priya" प्रिया) or two full letters with a silent schwa ("Sapna" सपना). ICU's
// "Latin-Devanagari" transliterator reads ISO 15919 and gets these wrong ("rohan" → "रॊहन्", "ddh" →
// "ढ", "aī" → "ै̄"), so the mapping is cinesub's own; ICU decodes the text, folds case and splits
// diacritics off (NFD). The rules, in the order they apply (details in transliterate.cpp):
//
// - Letters: aa ā → ा, ee ii ī → ी, oo uu ū → ू, e → े, ai → ै, au ou → ौ, o → ो; kh gh ch chh jh th dh
//   ph bh sh → ख घ च छ झ थ ध फ भ श; ksh → क्ष, gy/gn (initial) → ज्ञ, v w → व, z f q → ज़ फ़ क़, x → क्स,
//   kh/gh in a word with z/f/q → ख़/ग़; ṣ ṇ ṭ ḍ ś ñ ṅ ṛ ṁ ḥ keep their value. A vowel at the start of a
//   word or after another vowel is an independent letter (अ आ इ ई उ ऊ ऋ ए ऐ ओ औ): "Deol" देओल.
// - Vowel length, where the spelling does not say: a final -a after a consonant is ा ("Priya"), except
//   after -ndr, -ṣṇ, -ty ("Chandra" चंद्र, "Krishna" कृष्ण, "Aditya" आदित्य); a final -i is ी ("Joshi")
//   except -ti and two short syllables ("Kriti" कृति, "Ravi" रवि); a final -u is ू; one-syllable "Ram"
//   is राम; the last syllable is long in -ir -im -ish -ip ("Kabir" कबीर, "Salim" सलीम), in -as -ash -az
//   ("Vikas" विकास, "Nawaz" नवाज़) and in Persian -an after a cluster ("Salman" सलमान, "Imran"); "ia" is
//   िया ("Sonia" सोनिया); frequent name parts (-jit, -kumar, -nath, -pal, -abad, -uddin, -stan, raj-,
//   rishi-…) have their own spelling.
// - Conjuncts: a cluster gets a virama ("Siddharth" सिद्धार्थ, "Khanna" खन्ना), n/m before a consonant of
//   another class become the anusvara ं ("Sanjay" संजय, "Mumbai" मुंबई), r before a consonant is the
//   reph ("Sharma" शर्मा), and the clusters Hindi writes with a full first letter keep it ("Sapna"
//   सपना, "Salman" सलमान, "Mehta" मेहता); kri dri gri hri mri → कृ दृ गृ हृ मृ, ś after i u ṛ before
//   a stop, n or m is ष ("Vishnu" विष्णु, "Sushmita" सुष्मिता), n after r, ṛ or ṣ may be ण ("Karan"
//   करण, "Krishna"), and initial "Ran" before b v j d is रण ("Ranbir" रणबीर, "Ranjit" रणजीत).
// - English spellings: "er" before a consonant or at the end is schwa + r ("Verma" वर्मा), "-med" is
//   -mad ("Mohammed" मोहम्मद), a final "-ann" is -ān ("Ayushmann"), "tty"/"ddy" are ट्टी/ड्डी ("Shetty").
// - A short list of exceptions (transliterate.cpp) holds frequent surnames and places no rule gives
//   ("Khan" ख़ान, "Singh" सिंह, "Chopra" चोपड़ा, "Delhi" दिल्ली).
//
// Names are not a closed class, and chat spelling leaves vowel length, retroflexes and half letters
// unwritten: exact matches are about 9 in 10 on the development list the rules were tuned on but
// about 6 in 10 on unseen names (tests/context/transliterate_test.cpp measures both and prints the
// misses). A miss is usually one vowel length, a retroflex or a half letter off, which a matcher that
// folds those (romanizer::name_skeleton does, on the Latin side) tolerates. Thread-safe (no state).
#pragma once

#include <string>
#include <string_view>

namespace cinesub::context {

// A name in Latin letters, as credited ("Rohan", "Deepika Padukone", "Naseeruddin Shah"), in
// Devanagari as Hindi writes it. Words (maximal runs of Latin letters, with their combining marks)
// are transliterated one by one; everything else (spaces, hyphens, apostrophes, digits, punctuation,
// letters of other scripts) is kept as it is. Case is ignored. Returns "" for text with no Latin
// letter (so "", "123" and "रोहन" give ""). Any bytes are accepted: invalid UTF-8 is replaced by
// U+FFFD as util::sanitize_utf8 does, and the result is always valid UTF-8. The Devanagari is in NFC
// (nukta letters as letter + U+093C, "ज़"); kept characters are not normalized.
std::string devanagari_name(std::string_view latin);

// One word of Latin letters (no spaces) in Devanagari, as devanagari_name does for each word.
// `use_exceptions` false: the rules alone, without the exception list (the test measures how much
// the rules carry). Text that is not one Latin word is handled as by devanagari_name.
std::string devanagari_word(std::string_view latin_word, bool use_exceptions = true);

}  // namespace cinesub::context
