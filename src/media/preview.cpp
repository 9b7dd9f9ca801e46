// browser_playable(): whether Chromium plays a file as it is; make_preview(): a small WebM (VP8/VP9 +
// Opus) of one that it does not, on the source's clock, written atomically.
#include "media/preview.hpp"

#include "cinesub/error.hpp"
#include "media/libav.hpp"
#include "media/media.hpp"
#include "util/fs.hpp"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <limits>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace cinesub::media {

namespace fs = std::filesystem;

namespace {

using detail::audio_fifo_ptr;
using detail::av_error_text;
using detail::codec_ptr;
using detail::custom_avio_ptr;
using detail::frame_ptr;
using detail::make_frame;
using detail::make_packet;
using detail::output_ptr;
using detail::packet_ptr;
using detail::seconds;
using detail::swr_ptr;
using detail::sws_ptr;

// ---------------------------------------------------------------------------------------------
// browser_playable

enum class container_family { matroska, mp4, ogg, wav, mp3, flac, other };

container_family family_of(const AVInputFormat* format) {
    const std::string_view name = format && format->name ? format->name : "";
    if (name == "matroska,webm") return container_family::matroska;
    if (name == "mov,mp4,m4a,3gp,3g2,mj2") return container_family::mp4;
    if (name == "ogg") return container_family::ogg;
    if (name == "wav") return container_family::wav;
    if (name == "mp3") return container_family::mp3;
    if (name == "flac") return container_family::flac;
    return container_family::other;
}

// H.264 as every Chromium decodes it: 8-bit 4:2:0 (no High 10, 4:2:2 or 4:4:4).
bool h264_8bit_420(const AVCodecParameters& par) {
    if (par.format >= 0) return par.format == AV_PIX_FMT_YUV420P || par.format == AV_PIX_FMT_YUVJ420P;
    switch (par.profile) {
        case FF_PROFILE_UNKNOWN:
        case FF_PROFILE_H264_BASELINE:
        case FF_PROFILE_H264_CONSTRAINED_BASELINE:
        case FF_PROFILE_H264_MAIN:
        case FF_PROFILE_H264_EXTENDED:
        case FF_PROFILE_H264_HIGH:
            return true;
        default:
            return false;
    }
}

bool video_playable(container_family family, const AVCodecParameters& par) {
    const AVCodecID id = par.codec_id;
    switch (family) {
        case container_family::matroska:
            return id == AV_CODEC_ID_VP8 || id == AV_CODEC_ID_VP9 || id == AV_CODEC_ID_AV1;
        case container_family::mp4:
            return (id == AV_CODEC_ID_H264 && h264_8bit_420(par)) || id == AV_CODEC_ID_VP9 || id == AV_CODEC_ID_AV1;
        default:
            return false;
    }
}

bool audio_playable(container_family family, const AVCodecParameters& par) {
    const AVCodecID id = par.codec_id;
    switch (family) {
        case container_family::matroska:
            return id == AV_CODEC_ID_VORBIS || id == AV_CODEC_ID_OPUS;
        case container_family::mp4:
            return id == AV_CODEC_ID_AAC || id == AV_CODEC_ID_MP3 || id == AV_CODEC_ID_OPUS || id == AV_CODEC_ID_FLAC;
        case container_family::ogg:
            return id == AV_CODEC_ID_VORBIS || id == AV_CODEC_ID_OPUS || id == AV_CODEC_ID_FLAC;
        case container_family::wav:
            return id == AV_CODEC_ID_PCM_U8 || id == AV_CODEC_ID_PCM_S16LE || id == AV_CODEC_ID_PCM_S24LE ||
                   id == AV_CODEC_ID_PCM_S32LE || id == AV_CODEC_ID_PCM_F32LE;
        case container_family::mp3:
            return id == AV_CODEC_ID_MP3;
        case container_family::flac:
            return id == AV_CODEC_ID_FLAC;
        default:
            return false;
    }
}

// ---------------------------------------------------------------------------------------------
// make_preview

constexpr int preview_sample_rate = 48000;
constexpr AVRational preview_sample_tb{1, preview_sample_rate};

int thread_count(int requested) {
    if (requested > 0) return requested;
    const unsigned cores = std::thread::hardware_concurrency();
    return cores > 0 ? static_cast<int>(std::min(cores, 16U)) : 1;
}

void check_params(const preview_params& p) {
    if (p.max_height < 16 || p.max_height > 4320)
        throw error(errc::usage, fmt::format("preview height {} is outside 16…4320", p.max_height));
    if (!std::isfinite(p.max_fps) || p.max_fps < 0)
        throw error(errc::usage, fmt::format("preview frame-rate cap {} is not ≥ 0", p.max_fps));
    if (p.video_kbps < 50 || p.video_kbps > 50000)
        throw error(errc::usage, fmt::format("preview video bitrate {} kb/s is outside 50…50000", p.video_kbps));
    if (p.audio_kbps < 6 || p.audio_kbps > 510)
        throw error(errc::usage, fmt::format("preview audio bitrate {} kb/s is outside 6…510", p.audio_kbps));
    if (!std::isfinite(p.keyframe_seconds) || p.keyframe_seconds <= 0)
        throw error(errc::usage, fmt::format("preview keyframe interval {} s is not > 0", p.keyframe_seconds));
}

// The muxer's output: an AVIOContext whose writes and seeks land in a util::atomic_file (temp +
// rename on commit; removed if commit is never reached). Callbacks never throw into FFmpeg: a failed
// write is kept and rethrown by rethrow_failure() (FFmpeg itself sees EIO).
class atomic_avio {
public:
    explicit atomic_avio(const fs::path& destination) : file_(destination) {
        constexpr int buffer_size = 1 << 16;
        auto* buffer = static_cast<unsigned char*>(av_malloc(buffer_size));
        if (!buffer) throw error(errc::internal, "out of memory (av_malloc)");
        avio_.reset(avio_alloc_context(buffer, buffer_size, 1, this, nullptr, &write_packet, &seek));
        if (!avio_) {
            av_free(buffer);
            throw error(errc::internal, "out of memory (avio_alloc_context)");
        }
    }
    atomic_avio(const atomic_avio&) = delete;
    atomic_avio& operator=(const atomic_avio&) = delete;
    ~atomic_avio() = default;

