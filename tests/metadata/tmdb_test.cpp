// The TMDB client against a local TMDB (tests/support/tmdb_server): search strategy, details,
// credentials (api_key / Bearer), the on-disk cache, retries, timeouts, 429 Retry-After, and the
// one-line errors for 401, 404 and malformed JSON — none of which may show the key.
#include "metadata/tmdb.hpp"
#include "cinesub/error.hpp"
#include "metadata/film.hpp"
#include "scoped_env.hpp"
#include "support.hpp"
#include "tmdb_server.hpp"
#include "util/fs.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cinesub::test {
namespace {

namespace fs = std::filesystem;
using metadata::client_options;
using metadata::credentials;
using metadata::tmdb_client;

const std::string key = "k3y-0123456789abcdef";
const std::string token = "eyJhbGciOiJIUzI1NiJ9.tok3n";

credentials key_only() { return {.api_key = key, .read_token = "", .source = "TMDB_API_KEY"}; }

client_options options_for(const tmdb_server& s, const fs::path& cache = {}) {
    client_options o;
    o.base_url = s.url();
    o.cache_dir = cache;
    o.timeout_s = 5;
    o.retries = 2;
    o.backoff_s = 0.05;
    return o;
}

struct tmdb_fixture : ::testing::Test {
    tmdb_server server{key, token};
    temp_dir cache;
    void SetUp() override { server.add_film_file(tmdb_data("movie_14873.json")); }
};

TEST_F(tmdb_fixture, SearchThenDetailsWithApiKey) {
    tmdb_client c(key_only(), options_for(server));
    const auto hit = c.search_movie("Jaane Tu Ya Jaane Na", 2008);
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->id, 14873);
    EXPECT_EQ(hit->year, 2008);
    const auto f = metadata::film_from_tmdb(c.movie_details(hit->id), "TMDB");
    EXPECT_EQ(f.title, "Jaane Tu... Ya Jaane Na");
    EXPECT_EQ(f.original_language, "hi");
    EXPECT_EQ(f.year, 2008);
    ASSERT_EQ(f.cast.size(), 13u);
    EXPECT_EQ(f.cast[0].name, "Imran Khan");
    EXPECT_EQ(f.cast[0].character, "Jai Singh Rathore 'Rats'");
    EXPECT_EQ(f.cast[1].character, "Aditi 'Meow' Mahant");
    // crew: director, writer, composer, lyricist kept; producer and camera dropped
    ASSERT_EQ(f.crew.size(), 4u);
    EXPECT_EQ(f.crew[2].job, "Original Music Composer");
    EXPECT_EQ(f.alternative_titles.size(), 3u);
    EXPECT_EQ(f.translated_titles, std::vector<std::string>{"जाने तू... या जाने ना"});
    EXPECT_EQ(f.keywords.size(), 4u);
    EXPECT_EQ(f.spoken_languages, (std::vector<std::string>{"hi", "en"}));

    const auto req = server.requests();
    ASSERT_EQ(req.size(), 2u);  // the search with the year found it
    EXPECT_EQ(req[0].path, "/3/search/movie");
    EXPECT_EQ(req[0].params.at("query"), "Jaane Tu Ya Jaane Na");
    EXPECT_EQ(req[0].params.at("year"), "2008");
    EXPECT_EQ(req[0].params.at("api_key"), key);
    EXPECT_EQ(req[0].authorization, "");
    EXPECT_EQ(req[1].path, "/3/movie/14873");
    EXPECT_EQ(req[1].params.at("append_to_response"), "credits,alternative_titles,translations,keywords");
    EXPECT_EQ(c.stats().requests, 2);
}

TEST_F(tmdb_fixture, ReadTokenGoesInTheHeaderNotTheUrl) {
    tmdb_client c({.api_key = key, .read_token = token, .source = "TMDB_READ_TOKEN"}, options_for(server));
    ASSERT_TRUE(c.search_movie("Jaane Tu", std::nullopt));
    const auto req = server.requests();
    ASSERT_EQ(req.size(), 1u);
    EXPECT_EQ(req[0].authorization, "Bearer " + token);
    EXPECT_FALSE(req[0].params.contains("api_key"));
}

