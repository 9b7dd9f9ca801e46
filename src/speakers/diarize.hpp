// Who speaks when, from the signal alone (no neural model): the VAD's speech → MFCCs (FFTW spectra,
// mel filter bank, DCT; mean and variance normalised over the film's speech) → one embedding per
// sliding window (the MFCCs' means and standard deviations over 1.5 s) → spectral clustering (cosine
// affinity with each row pruned to its nearest neighbours, the graph Laplacian's eigenvectors, k-means)
// with the speaker count from the largest eigengap within [min_speakers, max_speakers] → each speech
// frame gets the speaker of the nearest window; turns shorter than min_turn_s join a neighbour.
//
// A neural speaker embedding can replace the window embedding behind the same function later; the
// clustering and turn-making stay. Overlapped speech gets one speaker (the dominant one).
#pragma once

#include "cinesub/transcript.hpp"
#include "speakers/rttm.hpp"

#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace cinesub::speakers {

struct diarize_options {
    int min_speakers = 1;
    int max_speakers = 8;
    double window_s = 1.5;     // embedding window
    double hop_s = 0.75;       // between windows
    double min_turn_s = 0.5;   // shorter turns join the neighbour they resemble
    double prune = 0.2;        // each window keeps its affinity to this fraction of the others (its nearest)
    int max_windows = 1500;    // clustered windows at most (evenly sampled); the rest go to the nearest centroid
    double bic_penalty = 1.0;  // λ of the one-speaker test (ΔBIC of the clusters' Gaussians against one)
    // Added to the Laplacian's eigenvalues before the eigengap ratios λ(k+1) / λ(k) are compared, so an
    // affinity graph that falls apart into two pieces (λ1 ≈ 0: an infinite ratio at k = 2) does not
    // decide the count by itself.
    double eigengap_floor = 0.01;
    // Frame-level resegmentation after clustering: a Viterbi pass over the MFCC frames with one Gaussian
    // per speaker, a change of speaker costing this much log-likelihood; 0: off (turns follow windows).
    double resegment_switch = 40;
    // Stereo panning per frame, (L − R) / (L + R) of the channels' energies in [−1, 1], pan_frame_s apart
    // (from demux's levels.f32); empty: mono. When the windows' panning spreads (sd ≥ min_pan_spread:
    // speakers placed left and right), it joins each window's embedding with weight pan_weight.
    std::span<const float> pan;
    double pan_frame_s = 0.01;
    double pan_weight = 1.5;
    double min_pan_spread = 0.15;
};

struct diarization {
    std::vector<turn> turns;  // sorted by start; speakers "SPEAKER_00".. by first appearance
    int speakers = 0;
    std::vector<double> eigenvalues;       // the Laplacian's smallest, for speakers.json
    std::vector<double> speaking_seconds;  // per speaker
    int windows = 0;                       // embedding windows (all of them)
    int pruning = 0;                       // neighbours per window of the chosen affinity graph
    double mean_similarity = 0;            // silhouette on cosines of the chosen clusters
    double delta_bic = 0;                  // the one-speaker test: < 0 → one speaker
    double pan_spread = 0;                 // sd of the windows' mean panning (0 without pan)
    bool pan_used = false;                 // it was part of the embedding
};

// Stereo panning per 10 ms frame from demux's channel levels (levels.f32: `channels` float32 RMS values
// a frame): (L² − R²) / (L² + R²) of the front left and right channels, 0 in frames quieter than
// −60 dBFS. Empty when the layout has no front left and right (channel_names: "FL", "FR"…) or the
// file does not hold whole frames (error(input_corrupt)).
std::vector<float> stereo_pan(const std::filesystem::path& levels, const std::vector<std::string>& channel_names);

// `audio`: 16 kHz mono; `speech`: the VAD's segments on the same timeline. should_stop may be empty;
// polled between steps (throws error(interrupted) when it turns true). Throws error(usage) when
// min_speakers > max_speakers or either is < 1.
diarization diarize(std::span<const float> audio, const speech_map& speech, const diarize_options& o,
                    const std::function<bool()>& should_stop = {});

}  // namespace cinesub::speakers
