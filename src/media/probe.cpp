// probe(): container + stream facts without decoding; validate_range(); JSON of the facts.
#include "cinesub/error.hpp"
#include "media/libav.hpp"
#include "media/media.hpp"
#include "util/fs.hpp"
#include "util/path_json.hpp"
#include "util/text.hpp"

extern "C" {
#include <libavutil/channel_layout.h>
}

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <vector>

#include <array>
#include <cerrno>
#include <cmath>

namespace cinesub::media {

namespace fs = std::filesystem;

namespace detail {

std::string av_error_text(int code) {
    std::array<char, AV_ERROR_MAX_STRING_SIZE> buf{};
    av_strerror(code, buf.data(), buf.size());
    return buf.data();
}

frame_ptr make_frame() {
    frame_ptr f(av_frame_alloc());
    if (!f) throw error(errc::internal, "out of memory (av_frame_alloc)");
    return f;
}

packet_ptr make_packet() {
    packet_ptr p(av_packet_alloc());
    if (!p) throw error(errc::internal, "out of memory (av_packet_alloc)");
    return p;
}

// FFmpeg's own messages ("File ended prematurely"…) go to the debug log, not to the terminal: the
// user gets one clear line from the error we throw.
extern "C" void log_to_spdlog(void* avcl, int level, const char* fmt_text, va_list args) {
    if (level > AV_LOG_WARNING) return;
    std::array<char, 1024> line{};
    int prefix = 1;
    av_log_format_line2(avcl, level, fmt_text, args, line.data(), static_cast<int>(line.size()), &prefix);
    std::string_view text(line.data());
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    if (!text.empty()) spdlog::debug("ffmpeg: {}", text);
}

// The container FFmpeg recognises from the file's first bytes (nullptr when none does): tells a
// damaged film (e.g. an MP4 cut before its index) from a file that is not media at all.
const char* recognised_format(const std::filesystem::path& path) {
    std::vector<unsigned char> head(4096 + AVPROBE_PADDING_SIZE, 0);
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return nullptr;
    const std::size_t n = std::fread(head.data(), 1, 4096, f);
    std::fclose(f);
    AVProbeData pd{};
    pd.filename = path.c_str();
    pd.buf = head.data();
    pd.buf_size = static_cast<int>(n);
    int score = 0;
    const AVInputFormat* fmt = av_probe_input_format2(&pd, 1, &score);
    return fmt && score >= AVPROBE_SCORE_MAX / 2 ? (fmt->long_name ? fmt->long_name : fmt->name) : nullptr;
}

input_ptr open_input(const std::filesystem::path& path) {
    util::require_readable_file(path, "media file");
    if (std::filesystem::file_size(path) == 0)
        throw error(errc::input_not_media, fmt::format("{} is empty (0 bytes), not a media file", path.string()));
    static std::once_flag once;
    std::call_once(once, [] { av_log_set_callback(log_to_spdlog); });
    AVFormatContext* raw = nullptr;
    int rc = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
    if (rc < 0) {
        if (rc == AVERROR(EACCES) || rc == AVERROR(EPERM))
            throw error(errc::input_unreadable, fmt::format("cannot read {}: {}", path.string(), av_error_text(rc)));
        if (rc == AVERROR(EIO))
            throw error(errc::input_corrupt, fmt::format("cannot read {}: {}", path.string(), av_error_text(rc)));
        if (const char* kind = recognised_format(path))
            throw error(errc::input_corrupt,
                        fmt::format("{} looks like {} but cannot be opened ({}): truncated or corrupt", path.string(),
                                    kind, av_error_text(rc)));
        throw error(errc::input_not_media,
                    fmt::format("{} is not a media file FFmpeg can read ({})", path.string(), av_error_text(rc)));
    }
    input_ptr ctx(raw);
    rc = avformat_find_stream_info(ctx.get(), nullptr);
    if (rc < 0)
        throw error(errc::input_corrupt, fmt::format("{}: cannot read stream parameters ({}): corrupt or truncated?",
                                                     path.string(), av_error_text(rc)));
    if (ctx->nb_streams == 0)
        throw error(errc::input_not_media, fmt::format("{} has no audio or video streams", path.string()));
    return ctx;
}

}  // namespace detail

namespace {

std::string tag(const AVDictionary* dict, const char* key) {
    const AVDictionaryEntry* e = av_dict_get(dict, key, nullptr, 0);
    return e && e->value ? e->value : "";
}

std::string type_name(AVMediaType t) {
    switch (t) {
        case AVMEDIA_TYPE_AUDIO:
            return "audio";
        case AVMEDIA_TYPE_VIDEO:
            return "video";
        case AVMEDIA_TYPE_SUBTITLE:
            return "subtitle";
        case AVMEDIA_TYPE_DATA:
            return "data";
        case AVMEDIA_TYPE_ATTACHMENT:
            return "attachment";
        default:
            return "unknown";
    }
}

}  // namespace

const stream_info* media_info::stream(int index) const {
    for (const auto& s : streams)
        if (s.index == index) return &s;
    return nullptr;
}

media_info detail::describe(AVFormatContext* ctx, const fs::path& path) {
    media_info info;
    info.path = path.string();
    info.format = ctx->iformat->name ? ctx->iformat->name : "";
    info.format_long = ctx->iformat->long_name ? ctx->iformat->long_name : "";
    info.duration = ctx->duration > 0 ? util::round_ms(static_cast<double>(ctx->duration) / AV_TIME_BASE) : 0.0;
    info.start_time = ctx->start_time != AV_NOPTS_VALUE ? static_cast<double>(ctx->start_time) / AV_TIME_BASE : 0.0;
    info.bit_rate = ctx->bit_rate;
    for (unsigned i = 0; i < ctx->nb_streams; ++i) {
        const AVStream* st = ctx->streams[i];
        const AVCodecParameters* par = st->codecpar;
        stream_info s;
        s.index = static_cast<int>(i);
        s.type = type_name(par->codec_type);
        s.codec = avcodec_get_name(par->codec_id);
        s.language = tag(st->metadata, "language");
        s.title = tag(st->metadata, "title");
        s.is_default = (st->disposition & AV_DISPOSITION_DEFAULT) != 0;
        s.attached_pic = (st->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0;
        if (st->duration > 0 && st->duration != AV_NOPTS_VALUE)
            s.duration = util::round_ms(detail::seconds(st->duration, st->time_base));
        if (par->codec_type == AVMEDIA_TYPE_AUDIO) {
            s.sample_rate = par->sample_rate;
            s.channels = par->ch_layout.nb_channels;
            std::array<char, 128> layout{};
            if (av_channel_layout_describe(&par->ch_layout, layout.data(), layout.size()) > 0)
                s.channel_layout = layout.data();
        } else if (par->codec_type == AVMEDIA_TYPE_VIDEO) {
            s.width = par->width;
            s.height = par->height;
            AVRational r =
                st->avg_frame_rate.num > 0 && st->avg_frame_rate.den > 0 ? st->avg_frame_rate : st->r_frame_rate;
            if (r.num > 0 && r.den > 0) s.fps = std::round(av_q2d(r) * 1000.0) / 1000.0;
        }
        info.streams.push_back(std::move(s));
    }
    info.best_audio = av_find_best_stream(ctx, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (info.best_audio < 0) info.best_audio = -1;
    info.best_video = av_find_best_stream(ctx, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (info.best_video >= 0 && info.streams[static_cast<std::size_t>(info.best_video)].attached_pic) {
        info.best_video = -1;
        for (const auto& s : info.streams)
            if (s.type == "video" && !s.attached_pic) {
                info.best_video = s.index;
                break;
            }
    }
    if (info.best_video < 0) info.best_video = -1;
    if (info.best_video >= 0) info.fps = info.streams[static_cast<std::size_t>(info.best_video)].fps;
    return info;
}

media_info probe(const fs::path& path) {
    auto ctx = detail::open_input(path);
    return detail::describe(ctx.get(), path);
}

void validate_range(const media_info& info, const clip_range& range) {
    if (info.best_audio < 0)
        throw error(errc::input_no_audio, fmt::format("{} has no audio stream (nothing to transcribe)", info.path));
    const stream_info* audio = info.stream(info.best_audio);
    const bool audio_empty = audio && (audio->sample_rate <= 0 || audio->channels <= 0);
    if (audio_empty || (info.duration <= 0 && audio && audio->duration <= 0 && info.format == "wav"))
        throw error(errc::input_empty_audio, fmt::format("{}: the audio stream is empty (0 samples)", info.path));
    if (!std::isfinite(range.start) || range.start < 0)
        throw error(errc::range_invalid, fmt::format("clip start {} is negative", range.start));
    if (range.end) {
        if (!std::isfinite(*range.end)) throw error(errc::range_invalid, "clip end is not a number");
        if (range.start >= *range.end)
            throw error(errc::range_invalid,
                        fmt::format("clip start {:.3f} s is not before clip end {:.3f} s", range.start, *range.end));
    }
    if (info.duration > 0) {
        constexpr double slack = 0.05;  // container durations are rounded to ms or to a frame
        if (range.start >= info.duration)
            throw error(errc::range_outside, fmt::format("clip start {:.3f} s is at or after the end of {} ({:.3f} s)",
                                                         range.start, info.path, info.duration));
        if (range.end && *range.end > info.duration + slack)
            throw error(errc::range_outside, fmt::format("clip end {:.3f} s is after the end of {} ({:.3f} s)",
                                                         *range.end, info.path, info.duration));
    }
}

// ---------------------------------------------------------------------------------------------
// JSON

void to_json(nlohmann::json& j, const stream_info& s) {
    j = nlohmann::json{{"index", s.index},
                       {"type", s.type},
                       {"codec", s.codec},
                       {"language", util::display_text(s.language)},
                       {"title", util::display_text(s.title)},
                       {"duration", s.duration},
                       {"default", s.is_default}};
    if (s.type == "audio") {
        j["sample_rate"] = s.sample_rate;
        j["channels"] = s.channels;
        j["channel_layout"] = s.channel_layout;
    } else if (s.type == "video") {
        j["fps"] = s.fps;
        j["width"] = s.width;
        j["height"] = s.height;
        if (s.attached_pic) j["attached_pic"] = true;
    }
}

void from_json(const nlohmann::json& j, stream_info& s) {
    s.index = j.at("index").get<int>();
    s.type = j.at("type").get<std::string>();
    s.codec = j.value("codec", "");
    s.language = j.value("language", "");
    s.title = j.value("title", "");
    s.duration = j.value("duration", 0.0);
    s.is_default = j.value("default", false);
    s.sample_rate = j.value("sample_rate", 0);
    s.channels = j.value("channels", 0);
    s.channel_layout = j.value("channel_layout", "");
    s.fps = j.value("fps", 0.0);
    s.width = j.value("width", 0);
    s.height = j.value("height", 0);
    s.attached_pic = j.value("attached_pic", false);
}

void to_json(nlohmann::json& j, const media_info& m) {
    j = nlohmann::json{{"path", util::path_to_json(m.path)},
                       {"format", m.format},
                       {"format_long", m.format_long},
                       {"duration", m.duration},
                       {"start_time", m.start_time},
                       {"bit_rate", m.bit_rate},
                       {"best_audio", m.best_audio},
                       {"best_video", m.best_video},
                       {"fps", m.fps},
                       {"streams", m.streams}};
}

void from_json(const nlohmann::json& j, media_info& m) {
    m.path = j.contains("path") ? util::path_from_json(j["path"]).native() : std::string{};
    m.format = j.value("format", "");
    m.format_long = j.value("format_long", "");
    m.duration = j.value("duration", 0.0);
    m.start_time = j.value("start_time", 0.0);
    m.bit_rate = j.value("bit_rate", std::int64_t{0});
    m.best_audio = j.value("best_audio", -1);
    m.best_video = j.value("best_video", -1);
    m.fps = j.value("fps", 0.0);
    m.streams = j.value("streams", std::vector<stream_info>{});
}

}  // namespace cinesub::media
