#include "speakers/diarize.hpp"

#include "cinesub/error.hpp"
#include "util/fft.hpp"
#include "util/fs.hpp"

#include <fmt/format.h>
#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <random>

namespace cinesub::speakers {

namespace {

constexpr int sample_rate = 16000;
constexpr int frame_len = 400;  // 25 ms
constexpr int frame_hop = 160;  // 10 ms
constexpr double frame_s = static_cast<double>(frame_hop) / sample_rate;
constexpr int n_fft = 512;
constexpr int n_bins = n_fft / 2 + 1;
constexpr int n_mels = 40;
constexpr int n_ceps = 19;  // c1..c19 (c0, the loudness, says little about who speaks)
constexpr int dims = 2 * n_ceps;

void check_stop(const std::function<bool()>& should_stop) {
    if (should_stop && should_stop()) throw error(errc::interrupted, "diarization interrupted");
}

double hz_to_mel(double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); }
double mel_to_hz(double mel) { return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0); }

// Triangular mel filters, 20–7600 Hz, over the n_bins power spectrum.
std::vector<std::array<float, n_bins>> mel_filters() {
    std::vector<std::array<float, n_bins>> f(n_mels);
    const double lo = hz_to_mel(20.0), hi = hz_to_mel(7600.0);
    std::vector<double> centre(n_mels + 2);
    for (int i = 0; i < n_mels + 2; ++i) centre[i] = mel_to_hz(lo + (hi - lo) * i / (n_mels + 1));
    for (int m = 0; m < n_mels; ++m) {
        f[m].fill(0.0f);
        for (int b = 0; b < n_bins; ++b) {
            const double hz = static_cast<double>(b) * sample_rate / n_fft;
            double w = 0;
            if (hz > centre[m] && hz <= centre[m + 1])
                w = (hz - centre[m]) / (centre[m + 1] - centre[m]);
            else if (hz > centre[m + 1] && hz < centre[m + 2])
                w = (centre[m + 2] - hz) / (centre[m + 2] - centre[m + 1]);
            f[m][b] = static_cast<float>(w);
        }
    }
    return f;
}

// MFCCs of the frames that start at `first`, `first + hop`… inside [a, b) samples.
struct mfcc_frames {
    std::vector<double> times;  // frame centres, seconds
    std::vector<std::array<float, n_ceps>> c;
};

class mfcc_maker {
public:
    mfcc_maker() : filters_(mel_filters()) {
        for (int i = 0; i < frame_len; ++i)
            window_[static_cast<std::size_t>(i)] =
                static_cast<float>(0.54 - 0.46 * std::cos(2.0 * M_PI * i / (frame_len - 1)));
        for (int k = 0; k < n_ceps; ++k)
            for (int m = 0; m < n_mels; ++m)
                dct_[static_cast<std::size_t>(k)][static_cast<std::size_t>(m)] =
                    static_cast<float>(std::cos(M_PI * (k + 1) * (m + 0.5) / n_mels));
    }

    void add(std::span<const float> audio, std::size_t a, std::size_t b, mfcc_frames& out) {
        for (std::size_t s = a; s + frame_len <= b; s += frame_hop) {
            float prev = s > 0 ? audio[s - 1] : 0.0f;
            auto in = fft_.input();
            for (std::size_t i = 0; i < static_cast<std::size_t>(frame_len); ++i) {
                const float x = audio[s + i];
                in[i] = (x - 0.97f * prev) * window_[i];
                prev = x;
            }
            std::array<float, n_bins> power{};
            fft_.compute(power);
            std::array<float, n_mels> logmel{};
            for (int m = 0; m < n_mels; ++m) {
                double e = 0;
                for (int k = 0; k < n_bins; ++k)
                    e += filters_[static_cast<std::size_t>(m)][static_cast<std::size_t>(k)] *
                         power[static_cast<std::size_t>(k)];
                logmel[static_cast<std::size_t>(m)] = static_cast<float>(std::log(e + 1e-10));
            }
            std::array<float, n_ceps> c{};
            for (int k = 0; k < n_ceps; ++k) {
                double v = 0;
                for (int m = 0; m < n_mels; ++m)
                    v += dct_[static_cast<std::size_t>(k)][static_cast<std::size_t>(m)] *
                         logmel[static_cast<std::size_t>(m)];
                c[static_cast<std::size_t>(k)] = static_cast<float>(v);
            }
            out.times.push_back((static_cast<double>(s) + frame_len / 2.0) / sample_rate);
            out.c.push_back(c);
        }
    }

private:
    std::vector<std::array<float, n_bins>> filters_;
    std::array<float, frame_len> window_{};
    std::array<std::array<float, n_mels>, n_ceps> dct_{};
    util::power_spectrum fft_{n_fft};  // frame_len samples, zero-padded (the tail stays zero)
};

