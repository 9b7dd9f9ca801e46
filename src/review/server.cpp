// `cinesub review JOB`: the review page over HTTP on 127.0.0.1 (cpp-httplib), and the static report.
//
// Routes (nothing else exists, so no URL reaches another file):
//   GET  /            the page (token in the URL)         GET  /api/job   the job document
//   GET  /media       the film or its preview (Range)     POST /api/check the style check of edits
//   POST /api/save    edits → a revision                   POST /api/mux   run --from mux
// Every GET needs ?token=; a POST needs the X-Cinesub-Token header (the query is not enough: a form
// on another site can put a token in a URL it got, never a header) and a JSON body.
#include "cinesub/error.hpp"
#include "cinesub/review.hpp"
#include "media/preview.hpp"
#include "pipeline/stage.hpp"
#include "review/review.hpp"
#include "util/fs.hpp"
#include "util/interrupt.hpp"
#include "util/log.hpp"
#include "util/progress.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

namespace cinesub {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::size_t max_request_bytes = 64u << 20;

std::string random_token() {
    std::random_device rd;  // the kernel's CSPRNG on Linux
    std::string out;
    for (int i = 0; i < 4; ++i) out += fmt::format("{:08x}", rd());
    return out;
}

// Constant-time comparison: the token's bytes do not leak through response timing.
bool same_token(std::string_view a, std::string_view b) {
    if (a.size() != b.size() || a.empty()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

void json_reply(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json; charset=utf-8");
}

void error_reply(httplib::Response& res, int status, std::string_view message) {
    json_reply(res, status, json{{"error", std::string(message)}});
}

std::string mime_of(const fs::path& p) {
    const auto ext = p.extension().string();
    if (ext == ".webm") return "video/webm";
    if (ext == ".mp4" || ext == ".m4v" || ext == ".mov") return "video/mp4";
    if (ext == ".ogg" || ext == ".ogv") return "video/ogg";
    if (ext == ".wav") return "audio/wav";
    if (ext == ".mp3") return "audio/mpeg";
    if (ext == ".flac") return "audio/flac";
    if (ext == ".m4a") return "audio/mp4";
    if (ext == ".mkv") return "video/x-matroska";
    return "application/octet-stream";
}

// The film as the browser gets it: the source when it plays it, else a WebM preview made once in the
// background and kept in JOB/review/ (remade when the source's size or mtime changes).
class media_source {
public:
    media_source(const cinesub::job& job, bool make, bool progress) : job_(job) {
        const auto src = job.media_path();
        if (job.media.contains("info") && job.media["info"].contains("streams"))
            for (const auto& st : job.media["info"]["streams"])
                if (st.value("type", "") == "video") video_ = true;
        if (media::browser_playable(src)) {
            file_ = src;
            kind_ = "source";
            ready_ = true;
            return;
        }
        kind_ = "preview";
        preview_ = jobs::review_dir(job.dir) / "preview.webm";
        stamp_path_ = jobs::review_dir(job.dir) / "preview.json";
        const auto stamp = util::stamp_of(src);
        stamp_ = stamp ? json{{"size", stamp->size}, {"mtime_ns", stamp->mtime_ns}} : json(nullptr);
        std::error_code ec;
        if (fs::exists(preview_, ec) && fs::exists(stamp_path_, ec)) {
            try {
                if (util::read_json(stamp_path_).value("source", json(nullptr)) == stamp_) {
                    file_ = preview_;
                    ready_ = true;
                    return;
                }
            } catch (const std::exception&) {
                // remade below
            }
        }
        if (!make) {
            kind_ = "none";
            return;
        }
        worker_ = std::thread([this, src, progress] { build(src, progress); });
    }
    ~media_source() {
        stop_ = true;
        if (worker_.joinable()) worker_.join();
    }
    media_source(const media_source&) = delete;
    media_source& operator=(const media_source&) = delete;

    // The file to serve now, or "" while the preview is being made.
    fs::path file() const {
        std::lock_guard lock(mutex_);
        return ready_ ? file_ : fs::path{};
    }
    json describe() const {
        std::lock_guard lock(mutex_);
        json j{{"kind", kind_}, {"video", video_}, {"preparing", !ready_ && failed_.empty() && kind_ == "preview"}};
        if (!ready_ && kind_ == "preview") j["progress"] = std::round(fraction_.load() * 1000) / 1000;
        if (!failed_.empty()) j["error"] = failed_;
        return j;
    }

private:
    void build(const fs::path& src, bool progress_on) {
        util::progress bar("preview", progress_on);
        try {
            fs::create_directories(preview_.parent_path());
            media::make_preview(src, preview_, media::preview_params{}, [&](double f) {
                fraction_ = f;
                bar.report(f, "browser preview (WebM)");
                return !stop_.load() && !util::interrupted();
            });
            util::write_json_atomic(stamp_path_, json{{"schema", 1}, {"source", stamp_}});
            bar.finish();
            std::lock_guard lock(mutex_);
            file_ = preview_;
            ready_ = true;
        } catch (const std::exception& e) {
            std::lock_guard lock(mutex_);
            failed_ = e.what();
        }
    }

    const cinesub::job& job_;
    fs::path file_, preview_, stamp_path_;
    json stamp_;
    std::string kind_;
    bool video_ = false;
    bool ready_ = false;
    std::string failed_;
    std::atomic<double> fraction_{0};
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::thread worker_;
};

// The newest muxed file of the mux stage's folder.
fs::path muxed_output(const cinesub::job& job) {
    const auto dir = job.stage_dir(pipeline::stage_folder("mux"));
    fs::path best;
    fs::file_time_type best_time{};
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const auto ext = e.path().extension();
        if (ext != ".mkv" && ext != ".mp4") continue;
        const auto t = e.last_write_time(ec);
        if (best.empty() || t > best_time) {
            best = e.path();
            best_time = t;
        }
    }
    return best;
}

}  // namespace

json review_document(const fs::path& job_dir, const std::string& media_url) {
    const auto view = review::load_view(job_dir);
    return review::document(view, media_url, json::object());
}

void write_review_report(const fs::path& job_dir, const fs::path& out_html, const std::string& media_url) {
    const auto view = review::load_view(job_dir);
    const auto doc = review::document(view, media_url, json{{"kind", media_url.empty() ? "none" : "source"}});
    util::write_file_atomic(out_html, review::compose_page(json{{"mode", "static"}, {"data", doc}}));
}

void serve_review(const fs::path& job_dir, const review_options& options) {
    const auto view = review::load_view(job_dir);
    const std::string token = options.token.empty() ? random_token() : options.token;
    media_source media(view.job, options.preview, options.progress);
    std::mutex job_mutex;  // one save or mux at a time; documents read a consistent revision
    const auto waveform = review::waveform(view);
    const std::string media_url = "/media?token=" + token;
    const auto log = util::make_file_logger("review", view.job.logs_dir() / "review.log");

    httplib::Server server;
    server.set_payload_max_length(max_request_bytes);
    server.set_pre_routing_handler([&](const httplib::Request& req, httplib::Response& res) {
        res.set_header("X-Content-Type-Options", "nosniff");
        res.set_header("Referrer-Policy", "no-referrer");
        res.set_header("X-Frame-Options", "DENY");
        res.set_header("Cache-Control", "no-store");
        const bool post = req.method == "POST";
        const auto given = post ? req.get_header_value("X-Cinesub-Token") : req.get_param_value("token");
        if (!same_token(given, token)) {
            error_reply(res, 403,
                        post ? "refused: a POST needs the page's token in the X-Cinesub-Token header"
                             : "refused: the URL has no valid token (use the URL cinesub review printed)");
            return httplib::Server::HandlerResponse::Handled;
        }
        if (post && req.get_header_value("Content-Type").find("application/json") != 0) {
            error_reply(res, 415, "refused: a POST body must be application/json");
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });

    server.Get("/", [&](const httplib::Request&, httplib::Response& res) {
        res.set_header("Content-Security-Policy",
                       "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                       "img-src data: blob:; media-src 'self'; connect-src 'self'; font-src 'self' data:; "
                       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        res.set_content(review::compose_page(json{{"mode", "live"}, {"token", token}}), "text/html; charset=utf-8");
    });
    server.Get("/api/job", [&](const httplib::Request&, httplib::Response& res) {
        try {
            std::lock_guard lock(job_mutex);
            const bool playable = !media.file().empty();
            auto doc = review::document(view, playable ? media_url : "", media.describe());
            doc["waveform"] = waveform;
            json_reply(res, 200, doc);
        } catch (const std::exception& e) {
            error_reply(res, 500, e.what());
        }
    });
    server.Get("/media", [&](const httplib::Request&, httplib::Response& res) {
        const auto file = media.file();
        if (file.empty()) return error_reply(res, 404, "the preview is not ready yet");
        std::error_code ec;
        const auto size = fs::file_size(file, ec);
        if (ec) return error_reply(res, 404, "the media file is gone: " + file.string());
        auto in = std::make_shared<std::ifstream>(file, std::ios::binary);
        res.set_content_provider(static_cast<std::size_t>(size), mime_of(file),
                                 [in](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                                     std::vector<char> buf(std::min<std::size_t>(length, 1u << 20));
                                     in->clear();
                                     in->seekg(static_cast<std::streamoff>(offset));
                                     in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
                                     const auto got = static_cast<std::size_t>(in->gcount());
                                     return got > 0 && sink.write(buf.data(), got);
                                 });
    });
    using page_tracks = std::vector<std::pair<const review::track*, std::vector<subs::cue>>>;
    auto with_tracks = [&](const httplib::Request& req, httplib::Response& res,
                           const std::function<void(const json&, const page_tracks&)>& then) {
        json body;
        try {
            body = json::parse(req.body);
        } catch (const json::exception&) {
            return error_reply(res, 400, "the request body is not JSON");
        }
        try {
            std::lock_guard lock(job_mutex);
            then(body, review::tracks_from_page(view, body));
        } catch (const review::revision_conflict& e) {
            error_reply(res, 409, e.what());
        } catch (const error& e) {
            error_reply(res, e.code() == errc::usage ? 400 : 500, e.what());
        } catch (const std::exception& e) {
            error_reply(res, 500, e.what());
        }
    };
    server.Post("/api/check", [&](const httplib::Request& req, httplib::Response& res) {
        with_tracks(req, res, [&](const json&, const page_tracks& tracks) {
            json_reply(res, 200, review::check_tracks(view, tracks));
        });
    });
    server.Post("/api/save", [&](const httplib::Request& req, httplib::Response& res) {
        with_tracks(req, res, [&](const json& body, const page_tracks& tracks) {
            if (!body.contains("base_revision") || !body["base_revision"].is_number_integer())
                throw error(errc::usage, "the request has no 'base_revision'");
            const auto result = review::save_revision(view, body["base_revision"].get<int>(), tracks);
            log->info("review: saved revision {} ({} files)", result["revision"].get<int>(), result["files"].size());
            json_reply(res, 200, result);
        });
    });
    server.Post("/api/mux", [&](const httplib::Request&, httplib::Response& res) {
        try {
            std::lock_guard lock(job_mutex);
            run_options ro;
            ro.from = "mux";
            const auto job = cinesub::job::load(view.job.dir);
            run_job(job, ro);
            log->info("review: re-muxed {}", muxed_output(job).string());
            json_reply(res, 200, json{{"output", muxed_output(job).string()}});
        } catch (const error& e) {
            error_reply(res, e.code() == errc::job_locked ? 409 : 500, e.what());
        } catch (const std::exception& e) {
            error_reply(res, 500, e.what());
        }
    });

    const int port = options.port > 0 ? (server.bind_to_port("127.0.0.1", options.port) ? options.port : -1)
                                      : server.bind_to_any_port("127.0.0.1");
    if (port <= 0)
        throw error(errc::io, fmt::format("cannot listen on 127.0.0.1:{} (in use? try --port 0)", options.port));
    std::thread listener([&] { server.listen_after_bind(); });
    if (options.on_ready) options.on_ready(fmt::format("http://127.0.0.1:{}/?token={}", port, token));
    while (!util::interrupted()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    server.stop();
    listener.join();
}

}  // namespace cinesub