TEST_F(tmdb_fixture, SearchStrategyWithoutYearThenNeighbouringYears) {
    tmdb_client c(key_only(), options_for(server));
    // 2009 is wrong by one: the year search finds nothing, the search without a year finds the 2008
    // film (within a year of 2009): taken without asking primary_release_year.
    auto hit = c.search_movie("Jaane Tu", 2009);
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->id, 14873);
    auto req = server.requests();
    ASSERT_EQ(req.size(), 2u);
    EXPECT_EQ(req[0].params.at("year"), "2009");
    EXPECT_FALSE(req[1].params.contains("year"));

    // A year far off: year search, no-year search (hit too far), primary_release_year 2011 and 2013,
    // then the no-year hit after all.
    hit = c.search_movie("Jaane Tu", 2012);
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->id, 14873);
    req = server.requests();
    ASSERT_EQ(req.size(), 6u);
    EXPECT_EQ(req[4].params.at("primary_release_year"), "2011");
    EXPECT_EQ(req[5].params.at("primary_release_year"), "2013");

    EXPECT_FALSE(c.search_movie("Sholay", 1975));  // no match: nullopt, not an error
}

TEST_F(tmdb_fixture, ExactTitleBeatsTmdbOrder) {
    auto making = nlohmann::json::parse(util::read_file(tmdb_data("movie_14873.json")));
    making["id"] = 990001;
    making["title"] = "Jaane Tu";  // listed second (higher id); both contain "Jaane Tu"
    making["original_title"] = "Jaane Tu";
    making.erase("alternative_titles");
    server.add_film(making);
    tmdb_client c(key_only(), options_for(server));
    EXPECT_EQ(c.search_movie("jaane tu!", 2008)->id, 990001);  // case and punctuation do not count
    EXPECT_EQ(c.search_movie("Jaane Tu Ya Jaane Na", 2008)->id, 14873);
}

TEST_F(tmdb_fixture, CacheMakesARerunRequestFree) {
    {
        tmdb_client c(key_only(), options_for(server, cache.path()));
        c.movie_details(14873);
        EXPECT_EQ(c.stats().requests, 1);
    }
    {
        tmdb_client c(key_only(), options_for(server, cache.path()));
        const auto d = c.movie_details(14873);
        EXPECT_EQ(d.at("id"), 14873);
        EXPECT_EQ(c.stats().requests, 0);
        EXPECT_EQ(c.stats().cache_hits, 1);
    }
    EXPECT_EQ(server.requests().size(), 1u);
    // The cache files never hold the key.
    for (const auto& e : fs::recursive_directory_iterator(cache.path()))
        if (e.is_regular_file()) {
            EXPECT_EQ(util::read_file(e.path()).find(key), std::string::npos) << e.path();
        }
    {
        auto o = options_for(server, cache.path());
        o.refresh = true;  // run --refresh
        tmdb_client c(key_only(), o);
        c.movie_details(14873);
        EXPECT_EQ(c.stats().requests, 1);
    }
    {
        auto o = options_for(server, cache.path());
        o.language = "hi-IN";  // another request: not the cached answer
        tmdb_client c(key_only(), o);
        c.movie_details(14873);
        EXPECT_EQ(c.stats().requests, 1);
    }
    {
        auto o = options_for(server, cache.path());
        o.cache_days = 0;  // no cache
        tmdb_client c(key_only(), o);
        c.movie_details(14873);
        EXPECT_EQ(c.stats().requests, 1);
    }
    EXPECT_EQ(server.requests().size(), 4u);
}

TEST_F(tmdb_fixture, ExpiredOrCorruptCacheEntriesAreFetchedAgain) {
    tmdb_client first(key_only(), options_for(server, cache.path()));
    first.movie_details(14873);
    fs::path entry;
    for (const auto& e : fs::directory_iterator(cache.path())) entry = e.path();
    ASSERT_FALSE(entry.empty());
    auto doc = util::read_json(entry);
    doc["fetched_at"] = doc["fetched_at"].get<double>() - 31 * 86400.0;  // older than 30 days
    util::write_json_atomic(entry, doc);
    tmdb_client second(key_only(), options_for(server, cache.path()));
    second.movie_details(14873);
    EXPECT_EQ(second.stats().requests, 1);
    util::write_file_atomic(entry, "{ not json");
    tmdb_client third(key_only(), options_for(server, cache.path()));
    third.movie_details(14873);
    EXPECT_EQ(third.stats().requests, 1);
}

// The error's category and message, from whatever `f` throws.
template <class F>
std::pair<errc, std::string> failure_of(F&& f) {
    try {
        f();
    } catch (const error& e) {
        return {e.code(), e.what()};
    }
    return {errc::internal, "no error"};
}

