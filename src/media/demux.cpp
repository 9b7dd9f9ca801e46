// demux_audio(): one audio stream → 16 kHz mono float32 WAV, sample-accurate clip, streamed.
#include "cinesub/error.hpp"
#include "media/libav.hpp"
#include "media/media.hpp"
#include "util/fs.hpp"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace cinesub::media {

namespace fs = std::filesystem;

namespace {

using detail::av_error_text;
using detail::codec_ptr;
using detail::describe;
using detail::make_frame;
using detail::make_packet;
using detail::open_input;
using detail::seconds;
using detail::swr_ptr;

static_assert(std::endian::native == std::endian::little, "the WAV writer assumes a little-endian machine");

// IEEE float32 mono WAV, streamed through util::atomic_file; sizes patched by finish().
class wav_writer {
public:
    explicit wav_writer(const fs::path& path) : file_(path) {
        std::array<unsigned char, header_size> h{};
        file_.write(h.data(), h.size());  // placeholder, rewritten by finish()
    }

    void write(const float* samples, std::size_t count) {
        if (count == 0) return;
        if ((samples_ + count) * 4 + header_size > 0xFFFFFFFFull)
            throw error(errc::io,
                        fmt::format("{}: audio longer than a WAV file can hold (4 GiB)", file_.destination().string()));
        file_.write(samples, count * sizeof(float));
        samples_ += count;
    }

    std::uint64_t samples() const { return samples_; }

    void finish() {
        auto h = header();
        file_.write_at(0, h.data(), h.size());
        file_.commit();
    }

private:
    // RIFF 12 + fmt 8+18 + fact 8+4 + JUNK 8+2 + data 8: the JUNK chunk (skipped by every reader) puts
    // the samples at a 4-byte boundary, so the VAD and ASR stages can map them as floats (asr::audio_file).
    static constexpr std::size_t header_size = 68;

    std::array<unsigned char, header_size> header() const {
        std::array<unsigned char, header_size> h{};
        std::size_t at = 0;
        auto put = [&](const char* four) {
            std::memcpy(h.data() + at, four, 4);
            at += 4;
        };
        auto u32 = [&](std::uint32_t v) {
            for (int i = 0; i < 4; ++i) h[at++] = static_cast<unsigned char>(v >> (8 * i));
        };
        auto u16 = [&](std::uint16_t v) {
            h[at++] = static_cast<unsigned char>(v & 0xFF);
            h[at++] = static_cast<unsigned char>(v >> 8);
        };
        const auto data_bytes = static_cast<std::uint32_t>(samples_ * 4);
        put("RIFF");
        u32(static_cast<std::uint32_t>(header_size - 8 + data_bytes));
        put("WAVE");
        put("fmt ");
        u32(18);
        u16(3);  // WAVE_FORMAT_IEEE_FLOAT
        u16(1);  // mono
        u32(output_sample_rate);
        u32(output_sample_rate * 4);
        u16(4);   // block align
        u16(32);  // bits
        u16(0);   // cbSize
        put("fact");
        u32(4);
        u32(static_cast<std::uint32_t>(samples_));
        put("JUNK");
        u32(2);
        u16(0);
        put("data");
        u32(data_bytes);
        return h;
    }

    util::atomic_file file_;
    std::uint64_t samples_ = 0;
};

// Decoded audio (any rate/layout/format) → 16 kHz float: mono (the dialogue: the mix, or the front
// centre alone when `centre` and the layout has one among three or more channels), or every channel
// planar (`all_channels`, for the channel levels).
class resampler {
public:
    explicit resampler(bool all_channels = false, bool centre = false) : all_(all_channels), centre_(centre) {}

