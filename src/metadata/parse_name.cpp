#include "metadata/parse_name.hpp"

#include "util/text.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cinesub::metadata {

namespace {

constexpr std::size_t pn_npos = std::string_view::npos;
constexpr std::string_view pn_en_dash = "\xE2\x80\x93";  // U+2013
constexpr std::string_view pn_em_dash = "\xE2\x80\x94";  // U+2014

// --- Word lists (lower case) ---------------------------------------------------------------------

constexpr std::string_view pn_media_extensions[] = {
    "mkv", "mp4", "m4v", "avi", "mov", "wmv",  "flv",  "webm", "mpg",  "mpeg", "m2ts",
    "mts", "ts",  "vob", "ogv", "ogm", "3gp",  "divx", "rm",   "rmvb", "asf",  "iso",
    "mka", "mp3", "m4a", "aac", "ac3", "flac", "wav",  "opus", "ogg",  "wma",
};
constexpr std::string_view pn_subtitle_extensions[] = {
    "srt", "ass", "ssa", "vtt", "sub", "idx", "sup", "smi", "sbv", "ttml", "dfxp",
};
// A language code or flag before a subtitle's extension: "Film.2008.en.srt", "Film.hi.forced.srt".
constexpr std::string_view pn_subtitle_codes[] = {
    "en", "eng", "hi", "hin", "ta", "te", "ml", "kn", "bn", "mr", "forced", "sdh",
};

// Unambiguous release tags: never a title word (except as a file's first word), they end the title.
constexpr std::string_view pn_strong_tags[] = {
    // sources and services
    "bluray",
    "blu-ray",
    "bdrip",
    "brrip",
    "bdremux",
    "remux",
    "web-dl",
    "webdl",
    "webrip",
    "web-rip",
    "hdrip",
    "dvdrip",
    "dvd-rip",
    "dvdscr",
    "hdtv",
    "pdtv",
    "sdtv",
    "tvrip",
    "hdtvrip",
    "hdcam",
    "camrip",
    "cam-rip",
    "hdts",
    "telesync",
    "hdtc",
    "telecine",
    "predvd",
    "dvd5",
    "dvd9",
    "bd25",
    "bd50",
    "uhdrip",
    "amzn",
    "zee5",
    "dsnp",
    "dsny",
    "atvp",
    "hmax",
    "sonyliv",
    "hulu",
    "hotstar",
    "voot",
    // video
    "x264",
    "x265",
    "h264",
    "h265",
    "h.264",
    "h.265",
    "hevc",
    "avc",
    "xvid",
    "divx",
    "vp9",
    "av1",
    "10bit",
    "10-bit",
    "8bit",
    "12bit",
    "hi10p",
    "hdr",
    "hdr10",
    "hdr10+",
    "hdr10plus",
    "dovi",
    "dv",
    "uhd",
    "fhd",
    "4k",
    "8k",
    // audio and subtitles
    "aac",
    "ac3",
    "eac3",
    "dts",
    "dts-hd",
    "dts-x",
    "dtsx",
    "truehd",
    "atmos",
    "flac",
    "lpcm",
    "dd",
    "ddp",
    "dd+",
    "esub",
    "esubs",
    "msub",
    "msubs",
    "hardsub",
    "hardsubs",
    "dubbed",
    // release flags and sites
    "repack",
    "rerip",
    "www",
};

// Ambiguous tags: words that also occur in titles ("Hindi Medium", "Johnny English"). Before the
// year they are title words; after a title with no year they are dropped from its end.
constexpr std::string_view pn_weak_tags[] = {
    "proper",
    "extended",
    "unrated",
    "uncut",
    "remastered",
    "theatrical",
    "limited",
    "internal",
    "complete",
    "imax",
    "hc",
    "cam",
    "ts",
    "hd",
    "hq",
    "dvd",
    "rip",
    "nf",
    "hs",
    "jio",
    "jc",
    "multi",
    "dual",
    "audio",
    "org",
    "hindi",
    "hin",
    "english",
    "eng",
    "tamil",
    "tam",
    "telugu",
    "tel",
    "malayalam",
    "kannada",
    "bengali",
    "punjabi",
    "marathi",
    "gujarati",
    "urdu",
    "korean",
    "japanese",
    "french",
    "spanish",
    "german",
    "italian",
    "chinese",
    "russian",
    "subbed",
    "sub",
    "subs",
    "director's",
    "director\xE2\x80\x99s",
    "directors",
};
// "Cut" and "Edition" are tags only after one of these: "Director's Cut", "Extended Edition".
constexpr std::string_view pn_edition_words[] = {
    "director's", "director\xE2\x80\x99s", "directors", "extended", "theatrical", "ultimate", "unrated", "remastered",
    "collectors", "collector's",
};
// The audio format before a channel layout: "DD5.1", "DDP5.1", "AAC2.0", "DD+5.1".
constexpr std::string_view pn_audio_prefixes[] = {
    "dd", "ddp", "dd+", "aac", "ac3", "eac3", "dts", "truehd", "atmos", "flac", "opus", "lpcm", "pcm",
};
// Top-level domains of "www.site.com - " prefixes.
constexpr std::string_view pn_domains[] = {
    "com", "net", "org", "in",  "ws", "me",  "to",   "cc",   "co",   "io",  "info", "biz", "xyz",  "la",
    "mx",  "cz",  "nz",  "se",  "pw", "app", "link", "club", "site", "top", "tv",   "ag",  "li",   "eu",
    "ru",  "lol", "vip", "fun", "ms", "st",  "sx",   "is",   "gs",   "nl",  "uk",   "pro", "live",
};

bool pn_one_of(std::string_view s, std::span<const std::string_view> list) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

bool pn_is_digit(char c) { return c >= '0' && c <= '9'; }
bool pn_is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool pn_all_digits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), pn_is_digit); }