    AVIOContext* get() const noexcept { return avio_.get(); }
    const fs::path& destination() const noexcept { return file_.destination(); }

    void rethrow_failure() const {
        if (failure_) std::rethrow_exception(failure_);
    }

    void commit() {
        avio_flush(avio_.get());
        rethrow_failure();
        if (avio_->error < 0)
            throw error(errc::io,
                        fmt::format("cannot write {}: {}", destination().string(), av_error_text(avio_->error)));
        file_.commit();
    }

private:
    // FFmpeg 5.1's callback type takes a non-const buffer.
    static int write_packet(void* opaque, std::uint8_t* data, int size) noexcept {
        auto* self = static_cast<atomic_avio*>(opaque);
        try {
            self->write(data, static_cast<std::uint64_t>(std::max(size, 0)));
            return size;
        } catch (...) {
            self->failure_ = std::current_exception();
            return AVERROR(EIO);
        }
    }

    static std::int64_t seek(void* opaque, std::int64_t offset, int whence) noexcept {
        auto* self = static_cast<atomic_avio*>(opaque);
        const auto size = static_cast<std::int64_t>(self->file_.size());
        whence &= ~AVSEEK_FORCE;
        if (whence == AVSEEK_SIZE) return size;
        std::int64_t to = -1;
        if (whence == SEEK_SET) to = offset;
        if (whence == SEEK_CUR) to = self->pos_ + offset;
        if (whence == SEEK_END) to = size + offset;
        if (to < 0) return AVERROR(EINVAL);
        self->pos_ = to;
        return to;
    }

    // At pos_: overwrites what is already there (the muxer going back to a header), appends the rest.
    void write(const std::uint8_t* data, std::uint64_t size) {
        auto at = static_cast<std::uint64_t>(pos_);
        if (at > file_.size()) {
            const std::vector<std::uint8_t> zeros(at - file_.size(), 0);
            file_.write(zeros.data(), zeros.size());
        }
        if (at < file_.size()) {
            const std::uint64_t over = std::min(file_.size() - at, size);
            file_.write_at(at, data, over);
            data += over;
            size -= over;
            at += over;
        }
        file_.write(data, size);
        pos_ = static_cast<std::int64_t>(at + size);
    }

