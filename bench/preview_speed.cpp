// Review preview: media::make_preview (what `cinesub review` makes for a film Chromium cannot play)
// timed against the ffmpeg CLI doing the same job side by side — same decoder, scale to 480p, VP8
// realtime at the same bitrate and speed, Opus 96 kb/s 48 kHz stereo, the same threads.
// The source: the Sintel clip looped to --minutes, scaled to 1080p width (1920×816) and transcoded to
// H.264 + 5.1 AC-3 in Matroska
// (made once with the ffmpeg CLI, kept in --work).
//   build/bench/preview_speed [--minutes 5] [--work /tmp/cinesub-preview-bench] [--threads 0]
#include "support.hpp"

#include "media/media.hpp"
#include "media/preview.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

namespace {

namespace fs = std::filesystem;
using namespace cinesub;

template <class F>
double wall_of(F&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int sh(const std::string& cmd) { return std::system(cmd.c_str()); }

}  // namespace

int main(int argc, char** argv) {
    double minutes = 5;
    fs::path work = "/tmp/cinesub-preview-bench";
    int threads = 0;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--minutes") && i + 1 < argc)
            minutes = std::atof(argv[++i]);
        else if (!std::strcmp(argv[i], "--work") && i + 1 < argc)
            work = argv[++i];
        else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = std::atoi(argv[++i]);
        else {
            std::fprintf(stderr, "usage: preview_speed [--minutes 5] [--work DIR] [--threads N]\n");
            return 2;
        }
    }
    const auto sintel = test::testdata("media/video/sintel_trailer_first27s.webm");
    if (!fs::exists(sintel)) {
        std::fprintf(stderr, "preview_speed: test data missing: %s\n", sintel.c_str());
        return 1;
    }
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    fs::create_directories(work);
    const auto source = work / "source.mkv";
    const int loops = static_cast<int>(minutes * 60 / 27.0);
    if (!fs::exists(source)) {
        std::printf("making the source: Sintel × %d → 1920-wide H.264 + AC-3 5.1 MKV (once)\n", loops);
        const auto cmd = "ffmpeg -v error -y -stream_loop " + std::to_string(loops - 1) + " -i '" + sintel.string() +
                         "' -vf scale=1920:-2 -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a ac3 -ac 6 '" +
                         source.string() + "'";
        if (sh(cmd) != 0) {
            std::fprintf(stderr, "preview_speed: ffmpeg could not make the source\n");
            return 1;
        }
    }
    const auto info = media::probe(source);
    const auto* v = info.stream(info.best_video);
    std::printf("source: %.1f min, %dx%d %.3g fps H.264 + AC-3; %d threads\n", info.duration / 60, v ? v->width : 0,
                v ? v->height : 0, info.fps, threads);

    media::preview_params p;
    p.threads = threads;
    media::preview_result r;
    const auto ours = work / "cinesub.webm";
    const double t_ours = wall_of([&] { r = media::make_preview(source, ours, p); });

    // The same job with the CLI: libvpx realtime at the same speed, bitrate, keyframe interval.
    const auto theirs = work / "ffmpeg.webm";
    const int gop = static_cast<int>(p.keyframe_seconds * (info.fps > 0 ? std::min(info.fps, p.max_fps) : 25));
    const auto cli = "ffmpeg -v error -y -threads " + std::to_string(threads) + " -i '" + source.string() +
                     "' -map 0:v:0 -map 0:a:0 -vf 'scale=-2:min(" + std::to_string(p.max_height) +
                     "\\,ih)' -c:v libvpx -deadline realtime -cpu-used " + std::to_string(p.cpu_used) + " -b:v " +
                     std::to_string(p.video_kbps) + "k -g " + std::to_string(gop) + " -threads " +
                     std::to_string(threads) + " -c:a libopus -b:a " + std::to_string(p.audio_kbps) +
                     "k -ar 48000 -ac 2 '" + theirs.string() + "'";
    int rc = 0;
    const double t_cli = wall_of([&] { rc = sh(cli); });
    if (rc != 0) {
        std::fprintf(stderr, "preview_speed: the ffmpeg CLI baseline failed\n");
        return 1;
    }
    const auto size_of = [](const fs::path& f) { return static_cast<double>(fs::file_size(f)) / 1e6; };
    std::printf("cinesub make_preview: %.1f s wall (%.1f× real time), %dx%d %s, %.1f MB\n", t_ours,
                info.duration / t_ours, r.width, r.height, r.video_codec.c_str(), size_of(ours));
    std::printf("ffmpeg CLI (same settings): %.1f s wall (%.1f× real time), %.1f MB\n", t_cli, info.duration / t_cli,
                size_of(theirs));
    std::printf("ratio cinesub / ffmpeg CLI: %.2f (wall)\n", t_ours / t_cli);
    std::printf("a 2-hour film at this speed: %.1f min for its preview\n", 7200 / (info.duration / t_ours) / 60);
    return 0;
}