    void configure(const AVFrame& frame) {
        if (swr_ && frame.sample_rate == in_rate_ && frame.format == in_format_ &&
            av_channel_layout_compare(&frame.ch_layout, &frame_layout_) == 0)
            return;
        if (swr_) drain();  // parameters changed mid-stream: flush what the old one holds
        av_channel_layout_uninit(&in_layout_);
        av_channel_layout_uninit(&frame_layout_);
        av_channel_layout_copy(&frame_layout_, &frame.ch_layout);
        if (frame.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || av_channel_layout_check(&frame.ch_layout) == 0)
            av_channel_layout_default(&in_layout_, frame.ch_layout.nb_channels);
        else
            av_channel_layout_copy(&in_layout_, &frame.ch_layout);
        in_rate_ = frame.sample_rate;
        in_format_ = frame.format;
        AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
        SwrContext* raw = nullptr;
        int rc = swr_alloc_set_opts2(&raw, all_ ? &in_layout_ : &mono, all_ ? AV_SAMPLE_FMT_FLTP : AV_SAMPLE_FMT_FLT,
                                     output_sample_rate, &in_layout_, static_cast<AVSampleFormat>(in_format_), in_rate_,
                                     0, nullptr);
        swr_ptr s(raw);
        if (rc < 0) throw error(errc::internal, fmt::format("swr_alloc_set_opts2: {}", av_error_text(rc)));
        // Downmix to mono without exceeding full scale (stereo → (L+R)/2); a good windowed-sinc filter.
        av_opt_set_double(s.get(), "rematrix_maxval", 1.0, 0);
        av_opt_set_int(s.get(), "filter_size", 32, 0);
        // 5.1, 7.1…: the centre channel carries the dialogue; the music and effects live around it.
        from_centre_ = false;
        const int centre = av_channel_layout_index_from_channel(&in_layout_, AV_CHAN_FRONT_CENTER);
        if (!all_ && centre_ && centre >= 0 && in_layout_.nb_channels >= 3) {
            std::vector<double> matrix(static_cast<std::size_t>(in_layout_.nb_channels), 0.0);
            matrix[static_cast<std::size_t>(centre)] = 1.0;
            if ((rc = swr_set_matrix(s.get(), matrix.data(), in_layout_.nb_channels)) < 0)
                throw error(errc::internal, fmt::format("swr_set_matrix: {}", av_error_text(rc)));
            from_centre_ = true;
        }
        if ((rc = swr_init(s.get())) < 0)
            throw error(errc::internal, fmt::format("cannot set up the resampler ({} Hz, {} channels): {}", in_rate_,
                                                    in_layout_.nb_channels, av_error_text(rc)));
        swr_ = std::move(s);
    }

    ~resampler() {
        av_channel_layout_uninit(&in_layout_);
        av_channel_layout_uninit(&frame_layout_);
    }

    int in_rate() const { return in_rate_; }
    bool from_centre() const { return from_centre_; }
    int channels() const { return in_layout_.nb_channels; }
    // The input layout's channel names ("FL", "FR", "FC"…), in order.
    std::vector<std::string> channel_names() const {
        std::vector<std::string> out;
        for (int i = 0; i < in_layout_.nb_channels; ++i) {
            char name[16];
            const auto ch = av_channel_layout_channel_from_index(&in_layout_, static_cast<unsigned>(i));
            out.emplace_back(av_channel_name(name, sizeof name, ch) >= 0 ? name : fmt::format("C{}", i));
        }
        return out;
    }

    // Feeds `count` input samples starting at `offset` of the frame.
    template <class Sink>
    void feed(const AVFrame& frame, int offset, int count, Sink&& sink) {
        const int bps = av_get_bytes_per_sample(static_cast<AVSampleFormat>(frame.format));
        const bool planar = av_sample_fmt_is_planar(static_cast<AVSampleFormat>(frame.format)) != 0;
        const int channels = frame.ch_layout.nb_channels;
        planes_.resize(planar ? static_cast<std::size_t>(channels) : 1);
        for (std::size_t p = 0; p < planes_.size(); ++p)
            planes_[p] = frame.extended_data[p] + static_cast<std::ptrdiff_t>(offset) * bps * (planar ? 1 : channels);
        convert(planes_.data(), count, sink);
    }