    util::atomic_file file_;
    custom_avio_ptr avio_;
    std::int64_t pos_ = 0;
    std::exception_ptr failure_;
};

codec_ptr open_decoder(const AVStream& st, int threads, const fs::path& path) {
    const char* kind = st.codecpar->codec_type == AVMEDIA_TYPE_VIDEO ? "video" : "audio";
    const AVCodec* codec = avcodec_find_decoder(st.codecpar->codec_id);
    if (!codec)
        throw error(errc::input_not_media, fmt::format("{}: no decoder for the {} {} of stream #{}", path.string(),
                                                       avcodec_get_name(st.codecpar->codec_id), kind, st.index));
    codec_ptr dec(avcodec_alloc_context3(codec));
    if (!dec) throw error(errc::internal, "out of memory (avcodec_alloc_context3)");
    int rc = avcodec_parameters_to_context(dec.get(), st.codecpar);
    if (rc < 0) throw error(errc::internal, fmt::format("avcodec_parameters_to_context: {}", av_error_text(rc)));
    dec->pkt_timebase = st.time_base;
    dec->thread_count = threads;
    dec->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    if ((rc = avcodec_open2(dec.get(), codec, nullptr)) < 0)
        throw error(errc::input_corrupt, fmt::format("{}: cannot open the {} decoder of stream #{}: {}", path.string(),
                                                     codec->name, st.index, av_error_text(rc)));
    return dec;
}

const AVCodec* find_encoder(const char* name) {
    const AVCodec* codec = avcodec_find_encoder_by_name(name);
    if (!codec)
        throw error(errc::internal, fmt::format("this FFmpeg has no {} encoder: previews need libavcodec built with "
                                                "libvpx and libopus (Debian's libavcodec59 is)",
                                                name));
    return codec;
}

// The frame rate of the preview: the source's, divided by the smallest whole number that brings it
// to the cap (59.94 → 29.97 under 30).
AVRational preview_rate(AVRational source, double max_fps) {
    if (source.num <= 0 || source.den <= 0 || av_q2d(source) > 1000) source = AVRational{25, 1};
    if (max_fps <= 0 || av_q2d(source) <= max_fps + 0.01) return source;
    const int step = static_cast<int>(std::ceil(av_q2d(source) / max_fps - 0.001));
    return av_div_q(source, AVRational{step, 1});
}

class preview_maker {
public:
    preview_maker(const fs::path& source, const fs::path& out, const preview_params& p,
                  const preview_progress& progress)
        : source_(source), p_(p), progress_(progress), threads_(thread_count(p.threads)) {
        check_params(p);
        ic_ = detail::open_input(source);
        info_ = detail::describe(ic_.get(), source);
        pick_streams();
        origin_ = ic_->start_time != AV_NOPTS_VALUE ? ic_->start_time : 0;
        sink_ = std::make_unique<atomic_avio>(out);
        AVFormatContext* raw = nullptr;
        const int rc = avformat_alloc_output_context2(&raw, nullptr, "webm", nullptr);
        if (rc < 0 || !raw)
            throw error(errc::internal, fmt::format("cannot set up the WebM writer: {}", av_error_text(rc)));
        oc_.reset(raw);
        oc_->flags |= AVFMT_FLAG_BITEXACT | AVFMT_FLAG_CUSTOM_IO;
        oc_->pb = sink_->get();
        if (video_index_ >= 0) open_video();
        if (audio_index_ >= 0) open_audio();
    }

    preview_result run() {
        int rc = avformat_write_header(oc_.get(), nullptr);
        if (rc < 0) write_failed(rc, "start");
        read_all();
        if (vdec_) decode(*vdec_, nullptr);
        if (adec_) decode(*adec_, nullptr);
        if (aenc_) {
            drain_resampler();
            encode_audio(true);
            encode(*aenc_, nullptr, audio_out_);
        }
        if (venc_) encode(*venc_, nullptr, video_out_);
        check_decoded();
        if ((rc = av_write_trailer(oc_.get())) < 0) write_failed(rc, "finish");
        report(1.0);
        sink_->commit();

        preview_result r;
        r.has_video = venc_ != nullptr;
        r.has_audio = aenc_ != nullptr;
        if (venc_) {
            r.width = venc_->width;
            r.height = venc_->height;
            r.fps = av_q2d(venc_->framerate);
            r.video_codec = p_.codec == preview_codec::vp9 ? "vp9" : "vp8";
        }
        r.duration = reached_;
        return r;
    }

private:
    void pick_streams() {
        video_index_ = info_.best_video;
        if (p_.audio_stream) {
            const stream_info* s = info_.stream(*p_.audio_stream);
            if (!s || s->type != "audio")
                throw error(errc::input_no_audio,
                            fmt::format("{} has no audio stream #{}", source_.string(), *p_.audio_stream));
            audio_index_ = *p_.audio_stream;
        } else {
            audio_index_ = info_.best_audio;
        }
        if (video_index_ < 0 && audio_index_ < 0)
            throw error(errc::input_no_audio,
                        fmt::format("{} has neither audio nor video: nothing to preview", source_.string()));
    }

