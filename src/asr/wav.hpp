// A small WAV reader for the ASR and VAD stages (demux writes audio.wav as 16 kHz mono float32).
// Private to src/asr and src/vad until the media layer offers its own audio reader.
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <vector>

namespace cinesub::asr {

// Samples of a 16 kHz WAV file (PCM 16/24/32-bit or IEEE float 32/64-bit, plain or
// WAVE_FORMAT_EXTENSIBLE), channels averaged to mono. Throws error(input_missing/input_unreadable)
// for a missing file, error(input_corrupt) for a file that is not such a WAV (other sample rates
// included). A WAV with no samples gives an empty vector.
std::vector<float> read_wav_16k_mono(const std::filesystem::path& path);

// The audio of a stage: demux's audio.wav (16 kHz mono float32, data 4-byte aligned) memory-mapped,
// so samples() is a view of the file, not a copy, and release() gives the pages of a stretch already
// read back to the kernel (madvise MADV_DONTNEED: they leave the process's resident memory and stay in
// the page cache), which keeps a stage's peak RSS flat however long the film. Any other WAV (another
// sample format, stereo, an unaligned data chunk such as cinesub 0.1.0's) is read whole with
// read_wav_16k_mono, and release() does nothing. Errors as read_wav_16k_mono's.
class audio_file {
public:
    explicit audio_file(const std::filesystem::path& path);
    ~audio_file();
    audio_file(const audio_file&) = delete;
    audio_file& operator=(const audio_file&) = delete;

    std::span<const float> samples() const noexcept { return view_; }
    bool mapped() const noexcept { return map_ != nullptr; }
    // Done with these samples (a sub-span of samples()): whole pages inside [page of its first
    // sample, page of its end) are dropped. Safe from any thread, at any time: a later read of a
    // dropped page reads it again from the file.
    void release(std::span<const float> done) const noexcept;

private:
    struct mapping;
    std::unique_ptr<mapping> map_;
    std::vector<float> owned_;
    std::span<const float> view_;
};

}  // namespace cinesub::asr