struct window {
    double start = 0, end = 0, centre = 0;
    std::size_t segment = 0;
    std::size_t first = 0, last = 0;  // frames [first, last)
};

// k-means on the rows of `v` (k-means++ seeding from a fixed seed, a few restarts, the lowest inertia kept).
std::vector<int> kmeans(const Eigen::MatrixXd& v, int k, unsigned seed) {
    const auto n = static_cast<int>(v.rows());
    std::vector<int> best(static_cast<std::size_t>(n), 0);
    double best_inertia = std::numeric_limits<double>::infinity();
    std::mt19937 rng(seed);
    for (int restart = 0; restart < 5; ++restart) {
        Eigen::MatrixXd c(k, v.cols());
        std::uniform_int_distribution<int> pick(0, n - 1);
        c.row(0) = v.row(pick(rng));
        std::vector<double> d2(static_cast<std::size_t>(n));
        for (int j = 1; j < k; ++j) {
            double total = 0;
            for (int i = 0; i < n; ++i) {
                double m = std::numeric_limits<double>::infinity();
                for (int q = 0; q < j; ++q) m = std::min(m, (v.row(i) - c.row(q)).squaredNorm());
                d2[static_cast<std::size_t>(i)] = m;
                total += m;
            }
            std::uniform_real_distribution<double> u(0, total);
            double r = u(rng);
            int chosen = n - 1;
            for (int i = 0; i < n; ++i) {
                r -= d2[static_cast<std::size_t>(i)];
                if (r <= 0) {
                    chosen = i;
                    break;
                }
            }
            c.row(j) = v.row(chosen);
        }
        std::vector<int> label(static_cast<std::size_t>(n), -1);
        double inertia = 0;
        for (int iter = 0; iter < 50; ++iter) {
            bool changed = false;
            inertia = 0;
            for (int i = 0; i < n; ++i) {
                int arg = 0;
                double m = std::numeric_limits<double>::infinity();
                for (int q = 0; q < k; ++q) {
                    const double d = (v.row(i) - c.row(q)).squaredNorm();
                    if (d < m) {
                        m = d;
                        arg = q;
                    }
                }
                inertia += m;
                if (label[static_cast<std::size_t>(i)] != arg) {
                    label[static_cast<std::size_t>(i)] = arg;
                    changed = true;
                }
            }
            if (!changed) break;
            Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(k, v.cols());
            std::vector<int> count(static_cast<std::size_t>(k), 0);
            for (int i = 0; i < n; ++i) {
                sum.row(label[static_cast<std::size_t>(i)]) += v.row(i);
                ++count[static_cast<std::size_t>(label[static_cast<std::size_t>(i)])];
            }
            for (int q = 0; q < k; ++q)
                if (count[static_cast<std::size_t>(q)] > 0) c.row(q) = sum.row(q) / count[static_cast<std::size_t>(q)];
        }
        if (inertia < best_inertia) {
            best_inertia = inertia;
            best = label;
        }
    }
    return best;
}