    void open_video() {
        AVStream* st = ic_->streams[video_index_];
        vdec_ = open_decoder(*st, threads_, source_);
        const int w = st->codecpar->width, h = st->codecpar->height;
        if (w <= 0 || h <= 0)
            throw error(errc::input_corrupt,
                        fmt::format("{}: video stream #{} has no picture size", source_.string(), video_index_));
        // Square pixels, the source's display aspect, at most max_height lines, even sizes (4:2:0).
        AVRational sar = av_guess_sample_aspect_ratio(ic_.get(), st, nullptr);
        if (sar.num <= 0 || sar.den <= 0) sar = AVRational{1, 1};
        const double aspect = static_cast<double>(w) * av_q2d(sar) / h;
        int out_h = std::min(h, p_.max_height);
        out_h = std::max(2, out_h - out_h % 2);
        const int out_w = std::max(2, 2 * static_cast<int>(std::lround(out_h * aspect / 2)));
        const AVRational rate = preview_rate(av_guess_frame_rate(ic_.get(), st, nullptr), p_.max_fps);

        const bool vp9 = p_.codec == preview_codec::vp9;
        const AVCodec* codec = find_encoder(vp9 ? "libvpx-vp9" : "libvpx");
        venc_.reset(avcodec_alloc_context3(codec));
        if (!venc_) throw error(errc::internal, "out of memory (avcodec_alloc_context3)");
        venc_->width = out_w;
        venc_->height = out_h;
        venc_->pix_fmt = AV_PIX_FMT_YUV420P;
        venc_->sample_aspect_ratio = AVRational{1, 1};
        venc_->framerate = rate;
        venc_->time_base = av_inv_q(rate);
        venc_->bit_rate = static_cast<std::int64_t>(p_.video_kbps) * 1000;
        venc_->gop_size = std::max(1, static_cast<int>(std::lround(p_.keyframe_seconds * av_q2d(rate))));
        venc_->thread_count = threads_;
        venc_->color_range = AVCOL_RANGE_MPEG;
        venc_->colorspace = st->codecpar->color_space;
        venc_->color_primaries = st->codecpar->color_primaries;
        venc_->color_trc = st->codecpar->color_trc;
        if (threads_ > 1 && !vp9) venc_->slices = 4;  // VP8 token partitions: the browser decodes in parallel
        if (oc_->oformat->flags & AVFMT_GLOBALHEADER) venc_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
        AVDictionary* opts = nullptr;
        av_dict_set(&opts, "deadline", "realtime", 0);
        av_dict_set_int(&opts, "cpu-used", std::clamp(p_.cpu_used, 0, vp9 ? 8 : 16), 0);
        av_dict_set_int(&opts, "lag-in-frames", 0, 0);
        if (vp9) {
            av_dict_set_int(&opts, "row-mt", 1, 0);
            av_dict_set_int(&opts, "tile-columns", out_w >= 512 ? 1 : 0, 0);
        }
        const int rc = avcodec_open2(venc_.get(), codec, &opts);
        av_dict_free(&opts);
        if (rc < 0)
            throw error(errc::internal, fmt::format("cannot open the {} encoder ({}x{}): {}", codec->name, out_w, out_h,
                                                    av_error_text(rc)));
        video_out_ = add_stream(*venc_);
        scaled_ = make_frame();
        scaled_->width = out_w;
        scaled_->height = out_h;
        scaled_->format = AV_PIX_FMT_YUV420P;
        if (av_frame_get_buffer(scaled_.get(), 0) < 0) throw error(errc::internal, "out of memory (video frame)");
        video_origin_ = av_rescale_q(origin_, AV_TIME_BASE_Q, st->time_base);
    }