    // Input-rate silence; it comes out with the next conversion (or the flush).
    void silence(int count) {
        if (count > 0 && swr_) swr_inject_silence(swr_.get(), count);
    }

    template <class Sink>
    void flush(Sink&& sink) {
        if (!swr_) return;
        convert(nullptr, 0, sink, true);
    }

private:
    template <class Sink>
    void convert(const std::uint8_t** in, int count, Sink&& sink, bool flushing = false) {
        if (!swr_) return;
        const auto planes = static_cast<std::size_t>(all_ ? in_layout_.nb_channels : 1);
        for (;;) {
            const int room = swr_get_out_samples(swr_.get(), count) + 64;
            out_.resize(static_cast<std::size_t>(room) * planes);
            out_ptrs_.resize(planes);
            for (std::size_t p = 0; p < planes; ++p)
                out_ptrs_[p] = reinterpret_cast<std::uint8_t*>(out_.data() + p * static_cast<std::size_t>(room));
            int n = swr_convert(swr_.get(), out_ptrs_.data(), room, (flushing || count == 0) ? nullptr : in, count);
            if (n < 0) throw error(errc::internal, fmt::format("resampling failed: {}", av_error_text(n)));
            sink(out_.data(), static_cast<std::size_t>(n), static_cast<std::size_t>(room));
            // Input is consumed in one call; loop only to drain buffered output.
            count = 0;
            in = nullptr;
            if (n < room || !flushing) {
                if (!flushing || n == 0) break;
            }
        }
    }

    void drain() {
        // The old filter's tail is lost on a format change; it is a few ms at most.
        swr_.reset();
    }

    swr_ptr swr_;
    AVChannelLayout in_layout_{};     // what the resampler was told (a default layout for unspecified ones)
    AVChannelLayout frame_layout_{};  // what the frames said
    int in_rate_ = 0;
    int in_format_ = -1;
    std::vector<const std::uint8_t*> planes_;
    std::vector<float> out_;
    std::vector<std::uint8_t*> out_ptrs_;
    bool all_ = false, centre_ = false, from_centre_ = false;
};

// Per-channel RMS every 10 ms (160 samples at 16 kHz) of the planar 16 kHz channels, streamed as
// float32 frames (one value per channel) into an atomic file.
class level_meter {
public:
    level_meter(const fs::path& path, std::size_t channels) : file_(path), sums_(channels, 0.0) {}

    // `n` samples of each of the planes, plane p at data + p * stride.
    void add(const float* data, std::size_t n, std::size_t stride) {
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t c = 0; c < sums_.size(); ++c) {
                const double x = data[c * stride + i];
                sums_[c] += x * x;
            }
            if (++filled_ == frame_samples) emit();
        }
    }
    std::size_t frames() const { return frames_; }
    void finish() {
        if (filled_ > 0) emit();
        file_.commit();
    }

private:
    static constexpr std::size_t frame_samples = 160;
    void emit() {
        std::vector<float> rms(sums_.size());
        for (std::size_t c = 0; c < sums_.size(); ++c)
            rms[c] = static_cast<float>(std::sqrt(sums_[c] / static_cast<double>(filled_)));
        file_.write(reinterpret_cast<const char*>(rms.data()), rms.size() * sizeof(float));
        std::fill(sums_.begin(), sums_.end(), 0.0);
        filled_ = 0;
        ++frames_;
    }
    util::atomic_file file_;
    std::vector<double> sums_;
    std::size_t filled_ = 0, frames_ = 0;
};

