#include "support.hpp"

#include "cinesub/error.hpp"
#include "util/fs.hpp"

#include <fstream>

namespace cinesub {
namespace {

using test::temp_dir;

TEST(AtomicFile, CommitReplacesDestinationAndLeavesNoTemporary) {
    temp_dir dir;
    auto target = dir / "out.txt";
    util::write_file_atomic(target, "first");
    util::write_file_atomic(target, "second");
    EXPECT_EQ(util::read_file(target), "second");
    EXPECT_TRUE(test::leftover_temporaries(dir.path()).empty());
}

TEST(AtomicFile, WithoutCommitTheDestinationIsUntouched) {
    temp_dir dir;
    auto target = dir / "out.txt";
    util::write_file_atomic(target, "old");
    {
        util::atomic_file f(target);
        f.write("half of a new fi");
    }  // destroyed without commit, as when an exception unwinds
    EXPECT_EQ(util::read_file(target), "old");
    EXPECT_TRUE(test::leftover_temporaries(dir.path()).empty());
}

TEST(AtomicFile, WriteAtPatchesEarlierBytes) {
    temp_dir dir;
    auto target = dir / "h.bin";
    util::atomic_file f(target);
    f.write("XXXXbody");
    f.write_at(0, "HEAD", 4);
    f.write("!");
    f.commit();
    EXPECT_EQ(util::read_file(target), "HEADbody!");
}

TEST(Sha256, KnownVectors) {
    EXPECT_EQ(util::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(util::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    temp_dir dir;
    util::write_file_atomic(dir / "abc", "abc");
    EXPECT_EQ(util::sha256_file(dir / "abc"), util::sha256_hex("abc"));
}

TEST(ReadFile, MissingAndUnreadableHaveDistinctErrors) {
    temp_dir dir;
    try {
        util::read_file(dir / "nope");
        FAIL() << "no exception";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::input_missing);
    }
    try {
        util::read_file(dir.path());
        FAIL() << "no exception";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::input_unreadable);
    }
}

TEST(ReadJson, MalformedJsonIsReported) {
    temp_dir dir;
    util::write_file_atomic(dir / "bad.json", "{\"a\": ");
    try {
        util::read_json(dir / "bad.json");
        FAIL() << "no exception";
    } catch (const error& e) {
        EXPECT_EQ(e.code(), errc::job_invalid);
        EXPECT_NE(std::string(e.what()).find("bad.json"), std::string::npos);
    }
}

}  // namespace
}  // namespace cinesub