    void open_audio() {
        AVStream* st = ic_->streams[audio_index_];
        adec_ = open_decoder(*st, 1, source_);
        const AVCodec* codec = find_encoder("libopus");
        aenc_.reset(avcodec_alloc_context3(codec));
        if (!aenc_) throw error(errc::internal, "out of memory (avcodec_alloc_context3)");
        AVSampleFormat format = AV_SAMPLE_FMT_NONE;
        for (const AVSampleFormat* f = codec->sample_fmts; f && *f != AV_SAMPLE_FMT_NONE; ++f)
            if (format == AV_SAMPLE_FMT_NONE || *f == AV_SAMPLE_FMT_FLT) format = *f;
        aenc_->sample_fmt = format == AV_SAMPLE_FMT_NONE ? AV_SAMPLE_FMT_FLT : format;
        aenc_->sample_rate = preview_sample_rate;
        const AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
        av_channel_layout_copy(&aenc_->ch_layout, &stereo);
        aenc_->bit_rate = static_cast<std::int64_t>(p_.audio_kbps) * 1000;
        aenc_->time_base = preview_sample_tb;
        if (oc_->oformat->flags & AVFMT_GLOBALHEADER) aenc_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
        const int rc = avcodec_open2(aenc_.get(), codec, nullptr);
        if (rc < 0) throw error(errc::internal, fmt::format("cannot open the libopus encoder: {}", av_error_text(rc)));
        audio_out_ = add_stream(*aenc_);
        fifo_.reset(av_audio_fifo_alloc(aenc_->sample_fmt, 2, std::max(aenc_->frame_size, 960) * 4));
        if (!fifo_) throw error(errc::internal, "out of memory (av_audio_fifo_alloc)");
        audio_origin_ = av_rescale_q(origin_, AV_TIME_BASE_Q, st->time_base);
    }

    AVStream* add_stream(const AVCodecContext& enc) {
        AVStream* st = avformat_new_stream(oc_.get(), nullptr);
        if (!st) throw error(errc::internal, "out of memory (avformat_new_stream)");
        const int rc = avcodec_parameters_from_context(st->codecpar, &enc);
        if (rc < 0) throw error(errc::internal, fmt::format("avcodec_parameters_from_context: {}", av_error_text(rc)));
        st->time_base = enc.time_base;
        return st;
    }

    void read_all() {
        auto pkt = make_packet();
        const double origin_s = static_cast<double>(origin_) / AV_TIME_BASE;
        for (;;) {
            const int rc = av_read_frame(ic_.get(), pkt.get());
            if (rc == AVERROR(EAGAIN)) continue;
            if (rc < 0) {
                if (rc != AVERROR_EOF) read_error_ = rc;  // a damaged end: keep what decoded; check_decoded judges
                break;
            }
            const int index = pkt->stream_index;
            const AVStream* st = ic_->streams[index];
            const std::int64_t ts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
            if (ts != AV_NOPTS_VALUE) {
                const double end = seconds(ts + std::max<std::int64_t>(pkt->duration, 0), st->time_base) - origin_s;
                reached_any_ = std::max(reached_any_, end);
                if (index == video_index_ || index == audio_index_) reached_ = std::max(reached_, end);
            }
            if (index == video_index_) {
                ++video_packets_;
                decode(*vdec_, pkt.get());
            } else if (index == audio_index_) {
                ++audio_packets_;
                decode(*adec_, pkt.get());
            }
            av_packet_unref(pkt.get());
            report(info_.duration > 0 ? std::clamp(reached_ / info_.duration, 0.0, 1.0) : 0.0);
        }
    }

    void report(double fraction) {
        if (progress_ && !progress_(fraction))
            throw error(errc::interrupted, fmt::format("preview of {} stopped", source_.string()));
    }

    void decode(AVCodecContext& dec, const AVPacket* pkt) {
        int rc = avcodec_send_packet(&dec, pkt);
        if (rc < 0 && rc != AVERROR_EOF) {
            ++decode_errors_;  // a damaged packet: skip it, the next keyframe heals the picture
            return;
        }
        auto& frame = decoded_ ? decoded_ : (decoded_ = make_frame());
        for (;;) {
            rc = avcodec_receive_frame(&dec, frame.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) break;
            if (rc < 0) {
                ++decode_errors_;
                break;
            }
            if (&dec == vdec_.get()) {
                ++video_frames_;
                video_frame(*frame);
            } else {
                ++audio_frames_;
                audio_frame(*frame);
            }
            av_frame_unref(frame.get());
        }
    }

