// Private to src/media: RAII owners for the FFmpeg handles and the error mapping shared by probe,
// demux and mux.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libswresample/swresample.h>
}

#include "media/media.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace cinesub::media::detail {

struct input_deleter {
    void operator()(AVFormatContext* c) const noexcept { avformat_close_input(&c); }
};
// Output context: closes its AVIOContext (if the muxer does not own one itself) and frees the context.
struct output_deleter {
    void operator()(AVFormatContext* c) const noexcept {
        if (c->pb && !(c->oformat->flags & AVFMT_NOFILE)) avio_closep(&c->pb);
        avformat_free_context(c);
    }
};
struct codec_deleter {
    void operator()(AVCodecContext* c) const noexcept { avcodec_free_context(&c); }
};
struct frame_deleter {
    void operator()(AVFrame* f) const noexcept { av_frame_free(&f); }
};
struct packet_deleter {
    void operator()(AVPacket* p) const noexcept { av_packet_free(&p); }
};
struct swr_deleter {
    void operator()(SwrContext* s) const noexcept { swr_free(&s); }
};
struct avio_deleter {
    void operator()(AVIOContext* c) const noexcept { avio_closep(&c); }
};

using input_ptr = std::unique_ptr<AVFormatContext, input_deleter>;
using output_ptr = std::unique_ptr<AVFormatContext, output_deleter>;
using codec_ptr = std::unique_ptr<AVCodecContext, codec_deleter>;
using frame_ptr = std::unique_ptr<AVFrame, frame_deleter>;
using packet_ptr = std::unique_ptr<AVPacket, packet_deleter>;
using swr_ptr = std::unique_ptr<SwrContext, swr_deleter>;
using avio_ptr = std::unique_ptr<AVIOContext, avio_deleter>;

std::string av_error_text(int code);
frame_ptr make_frame();
packet_ptr make_packet();

// Checks the file (input_missing / input_unreadable), opens it and reads stream info. Maps FFmpeg's
// failures: not recognised → input_not_media; read errors → input_unreadable / input_corrupt.
input_ptr open_input(const std::filesystem::path& path);

// Facts of an opened input (what probe() returns).
media_info describe(AVFormatContext* ctx, const std::filesystem::path& path);

// Seconds of the stream's time base value, relative to nothing (raw conversion).
inline double seconds(std::int64_t ts, AVRational tb) { return static_cast<double>(ts) * av_q2d(tb); }

}  // namespace cinesub::media::detail
