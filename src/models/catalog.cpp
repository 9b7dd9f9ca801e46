// The table of known models: the ggml Whisper files of huggingface.co/ggerganov/whisper.cpp and the
// Silero VAD files of huggingface.co/ggml-org/whisper-vad (the names whisper.cpp's
// models/download-ggml-model.sh and download-vad-model.sh know).
//
// Checksums: sha1 from whisper.cpp's models/README.md (v1.9.1); sha256 from two independent public
// pinnings of the same Hugging Face files (Nix fetchurl hashes and an app's model table) that agree
// wherever both list a file. A file without any known checksum is marked unverified — never a
// made-up value. Sizes are the repository's rounded listing (0 = not known here).
#include "models/models.hpp"

namespace cinesub::models {

namespace {

constexpr const char* whisper_repo = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main";
constexpr const char* vad_repo = "https://huggingface.co/ggml-org/whisper-vad/resolve/main";

constexpr std::uint64_t mb = 1000ULL * 1000;
constexpr std::uint64_t mib = 1024ULL * 1024;

known_model w(std::string name, std::uint64_t bytes, std::string sha256, std::string sha1 = {}) {
    known_model m;
    m.file = "ggml-" + name + ".bin";
    m.url = std::string(whisper_repo) + "/" + m.file;
    m.name = std::move(name);
    m.kind = model_kind::whisper;
    m.approx_bytes = bytes;
    m.sha256 = std::move(sha256);
    m.sha1 = std::move(sha1);
    return m;
}

known_model v(std::string name, std::uint64_t bytes) {
    known_model m;
    m.file = "ggml-" + name + ".bin";
    m.url = std::string(vad_repo) + "/" + m.file;
    m.name = std::move(name);
    m.kind = model_kind::vad;
    m.approx_bytes = bytes;
    return m;
}

std::vector<known_model> make_catalog() {
    return {
        w("tiny", 77700 * 1000, "be07e048e1e599ad46341c8d2a135645097a538221678b7acdd1b1919c6e1b21",
          "bd577a113a864445d4c299885e0cb97d4ba92b5f"),
        w("tiny.en", 77700 * 1000, "921e4cf8686fdd993dcd081a5da5b6c365bfde1162e72b08d75ac75289920b1f",
          "c78c86eb1a8faa21b369bcd33207cc90d64ae9df"),
        w("tiny-q5_1", 0, "818710568da3ca15689e31a743197b520007872ff9576237bda97bd1b469c3d7"),
        w("tiny.en-q5_1", 32200 * 1000, "c77c5766f1cef09b6b7d47f21b546cbddd4157886b3b5d6d4f709e91e66c7c2b"),
        w("tiny-q8_0", 43500 * 1000, "c2085835d3f50733e2ff6e4b41ae8a2b8d8110461e18821b09a15c40c42d1cca"),
        w("tiny.en-q8_0", 43600 * 1000, "5bc2b3860aa151a4c6e7bb095e1fcce7cf12c7b020ca08dcec0c6d018bb7dd94"),
        w("base", 148 * mb, "60ed5bc3dd14eea856493d334349b405782ddcaf0028d4b5df4088345fba2efe",
          "465707469ff3a37a2b9b8d8f89f2f99de7299dac"),
        w("base.en", 148 * mb, "a03779c86df3323075f5e796cb2ce5029f00ec8869eee3fdfb897afe36c6d002",
          "137c40403d78fd54d454da0f9bd998f78703390c"),
        w("base-q5_1", 0, "422f1ae452ade6f30a004d7e5c6a43195e4433bc370bf23fac9cc591f01a8898"),
        w("base.en-q5_1", 0, "4baf70dd0d7c4247ba2b81fafd9c01005ac77c2f9ef064e00dcf195d0e2fdd2f"),
        w("base-q8_0", 0, ""),
        w("small", 488 * mb, "1be3a9b2063867b937e64e2ec7483364a79917e157fa98c5d94b5c1fffea987b",
          "55356645c2b361a969dfd0ef2c5a50d530afd8d5"),
        w("small.en", 488 * mb, "c6138d6d58ecc8322097e0f987c32f1be8bb0a18532a3f88f734d1bbf9c41e5d",
          "db8a495a91d927739e50b3fc1cc4c6b8f6c2d022"),
        w("small-q5_1", 0, "ae85e4a935d7a567bd102fe55afc16bb595bdb618e11b2fc7591bc08120411bb"),
        w("small.en-q5_1", 0, "bfdff4894dcb76bbf647d56263ea2a96645423f1669176f4844a1bf8e478ad30"),
        w("small-q8_0", 0, ""),
        w("medium", 1530 * mb, "6c14d5adee5f86394037b4e4e8b59f1673b6cee10e3cf0b11bbdbee79c156208",
          "fd9727b6e1217c2f614f9b698455c4ffd82463b4"),
        w("medium.en", 1530 * mb, "cc37e93478338ec7700281a7ac30a10128929eb8f427dda2e865faa8f6da4356",
          "8c30f0e44ce9560643ebd10bbe50cd20eafd3723"),
        w("medium-q5_0", 539 * mb, "19fea4b380c3a618ec4723c3eef2eb785ffba0d0538cf43f8f235e7b3b34220f"),
        w("medium.en-q5_0", 0, "76733e26ad8fe1c7a5bf7531a9d41917b2adc0f20f2e4f5531688a8c6cd88eb0"),
        w("medium-q8_0", 0, ""),
        w("large-v1", 2900 * mib * 1024 / 1000, "7d99f41a10525d0206bddadd86760181fa920438b6b33237e3118ff6c83bb53d",
          "b1caaf735c4cc1429223d5a74f0f4d0b9b59a299"),
        w("large-v2", 3090 * mb, "9a423fe4d40c82774b6af34115b8b935f34152246eb19e80e376071d3f999487",
          "0f4c8e34f21cf1a914c59d8b3ce882345ad349d6"),
        w("large-v2-q5_0", 1100 * mib * 1024 / 1000, "3a214837221e4530dbc1fe8d734f302af393eb30bd0ed046042ebf4baf70f6f2",
          "00e39f2196344e901b3a2bd5814807a769bd1630"),
        w("large-v2-q8_0", 0, ""),
        w("large-v3", 3100 * mb, "64d182b440b98d5203c4f9bd541544d84c605196c4f7b845dfa11fb23594d1e2",
          "ad82bf6a9043ceed055076d0fd39f5f186ff8062"),
        w("large-v3-q5_0", 1100 * mib * 1024 / 1000, "d75795ecff3f83b5faa89d1900604ad8c780abd5739fae406de19f23ecd98ad1",
          "e6e2ed78495d403bef4b7cff42ef4aaadcfea8de"),
        w("large-v3-turbo", 1620 * mb, "1fc70f774d38eb169993ac391eea357ef47c88757ef72ee5943879b7e8e2bc69",
          "4af2b29d7ec73d781377bfd1758ca957a807e941"),
        w("large-v3-turbo-q5_0", 574 * mb, "394221709cd5ad1f40c46e6031ca61bce88931e6e088c188294c6d5a55ffa7e2",
          "e050f7970618a659205450ad97eb95a18d69c9ee"),
        w("large-v3-turbo-q8_0", 874 * mb, "317eb69c11673c9de1e1f0d459b253999804ec71ac4c23c17ecf5fbe24e259a1"),
        // Silero VAD (ggml-org/whisper-vad): no checksum published that we could confirm → unverified,
        // header-checked. ~0.9 MB each.
        v("silero-v5.1.2", 885 * 1000),
        v("silero-v6.2.0", 885 * 1000),
    };
}

}  // namespace

std::string_view kind_name(model_kind k) { return k == model_kind::vad ? "vad" : "whisper"; }

const std::vector<known_model>& catalog() {
    static const std::vector<known_model> table = make_catalog();
    return table;
}

const known_model* find_known(std::string_view name) {
    for (const auto& m : catalog())
        if (m.name == name) return &m;
    return nullptr;
}

}  // namespace cinesub::models
