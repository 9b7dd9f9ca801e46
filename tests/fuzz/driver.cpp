// A bounded stand-in for libFuzzer when the compiler has none (GCC): runs LLVMFuzzerTestOneInput on every
// file of the corpus folders/files given, then on N seeded random mutations of them (byte flips, inserts,
// deletes, splices). Usage: fuzz_x CORPUS... [N] (N defaults to 10000).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::string read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void run(const std::string& s) { LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); }

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> corpus;
    long n = 10000;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path p(argv[i]);
        if (std::filesystem::is_directory(p)) {
            for (const auto& e : std::filesystem::recursive_directory_iterator(p))
                if (e.is_regular_file()) corpus.push_back(read(e.path()));
        } else if (std::filesystem::is_regular_file(p)) {
            corpus.push_back(read(p));
        } else {
            n = std::strtol(argv[i], nullptr, 10);
        }
    }
    if (corpus.empty()) corpus.emplace_back();
    for (const auto& c : corpus) run(c);
    std::mt19937_64 rng(12345);
    const std::string tokens[] = {"-->",        "\n\n",         "\r\n",         ":",       ",",           ".",
                                  "<i>",        "</i>",         "<v A>",        "{\\an8}", "WEBVTT\n",    "[Events]\n",
                                  "Dialogue: ", "99:99:99,999", "\xEF\xBB\xBF", "\xC3",    "\xE0\xA4\x95"};
    for (long i = 0; i < n; ++i) {
        std::string s = corpus[rng() % corpus.size()];
        const int edits = 1 + static_cast<int>(rng() % 8);
        for (int e = 0; e < edits; ++e) {
            const std::size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
            switch (rng() % 5) {
                case 0:
                    if (!s.empty()) s[std::min(pos, s.size() - 1)] = static_cast<char>(rng());
                    break;
                case 1:
                    s.insert(pos, 1, static_cast<char>(rng()));
                    break;
                case 2:
                    if (!s.empty()) s.erase(std::min(pos, s.size() - 1), 1 + rng() % 16);
                    break;
                case 3:
                    s.insert(pos, tokens[rng() % std::size(tokens)]);
                    break;
                default: {
                    const auto& o = corpus[rng() % corpus.size()];
                    if (!o.empty()) s.insert(pos, o.substr(rng() % o.size(), 1 + rng() % 64));
                }
            }
        }
        run(s);
    }
    std::printf("fuzz driver: %zu corpus inputs + %ld mutations, no crash\n", corpus.size(), n);
    return 0;
}