    // ---- video: scale, keep one frame per preview frame slot, encode.
    void video_frame(const AVFrame& f) {
        const AVStream* st = ic_->streams[video_index_];
        std::int64_t pts = last_video_pts_ + 1;
        if (f.best_effort_timestamp != AV_NOPTS_VALUE)
            pts = av_rescale_q_rnd(f.best_effort_timestamp - video_origin_, st->time_base, venc_->time_base,
                                   static_cast<AVRounding>(AV_ROUND_NEAR_INF | AV_ROUND_PASS_MINMAX));
        if (pts < 0 || pts <= last_video_pts_) return;  // before the source's start, or a slot already filled
        last_video_pts_ = pts;
        configure_scaler(f);
        if (av_frame_make_writable(scaled_.get()) < 0) throw error(errc::internal, "out of memory (video frame)");
        sws_scale(sws_.get(), f.data, f.linesize, 0, f.height, scaled_->data, scaled_->linesize);
        scaled_->pts = pts;
        scaled_->pict_type = AV_PICTURE_TYPE_NONE;
        encode(*venc_, scaled_.get(), video_out_);
    }

    void configure_scaler(const AVFrame& f) {
        const bool full_range = f.color_range == AVCOL_RANGE_JPEG;
        if (sws_ && f.width == sws_w_ && f.height == sws_h_ && f.format == sws_format_ && full_range == sws_full_)
            return;
        sws_.reset(sws_getContext(f.width, f.height, static_cast<AVPixelFormat>(f.format), venc_->width, venc_->height,
                                  AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr, nullptr, nullptr));
        if (!sws_)
            throw error(errc::internal, fmt::format("cannot scale {}x{} {} to {}x{}", f.width, f.height,
                                                    av_get_pix_fmt_name(static_cast<AVPixelFormat>(f.format)),
                                                    venc_->width, venc_->height));
        const int* coefficients = sws_getCoefficients(f.colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_DEFAULT);
        // Full-range (JPEG) pictures become limited range, as the encoder's stream says.
        sws_setColorspaceDetails(sws_.get(), coefficients, full_range ? 1 : 0, coefficients, 0, 0, 1 << 16, 1 << 16);
        sws_w_ = f.width;
        sws_h_ = f.height;
        sws_format_ = f.format;
        sws_full_ = full_range;
    }

    // ---- audio: resample to 48 kHz stereo on the source clock (gaps filled, overlaps dropped), encode.
    void audio_frame(const AVFrame& f) {
        configure_resampler(f);
        if (f.best_effort_timestamp != AV_NOPTS_VALUE) {
            const AVStream* st = ic_->streams[audio_index_];
            const std::int64_t at =
                av_rescale_q(f.best_effort_timestamp - audio_origin_, st->time_base, preview_sample_tb);
            if (!audio_started_) {
                // The first sample sits where the source has it; audio before the start is dropped.
                fifo_start_ = std::max<std::int64_t>(at, 0);
                skip_ = std::max<std::int64_t>(-at, 0);
            } else {
                const std::int64_t next = fifo_start_ + av_audio_fifo_size(fifo_.get()) +
                                          swr_get_delay(swr_.get(), preview_sample_rate) - skip_;
                const std::int64_t drift = at - next;
                constexpr std::int64_t tolerance = preview_sample_rate / 20;  // 50 ms
                if (drift > tolerance) {
                    swr_inject_silence(swr_.get(), static_cast<int>(av_rescale(drift, in_rate_, preview_sample_rate)));
                } else if (drift < -tolerance) {
                    skip_ += -drift;
                }
            }
        }
        audio_started_ = true;
        resample(const_cast<const std::uint8_t**>(f.extended_data),
                 f.nb_samples);  // swr_convert (FFmpeg 5.1) takes const uint8_t**
        encode_audio(false);
    }

    void configure_resampler(const AVFrame& f) {
        if (swr_ && f.sample_rate == in_rate_ && f.format == in_format_ &&
            av_channel_layout_compare(&f.ch_layout, &frame_layout_) == 0)
            return;
        if (swr_) drain_resampler();  // parameters changed mid-stream: keep what the old one holds
        av_channel_layout_uninit(&frame_layout_);
        av_channel_layout_copy(&frame_layout_, &f.ch_layout);
        AVChannelLayout in_layout{};
        if (f.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || av_channel_layout_check(&f.ch_layout) == 0)
            av_channel_layout_default(&in_layout, f.ch_layout.nb_channels);
        else
            av_channel_layout_copy(&in_layout, &f.ch_layout);
        SwrContext* raw = nullptr;
        int rc = swr_alloc_set_opts2(&raw, &aenc_->ch_layout, aenc_->sample_fmt, preview_sample_rate, &in_layout,
                                     static_cast<AVSampleFormat>(f.format), f.sample_rate, 0, nullptr);
        swr_ptr s(raw);
        const int channels = in_layout.nb_channels;
        av_channel_layout_uninit(&in_layout);
        if (rc < 0 || (rc = swr_init(s.get())) < 0)
            throw error(errc::internal, fmt::format("cannot set up the resampler ({} Hz, {} channels): {}",
                                                    f.sample_rate, channels, av_error_text(rc)));
        swr_ = std::move(s);
        in_rate_ = f.sample_rate;
        in_format_ = f.format;
    }

