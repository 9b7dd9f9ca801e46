// models list | add FILE | download NAME | verify [NAME] | path NAME — over src/models.
#include "commands.hpp"

#include "cinesub/error.hpp"
#include "cinesub/models.hpp"
#include "cinesub/runtime.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

namespace cinesub::cli {

using nlohmann::json;

namespace {

std::string size_text(std::uint64_t bytes, bool exact) {
    if (bytes == 0) return "?";
    const double mb = static_cast<double>(bytes) / 1e6;
    std::string s = mb >= 1000 ? fmt::format("{:.2f} GB", mb / 1000) : fmt::format("{:.1f} MB", mb);
    return exact ? s : "~" + s;
}

// One JSON object per line ("name": …, "present": …) so line tools (grep) can read the list too.
std::string one_line(const json& object) {
    std::string s = "{";
    bool first = true;
    for (const auto& [key, value] : object.items()) {
        s += (first ? "" : ", ") + json(key).dump() + ": " + value.dump();
        first = false;
    }
    return s + "}";
}

json entry_json(const models::entry& e) {
    const auto* k = models::find_known(e.name);
    return json{{"name", e.name},
                {"kind", models::kind_name(e.kind)},
                {"known", e.known},
                {"present", e.present},
                {"path", e.path.string()},
                {"size", e.size},
                {"checksum", e.checksum.empty() ? json(nullptr) : json(e.checksum)},
                {"url", k ? json(k->url) : json(nullptr)}};
}

}  // namespace

void add_models_command(CLI::App& app, globals& g) {
    auto* models = app.add_subcommand("models", "The model cache: list, add, download, verify, path");
    models->require_subcommand(1);

    // list -----------------------------------------------------------------------------------
    auto* list = models->add_subcommand("list", "Known models and the cached ones (name, size, present, path)");
    list->add_flag("--json", g.json, "Machine-readable JSON on stdout");
    list->callback([&g] {
        g.action = [&g] {
            auto entries = models::list();
            if (g.json) {
                std::string s = "{\n  \"dir\": " + json(models::model_dir().string()).dump() + ",\n  \"models\": [\n";
                for (std::size_t i = 0; i < entries.size(); ++i)
                    s += "    " + one_line(entry_json(entries[i])) + (i + 1 < entries.size() ? ",\n" : "\n");
                s += "  ]\n}";
                print_json(s);
                return 0;
            }
            std::printf("model cache: %s\n", models::model_dir().c_str());
            std::printf("  %-22s %-8s %-10s %-8s %s\n", "name", "kind", "size", "present", "path");
            for (const auto& e : entries) {
                std::printf("  %-22s %-8s %-10s %-8s %s%s\n", e.name.c_str(),
                            std::string(models::kind_name(e.kind)).c_str(), size_text(e.size, e.present).c_str(),
                            e.present ? "yes" : "-", e.present ? e.path.c_str() : "",
                            !e.known             ? "  (added by you)"
                            : e.checksum.empty() ? "  (no published checksum)"
                                                 : "");
            }
            return 0;
        };
    });

    // add ------------------------------------------------------------------------------------
    auto file = std::make_shared<std::string>();
    auto name = std::make_shared<std::string>();
    auto* add = models->add_subcommand("add", "Validate a ggml Whisper/VAD file and copy it into the cache");
    add->add_option("file", *file, "ggml model file (Whisper or Silero VAD)")->required();
    add->add_option("-n,--name", *name, "Cache name [default: derived from the file's hyper-parameters]");
    add->add_flag("--json", g.json, "Machine-readable JSON on stdout");
    add->callback([&g, file, name] {
        g.action = [&g, file, name] {
            auto r = models::add(*file, name->empty() ? std::nullopt : std::optional<std::string>(*name));
            if (g.json) {
                print_json(json{{"name", r.name},
                                {"kind", models::kind_name(r.kind)},
                                {"path", r.path.string()},
                                {"detail", r.detail},
                                {"synthetic", r.synthetic},
                                {"replaced", r.replaced},
                                {"verification", r.verification}}
                               .dump(2));
            } else {
                std::printf("added %s: %s\n  %s%s\n  %s\n", r.name.c_str(), r.detail.c_str(), r.path.c_str(),
                            r.replaced ? " (replaced the cached file)" : "", r.verification.c_str());
            }
            return 0;
        };
    });

    // download -------------------------------------------------------------------------------
    auto dl_name = std::make_shared<std::string>();
    auto url = std::make_shared<std::string>();
    auto* dl = models->add_subcommand("download", "Fetch a known model (resumable, checksum-verified, atomic)");
    dl->add_option("name", *dl_name, "Model name (see: cinesub models list)")->required();
    dl->add_option("--url", *url,
                   "Base URL of the repository [default: $CINESUB_MODEL_URL, else huggingface.co/ggerganov/whisper.cpp "
                   "(VAD: ggml-org/whisper-vad)]");
    dl->add_flag("--json", g.json, "Machine-readable JSON on stdout");
    dl->callback([&g, dl_name, url] {
        g.action = [&g, dl_name, url] {
            models::download_options o;
            o.base_url = *url;
            o.progress = !g.quiet && !g.json && progress_enabled_by_default();
            auto r = models::download(*dl_name, o);
            if (g.json) {
                print_json(json{
                    {"name", *dl_name},
                    {"path", r.path.string()},
                    {"bytes", r.bytes},
                    {"downloaded", r.downloaded},
                    {"resumed_from", r.resumed_from},
                    {"already_present", r.already_present},
                    {"verification", r.verification},
                    {"url",
                     r.url}}.dump(2));
            } else if (r.already_present) {
                std::printf("%s is already in the cache (%s): %s\n", dl_name->c_str(), r.verification.c_str(),
                            r.path.c_str());
            } else {
                std::printf(
                    "downloaded %s (%.1f MB%s, %s): %s\n", dl_name->c_str(), static_cast<double>(r.bytes) / 1e6,
                    r.resumed_from
                        ? fmt::format(", resumed at {:.1f} MB", static_cast<double>(r.resumed_from) / 1e6).c_str()
                        : "",
                    r.verification.c_str(), r.path.c_str());
            }
            return 0;
        };
    });

    // verify ---------------------------------------------------------------------------------
    auto v_name = std::make_shared<std::string>();
    auto* verify = models->add_subcommand("verify", "Recompute the checksums of cached models against the table");
    verify->add_option("name", *v_name, "Only this model [default: every cached one]");
    verify->add_flag("--json", g.json, "Machine-readable JSON on stdout");
    verify->callback([&g, v_name] {
        g.action = [&g, v_name] {
            auto results = models::verify(v_name->empty() ? std::nullopt : std::optional<std::string>(*v_name));
            int bad = 0, missing = 0;
            json arr = json::array();
            for (const auto& r : results) {
                bad += r.status == "mismatch";
                missing += r.status == "missing";
                arr.push_back(json{{"name", r.name},
                                   {"path", r.path.string()},
                                   {"status", r.status},
                                   {"algorithm", r.algorithm},
                                   {"expected", r.expected},
                                   {"actual", r.actual}});
            }
            if (g.json) {
                print_json(json{{"dir", models::model_dir().string()}, {"results", arr}}.dump(2));
            } else {
                if (results.empty()) std::printf("no models in the cache (%s)\n", models::model_dir().c_str());
                for (const auto& r : results) {
                    std::string what =
                        r.status == "ok" ? r.algorithm + " ok"
                        : r.status == "mismatch"
                            ? fmt::format("MISMATCH ({} expected {}, got {})", r.algorithm, r.expected, r.actual)
                        : r.status == "unknown" ? "unknown (no published checksum; sha256 " + r.actual + ")"
                                                : "missing";
                    std::printf("  %-22s %s\n", r.name.c_str(), what.c_str());
                }
            }
            if (bad)
                throw error(errc::model_invalid,
                            fmt::format("{} cached model(s) do not match their published checksum; "
                                        "remove them and download again",
                                        bad));
            if (missing) throw error(errc::model_missing, fmt::format("model '{}' is not in the cache", *v_name));
            return 0;
        };
    });

    // path -----------------------------------------------------------------------------------
    auto p_name = std::make_shared<std::string>();
    auto* path = models->add_subcommand("path", "Print the validated file a model name (or path) resolves to");
    path->add_option("name", *p_name, "Model name or path")->required();
    path->callback([p_name, &g] {
        g.action = [p_name] {
            std::printf("%s\n", models::resolve_any(*p_name).c_str());
            return 0;
        };
    });
}

}  // namespace cinesub::cli