// The value of `s` when it is 1..max_digits ASCII digits.
std::optional<int> pn_number(std::string_view s, std::size_t max_digits) {
    if (!pn_all_digits(s) || s.size() > max_digits) return std::nullopt;
    int value = 0;
    for (char c : s) value = value * 10 + (c - '0');
    return value;
}

std::optional<int> pn_year_of(std::string_view s) {
    if (s.size() != 4) return std::nullopt;
    auto value = pn_number(s, 4);
    if (!value || *value < earliest_year || *value > latest_year) return std::nullopt;
    return value;
}

// --- Tags ----------------------------------------------------------------------------------------

// "480p", "1080p", "1080i", "2160p", "1920x1080".
bool pn_is_resolution(std::string_view t) {
    if (t.size() >= 4 && t.size() <= 5 && (t.back() == 'p' || t.back() == 'i')) {
        auto lines = pn_number(t.substr(0, t.size() - 1), 4);
        constexpr int known[] = {240, 360, 480, 540, 576, 720, 1080, 1440, 2160, 4320};
        return lines && std::find(std::begin(known), std::end(known), *lines) != std::end(known);
    }
    auto x = t.find('x');
    return x != pn_npos && x >= 3 && x <= 4 && pn_all_digits(t.substr(0, x)) && t.size() - x - 1 >= 3 &&
           t.size() - x - 1 <= 4 && pn_all_digits(t.substr(x + 1));
}

// "5.1", "7.1", "2.0", "DD5.1", "DDP5.1", "AAC2.0", "2ch", "6ch".
bool pn_is_channels(std::string_view t) {
    if (t.size() == 3 && pn_is_digit(t[0]) && t.substr(1) == "ch") return true;
    if (t.size() < 3 || t[t.size() - 2] != '.') return false;
    char front = t[t.size() - 3], back = t.back();
    if (std::string_view("12567").find(front) == pn_npos || (back != '0' && back != '1' && back != '2')) return false;
    auto prefix = t.substr(0, t.size() - 3);
    return prefix.empty() || pn_one_of(prefix, pn_audio_prefixes);
}

// "2.6gb", "700mb", "384kbps" (the size's integer part is a word of its own when dots separate).
bool pn_is_size(std::string_view t) {
    for (std::string_view unit : {"gb", "mb", "kbps"}) {
        if (t.size() <= unit.size() || !t.ends_with(unit)) continue;
        auto number = t.substr(0, t.size() - unit.size());
        auto dot = number.find('.');
        if (dot == pn_npos) return pn_all_digits(number);
        return pn_all_digits(number.substr(0, dot)) && pn_all_digits(number.substr(dot + 1));
    }
    return false;
}

enum class pn_role {
    title,    // a word that may be part of the title
    year,     // a 4-digit number in range (bracketed when the token is a bracket)
    strong,   // an unambiguous release tag: ends the title part
    weak,     // an ambiguous tag (language, edition, "HD")
    episode,  // an episode tag: ends the title part
    group,    // a release group split off "x264-GROUP"
    other,    // a bracket, a dash, a site prefix
};