// Unit-length centroids of the labelled rows of x (k of them).
Eigen::MatrixXd centroids(const Eigen::MatrixXd& x, const std::vector<int>& label, int k) {
    Eigen::MatrixXd c = Eigen::MatrixXd::Zero(k, x.cols());
    for (std::size_t i = 0; i < label.size(); ++i) c.row(label[i]) += x.row(static_cast<Eigen::Index>(i));
    for (int q = 0; q < k; ++q) {
        const double n = c.row(q).norm();
        if (n > 0) c.row(q) /= n;
    }
    return c;
}

// Each row of x to its most similar centroid (cosine: both unit length).
std::vector<int> nearest(const Eigen::MatrixXd& x, const Eigen::MatrixXd& c) {
    const Eigen::MatrixXd s = x * c.transpose();
    std::vector<int> out(static_cast<std::size_t>(x.rows()));
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
        Eigen::Index arg = 0;
        s.row(i).maxCoeff(&arg);
        out[static_cast<std::size_t>(i)] = static_cast<int>(arg);
    }
    return out;
}

// Mean over rows of (cosine to its own centroid − the best cosine to another): how far apart the
// clusters are (a silhouette on cosines). 0 for one cluster.
double separation(const Eigen::MatrixXd& x, const Eigen::MatrixXd& c, const std::vector<int>& label) {
    if (c.rows() < 2 || x.rows() == 0) return 0;
    const Eigen::MatrixXd s = x * c.transpose();
    double total = 0;
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
        const int own = label[static_cast<std::size_t>(i)];
        double other = -1;
        for (Eigen::Index q = 0; q < c.rows(); ++q)
            if (q != own) other = std::max(other, s(i, q));
        total += s(i, own) - other;
    }
    return total / static_cast<double>(x.rows());
}

// log |Σ| of the full covariance of the frames with label `which` (all when which < 0); n: their count.
double log_det_cov(const std::vector<std::array<float, n_ceps>>& c, const std::vector<int>& label, int which,
                   double& n) {
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(n_ceps);
    Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(n_ceps, n_ceps);
    n = 0;
    for (std::size_t f = 0; f < c.size(); ++f) {
        if (which >= 0 && label[f] != which) continue;
        Eigen::VectorXd v(n_ceps);
        for (int k = 0; k < n_ceps; ++k) v(k) = c[f][static_cast<std::size_t>(k)];
        mean += v;
        sum += v * v.transpose();
        n += 1;
    }
    if (n < 2 * n_ceps) return 0;
    mean /= n;
    Eigen::MatrixXd cov = sum / n - mean * mean.transpose();
    cov.diagonal().array() += 1e-6;
    const Eigen::LLT<Eigen::MatrixXd> llt(cov);
    if (llt.info() != Eigen::Success) return 0;
    return 2.0 * llt.matrixL().toDenseMatrix().diagonal().array().log().sum();
}

// ΔBIC of k full-covariance Gaussians (one per label) against one for all frames; > 0: k explain them better.
double delta_bic(const std::vector<std::array<float, n_ceps>>& c, const std::vector<int>& label, int k,
                 double penalty) {
    double n = 0;
    const double all = log_det_cov(c, label, -1, n);
    double fit = n / 2 * all;
    for (int q = 0; q < k; ++q) {
        double nq = 0;
        const double ld = log_det_cov(c, label, q, nq);
        fit -= nq / 2 * ld;
    }
    const double params = (k - 1) * (n_ceps + n_ceps * (n_ceps + 1) / 2.0);
    return fit - penalty * 0.5 * params * std::log(std::max(n, 2.0));
}