    // Converts `count` input samples (none: flush) into the FIFO, dropping `skip_` samples first.
    void resample(const std::uint8_t** in, int count) {
        for (;;) {
            const int room = swr_get_out_samples(swr_.get(), count) + 64;
            auto out = make_frame();
            out->nb_samples = room;
            out->format = aenc_->sample_fmt;
            av_channel_layout_copy(&out->ch_layout, &aenc_->ch_layout);
            if (av_frame_get_buffer(out.get(), 0) < 0) throw error(errc::internal, "out of memory (audio frame)");
            const int n = swr_convert(swr_.get(), out->data, room, in, count);
            if (n < 0) throw error(errc::internal, fmt::format("resampling failed: {}", av_error_text(n)));
            const auto drop = static_cast<int>(std::min<std::int64_t>(skip_, n));
            skip_ -= drop;
            if (n > drop) {
                const int bytes = av_get_bytes_per_sample(aenc_->sample_fmt) * aenc_->ch_layout.nb_channels;
                void* from = out->data[0] + static_cast<std::ptrdiff_t>(drop) * bytes;  // interleaved
                if (av_audio_fifo_write(fifo_.get(), &from, n - drop) < n - drop)
                    throw error(errc::internal, "out of memory (audio FIFO)");
            }
            if (in != nullptr || n == 0) break;  // input is consumed in one call; a flush loops until empty
            count = 0;
        }
    }

    void drain_resampler() {
        if (swr_) resample(nullptr, 0);
    }

    // Encoder-sized frames from the FIFO; `last` sends the short remainder too.
    void encode_audio(bool last) {
        const int size = aenc_->frame_size > 0 ? aenc_->frame_size : 960;
        for (;;) {
            const int have = av_audio_fifo_size(fifo_.get());
            if (have == 0 || (have < size && !last)) break;
            const int n = std::min(have, size);
            auto frame = make_frame();
            frame->nb_samples = n;
            frame->format = aenc_->sample_fmt;
            frame->sample_rate = preview_sample_rate;
            av_channel_layout_copy(&frame->ch_layout, &aenc_->ch_layout);
            if (av_frame_get_buffer(frame.get(), 0) < 0) throw error(errc::internal, "out of memory (audio frame)");
            if (av_audio_fifo_read(fifo_.get(), reinterpret_cast<void**>(frame->data), n) < n)
                throw error(errc::internal, "audio FIFO underrun");
            frame->pts = fifo_start_;
            fifo_start_ += n;
            encode(*aenc_, frame.get(), audio_out_);
        }
    }

    // ---- encoders → muxer
    void encode(AVCodecContext& enc, const AVFrame* frame, AVStream* out) {
        int rc = avcodec_send_frame(&enc, frame);
        if (rc < 0 && rc != AVERROR_EOF)
            throw error(errc::internal,
                        fmt::format("the {} encoder refused a frame: {}", enc.codec->name, av_error_text(rc)));
        auto& pkt = encoded_ ? encoded_ : (encoded_ = make_packet());
        for (;;) {
            rc = avcodec_receive_packet(&enc, pkt.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) break;
            if (rc < 0)
                throw error(errc::internal,
                            fmt::format("the {} encoder failed: {}", enc.codec->name, av_error_text(rc)));
            av_packet_rescale_ts(pkt.get(), enc.time_base, out->time_base);
            pkt->stream_index = out->index;
            rc = av_interleaved_write_frame(oc_.get(), pkt.get());  // takes the packet's data
            if (rc < 0) write_failed(rc, "write");
        }
    }

    [[noreturn]] void write_failed(int rc, const char* what) const {
        sink_->rethrow_failure();  // the file's own error (disk full…), when it was the file
        throw error(errc::io, fmt::format("cannot {} the preview {}: {}", what, sink_->destination().string(),
                                          av_error_text(rc)));
    }