// The role of a word without context (lower case): strong, weak or title.
pn_role pn_tag_role(std::string_view t) {
    if (pn_one_of(t, pn_strong_tags) || pn_is_resolution(t) || pn_is_channels(t) || pn_is_size(t)) {
        return pn_role::strong;
    }
    if (pn_one_of(t, pn_weak_tags)) return pn_role::weak;
    // Tags joined by '-' or '+': "Hin-Eng", "Hindi+English", "Dual-Audio".
    if (t.find_first_of("-+") == pn_npos) return pn_role::title;
    bool any_strong = false;
    std::size_t start = 0;
    while (start <= t.size()) {
        auto stop = t.find_first_of("-+", start);
        auto part = t.substr(start, stop == pn_npos ? pn_npos : stop - start);
        if (part.empty()) return pn_role::title;
        auto role = pn_tag_role(part);
        if (role == pn_role::title) return pn_role::title;
        any_strong = any_strong || role == pn_role::strong;
        if (stop == pn_npos) break;
        start = stop + 1;
    }
    return any_strong ? pn_role::strong : pn_role::weak;
}

struct pn_episode_tag {
    std::optional<int> season, episode;
};

// One word that is an episode tag (lower case): "s01e03", "s1e3", "s01e03e04", "s01e03-e04", "s01",
// "1x03", "e05", "ep5", "ep05", "episode5".
std::optional<pn_episode_tag> pn_episode_of(std::string_view t) {
    auto digits_at = [&](std::size_t from) {
        std::size_t to = from;
        while (to < t.size() && pn_is_digit(t[to])) ++to;
        return to;
    };
    if (t.size() >= 2 && t[0] == 's' && pn_is_digit(t[1])) {
        auto season_end = digits_at(1);
        auto season = pn_number(t.substr(1, season_end - 1), 2);
        if (!season) return std::nullopt;
        if (season_end == t.size()) return pn_episode_tag{season, std::nullopt};
        if (t[season_end] != 'e') return std::nullopt;
        auto episode_end = digits_at(season_end + 1);
        auto episode = pn_number(t.substr(season_end + 1, episode_end - season_end - 1), 3);
        if (!episode) return std::nullopt;
        if (episode_end != t.size() && t[episode_end] != 'e' && t[episode_end] != '-') return std::nullopt;
        return pn_episode_tag{season, episode};
    }
    if (auto x = t.find('x'); x != pn_npos && x >= 1 && x <= 2) {
        auto season = pn_number(t.substr(0, x), 2);
        auto episode = t.size() - x - 1 >= 2 ? pn_number(t.substr(x + 1), 3) : std::nullopt;
        if (season && episode) return pn_episode_tag{season, episode};
        return std::nullopt;
    }
    for (auto [prefix, min_digits] : {std::pair<std::string_view, std::size_t>{"episode", 1}, {"ep", 1}, {"e", 2}}) {
        if (!t.starts_with(prefix)) continue;
        auto number = t.substr(prefix.size());
        if (number.size() < min_digits) return std::nullopt;
        if (auto episode = pn_number(number, 3)) return pn_episode_tag{std::nullopt, episode};
        return std::nullopt;
    }
    return std::nullopt;
}

bool pn_is_domain(std::string_view t) { return pn_one_of(util::lower_ascii(t), pn_domains); }

// --- Tokens --------------------------------------------------------------------------------------

enum class pn_kind { word, bracket, dash, site };

struct pn_token {
    pn_kind kind = pn_kind::word;
    std::size_t begin = 0, end = 0;  // span in the name (brackets included)
    std::string text;                // as written
    bool after_dot = false;          // separated from the token before by exactly one '.'
    pn_role role = pn_role::title;
    std::optional<int> year;
    pn_episode_tag tag;
};

bool pn_is_open(char c) { return c == '(' || c == '[' || c == '{'; }
bool pn_is_close(char c) { return c == ')' || c == ']' || c == '}'; }
bool pn_is_long_dash(std::string_view s, std::size_t i) {
    auto rest = s.substr(i);
    return rest.starts_with(pn_en_dash) || rest.starts_with(pn_em_dash);
}

// True when s[i] can be part of a word (a hyphen before it joins two words).
bool pn_is_word_byte(std::string_view s, std::size_t i) {
    if (i >= s.size() || util::whitespace_at(s, i) > 0 || pn_is_long_dash(s, i)) return false;
    return std::string_view("._-~|()[]{}").find(s[i]) == pn_npos;
}