// Frame-level resegmentation: one diagonal Gaussian per speaker over the MFCC frames that the
// windows gave it, then a Viterbi pass through each speech segment's frames (a change of speaker
// costs `switch_cost` in log-likelihood), so a turn can start and end between windows.
std::vector<int> resegment(const std::vector<std::array<float, n_ceps>>& c, std::vector<int> label, int k,
                           const std::vector<std::pair<std::size_t, std::size_t>>& segments, double switch_cost) {
    const auto speakers_n = static_cast<std::size_t>(k);
    std::vector<std::array<double, n_ceps>> mean(speakers_n), var(speakers_n);
    std::vector<double> count(speakers_n, 0.0), log_norm(speakers_n, 0.0);
    for (auto& m : mean) m.fill(0.0);
    for (auto& v : var) v.fill(0.0);
    for (std::size_t f = 0; f < c.size(); ++f) {
        const auto q = static_cast<std::size_t>(label[f]);
        count[q] += 1;
        for (std::size_t d = 0; d < n_ceps; ++d) mean[q][d] += c[f][d];
    }
    for (std::size_t q = 0; q < speakers_n; ++q)
        for (auto& m : mean[q]) m /= std::max(count[q], 1.0);
    for (std::size_t f = 0; f < c.size(); ++f) {
        const auto q = static_cast<std::size_t>(label[f]);
        for (std::size_t d = 0; d < n_ceps; ++d) var[q][d] += (c[f][d] - mean[q][d]) * (c[f][d] - mean[q][d]);
    }
    for (std::size_t q = 0; q < speakers_n; ++q) {
        if (count[q] < 2 * n_ceps) return label;  // too few frames for a model: keep the windows' labels
        for (std::size_t d = 0; d < n_ceps; ++d) {
            var[q][d] = std::max(var[q][d] / count[q], 1e-3);
            log_norm[q] -= 0.5 * std::log(2 * M_PI * var[q][d]);
        }
    }
    std::vector<double> score(speakers_n), next(speakers_n), emit(speakers_n);
    for (const auto& [a, b] : segments) {
        if (b <= a) continue;
        std::vector<std::vector<std::uint8_t>> back(b - a, std::vector<std::uint8_t>(speakers_n, 0));
        for (std::size_t f = a; f < b; ++f) {
            for (std::size_t q = 0; q < speakers_n; ++q) {
                double ll = log_norm[q];
                for (std::size_t d = 0; d < n_ceps; ++d) {
                    const double z = c[f][d] - mean[q][d];
                    ll -= 0.5 * z * z / var[q][d];
                }
                emit[q] = ll;
            }
            if (f == a) {
                score = emit;
                continue;
            }
            const auto best_prev =
                static_cast<std::size_t>(std::max_element(score.begin(), score.end()) - score.begin());
            for (std::size_t q = 0; q < speakers_n; ++q) {
                const double stay = score[q], change = score[best_prev] - switch_cost;
                back[f - a][q] = static_cast<std::uint8_t>(stay >= change || best_prev == q ? q : best_prev);
                next[q] = std::max(stay, change) + emit[q];
            }
            score.swap(next);
        }
        auto q = static_cast<std::size_t>(std::max_element(score.begin(), score.end()) - score.begin());
        for (std::size_t f = b; f-- > a;) {
            label[f] = static_cast<int>(q);
            q = back[f - a][q];
        }
    }
    return label;
}

}  // namespace

