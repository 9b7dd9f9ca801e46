// mux(): stream copy of the source's video/audio plus one subtitle stream per SRT/VTT file (in MKV,
// an ASS file becomes an ASS stream: its header as CodecPrivate, one block per Dialogue line), and
// the requested attachments (fonts) in MKV.
//
// Clip range (when the job has one): stream copy can only start a video at a keyframe, so the output
// starts at the last keyframe K at or before range.start, every timestamp is shifted by −K so the
// output starts at 0, audio/other packets before K are dropped, everything stops at range.end, and
// subtitle times (which count from range.start, like audio.wav) are moved by (range.start − K). The
// viewer sees up to one GOP of lead-in before the clip with no subtitles; cue times stay exact.
//
// Reproducible: the same inputs and settings give the same bytes. The writer runs in FFmpeg's
// bitexact mode (Matroska: no random SegmentUID, track UIDs 1…n, "Lavf" as muxing/writing app;
// both: no libavformat version as "encoder"), and nothing here adds a date: a Matroska DateUTC or
// MP4 creation time comes only from the source's own creation_time tag. Subtitle packets are
// built here, not by an encoder, so no codec context needs AV_CODEC_FLAG_BITEXACT.
#include "cinesub/error.hpp"
#include "media/libav.hpp"
#include "media/media.hpp"
#include "subtitles/readers.hpp"
#include "util/fs.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace cinesub {
namespace media {

namespace fs = std::filesystem;

namespace {

using detail::av_error_text;
using detail::describe;
using detail::make_packet;
using detail::open_input;
using detail::output_ptr;
using detail::seconds;

// The tx3g sample description FFmpeg's own mov_text encoder writes (centred, bottom, white Serif).
constexpr unsigned char mov_text_sample_entry[] = {
    0x00, 0x00, 0x00, 0x00,                          // displayFlags
    0x01,                                            // horizontal-justification: centre
    0xFF,                                            // vertical-justification: bottom
    0x00, 0x00, 0x00, 0x00,                          // background-color-rgba
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // BoxRecord
    0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x12,  // StyleRecord: chars 0–0, font 1, plain, size 18
    0xFF, 0xFF, 0xFF, 0xFF,                          //   text colour
    0x00, 0x00, 0x00, 0x12, 'f',  't',  'a',  'b',   // FontTableBox
    0x00, 0x01, 0x00, 0x01, 0x05, 'S',  'e',  'r',  'i', 'f'};

// Removes markup: all tags for mov_text; for SubRip keeps <i> <b> <u> (and their closers).
std::string clean_text(const std::string& text, bool keep_basic_tags) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '<') {
            auto close = text.find('>', i);
            if (close != std::string::npos) {
                const std::string tag = util::lower_ascii(std::string_view(text).substr(i + 1, close - i - 1));
                const bool basic = tag == "i" || tag == "b" || tag == "u" || tag == "/i" || tag == "/b" || tag == "/u";
                if (keep_basic_tags && basic) out += text.substr(i, close - i + 1);
                i = close + 1;
                continue;
            }
        }
        if (text.compare(i, 5, "&amp;") == 0) {
            out += '&';
            i += 5;
        } else if (text.compare(i, 4, "&lt;") == 0) {
            out += '<';
            i += 4;
        } else if (text.compare(i, 4, "&gt;") == 0) {
            out += '>';
            i += 4;
        } else if (text.compare(i, 6, "&nbsp;") == 0) {
            out += "\xC2\xA0";
            i += 6;
        } else {
            out += text[i++];
        }
    }
    return out;
}

std::string format_of(const mux_request& r) {
    std::string f = r.format;
    if (f.empty()) {
        const auto ext = util::lower_ascii(r.output.extension().string());
        f = (ext == ".mp4" || ext == ".m4v" || ext == ".mov") ? "mp4" : "mkv";
    }
    if (f != "mkv" && f != "mp4") throw error(errc::usage, fmt::format("unknown mux format '{}' (mkv, mp4)", f));
    return f;
}