// The closing bracket matching s[open], counting nested brackets of the same kind; npos when none.
std::size_t pn_find_close(std::string_view s, std::size_t open) {
    char opening = s[open];
    char closing = opening == '(' ? ')' : opening == '[' ? ']' : '}';
    int depth = 0;
    for (std::size_t k = open; k < s.size(); ++k) {
        if (s[k] == opening) ++depth;
        if (s[k] == closing && --depth == 0) return k;
    }
    return pn_npos;
}

class pn_tokenizer {
public:
    explicit pn_tokenizer(std::string_view name) : name_(name) {}

    std::vector<pn_token> run() {
        std::size_t i = 0;
        while (i < name_.size()) {
            char c = name_[i];
            if (auto width = util::whitespace_at(name_, i); width > 0) {
                separator(i);
                i += width;
            } else if (c == '_' || pn_is_close(c)) {
                separator(i);
                ++i;
            } else if (c == '.') {
                auto j = name_.find_first_not_of('.', i);
                if (j == pn_npos) j = name_.size();
                // Dots right before whitespace (or '!', '?', ',') stay with their word: "Mr. India",
                // "Dil Se..", "Hum Aapke Hain Koun..!".
                bool ends_word = util::whitespace_at(name_, j) > 0 ||
                                 (j < name_.size() && std::string_view("!?,").find(name_[j]) != pn_npos);
                if (word_begin_ != pn_npos && ends_word) {
                    i = j;
                    continue;
                }
                flush(i);
                dots_ += j - i;
                i = j;
            } else if (pn_is_open(c)) {
                auto close = pn_find_close(name_, i);
                if (close == pn_npos) {
                    separator(i);
                    ++i;
                    continue;
                }
                flush(i);
                push(pn_kind::bracket, i, close + 1);
                i = close + 1;
            } else if (pn_is_long_dash(name_, i)) {
                flush(i);
                push(pn_kind::dash, i, i + 3);
                i += 3;
            } else if (c == '~' || c == '|' ||
                       (c == '-' && !(word_begin_ != pn_npos && pn_is_word_byte(name_, i + 1)))) {
                flush(i);
                push(pn_kind::dash, i, i + 1);
                ++i;
            } else {
                if (word_begin_ == pn_npos) word_begin_ = i;
                ++i;
            }
        }
        flush(name_.size());
        return std::move(tokens_);
    }

private:
    void separator(std::size_t at) {
        flush(at);
        others_ = true;
    }
    void flush(std::size_t at) {
        if (word_begin_ == pn_npos) return;
        push(pn_kind::word, word_begin_, at);
        word_begin_ = pn_npos;
    }
    void push(pn_kind kind, std::size_t begin, std::size_t end) {
        pn_token token;
        token.kind = kind;
        token.begin = begin;
        token.end = end;
        token.text = std::string(name_.substr(begin, end - begin));
        token.after_dot = dots_ == 1 && !others_;
        tokens_.push_back(std::move(token));
        dots_ = 0;
        others_ = false;
    }

    std::string_view name_;
    std::vector<pn_token> tokens_;
    std::size_t word_begin_ = pn_npos;
    std::size_t dots_ = 0;
    bool others_ = false;
};

// tokens[first, last] become one token of `kind` spanning them.
void pn_join(std::string_view name, std::vector<pn_token>& tokens, std::size_t first, std::size_t last, pn_kind kind) {
    auto& token = tokens[first];
    token.kind = kind;
    token.end = tokens[last].end;
    token.text = std::string(name.substr(token.begin, token.end - token.begin));
    tokens.erase(tokens.begin() + static_cast<std::ptrdiff_t>(first) + 1,
                 tokens.begin() + static_cast<std::ptrdiff_t>(last) + 1);
}

bool pn_is_word(const std::vector<pn_token>& tokens, std::size_t i) {
    return i < tokens.size() && tokens[i].kind == pn_kind::word;
}