diarization diarize(std::span<const float> audio, const speech_map& speech, const diarize_options& o,
                    const std::function<bool()>& should_stop) {
    if (o.min_speakers < 1 || o.max_speakers < 1)
        throw error(errc::usage, "speakers: --min-speakers and --max-speakers must be at least 1");
    if (o.min_speakers > o.max_speakers)
        throw error(errc::usage, fmt::format("speakers: --min-speakers {} is more than --max-speakers {}",
                                             o.min_speakers, o.max_speakers));
    diarization out;

    // 1. MFCCs of the speech, normalised over all of it.
    mfcc_maker maker;
    mfcc_frames frames;
    std::vector<std::pair<std::size_t, std::size_t>> seg_frames;  // per VAD segment: frames [a, b)
    for (const auto& s : speech.segments) {
        const auto a = static_cast<std::size_t>(std::clamp(s.start, 0.0, 1e12) * sample_rate);
        const auto b = std::min(audio.size(), static_cast<std::size_t>(std::max(0.0, s.end) * sample_rate));
        const std::size_t before = frames.c.size();
        if (b > a) maker.add(audio, a, b, frames);
        seg_frames.emplace_back(before, frames.c.size());
        check_stop(should_stop);
    }
    if (frames.c.empty()) return out;
    std::array<double, n_ceps> mean{}, sd{};
    for (const auto& c : frames.c)
        for (int k = 0; k < n_ceps; ++k) mean[static_cast<std::size_t>(k)] += c[static_cast<std::size_t>(k)];
    for (auto& m : mean) m /= static_cast<double>(frames.c.size());
    for (const auto& c : frames.c)
        for (int k = 0; k < n_ceps; ++k) {
            const double d = c[static_cast<std::size_t>(k)] - mean[static_cast<std::size_t>(k)];
            sd[static_cast<std::size_t>(k)] += d * d;
        }
    for (auto& v : sd) v = std::sqrt(v / static_cast<double>(frames.c.size())) + 1e-6;
    for (auto& c : frames.c)
        for (int k = 0; k < n_ceps; ++k)
            c[static_cast<std::size_t>(k)] = static_cast<float>(
                (c[static_cast<std::size_t>(k)] - mean[static_cast<std::size_t>(k)]) / sd[static_cast<std::size_t>(k)]);

    // 2. Windows: window_s long, hop_s apart, inside each segment (a short segment is one window).
    std::vector<window> windows;
    const auto win_frames = static_cast<std::size_t>(std::max(1.0, o.window_s / frame_s));
    const auto hop_frames = static_cast<std::size_t>(std::max(1.0, o.hop_s / frame_s));
    for (std::size_t s = 0; s < seg_frames.size(); ++s) {
        const auto [a, b] = seg_frames[s];
        if (b <= a) continue;
        auto add = [&](std::size_t f0, std::size_t f1) {
            windows.push_back(
                {frames.times[f0], frames.times[f1 - 1], (frames.times[f0] + frames.times[f1 - 1]) / 2, s, f0, f1});
        };
        if (b - a <= win_frames) {
            add(a, b);
            continue;
        }
        std::size_t f = a;
        for (; f + win_frames <= b; f += hop_frames) add(f, f + win_frames);
        if (f < b && f + win_frames > b && b - win_frames > windows.back().first) add(b - win_frames, b);
    }
    out.windows = static_cast<int>(windows.size());
    Eigen::MatrixXd x(static_cast<Eigen::Index>(windows.size()), dims);
    for (std::size_t w = 0; w < windows.size(); ++w) {
        const auto& win = windows[w];
        const double n = static_cast<double>(win.last - win.first);
        for (int k = 0; k < n_ceps; ++k) {
            double m = 0, v = 0;
            for (std::size_t f = win.first; f < win.last; ++f) m += frames.c[f][static_cast<std::size_t>(k)];
            m /= n;
            for (std::size_t f = win.first; f < win.last; ++f) {
                const double d = frames.c[f][static_cast<std::size_t>(k)] - m;
                v += d * d;
            }
            x(static_cast<Eigen::Index>(w), k) = m;
            x(static_cast<Eigen::Index>(w), n_ceps + k) = std::sqrt(v / n);
        }
    }
    // Each dimension standardised over the windows, then each window to unit length (cosines).
    const Eigen::RowVectorXd col_mean = x.colwise().mean();
    x.rowwise() -= col_mean;
    const Eigen::RowVectorXd col_sd =
        (x.array().square().colwise().sum() / static_cast<double>(x.rows())).sqrt() + 1e-9;
    x.array().rowwise() /= col_sd.array();
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
        const double n = x.row(i).norm();
        if (n > 0) x.row(i) /= n;
    }
    // Stereo: speakers panned apart add their place to the embedding (a film's centred dialogue has no
    // spread and is left alone).
    Eigen::VectorXd pan;  // each window's mean panning, when stereo
    if (!o.pan.empty() && o.pan_frame_s > 0) {
        pan.resize(x.rows());
        for (std::size_t w = 0; w < windows.size(); ++w) {
            const auto a = static_cast<std::size_t>(std::max(0.0, windows[w].start / o.pan_frame_s));
            const auto b = std::min(o.pan.size(), static_cast<std::size_t>(windows[w].end / o.pan_frame_s) + 1);
            double sum = 0;
            for (std::size_t f = a; f < b; ++f) sum += o.pan[f];
            pan(static_cast<Eigen::Index>(w)) = b > a ? sum / static_cast<double>(b - a) : 0.0;
        }
        out.pan_spread = std::sqrt((pan.array() - pan.mean()).square().mean());
        if (out.pan_spread >= o.min_pan_spread) {
            Eigen::MatrixXd y(x.rows(), x.cols() + 1);
            y << x, o.pan_weight * pan;
            for (Eigen::Index i = 0; i < y.rows(); ++i) {
                const double n = y.row(i).norm();
                if (n > 0) y.row(i) /= n;
            }
            x = std::move(y);
            out.pan_used = true;
        }
    }
    check_stop(should_stop);

    // Frames take the label of the nearest window of their segment (covering it, nearest centre).
    auto label_frames = [&](const std::vector<int>& label_all) {
        std::vector<int> frame_label(frames.c.size(), 0);
        std::size_t w = 0;
        for (std::size_t f = 0; f < frames.c.size(); ++f) {
            while (w < windows.size() && windows[w].last <= f) ++w;
            int best = -1;
            double dist = 1e300;
            for (std::size_t q = w; q < windows.size() && windows[q].first <= f; ++q) {
                const double d = std::abs(windows[q].centre - frames.times[f]);
                if (d < dist) {
                    dist = d;
                    best = label_all[q];
                }
            }
            if (best < 0 && w < windows.size()) best = label_all[w];
            if (best < 0 && !windows.empty()) best = label_all.back();
            frame_label[f] = std::max(best, 0);
        }
        return frame_label;
    };

    // 3. Spectral clustering on an even sample of at most max_windows windows.
    std::vector<std::size_t> sample;
    const std::size_t n_all = windows.size();
    const std::size_t n = std::min<std::size_t>(n_all, static_cast<std::size_t>(std::max(2, o.max_windows)));
    for (std::size_t i = 0; i < n; ++i) sample.push_back(i * n_all / n);
    Eigen::MatrixXd xs(static_cast<Eigen::Index>(n), x.cols());
    for (std::size_t i = 0; i < n; ++i)
        xs.row(static_cast<Eigen::Index>(i)) = x.row(static_cast<Eigen::Index>(sample[i]));

    std::vector<int> label_all(n_all, 0);
    int k = 1;
    const int k_max = std::min<int>(o.max_speakers, static_cast<int>(n));
    if (k_max >= 2 && n >= 4) {
        Eigen::MatrixXd a = xs * xs.transpose();
        a = a.cwiseMax(0.0);
        a.diagonal().setZero();
        // Row-wise pruning: keep each row's strongest `prune` fraction.
        const auto keep = static_cast<Eigen::Index>(std::max(2.0, std::ceil(o.prune * static_cast<double>(n))));
        Eigen::MatrixXd pruned = Eigen::MatrixXd::Zero(a.rows(), a.cols());
        std::vector<double> row(static_cast<std::size_t>(a.cols()));
        for (Eigen::Index i = 0; i < a.rows(); ++i) {
            for (Eigen::Index j = 0; j < a.cols(); ++j) row[static_cast<std::size_t>(j)] = a(i, j);
            std::vector<double> sorted = row;
            const auto nth = sorted.begin() + std::min<Eigen::Index>(keep, a.cols() - 1);
            std::nth_element(sorted.begin(), nth, sorted.end(), std::greater<>());
            const double threshold = *nth;
            for (Eigen::Index j = 0; j < a.cols(); ++j)
                if (a(i, j) > threshold) pruned(i, j) = a(i, j);
        }
        a = (pruned + pruned.transpose()) / 2.0;
        // The symmetric normalised Laplacian I − D^-1/2 A D^-1/2: eigenvalues in [0, 2], so gaps compare.
        const Eigen::VectorXd degree = a.rowwise().sum();
        const Eigen::VectorXd inv_sqrt = degree.array().max(1e-12).rsqrt();
        Eigen::MatrixXd lap = -(inv_sqrt.asDiagonal() * a * inv_sqrt.asDiagonal());
        lap.diagonal().array() += 1.0;
        check_stop(should_stop);
        auto eig = std::make_unique<Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>>(lap);
        if (eig->info() != Eigen::Success) throw error(errc::stage_failed, "speakers: the eigen decomposition failed");
        const Eigen::VectorXd& lambda = eig->eigenvalues();
        for (Eigen::Index i = 0; i < std::min<Eigen::Index>(lambda.size(), 11); ++i)
            out.eigenvalues.push_back(lambda(i));
        out.pruning = static_cast<int>(keep);
        // The largest eigengap as a ratio (λ(k+1) + ε) / (λ(k) + ε), among k in [max(2, min), max].
        double best_gap = -1;
        for (int c = std::max(2, o.min_speakers); c <= k_max && c < lambda.size(); ++c) {
            const double gap = (lambda(c) + o.eigengap_floor) / std::max(lambda(c - 1) + o.eigengap_floor, 1e-9);
            if (gap > best_gap) {
                best_gap = gap;
                k = c;
            }
        }
        if (eig && k >= 2) {
            Eigen::MatrixXd v = eig->eigenvectors().leftCols(k);
            for (Eigen::Index i = 0; i < v.rows(); ++i) {
                const double nv = v.row(i).norm();
                if (nv > 0) v.row(i) /= nv;
            }
            const auto label = kmeans(v, k, 1234);
            // Centroids in the embedding space, then every window (the unsampled too) to the nearest;
            // once more with centroids from all windows.
            auto c = centroids(xs, label, k);
            label_all = nearest(x, c);
            c = centroids(x, label_all, k);
            label_all = nearest(x, c);
            out.mean_similarity = separation(x, c, label_all);
            // One speaker after all (min_speakers allows it): the frames are not described better by
            // one Gaussian per cluster than by one for all, by the Bayesian information criterion.
            out.delta_bic = delta_bic(frames.c, label_frames(label_all), k, o.bic_penalty);
            // Speakers placed apart in a stereo mix are apart, whatever their voices' statistics say.
            double pan_apart = 0;
            if (out.pan_used) {
                std::vector<double> sum(static_cast<std::size_t>(k), 0.0), count(static_cast<std::size_t>(k), 0.0);
                for (std::size_t w = 0; w < label_all.size(); ++w) {
                    sum[static_cast<std::size_t>(label_all[w])] += pan(static_cast<Eigen::Index>(w));
                    count[static_cast<std::size_t>(label_all[w])] += 1;
                }
                double lo = 2, hi = -2;
                for (std::size_t q = 0; q < sum.size(); ++q)
                    if (count[q] > 0) lo = std::min(lo, sum[q] / count[q]), hi = std::max(hi, sum[q] / count[q]);
                pan_apart = hi - lo;
            }
            if (o.min_speakers <= 1 && out.delta_bic < 0 && pan_apart < 0.5) {
                k = 1;
                std::fill(label_all.begin(), label_all.end(), 0);
            }
        }
    }
    check_stop(should_stop);

    // 4. Runs of a label inside a segment are turns (frame by frame, after resegmentation).
    auto frame_label = label_frames(label_all);
    if (k >= 2 && o.resegment_switch > 0)
        frame_label = resegment(frames.c, std::move(frame_label), k, seg_frames, o.resegment_switch);
    struct run {
        double start, end;
        int label;
    };
    std::vector<run> runs;
    for (const auto& [a, b] : seg_frames) {
        if (b <= a) continue;
        std::vector<run> seg;
        for (std::size_t f = a; f < b; ++f) {
            const double t0 = f == a ? frames.times[f] - frame_len / 2.0 / sample_rate : frames.times[f] - frame_s / 2;
            const double t1 =
                f + 1 == b ? frames.times[f] + frame_len / 2.0 / sample_rate : frames.times[f] + frame_s / 2;
            if (!seg.empty() && seg.back().label == frame_label[f])
                seg.back().end = t1;
            else
                seg.push_back({t0, t1, frame_label[f]});
        }
        // Short runs join the longer neighbour (inside the segment).
        bool merged = true;
        while (merged && seg.size() > 1) {
            merged = false;
            std::size_t shortest = 0;
            for (std::size_t i = 1; i < seg.size(); ++i)
                if (seg[i].end - seg[i].start < seg[shortest].end - seg[shortest].start) shortest = i;
            if (seg[shortest].end - seg[shortest].start >= o.min_turn_s) break;
            const std::size_t into = shortest == 0 ? 1
                                     : shortest + 1 == seg.size()
                                         ? shortest - 1
                                         : (seg[shortest - 1].end - seg[shortest - 1].start >=
                                                    seg[shortest + 1].end - seg[shortest + 1].start
                                                ? shortest - 1
                                                : shortest + 1);
            seg[into].start = std::min(seg[into].start, seg[shortest].start);
            seg[into].end = std::max(seg[into].end, seg[shortest].end);
            seg.erase(seg.begin() + static_cast<std::ptrdiff_t>(shortest));
            for (std::size_t i = 1; i < seg.size();) {
                if (seg[i].label == seg[i - 1].label) {
                    seg[i - 1].end = seg[i].end;
                    seg.erase(seg.begin() + static_cast<std::ptrdiff_t>(i));
                } else {
                    ++i;
                }
            }
            merged = true;
        }
        runs.insert(runs.end(), seg.begin(), seg.end());
    }

    // 5. Speakers named by first appearance.
    std::map<int, int> name_of;
    for (const auto& r : runs)
        if (!name_of.contains(r.label)) name_of.emplace(r.label, static_cast<int>(name_of.size()));
    out.speakers = static_cast<int>(name_of.size());
    out.speaking_seconds.assign(name_of.size(), 0.0);
    for (const auto& r : runs) {
        const int id = name_of.at(r.label);
        out.speaking_seconds[static_cast<std::size_t>(id)] += r.end - r.start;
        out.turns.push_back({std::max(0.0, r.start), r.end, fmt::format("SPEAKER_{:02}", id)});
    }
    return out;
}