// Removes the temporary output unless released.
class temp_guard {
public:
    explicit temp_guard(fs::path p) : path_(std::move(p)) {}
    ~temp_guard() {
        if (!path_.empty()) {
            std::error_code ec;
            fs::remove(path_, ec);
        }
    }
    temp_guard(const temp_guard&) = delete;
    temp_guard& operator=(const temp_guard&) = delete;
    void release() { path_.clear(); }

private:
    fs::path path_;
};

[[noreturn]] void write_failed(const fs::path& out, int rc) {
    throw error(errc::io, fmt::format("writing {} failed: {}", out.string(), av_error_text(rc)));
}

// A cue as its file has it: file-clock seconds, text with its inline markup (clean_text() picks what stays).
struct source_cue {
    double start, end;
    std::string text;
};

// One track's cues in start order, from the strict reader: a bad timing line fails the mux.
std::vector<source_cue> read_track(const fs::path& file) {
    auto f = subs::read_cues_strict(file);
    std::vector<source_cue> out;
    out.reserve(f.cues.size());
    for (std::size_t k = 0; k < f.cues.size(); ++k)
        out.push_back({f.cues[k].start, f.cues[k].end, std::move(f.raw[k])});
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
    return out;
}

bool is_ass(const fs::path& file) {
    const auto ext = util::lower_ascii(file.extension().string());
    return ext == ".ass" || ext == ".ssa";
}

// A subtitle track read for muxing: its cues, and for an ASS track in MKV its header (the cues'
// text is then the Matroska ASS packet, written as is).
struct track_input {
    std::vector<source_cue> cues;
    std::optional<std::string> ass_header;
};

track_input read_input(const fs::path& file, bool ass_allowed) {
    track_input in;
    if (ass_allowed && is_ass(file)) {
        auto t = subs::read_ass_track(file);
        in.ass_header = std::move(t.header);
        for (auto& e : t.events) in.cues.push_back({e.start, e.end, std::move(e.fields)});
        std::stable_sort(in.cues.begin(), in.cues.end(),
                         [](const auto& a, const auto& b) { return a.start < b.start; });
    } else {
        in.cues = read_track(file);
    }
    return in;
}

// A copy of `bytes` FFmpeg owns (padded), for extradata.
std::uint8_t* av_copy_of(std::string_view bytes) {
    auto* data = static_cast<std::uint8_t*>(av_mallocz(bytes.size() + AV_INPUT_BUFFER_PADDING_SIZE));
    if (!data) throw error(errc::internal, "out of memory");
    std::memcpy(data, bytes.data(), bytes.size());
    return data;
}

struct pending_cue {
    double start, end;  // output seconds
    int stream;         // output stream index
    std::string text;
};

}  // namespace

}  // namespace media