// Words joined by one dot that are one tag: "H.264", "DD5.1", "5.1", "2.0" (the b side may carry a
// release group: "H.264-GROUP").
bool pn_dotted_tag(std::string_view a, std::string_view b) {
    auto left = util::lower_ascii(a);
    auto right = util::lower_ascii(b.substr(0, b.find('-')));
    if (left == "h") return right == "264" || right == "265";
    if (right.size() != 1 || (right[0] != '0' && right[0] != '1' && right[0] != '2')) return false;
    if (left.empty() || std::string_view("12567").find(left.back()) == pn_npos) return false;
    auto prefix = std::string_view(left).substr(0, left.size() - 1);
    return prefix.empty() || pn_one_of(prefix, pn_audio_prefixes);
}

// One ASCII letter, maybe followed by dots: the pieces of "M.S." or "E.T.".
bool pn_single_letter(std::string_view t) {
    return !t.empty() && pn_is_ascii_letter(t[0]) && t.find_first_not_of('.', 1) == pn_npos;
}

void pn_merge_dotted(std::string_view name, std::vector<pn_token>& tokens) {
    for (std::size_t i = 0; i + 1 < tokens.size();) {
        if (pn_is_word(tokens, i) && pn_is_word(tokens, i + 1) && tokens[i + 1].after_dot &&
            pn_dotted_tag(tokens[i].text, tokens[i + 1].text)) {
            pn_join(name, tokens, i, i + 1, pn_kind::word);
        } else {
            ++i;
        }
    }
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (!pn_is_word(tokens, i) || !pn_single_letter(tokens[i].text)) continue;
        auto last = i;
        while (pn_is_word(tokens, last + 1) && tokens[last + 1].after_dot && pn_single_letter(tokens[last + 1].text)) {
            ++last;
        }
        if (last == i) continue;
        pn_join(name, tokens, i, last, pn_kind::word);
        if (!tokens[i].text.ends_with('.')) tokens[i].text += '.';
    }
}

// "x264-RARBG" → "x264" and the group "RARBG"; "2008-GROUP" only at the end of the name.
void pn_split_groups(std::vector<pn_token>& tokens) {
    std::size_t last_word = pn_npos;
    for (std::size_t i = 0; i < tokens.size(); ++i)
        if (tokens[i].kind == pn_kind::word) last_word = i;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        auto& token = tokens[i];
        auto hyphen = token.text.rfind('-');
        if (token.kind != pn_kind::word || hyphen == std::string::npos || hyphen == 0 ||
            hyphen + 1 == token.text.size()) {
            continue;
        }
        if (pn_tag_role(util::lower_ascii(token.text)) != pn_role::title) continue;
        auto prefix = std::string_view(token.text).substr(0, hyphen);
        auto prefix_role = pn_tag_role(util::lower_ascii(prefix));
        bool split = prefix_role == pn_role::strong ||
                     (i == last_word && (prefix_role == pn_role::weak || pn_year_of(prefix).has_value()));
        if (!split) continue;
        pn_token group = token;
        group.begin = token.begin + hyphen + 1;
        group.text = token.text.substr(hyphen + 1);
        group.role = pn_role::group;
        group.after_dot = false;
        token.end = token.begin + hyphen;
        token.text.resize(hyphen);
        tokens.insert(tokens.begin() + static_cast<std::ptrdiff_t>(i) + 1, std::move(group));
        ++i;
    }
}

// A leading "www.site.com" (or "site.com" followed by a dash) becomes one site token.
void pn_mark_site_prefix(std::string_view name, std::vector<pn_token>& tokens) {
    if (!pn_is_word(tokens, 0)) return;
    std::size_t last = pn_npos;
    if (util::lower_ascii(tokens[0].text) == "www") {
        last = 0;
        for (std::size_t k = 1; k < 5 && pn_is_word(tokens, k) && tokens[k].after_dot; ++k) {
            if (pn_is_domain(tokens[k].text)) {
                last = k;
                break;
            }
        }
    } else {
        for (std::size_t k = 1; k < 5 && k < tokens.size(); ++k) {
            if (tokens[k].kind == pn_kind::dash) {
                if (pn_is_domain(tokens[k - 1].text) && tokens[k - 1].after_dot) last = k - 1;
                break;
            }
            if (!pn_is_word(tokens, k)) break;
        }
    }
    if (last == pn_npos) return;
    pn_join(name, tokens, 0, last, pn_kind::site);
    tokens[0].role = pn_role::other;
}

// True when tokens[i] cannot continue a title: the end, a bracket, a dash, a tag, a year.
bool pn_ends_title(const std::vector<pn_token>& tokens, std::size_t i) {
    if (!pn_is_word(tokens, i)) return true;
    const auto& text = tokens[i].text;
    auto word = util::lower_ascii(text);
    return pn_tag_role(word) != pn_role::title || pn_year_of(text) || pn_episode_of(word);
}