    // Nothing decoded, or the file ends well before it says it does: corrupt or truncated.
    void check_decoded() const {
        const std::string where = source_.string();
        if (video_frames_ == 0 && audio_frames_ == 0)
            throw error(errc::input_corrupt,
                        fmt::format("{}: nothing could be decoded ({} packets rejected{}): corrupt or truncated file",
                                    where, decode_errors_, read_error_ ? ", " + av_error_text(read_error_) : ""));
        if (video_index_ >= 0 && video_frames_ == 0 && video_packets_ > 0)
            throw error(
                errc::input_corrupt,
                fmt::format("{}: no picture of video stream #{} could be decoded: corrupt file", where, video_index_));
        if (audio_index_ >= 0 && audio_frames_ == 0 && audio_packets_ > 0)
            throw error(
                errc::input_corrupt,
                fmt::format("{}: no sound of audio stream #{} could be decoded: corrupt file", where, audio_index_));
        const double declared = info_.duration;
        if (declared > 0 && declared - reached_any_ > std::max(2.0, 0.005 * declared))
            throw error(errc::input_corrupt,
                        fmt::format("{} is truncated or corrupt: it ends at {:.3f} s but says it lasts {:.3f} s{}",
                                    where, reached_any_, declared,
                                    read_error_ ? " (read error: " + av_error_text(read_error_) + ")" : ""));
    }

public:
    preview_maker(const preview_maker&) = delete;
    preview_maker& operator=(const preview_maker&) = delete;
    ~preview_maker() { av_channel_layout_uninit(&frame_layout_); }

private:
    fs::path source_;
    preview_params p_;
    const preview_progress& progress_;
    int threads_ = 1;

    detail::input_ptr ic_;
    media_info info_;
    int video_index_ = -1, audio_index_ = -1;
    std::int64_t origin_ = 0;  // container start time, AV_TIME_BASE units: time 0 of the preview

    // Declared before the output context, so the context goes first.
    std::unique_ptr<atomic_avio> sink_;
    output_ptr oc_;

    codec_ptr vdec_, venc_, adec_, aenc_;
    AVStream* video_out_ = nullptr;
    AVStream* audio_out_ = nullptr;
    frame_ptr decoded_, scaled_;
    packet_ptr encoded_;

    sws_ptr sws_;
    int sws_w_ = 0, sws_h_ = 0, sws_format_ = -1;
    bool sws_full_ = false;
    std::int64_t video_origin_ = 0;  // origin_ in the video stream's time base
    std::int64_t last_video_pts_ = -1;

    swr_ptr swr_;
    AVChannelLayout frame_layout_{};
    int in_rate_ = 0, in_format_ = -1;
    audio_fifo_ptr fifo_;
    std::int64_t audio_origin_ = 0;  // origin_ in the audio stream's time base
    std::int64_t fifo_start_ = 0;    // preview sample (48 kHz, from time 0) of the FIFO's first sample
    std::int64_t skip_ = 0;          // resampled samples still to drop (audio before 0, overlaps)
    bool audio_started_ = false;

    double reached_ = 0;      // end of the last packet of the chosen streams, seconds from the origin
    double reached_any_ = 0;  // the same over every stream
    int read_error_ = 0;
    int decode_errors_ = 0;
    std::int64_t video_packets_ = 0, audio_packets_ = 0, video_frames_ = 0, audio_frames_ = 0;
};

}  // namespace

bool browser_playable(const fs::path& media) {
    const auto ctx = detail::open_input(media);
    const container_family family = family_of(ctx->iformat);
    int playable = 0;
    for (unsigned i = 0; i < ctx->nb_streams; ++i) {
        const AVStream* st = ctx->streams[i];
        const AVCodecParameters& par = *st->codecpar;
        if (par.codec_type == AVMEDIA_TYPE_VIDEO) {
            if (st->disposition & AV_DISPOSITION_ATTACHED_PIC) continue;  // cover art: not shown by <video>
            if (!video_playable(family, par)) return false;
        } else if (par.codec_type == AVMEDIA_TYPE_AUDIO) {
            if (!audio_playable(family, par)) return false;
        } else {
            continue;  // subtitles, data, attachments: the page brings its own subtitles
        }
        ++playable;
    }
    return playable > 0;
}

preview_result make_preview(const fs::path& source, const fs::path& out, const preview_params& p,
                            const preview_progress& progress) {
    preview_maker maker(source, out, p, progress);
    return maker.run();
}

}  // namespace cinesub::media