mux_result mux(const mux_request& r) {
    using namespace media;  // NOLINT(google-build-using-namespace): the media layer this function is part of
    const std::string format = format_of(r);
    if (r.output.empty()) throw error(errc::usage, "mux: no output file given");
    {
        std::error_code ec;
        if (fs::exists(r.output, ec) && fs::equivalent(r.output, r.media, ec))
            throw error(errc::usage, fmt::format("mux: the output {} is the input file", r.output.string()));
    }

    // Read every subtitle file and attachment first: a bad one fails before any output exists.
    std::vector<track_input> inputs;
    for (const auto& t : r.tracks) inputs.push_back(read_input(t.file, format == "mkv"));
    std::vector<std::pair<std::string, std::string>> attachments;  // file name, bytes
    if (format == "mkv")
        for (const auto& a : r.attachments) attachments.emplace_back(a.filename().string(), util::read_file(a));

    auto ic = open_input(r.media);
    const media_info info = describe(ic.get(), r.media);
    const std::int64_t origin = ic->start_time != AV_NOPTS_VALUE ? ic->start_time : 0;
    const double origin_s = static_cast<double>(origin) / AV_TIME_BASE;

    if (r.range) {
        clip_range range = *r.range;
        if (range.start < 0 || (range.end && range.start >= *range.end))
            throw error(errc::range_invalid, fmt::format("clip start {:.3f} s is not before clip end {:.3f} s",
                                                         range.start, range.end.value_or(0.0)));
        if (info.duration > 0 && (range.start >= info.duration || (range.end && *range.end > info.duration + 0.05)))
            throw error(errc::range_outside,
                        fmt::format("clip {:.3f}–{:.3f} s is outside {} ({:.3f} s)", range.start,
                                    range.end.value_or(info.duration), r.media.string(), info.duration));
    }

    // Output to a temporary in the destination folder, renamed at the end.
    fs::path out_dir = r.output.parent_path().empty() ? fs::path(".") : r.output.parent_path();
    {
        std::error_code ec;
        fs::create_directories(out_dir, ec);
        if (ec) throw error(errc::io, fmt::format("cannot create folder {}: {}", out_dir.string(), ec.message()));
    }
    std::mt19937_64 rng{std::random_device{}()};
    const fs::path temp =
        out_dir / fmt::format(".{}.tmp.{:012x}", r.output.filename().string(), rng() & 0xffffffffffffULL);

    AVFormatContext* raw = nullptr;
    int rc = avformat_alloc_output_context2(&raw, nullptr, format == "mkv" ? "matroska" : "mp4", temp.c_str());
    if (rc < 0 || !raw)
        throw error(errc::internal, fmt::format("cannot set up the {} writer: {}", format, av_error_text(rc)));
    output_ptr oc(raw);
    oc->flags |= AVFMT_FLAG_BITEXACT;

    mux_result result;
    std::vector<int> map(ic->nb_streams, -1);
    const bool have_our_default =
        std::any_of(r.tracks.begin(), r.tracks.end(), [](const auto& t) { return t.is_default; });
    int anchor = -1;  // input stream whose keyframes decide the cut
    for (unsigned i = 0; i < ic->nb_streams; ++i) {
        AVStream* ist = ic->streams[i];
        const AVCodecParameters* par = ist->codecpar;
        const auto type = par->codec_type;
        const int idx = static_cast<int>(i);
        const char* codec_name = avcodec_get_name(par->codec_id);
        const bool attachment = type == AVMEDIA_TYPE_ATTACHMENT && format == "mkv";  // fonts for styled subtitles
        if (type != AVMEDIA_TYPE_VIDEO && type != AVMEDIA_TYPE_AUDIO && type != AVMEDIA_TYPE_SUBTITLE && !attachment) {
            result.skipped.push_back(fmt::format("stream #{} ({}): not audio/video/subtitle", idx, codec_name));
            continue;
        }
        if (type == AVMEDIA_TYPE_VIDEO && (ist->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
            result.skipped.push_back(fmt::format("stream #{} ({}): cover art", idx, codec_name));
            continue;
        }
        if (!attachment && avformat_query_codec(oc->oformat, par->codec_id, FF_COMPLIANCE_NORMAL) != 1) {
            if (idx == info.best_video || idx == info.best_audio)
                throw error(
                    errc::usage,
                    fmt::format("{} cannot hold the {} {} of {} without re-encoding; use the mkv format instead",
                                format, codec_name, type == AVMEDIA_TYPE_VIDEO ? "video" : "audio", r.media.string()));
            result.skipped.push_back(fmt::format("stream #{} ({}): {} cannot hold it", idx, codec_name, format));
            continue;
        }
        AVStream* ost = avformat_new_stream(oc.get(), nullptr);
        if (!ost) throw error(errc::internal, "out of memory (avformat_new_stream)");
        if ((rc = avcodec_parameters_copy(ost->codecpar, par)) < 0)
            throw error(errc::internal, fmt::format("avcodec_parameters_copy: {}", av_error_text(rc)));
        ost->codecpar->codec_tag = 0;
        ost->time_base = ist->time_base;
        ost->avg_frame_rate = ist->avg_frame_rate;
        ost->r_frame_rate = ist->r_frame_rate;
        ost->sample_aspect_ratio = ist->sample_aspect_ratio;
        av_dict_copy(&ost->metadata, ist->metadata, 0);
        av_dict_set(&ost->metadata, "DURATION", nullptr, 0);  // Matroska's per-stream tag: stale after a cut
        ost->disposition = ist->disposition;
        if (type == AVMEDIA_TYPE_SUBTITLE && have_our_default) ost->disposition &= ~AV_DISPOSITION_DEFAULT;
        if (!attachment) map[i] = ost->index;  // attachments have no packets: written with the header
        if (idx == info.best_video) anchor = idx;
    }
    if (anchor < 0 && info.best_audio >= 0 && map[static_cast<std::size_t>(info.best_audio)] >= 0)
        anchor = info.best_audio;
    if (anchor < 0)
        throw error(errc::input_not_media, fmt::format("{} has no video or audio stream to mux", r.media.string()));

    // Subtitle streams.
    std::vector<int> sub_index;
    for (std::size_t t = 0; t < r.tracks.size(); ++t) {
        const auto& track = r.tracks[t];
        AVStream* ost = avformat_new_stream(oc.get(), nullptr);
        if (!ost) throw error(errc::internal, "out of memory (avformat_new_stream)");
        ost->codecpar->codec_type = AVMEDIA_TYPE_SUBTITLE;
        ost->codecpar->codec_id = format == "mkv" ? AV_CODEC_ID_SUBRIP : AV_CODEC_ID_MOV_TEXT;
        ost->time_base = AVRational{1, 1000};
        if (const auto& header = inputs[t].ass_header) {
            ost->codecpar->codec_id = AV_CODEC_ID_ASS;
            ost->codecpar->extradata = av_copy_of(*header);  // owned (and freed) by the stream
            ost->codecpar->extradata_size = static_cast<int>(header->size());
        }
        if (format == "mp4") {
            const std::string_view entry(reinterpret_cast<const char*>(mov_text_sample_entry),
                                         sizeof mov_text_sample_entry);
            ost->codecpar->extradata = av_copy_of(entry);  // owned (and freed) by the stream
            ost->codecpar->extradata_size = static_cast<int>(entry.size());
        }
        const auto lang = language_from_code(track.language);
        av_dict_set(&ost->metadata, "language", lang.iso639_2.c_str(), 0);
        const std::string title = track.title.empty() ? lang.name : track.title;
        av_dict_set(&ost->metadata, "title", title.c_str(), 0);
        if (format == "mp4") av_dict_set(&ost->metadata, "handler_name", title.c_str(), 0);
        ost->disposition = track.is_default ? AV_DISPOSITION_DEFAULT : 0;
        sub_index.push_back(ost->index);
    }

    // Attachments (fonts), after the source's own; a file name the source already has is kept once.
    for (const auto& a : r.attachments)
        if (format != "mkv") result.skipped.push_back(fmt::format("attachment {}: mp4 cannot hold it", a.string()));
    for (const auto& [name, bytes] : attachments) {
        bool present = false;
        for (unsigned i = 0; i < oc->nb_streams; ++i) {
            const auto* tag = av_dict_get(oc->streams[i]->metadata, "filename", nullptr, 0);
            present = present || (oc->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_ATTACHMENT && tag &&
                                  util::lower_ascii(tag->value) == util::lower_ascii(name));
        }
        if (present) continue;
        AVStream* ast = avformat_new_stream(oc.get(), nullptr);
        if (!ast) throw error(errc::internal, "out of memory (avformat_new_stream)");
        const bool otf = util::lower_ascii(fs::path(name).extension().string()) == ".otf";
        ast->codecpar->codec_type = AVMEDIA_TYPE_ATTACHMENT;
        ast->codecpar->codec_id = otf ? AV_CODEC_ID_OTF : AV_CODEC_ID_TTF;
        ast->codecpar->extradata = av_copy_of(bytes);
        ast->codecpar->extradata_size = static_cast<int>(bytes.size());
        av_dict_set(&ast->metadata, "filename", name.c_str(), 0);
        av_dict_set(&ast->metadata, "mimetype", otf ? "application/vnd.ms-opentype" : "application/x-truetype-font", 0);
    }

    av_dict_copy(&oc->metadata, ic->metadata, 0);
    av_dict_set(&oc->metadata, "DURATION", nullptr, 0);
    av_dict_set(&oc->metadata, "encoder", nullptr, 0);

    // Where the output starts (input time base of AV_TIME_BASE, container clock) and ends.
    std::int64_t shift = 0;  // subtracted from every input timestamp (AV_TIME_BASE units)
    double end_media = std::numeric_limits<double>::infinity();  // media seconds
    auto pkt = make_packet();
    AVStream* anchor_st = ic->streams[anchor];
    if (r.range) {
        const std::int64_t target = origin + static_cast<std::int64_t>(r.range->start * AV_TIME_BASE);
        if (r.range->end) end_media = *r.range->end;
        auto seek = [&] {
            if (r.range->start > 0 && av_seek_frame(ic.get(), -1, target, AVSEEK_FLAG_BACKWARD) < 0)
                av_seek_frame(ic.get(), -1, origin, AVSEEK_FLAG_BACKWARD);
        };
        seek();
        shift = origin;
        const bool need_key = anchor_st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO;
        std::int64_t first_key = AV_NOPTS_VALUE, last_key_before = AV_NOPTS_VALUE;
        while (av_read_frame(ic.get(), pkt.get()) >= 0) {
            const bool ok = pkt->stream_index == anchor && pkt->pts != AV_NOPTS_VALUE &&
                            (!need_key || (pkt->flags & AV_PKT_FLAG_KEY));
            std::int64_t ts = ok ? av_rescale_q(pkt->pts, anchor_st->time_base, AV_TIME_BASE_Q) : 0;
            av_packet_unref(pkt.get());
            if (!ok) continue;
            if (first_key == AV_NOPTS_VALUE) first_key = ts;
            if (ts > target) break;
            last_key_before = ts;  // seeking may land earlier than needed: keep the latest key ≤ start
            if (!need_key) break;
        }
        const std::int64_t key = last_key_before != AV_NOPTS_VALUE ? last_key_before : first_key;
        if (key != AV_NOPTS_VALUE) shift = key;
        result.cut_start = static_cast<double>(shift - origin) / AV_TIME_BASE;
        // Back to the same place for the copy.
        if (av_seek_frame(ic.get(), -1, shift, AVSEEK_FLAG_BACKWARD) < 0)
            av_seek_frame(ic.get(), -1, origin, AVSEEK_FLAG_BACKWARD);
    }
    // Chapters (films from discs have them), moved with the cut and kept inside the clip.
    {
        const double clip_end = std::isfinite(end_media)
                                    ? end_media - static_cast<double>(shift - origin) / AV_TIME_BASE
                                    : std::numeric_limits<double>::infinity();
        for (unsigned i = 0; i < ic->nb_chapters; ++i) {
            const AVChapter* in_ch = ic->chapters[i];
            const double from = seconds(in_ch->start, in_ch->time_base) - static_cast<double>(shift) / AV_TIME_BASE;
            const double to = seconds(in_ch->end, in_ch->time_base) - static_cast<double>(shift) / AV_TIME_BASE;
            if (to <= 0 || from >= clip_end) continue;
            auto** grown = static_cast<AVChapter**>(
                av_realloc_array(oc->chapters, static_cast<std::size_t>(oc->nb_chapters) + 1, sizeof(AVChapter*)));
            if (!grown) throw error(errc::internal, "out of memory (chapters)");
            oc->chapters = grown;
            auto* ch = static_cast<AVChapter*>(av_mallocz(sizeof(AVChapter)));
            if (!ch) throw error(errc::internal, "out of memory (chapters)");
            oc->chapters[oc->nb_chapters++] = ch;  // freed with the context
            ch->id = in_ch->id;
            ch->time_base = AVRational{1, 1000};
            ch->start = std::llround(std::max(0.0, from) * 1000);
            ch->end = std::llround(std::min(to, clip_end) * 1000);
            av_dict_copy(&ch->metadata, in_ch->metadata, 0);
        }
    }

    temp_guard guard(temp);
    if (!(oc->oformat->flags & AVFMT_NOFILE)) {
        rc = avio_open(&oc->pb, temp.c_str(), AVIO_FLAG_WRITE);
        if (rc < 0) throw error(errc::io, fmt::format("cannot create {}: {}", temp.string(), av_error_text(rc)));
    }
    AVDictionary* opts = nullptr;
    if (format == "mp4") av_dict_set(&opts, "movflags", "+faststart", 0);
    rc = avformat_write_header(oc.get(), &opts);
    av_dict_free(&opts);
    if (rc < 0) {
        if (rc == AVERROR(ENOSPC) || rc == AVERROR(EFBIG) || rc == AVERROR(EIO)) write_failed(r.output, rc);
        throw error(errc::usage, fmt::format("cannot write a {} with these streams: {}", format, av_error_text(rc)));
    }

    const double shift_media = static_cast<double>(shift - origin) / AV_TIME_BASE;  // media seconds at output 0
    const double out_end = end_media - shift_media;                                 // output seconds
    // Cue times (file clock) → output seconds.
    const double clip_start = r.range ? r.range->start : 0.0;
    const double cue_offset = (r.range && r.clock == subtitle_clock::clip ? clip_start : 0.0) - shift_media;
    result.subtitle_shift = cue_offset;

    std::vector<pending_cue> cues;
    for (std::size_t t = 0; t < inputs.size(); ++t)
        for (const auto& c : inputs[t].cues) {
            double s = c.start + cue_offset, e = c.end + cue_offset;
            if (r.range) {
                const double clip_from = clip_start - shift_media;  // subtitles show only inside the clip
                s = std::max(s, clip_from);
                e = std::min(e, out_end);
            }
            if (e <= s || s < 0) continue;
            std::string text = inputs[t].ass_header ? c.text : clean_text(c.text, format == "mkv");
            if (text.empty()) continue;
            cues.push_back({s, e, sub_index[t], std::move(text)});
        }
    std::stable_sort(cues.begin(), cues.end(), [](const auto& a, const auto& b) { return a.start < b.start; });

    std::size_t next_cue = 0;
    auto write_cues_until = [&](double t_out) {
        for (; next_cue < cues.size() && cues[next_cue].start <= t_out; ++next_cue) {
            const auto& c = cues[next_cue];
            AVStream* ost = oc->streams[c.stream];
            auto sp = make_packet();
            std::string payload;
            if (format == "mp4") {
                const auto n = std::min<std::size_t>(c.text.size(), 0xFFFF);
                payload.push_back(static_cast<char>((n >> 8) & 0xFF));
                payload.push_back(static_cast<char>(n & 0xFF));
                payload.append(c.text, 0, n);
            } else {
                payload = c.text;
            }
            if ((rc = av_new_packet(sp.get(), static_cast<int>(payload.size()))) < 0)
                throw error(errc::internal, "out of memory (av_new_packet)");
            std::memcpy(sp->data, payload.data(), payload.size());
            const double tb = av_q2d(ost->time_base);
            sp->pts = sp->dts = std::llround(c.start / tb);
            sp->duration = std::max<std::int64_t>(1, std::llround((c.end - c.start) / tb));
            sp->stream_index = c.stream;
            sp->flags |= AV_PKT_FLAG_KEY;
            if ((rc = av_interleaved_write_frame(oc.get(), sp.get())) < 0) write_failed(r.output, rc);
            ++result.cues;
        }
    };

    // Copy.
    const double total = std::isfinite(out_end) ? out_end : (info.duration > 0 ? info.duration - shift_media : 0.0);
    std::vector<bool> finished(ic->nb_streams, false);
    std::vector<bool> started(ic->nb_streams, false);
    std::vector<std::int64_t> last_dts(ic->nb_streams, std::numeric_limits<std::int64_t>::min());
    double last_report = -1;
    for (;;) {
        if (r.should_stop && r.should_stop()) throw error(errc::interrupted, "mux interrupted");
        rc = av_read_frame(ic.get(), pkt.get());
        if (rc < 0) break;  // EOF (or a read error at the end of a damaged file: keep what was copied)
        const auto si = static_cast<std::size_t>(pkt->stream_index);
        const int out = si < map.size() ? map[si] : -1;
        if (out < 0 || finished[si]) {
            av_packet_unref(pkt.get());
            continue;
        }
        AVStream* ist = ic->streams[si];
        AVStream* ost = oc->streams[out];
        const std::int64_t ts_in = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
        const double t_media = ts_in != AV_NOPTS_VALUE ? seconds(ts_in, ist->time_base) - origin_s : -1.0;
        if (r.range) {
            const bool is_video = ist->codecpar->codec_type == AVMEDIA_TYPE_VIDEO;
            if (!started[si]) {
                // Video starts at a keyframe at/after the cut; other streams at the cut.
                const bool at_cut = ts_in != AV_NOPTS_VALUE && t_media >= shift_media - 1e-6;
                if (!at_cut || (is_video && !(pkt->flags & AV_PKT_FLAG_KEY))) {
                    av_packet_unref(pkt.get());
                    continue;
                }
                started[si] = true;
            }
            if (ts_in != AV_NOPTS_VALUE && t_media >= end_media) {
                finished[si] = true;
                av_packet_unref(pkt.get());
                if (std::all_of(map.begin(), map.end(),
                                [&, i = std::size_t{0}](int m) mutable { return m < 0 || finished[i++]; }))
                    break;
                continue;
            }
        }
        const std::int64_t delta = av_rescale_q(shift, AV_TIME_BASE_Q, ist->time_base);
        if (pkt->pts != AV_NOPTS_VALUE) pkt->pts -= delta;
        if (pkt->dts != AV_NOPTS_VALUE) pkt->dts -= delta;
        av_packet_rescale_ts(pkt.get(), ist->time_base, ost->time_base);
        // Guard against non-monotonic input timestamps that would make the muxer refuse the packet.
        if (pkt->dts != AV_NOPTS_VALUE) {
            if (pkt->dts <= last_dts[si]) {
                if (pkt->pts != AV_NOPTS_VALUE && pkt->pts < last_dts[si] + 1) pkt->pts = last_dts[si] + 1;
                pkt->dts = last_dts[si] + 1;
            }
            last_dts[si] = pkt->dts;
        }
        pkt->stream_index = out;
        pkt->pos = -1;
        const double t_out = pkt->dts != AV_NOPTS_VALUE ? seconds(pkt->dts, ost->time_base) : t_media - shift_media;
        write_cues_until(t_out);
        if ((rc = av_interleaved_write_frame(oc.get(), pkt.get())) < 0) write_failed(r.output, rc);
        if (r.progress && total > 0 && t_out - last_report > total / 100.0) {
            r.progress(std::clamp(t_out / total, 0.0, 1.0));
            last_report = t_out;
        }
    }
    write_cues_until(std::numeric_limits<double>::infinity());
    if ((rc = av_write_trailer(oc.get())) < 0) write_failed(r.output, rc);
    if (oc->pb && oc->pb->error < 0) write_failed(r.output, oc->pb->error);
    if (!(oc->oformat->flags & AVFMT_NOFILE) && (rc = avio_closep(&oc->pb)) < 0) write_failed(r.output, rc);
    result.streams = static_cast<int>(oc->nb_streams);
    oc.reset();
    ic.reset();

    // Durable, then visible under its name.
    if (int fd = ::open(temp.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
        const int sync_rc = ::fsync(fd);
        const int err = errno;
        ::close(fd);
        if (sync_rc != 0) throw error(errc::io, fmt::format("cannot sync {}: {}", temp.string(), std::strerror(err)));
    }
    std::error_code ec;
    fs::rename(temp, r.output, ec);
    if (ec)
        throw error(errc::io,
                    fmt::format("cannot rename {} to {}: {}", temp.string(), r.output.string(), ec.message()));
    guard.release();
    result.output = r.output;
    if (r.progress) r.progress(1.0);
    return result;
}

}  // namespace cinesub