// Episode tags over several words: "Season 1", "Season 1 Episode 5", "Episode 5", "Ep 5", "S01.E03".
void pn_join_episode_words(std::string_view name, std::vector<pn_token>& tokens) {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (!pn_is_word(tokens, i)) continue;
        auto word = util::lower_ascii(tokens[i].text);
        auto number_after = [&](std::size_t k, std::size_t max_digits) -> std::optional<int> {
            if (!pn_is_word(tokens, k + 1)) return std::nullopt;
            return pn_number(tokens[k + 1].text, max_digits);
        };
        pn_episode_tag tag;
        auto last = i;
        if (word == "season") {
            tag.season = number_after(i, 2);
            if (!tag.season) continue;
            last = i + 1;
            if (pn_is_word(tokens, last + 1)) {
                auto next = util::lower_ascii(tokens[last + 1].text);
                if (next == "episode" || next == "ep") {
                    tag.episode = number_after(last + 1, 3);
                    if (tag.episode) last += 2;
                }
            }
        } else if (word == "episode" || word == "ep") {
            // Only before a tag or the end: "Star Wars Episode 1 The Phantom Menace" is a title.
            tag.episode = number_after(i, 3);
            if (!tag.episode || !pn_ends_title(tokens, i + 2)) continue;
            last = i + 1;
        } else if (auto single = pn_episode_of(word)) {
            tag = *single;
            if (tag.season && !tag.episode && pn_is_word(tokens, i + 1) && tokens[i + 1].after_dot) {
                auto next = pn_episode_of(util::lower_ascii(tokens[i + 1].text));
                if (next && !next->season && next->episode) {
                    tag.episode = next->episode;
                    last = i + 1;
                }
            }
        } else {
            continue;
        }
        pn_join(name, tokens, i, last, pn_kind::word);
        tokens[i].role = pn_role::episode;
        tokens[i].tag = tag;
    }
}

void pn_classify(std::vector<pn_token>& tokens) {
    bool first_word = true;
    std::string previous;  // the word before, lower case
    for (auto& token : tokens) {
        if (token.kind == pn_kind::dash || token.kind == pn_kind::site) {
            token.role = pn_role::other;
            continue;
        }
        if (token.kind == pn_kind::bracket) {
            auto inner = util::trim(std::string_view(token.text).substr(1, token.text.size() - 2));
            token.year = pn_year_of(inner);
            token.role = token.year ? pn_role::year : pn_role::other;
            continue;
        }
        auto word = util::lower_ascii(token.text);
        if (token.role == pn_role::title) {
            token.year = pn_year_of(token.text);
            if (token.year) {
                token.role = pn_role::year;
            } else {
                token.role = pn_tag_role(word);
                if (token.role == pn_role::title && (word == "cut" || word == "edition") &&
                    pn_one_of(previous, pn_edition_words)) {
                    token.role = pn_role::weak;
                }
            }
            // The first word is a title word, whatever it looks like ("Max", "2.0", "Hindi Medium").
            if (first_word && (token.role == pn_role::strong || token.role == pn_role::weak)) {
                token.role = pn_role::title;
            }
        }
        if (token.role != pn_role::episode) first_word = false;
        previous = std::move(word);
    }
}

// "[Group] Show - 03 (1080p)": a 2–3 digit number after a dash, in a name that starts with a bracket.
void pn_mark_fansub_episode(std::vector<pn_token>& tokens) {
    if (tokens.empty() || tokens[0].kind != pn_kind::bracket) return;
    for (const auto& token : tokens)
        if (token.role == pn_role::episode) return;
    for (std::size_t i = 1; i + 1 < tokens.size(); ++i) {
        if (tokens[i].kind != pn_kind::dash || !pn_is_word(tokens, i + 1)) continue;
        auto& number = tokens[i + 1];
        if (number.text.size() < 2 || number.role != pn_role::title) continue;
        auto episode = pn_number(number.text, 3);
        bool ends =
            i + 2 == tokens.size() || tokens[i + 2].kind != pn_kind::word || tokens[i + 2].role == pn_role::strong;
        if (!episode || !ends) continue;
        number.role = pn_role::episode;
        number.tag.episode = episode;
        return;
    }
}

