// Private to src/media: RAII owners for the FFmpeg handles and the error mapping shared by probe,
// demux, mux and preview.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/avutil.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include "media/media.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace cinesub::media::detail {

struct input_deleter {
    void operator()(AVFormatContext* c) const noexcept { avformat_close_input(&c); }
};
// Output context: closes its AVIOContext (if the muxer does not own one itself, and it is not a custom
// one, AVFMT_FLAG_CUSTOM_IO, which its owner frees) and frees the context.
struct output_deleter {
    void operator()(AVFormatContext* c) const noexcept {
        if (c->pb && !(c->oformat->flags & AVFMT_NOFILE) && !(c->flags & AVFMT_FLAG_CUSTOM_IO)) avio_closep(&c->pb);
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
// A custom AVIOContext (avio_alloc_context): frees its buffer and itself; closes nothing.
struct custom_avio_deleter {
    void operator()(AVIOContext* c) const noexcept {
        if (c) av_freep(&c->buffer);
        avio_context_free(&c);
    }
};
struct sws_deleter {
    void operator()(SwsContext* s) const noexcept { sws_freeContext(s); }
};
struct audio_fifo_deleter {
    void operator()(AVAudioFifo* f) const noexcept { av_audio_fifo_free(f); }
};

using input_ptr = std::unique_ptr<AVFormatContext, input_deleter>;
using output_ptr = std::unique_ptr<AVFormatContext, output_deleter>;
using codec_ptr = std::unique_ptr<AVCodecContext, codec_deleter>;
using frame_ptr = std::unique_ptr<AVFrame, frame_deleter>;
using packet_ptr = std::unique_ptr<AVPacket, packet_deleter>;
using swr_ptr = std::unique_ptr<SwrContext, swr_deleter>;
using avio_ptr = std::unique_ptr<AVIOContext, avio_deleter>;
using custom_avio_ptr = std::unique_ptr<AVIOContext, custom_avio_deleter>;
using sws_ptr = std::unique_ptr<SwsContext, sws_deleter>;
using audio_fifo_ptr = std::unique_ptr<AVAudioFifo, audio_fifo_deleter>;

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