TEST_F(tmdb_fixture, RefusedCredentialsAreOneLineWithoutTheKey) {
    tmdb_client c({.api_key = "wrong-" + key, .read_token = "", .source = "TMDB_API_KEY"}, options_for(server));
    const auto [code, msg] = failure_of([&] { c.movie_details(14873); });
    EXPECT_EQ(code, errc::service) << msg;
    EXPECT_NE(msg.find("401"), std::string::npos) << msg;
    EXPECT_NE(msg.find("status_code 7"), std::string::npos) << msg;
    EXPECT_NE(msg.find("TMDB_API_KEY"), std::string::npos) << msg;
    EXPECT_EQ(msg.find(key), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_EQ(server.requests().size(), 1u);  // a 401 is not retried
}

TEST_F(tmdb_fixture, UnknownIdIs404StatusCode34) {
    tmdb_client c(key_only(), options_for(server));
    const auto [code, msg] = failure_of([&] { c.movie_details(4242); });
    EXPECT_EQ(code, errc::service) << msg;
    EXPECT_NE(msg.find("404"), std::string::npos) << msg;
    EXPECT_NE(msg.find("status_code 34"), std::string::npos) << msg;
    EXPECT_NE(msg.find("/movie/4242"), std::string::npos) << msg;
}

TEST_F(tmdb_fixture, MalformedJsonIsOneClearLine) {
    server.push({.status = 200, .body = "<html>\n<h1>Gateway</h1></html>"});
    tmdb_client c(key_only(), options_for(server, cache.path()));
    const auto [code, msg] = failure_of([&] { c.movie_details(14873); });
    EXPECT_EQ(code, errc::service) << msg;
    EXPECT_NE(msg.find("not JSON"), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_TRUE(fs::is_empty(cache.path()));  // nothing cached
}

TEST_F(tmdb_fixture, ServerErrorsAreRetriedWithBackoff) {
    server.push({.status = 503, .body = "{}"});
    server.push({.status = 502, .body = "{}"});
    tmdb_client c(key_only(), options_for(server));
    EXPECT_EQ(c.movie_details(14873).at("id"), 14873);
    EXPECT_EQ(c.stats().requests, 3);
    EXPECT_EQ(c.stats().retries, 2);
    const auto req = server.requests();
    EXPECT_GE(req[2].at - req[1].at, 0.09);  // second backoff is twice the first (0.05 s)

    server.push({.status = 500, .body = "{}"});
    server.push({.status = 500, .body = "{}"});
    server.push({.status = 500, .body = "{}"});
    const auto [code, msg] = failure_of([&] { c.movie_details(14873); });
    EXPECT_EQ(code, errc::network) << msg;
    EXPECT_NE(msg.find("HTTP 500 after 3 attempts"), std::string::npos) << msg;
}

TEST_F(tmdb_fixture, TooManyRequestsWaitsForRetryAfter) {
    server.push({.status = 429, .body = R"({"status_code":25})", .retry_after = "1"});
    tmdb_client c(key_only(), options_for(server));
    EXPECT_EQ(c.movie_details(14873).at("id"), 14873);
    const auto req = server.requests();
    ASSERT_EQ(req.size(), 2u);
    EXPECT_GE(req[1].at - req[0].at, 0.95);  // Retry-After: 1, not the 0.05 s backoff

    server.push({.status = 429, .body = "{}", .retry_after = "3600"});
    const auto [code, msg] = failure_of([&] { c.movie_details(14873); });
    EXPECT_EQ(code, errc::service) << msg;
    EXPECT_NE(msg.find("Retry-After"), std::string::npos) << msg;
}

TEST_F(tmdb_fixture, SlowAnswerTimesOut) {
    server.push({.status = 200, .body = "{}", .delay_ms = 2500});
    server.push({.status = 200, .body = "{}", .delay_ms = 2500});
    auto o = options_for(server);
    o.timeout_s = 0.3;
    o.retries = 1;
    tmdb_client c(key_only(), o);
    const auto [code, msg] = failure_of([&] { c.movie_details(14873); });
    EXPECT_EQ(code, errc::network) << msg;
    EXPECT_NE(msg.find("no answer within 0.3 s after 2 attempts"), std::string::npos) << msg;
}

TEST(Tmdb, UnreachableServerIsANetworkErrorWithoutTheKey) {
    client_options o;
    o.base_url = "http://127.0.0.1:9/3";  // discard port: nothing listens
    o.retries = 0;
    tmdb_client c(key_only(), o);
    const auto [code, msg] = failure_of([&] { c.movie_details(1); });
    EXPECT_EQ(code, errc::network) << msg;
    EXPECT_EQ(msg.find(key), std::string::npos) << msg;
}

TEST(Tmdb, StopWhileWaitingIsAnInterruption) {
    tmdb_server server(key);
    server.push({.status = 429, .body = "{}", .retry_after = "30"});
    auto o = options_for(server);
    int polls = 0;
    o.should_stop = [&] { return ++polls > 3; };
    tmdb_client c(key_only(), o);
    const auto [code, msg] = failure_of([&] { c.movie_details(1); });
    EXPECT_EQ(code, errc::interrupted) << msg;
}

TEST(Tmdb, RedactHidesBothSecrets) {
    tmdb_client c({.api_key = key, .read_token = token, .source = ""}, {});
    EXPECT_EQ(c.redact("url?api_key=" + key + " Bearer " + token), "url?api_key=*** Bearer ***");
}

TEST(TmdbCredentials, EnvironmentThenConfigFile) {
    temp_dir dir;
    const auto config = dir / "config.json";
    scoped_env cfg("CINESUB_CONFIG", config.string());
    {
        scoped_env a("TMDB_API_KEY", std::nullopt), b("TMDB_READ_TOKEN", std::nullopt);
        EXPECT_TRUE(metadata::find_credentials().empty());  // no file yet
        util::write_file_atomic(config, R"({"tmdb": {"api_key": " abc "}})");
        const auto c = metadata::find_credentials();
        EXPECT_EQ(c.api_key, "abc");
        EXPECT_NE(c.source.find("config file"), std::string::npos);
        util::write_file_atomic(config, R"({"tmdb": {"api_key": 12}})");
        const auto [code, msg] = failure_of([] { metadata::find_credentials(); });
        EXPECT_EQ(code, errc::usage) << msg;
        util::write_file_atomic(config, "secret-key-pasted-here");
        const auto [code2, msg2] = failure_of([] { metadata::find_credentials(); });
        EXPECT_EQ(code2, errc::usage) << msg2;
        EXPECT_EQ(msg2.find("secret-key-pasted-here"), std::string::npos) << msg2;  // never the content
    }
    scoped_env a("TMDB_API_KEY", "from-env"), b("TMDB_READ_TOKEN", std::nullopt);
    const auto c = metadata::find_credentials();
    EXPECT_EQ(c.api_key, "from-env");
    EXPECT_EQ(c.source, "TMDB_API_KEY");
}

TEST(Film, MissingFieldsAndWrongTypesAreSkippedNotFatal) {
    int skipped = 0;
    const auto f = metadata::film_from_tmdb(nlohmann::json::parse(R"({
        "title": "Sholay", "id": "not-a-number", "release_date": 1975,
        "credits": {"cast": [{"name": "Dharmendra", "character": "Veeru", "order": 2},
                             {"name": "Amitabh Bachchan", "character": "Jai", "order": "x"},
                             {"character": "no name"}, 7],
                    "crew": "none"},
        "keywords": {"keywords": [{"name": "dacoit"}, {"id": 3}]},
        "spoken_languages": [{"iso_639_1": "hi"}, "ur"]})"),
                                            "test", &skipped);
    EXPECT_EQ(f.title, "Sholay");
    EXPECT_FALSE(f.tmdb_id);
    EXPECT_FALSE(f.year);
    ASSERT_EQ(f.cast.size(), 2u);
    EXPECT_EQ(f.cast[0].name, "Amitabh Bachchan");  // a bad order is its place in the list (1), before 2
    EXPECT_EQ(f.cast[1].name, "Dharmendra");
    EXPECT_EQ(f.keywords, std::vector<std::string>{"dacoit"});
    EXPECT_EQ(f.spoken_languages, (std::vector<std::string>{"hi", "ur"}));
    EXPECT_GE(skipped, 4);

    const auto [code, msg] = failure_of([] { metadata::film_from_tmdb(nlohmann::json::array(), "movie.json"); });
    EXPECT_EQ(code, errc::input_corrupt) << msg;
    EXPECT_NE(msg.find("movie.json"), std::string::npos);
    const auto [code2, msg2] = failure_of([] { metadata::film_from_tmdb({{"cast", 1}}, "movie.json"); });
    EXPECT_EQ(code2, errc::input_corrupt) << msg2;

    // metadata.json round trip
    const auto again = metadata::film_from_json(metadata::to_json(f));
    EXPECT_EQ(metadata::to_json(again), metadata::to_json(f));
}

}  // namespace
}  // namespace cinesub::test