std::vector<float> stereo_pan(const std::filesystem::path& levels, const std::vector<std::string>& channel_names) {
    const auto left = std::find(channel_names.begin(), channel_names.end(), "FL");
    const auto right = std::find(channel_names.begin(), channel_names.end(), "FR");
    if (left == channel_names.end() || right == channel_names.end()) return {};
    const auto bytes = util::read_file(levels);
    const std::size_t channels = channel_names.size();
    if (bytes.size() % (channels * sizeof(float)) != 0)
        throw error(errc::input_corrupt, fmt::format("{}: {} bytes is not a whole number of {}-channel frames",
                                                     levels.string(), bytes.size(), channels));
    const std::size_t frames = bytes.size() / (channels * sizeof(float));
    const auto l = static_cast<std::size_t>(left - channel_names.begin());
    const auto r = static_cast<std::size_t>(right - channel_names.begin());
    std::vector<float> pan(frames, 0.0f);
    constexpr double floor = 1e-6;  // (−60 dBFS)²
    for (std::size_t f = 0; f < frames; ++f) {
        float vl = 0, vr = 0;
        std::memcpy(&vl, bytes.data() + (f * channels + l) * sizeof(float), sizeof(float));
        std::memcpy(&vr, bytes.data() + (f * channels + r) * sizeof(float), sizeof(float));
        const double el = static_cast<double>(vl) * vl, er = static_cast<double>(vr) * vr;
        if (el + er > floor) pan[f] = static_cast<float>((el - er) / (el + er));
    }
    return pan;
}

}  // namespace cinesub::speakers