int pick_stream(AVFormatContext* ctx, const media_info& info, const demux_options& o, const fs::path& path) {
    if (o.audio_stream) {
        const stream_info* s = info.stream(*o.audio_stream);
        if (!s || s->type != "audio") {
            std::string list;
            for (const auto& t : info.streams)
                if (t.type == "audio") list += fmt::format("{}{}", list.empty() ? "" : ", ", t.index);
            throw error(errc::input_no_audio,
                        fmt::format("{} has no audio stream #{} (audio streams: {})", path.string(), *o.audio_stream,
                                    list.empty() ? "none" : list));
        }
        return *o.audio_stream;
    }
    int best = av_find_best_stream(ctx, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (best < 0) throw error(errc::input_no_audio, fmt::format("{} has no audio stream", path.string()));
    return best;
}

// Latest end time (media seconds) of any packet of any stream from `from` on: tells a truncated file
// (everything stops) from an audio track that is shorter than the video.
double last_timestamp(AVFormatContext* ctx, std::int64_t origin, double from) {
    for (unsigned i = 0; i < ctx->nb_streams; ++i) ctx->streams[i]->discard = AVDISCARD_DEFAULT;
    av_seek_frame(ctx, -1, origin + static_cast<std::int64_t>(std::max(0.0, from - 1.0) * AV_TIME_BASE),
                  AVSEEK_FLAG_BACKWARD);
    auto pkt = make_packet();
    double last = from;
    while (av_read_frame(ctx, pkt.get()) >= 0) {
        const AVStream* st = ctx->streams[pkt->stream_index];
        const std::int64_t ts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
        if (ts != AV_NOPTS_VALUE)
            last = std::max(last, seconds(ts + std::max<std::int64_t>(pkt->duration, 0), st->time_base) -
                                      static_cast<double>(origin) / AV_TIME_BASE);
        av_packet_unref(pkt.get());
    }
    return last;
}

}  // namespace

nlohmann::json demux_result::to_json() const {
    nlohmann::json langs = nlohmann::json::array();
    for (const auto& s : info.streams)
        if ((s.type == "audio" || s.type == "subtitle") && !s.language.empty())
            langs.push_back({{"stream", s.index}, {"type", s.type}, {"language", s.language}});
    const stream_info* a = info.stream(audio_stream);
    nlohmann::json source = nlohmann::json::object();
    if (a) source = *a;
    return {{"schema", 1},
            {"media", info},
            {"duration", info.duration},
            {"fps", info.fps},
            {"languages", langs},
            {"audio_stream", audio_stream},
            {"audio_source", source},
            {"source_channels", channels},
            {"channel_names", channel_names},
            {"dialogue", dialogue},
            {"levels", level_frames > 0 ? nlohmann::json{{"frame_s", 0.01},
                                                         {"frames", level_frames},
                                                         {"format", "f32le, one RMS per channel a frame"}}
                                        : nlohmann::json(nullptr)},
            {"audio",
             {{"sample_rate", output_sample_rate},
              {"channels", 1},
              {"format", "f32le"},
              {"samples", samples},
              {"duration", static_cast<double>(samples) / output_sample_rate}}},
            {"range", {{"start", start}, {"end", end}}},
            {"decode_errors", decode_errors},
            {"lead_in_seconds", lead_in_seconds},
            {"gap_seconds", gap_seconds},
            {"dropped_seconds", dropped_seconds}};
}