std::string_view pn_last_component(std::string_view path) {
    while (!path.empty() && (path.back() == '/' || path.back() == '\\')) path.remove_suffix(1);
    auto slash = path.find_last_of("/\\");
    if (slash != pn_npos) path.remove_prefix(slash + 1);
    return path;
}

}  // namespace

parsed_name parse_media_name(std::string_view file_name_or_path) {
    parsed_name result;
    auto name = pn_last_component(file_name_or_path);

    // The extension, when it is a media or subtitle one (and a subtitle's language code before it).
    std::vector<std::string> suffixes;
    if (auto dot = name.rfind('.'); dot != pn_npos) {
        auto extension = util::lower_ascii(name.substr(dot + 1));
        bool subtitle = pn_one_of(extension, pn_subtitle_extensions);
        if (subtitle || pn_one_of(extension, pn_media_extensions)) {
            suffixes.emplace_back(name.substr(dot + 1));
            name = name.substr(0, dot);
            auto code_dot = name.rfind('.');
            if (subtitle && code_dot != pn_npos && code_dot > 0 &&
                pn_one_of(util::lower_ascii(name.substr(code_dot + 1)), pn_subtitle_codes)) {
                suffixes.insert(suffixes.begin(), std::string(name.substr(code_dot + 1)));
                name = name.substr(0, code_dot);
            }
        }
    }

    auto tokens = pn_tokenizer(name).run();
    pn_merge_dotted(name, tokens);
    pn_split_groups(tokens);
    pn_mark_site_prefix(name, tokens);
    pn_join_episode_words(name, tokens);
    pn_classify(tokens);
    pn_mark_fansub_episode(tokens);

    for (const auto& token : tokens) {
        if (token.role != pn_role::episode) continue;
        result.season = token.tag.season;
        result.episode = token.tag.episode;
        break;
    }

    // The title part ends at the first unambiguous tag or episode tag.
    std::size_t stop = tokens.size();
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        auto role = tokens[i].role;
        if (role == pn_role::strong || role == pn_role::episode || role == pn_role::group) {
            stop = i;
            break;
        }
    }
    auto word_before = [&](std::size_t i) {
        for (std::size_t k = 0; k < i; ++k)
            if (tokens[k].kind == pn_kind::word) return true;
        return false;
    };
    auto only_tags_after = [&](std::size_t i) {
        for (std::size_t k = i + 1; k < stop; ++k)
            if (tokens[k].kind == pn_kind::word && tokens[k].role != pn_role::weak) return false;
        return true;
    };
    std::optional<std::size_t> year_at, fallback;
    for (std::size_t i = 0; i < stop; ++i) {
        if (tokens[i].role != pn_role::year || !(tokens[i].kind == pn_kind::bracket || word_before(i))) continue;
        fallback = i;
        if (only_tags_after(i)) year_at = i;
    }
    if (!year_at) year_at = fallback;
    if (!year_at) {
        for (std::size_t i = stop; i < tokens.size(); ++i) {
            if (tokens[i].role == pn_role::year) {
                year_at = i;
                break;
            }
        }
    }

    std::vector<bool> in_title(tokens.size(), false);
    if (year_at && *year_at < stop && word_before(*year_at)) {
        for (std::size_t k = 0; k < *year_at; ++k) in_title[k] = tokens[k].kind == pn_kind::word;
    } else {
        std::optional<std::size_t> last;
        for (std::size_t k = 0; k < stop; ++k) {
            if (tokens[k].kind != pn_kind::word || k == year_at) continue;
            in_title[k] = true;
            last = k;
        }
        // Without a year before them, trailing ambiguous tags go ("Dil.Chahta.Hai.Hindi.720p").
        while (last && tokens[*last].role == pn_role::weak) {
            in_title[*last] = false;
            std::optional<std::size_t> before;
            for (std::size_t k = 0; k < *last; ++k)
                if (in_title[k]) before = k;
            last = before;
        }
    }
    if (year_at) result.year = tokens[*year_at].year;

    for (std::size_t k = 0; k < tokens.size(); ++k) {
        if (in_title[k]) {
            if (!result.title.empty()) result.title += ' ';
            result.title += tokens[k].text;
        } else if (k != year_at) {
            result.discarded.push_back(util::sanitize_utf8(tokens[k].text));
        }
    }
    for (auto& suffix : suffixes) result.discarded.push_back(util::sanitize_utf8(suffix));
    result.title = util::sanitize_utf8(result.title);
    return result;
}

}  // namespace cinesub::metadata