demux_result demux_audio(const fs::path& media_path, const fs::path& wav_path, const demux_options& o) {
    auto ctx = open_input(media_path);
    demux_result result;
    result.info = describe(ctx.get(), media_path);
    const int si = pick_stream(ctx.get(), result.info, o, media_path);
    {
        media_info check = result.info;
        check.best_audio = si;
        validate_range(check, o.range);
    }
    result.audio_stream = si;
    AVStream* st = ctx->streams[si];
    for (unsigned i = 0; i < ctx->nb_streams; ++i)
        if (static_cast<int>(i) != si) ctx->streams[i]->discard = AVDISCARD_ALL;

    const AVCodec* codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec)
        throw error(errc::input_not_media,
                    fmt::format("{}: no decoder for the {} audio of stream #{}", media_path.string(),
                                avcodec_get_name(st->codecpar->codec_id), si));
    codec_ptr dec(avcodec_alloc_context3(codec));
    if (!dec) throw error(errc::internal, "out of memory (avcodec_alloc_context3)");
    int rc = avcodec_parameters_to_context(dec.get(), st->codecpar);
    if (rc < 0) throw error(errc::internal, fmt::format("avcodec_parameters_to_context: {}", av_error_text(rc)));
    dec->pkt_timebase = st->time_base;
    if ((rc = avcodec_open2(dec.get(), codec, nullptr)) < 0)
        throw error(errc::input_corrupt, fmt::format("{}: cannot open the {} decoder: {}", media_path.string(),
                                                     codec->name, av_error_text(rc)));

    // Media time 0 is the container's start time; the clip counts from there.
    const std::int64_t origin = ctx->start_time != AV_NOPTS_VALUE ? ctx->start_time : 0;
    const double origin_s = static_cast<double>(origin) / AV_TIME_BASE;
    const double start_s = o.range.start;
    double declared = result.info.duration;
    if (const auto* s = result.info.stream(si); s && s->duration > 0) declared = s->duration;
    const double end_s = o.range.end ? *o.range.end : std::numeric_limits<double>::infinity();
    const double expected_end = std::min(end_s, declared > 0 ? declared : end_s);
    const double span = std::isfinite(expected_end) ? expected_end - start_s : 0.0;

    bool seeked = false;
    auto seek_to = [&](double seconds) {
        const auto target = origin + static_cast<std::int64_t>(std::max(0.0, seconds) * AV_TIME_BASE);
        return av_seek_frame(ctx.get(), -1, target, AVSEEK_FLAG_BACKWARD) >= 0;
    };
    // Seek a little before the start (decoders need a few packets of pre-roll); samples before
    // the start are dropped by timestamp below.
    if (start_s > 0.5) {
        seeked = seek_to(start_s - 0.5);
        if (seeked) avcodec_flush_buffers(dec.get());
    }

    wav_writer wav(wav_path);
    resampler rs(false, o.dialogue_centre);
    // Channel levels (two or more channels, when asked): a second resampler keeps every channel.
    std::unique_ptr<resampler> rs_all;
    std::unique_ptr<level_meter> levels;
    std::int64_t levels_written = 0;
    // Exact output length: the clip's when it has an end (checked again at the end), else set from
    // what was decoded before the flush.
    std::int64_t out_budget = std::isfinite(end_s) ? std::llround((end_s - start_s) * output_sample_rate) : -1;
    std::int64_t written = 0;
    // Of n samples more, how many fit in the budget after `done` (all of them before the budget is known).
    auto within_budget = [&](std::int64_t done, std::size_t n) {
        return out_budget < 0 ? n
                              : static_cast<std::size_t>(
                                    std::clamp<std::int64_t>(out_budget - done, 0, static_cast<std::int64_t>(n)));
    };
    auto sink = [&](const float* data, std::size_t n, std::size_t /*stride*/) {
        n = within_budget(written, n);
        wav.write(data, n);
        written += static_cast<std::int64_t>(n);
    };
    auto level_sink = [&](const float* data, std::size_t n, std::size_t stride) {
        n = within_budget(levels_written, n);
        levels->add(data, n, stride);
        levels_written += static_cast<std::int64_t>(n);
    };

    auto pkt = make_packet();
    auto frame = make_frame();
    bool have_position = false;
    std::int64_t expected = 0;  // next input sample index (media time × input rate)
    std::int64_t kept_in = 0;   // input samples fed to the resampler (incl. silence)
    int rate = 0;               // input rate the positions count in
    std::int64_t start_sample = 0, end_sample = std::numeric_limits<std::int64_t>::max();
    bool done = false;
    int packets = 0;
    int read_error = 0;
    double last_report = -1;

    auto set_rate = [&](int r) {
        if (rate != 0 && r != rate)
            expected = static_cast<std::int64_t>(std::llround(static_cast<double>(expected) * r / rate));
        rate = r;
        start_sample = std::llround(start_s * rate);
        end_sample = std::isfinite(end_s) ? std::llround(end_s * rate) : std::numeric_limits<std::int64_t>::max();
    };

    auto handle_frame = [&](AVFrame& f) -> bool {  // false: restart from the beginning
        if (f.nb_samples <= 0 || f.sample_rate <= 0) return true;
        if (f.sample_rate != rate) set_rate(f.sample_rate);
        rs.configure(f);
        if (rs_all && f.ch_layout.nb_channels != rs_all->channels()) {  // the layout changed mid-stream: no levels
            rs_all.reset();
            levels.reset();
        } else if (!rs_all && !o.levels_path.empty() && f.ch_layout.nb_channels >= 2 && kept_in == 0) {
            rs_all = std::make_unique<resampler>(true);
            levels = std::make_unique<level_meter>(o.levels_path, static_cast<std::size_t>(f.ch_layout.nb_channels));
        }
        if (rs_all) rs_all->configure(f);
        const std::int64_t ts = f.best_effort_timestamp;
        std::int64_t pos = expected;
        if (ts != AV_NOPTS_VALUE) {
            const double t = seconds(ts, st->time_base) - origin_s;
            pos = std::llround(t * rate);
        }
        if (!have_position) {
            if (ts == AV_NOPTS_VALUE && seeked) return false;  // cannot place the first frame after a seek
            if (ts == AV_NOPTS_VALUE) pos = 0;
            have_position = true;
            // Audio that starts after the clip start (codec delay, a late audio track): silence first,
            // so that sample 0 of the output is exactly the clip start.
            if (pos > start_sample && pos < end_sample) {
                rs.silence(static_cast<int>(pos - start_sample));
                if (rs_all) rs_all->silence(static_cast<int>(pos - start_sample));
                kept_in += pos - start_sample;
                result.lead_in_seconds += static_cast<double>(pos - start_sample) / rate;
            }
            expected = pos;
        }
        int skip = 0;                              // samples of this frame to drop
        const std::int64_t tolerance = rate / 50;  // 20 ms of timestamp jitter is not a gap
        if (pos > expected + tolerance) {
            // Lost packets: keep the timeline in step with the film by inserting silence.
            const std::int64_t from = std::max(expected, start_sample);
            const std::int64_t to = std::min(pos, end_sample);
            if (to > from && from >= start_sample) {
                rs.silence(static_cast<int>(to - from));
                if (rs_all) rs_all->silence(static_cast<int>(to - from));
                kept_in += to - from;
                result.gap_seconds += static_cast<double>(to - from) / rate;
            }
            expected = pos;
        } else if (pos < expected - tolerance) {
            skip =
                static_cast<int>(std::min<std::int64_t>(expected - pos, f.nb_samples));  // overlap: keep what we have
            result.dropped_seconds += static_cast<double>(skip) / rate;
        }
        pos = expected - skip;  // continuous within the jitter tolerance
        const std::int64_t frame_end = pos + f.nb_samples;
        const std::int64_t keep_from = std::max({pos + skip, start_sample});
        const std::int64_t keep_to = std::min(frame_end, end_sample);
        if (keep_to > keep_from) {
            rs.feed(f, static_cast<int>(keep_from - pos), static_cast<int>(keep_to - keep_from), sink);
            if (rs_all)
                rs_all->feed(f, static_cast<int>(keep_from - pos), static_cast<int>(keep_to - keep_from), level_sink);
            kept_in += keep_to - keep_from;
        }
        expected = std::max(expected, frame_end);
        if (expected >= end_sample) done = true;
        if (o.progress && span > 0) {
            const double at = static_cast<double>(expected) / rate - start_s;
            if (at - last_report >= span / 100.0) {
                o.progress(std::clamp(at / span, 0.0, 1.0));
                last_report = at;
            }
        }
        return true;
    };

    auto receive = [&]() {
        for (;;) {
            int r = avcodec_receive_frame(dec.get(), frame.get());
            if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return;
            if (r < 0) {
                ++result.decode_errors;
                return;
            }
            const bool ok = handle_frame(*frame);
            av_frame_unref(frame.get());
            if (!ok) {
                // Restart from the top without seeking (first frame had no timestamp).
                seeked = false;
                have_position = false;
                av_seek_frame(ctx.get(), -1, origin, AVSEEK_FLAG_BACKWARD);
                avcodec_flush_buffers(dec.get());
                return;
            }
            if (done) return;
        }
    };

    while (!done) {
        if (o.should_stop && o.should_stop()) throw error(errc::interrupted, "demux interrupted");
        rc = av_read_frame(ctx.get(), pkt.get());
        if (rc < 0) {
            if (rc != AVERROR_EOF) read_error = rc;
            break;
        }
        if (pkt->stream_index == si) {
            ++packets;
            int s = avcodec_send_packet(dec.get(), pkt.get());
            if (s < 0 && s != AVERROR(EAGAIN)) ++result.decode_errors;
            receive();
        }
        av_packet_unref(pkt.get());
    }
    if (!done) {
        avcodec_send_packet(dec.get(), nullptr);
        receive();
    }

    // Exact length: the clip's length when the audio reached its end, else what was decoded.
    const std::int64_t in_total = kept_in;
    if (rate > 0) {
        if (done && std::isfinite(end_s))
            out_budget = std::llround((end_s - start_s) * output_sample_rate);
        else
            out_budget =
                static_cast<std::int64_t>(std::llround(static_cast<double>(in_total) * output_sample_rate / rate));
        rs.flush(sink);
        static const std::array<float, 64> zeros{};
        while (written < out_budget && out_budget - written <= 64) {  // resampler tail rounding: pad ≤ 4 ms
            sink(zeros.data(), static_cast<std::size_t>(out_budget - written), 0);
        }
        if (rs_all) rs_all->flush(level_sink);
    }

    const double reached = rate > 0 ? static_cast<double>(expected) / rate : 0.0;
    // Audio that stops well before the file says it ends: a truncated file, unless the other streams
    // go on (then the audio track is just shorter than the video).
    const bool ended_early = std::isfinite(expected_end) && declared > 0 && !done &&
                             expected_end - reached > std::max(2.0, 0.005 * expected_end);
    const bool truncated = ended_early && last_timestamp(ctx.get(), origin, reached) < expected_end - 2.0;
    if (written == 0 && truncated)
        throw error(errc::input_corrupt,
                    fmt::format("{} is truncated or corrupt: no audio could be decoded, though the file says it lasts "
                                "{:.3f} s",
                                media_path.string(), declared));
    if (written == 0) {
        if (result.decode_errors > 0 || read_error != 0)
            throw error(
                errc::input_corrupt,
                fmt::format("{}: no audio could be decoded from stream #{} ({} of {} packets rejected{}): corrupt or "
                            "truncated file",
                            media_path.string(), si, result.decode_errors, packets,
                            read_error ? ", read error: " + av_error_text(read_error) : ""));
        throw error(errc::input_empty_audio,
                    fmt::format("{}: audio stream #{} has no samples{}", media_path.string(), si,
                                start_s > 0 ? fmt::format(" after {:.3f} s", start_s) : ""));
    }
    if (truncated) {
        throw error(errc::input_corrupt,
                    fmt::format("{} is truncated or corrupt: its audio ends at {:.3f} s but the file says {:.3f} s{}",
                                media_path.string(), reached, declared,
                                read_error ? " (read error: " + av_error_text(read_error) + ")" : ""));
    }
    if (packets > 20 && result.decode_errors * 20 > packets)
        throw error(errc::input_corrupt, fmt::format("{}: {} of {} audio packets could not be decoded: corrupt file",
                                                     media_path.string(), result.decode_errors, packets));
    wav.finish();
    result.samples = static_cast<std::int64_t>(wav.samples());
    result.dialogue = rs.from_centre() ? "centre" : rs.channels() > 1 ? "mix" : "mono";
    result.channels = rs.channels();
    result.channel_names = rs.channel_names();
    if (levels) {
        levels->finish();
        result.level_frames = static_cast<std::int64_t>(levels->frames());
    }
    result.start = start_s;
    result.end = start_s + static_cast<double>(written) / output_sample_rate;
    if (o.progress) o.progress(1.0);
    return result;
}

}  // namespace cinesub::media
