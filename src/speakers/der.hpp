// Diarization Error Rate (DER) as NIST md-eval computes it (dscore runs md-eval; pyannote.metrics
// agrees up to its collar convention, below).
//
// Convention (md-eval, dscore):
// - Collar: `collar` seconds on EACH side of every reference turn's start and end are not scored
//   (md-eval `-c 0.25`, dscore `--collar 0.25` = ±0.25 s). pyannote.metrics' `collar` is the total
//   width: its collar=0.5 is this collar=0.25.
// - skip_overlap: time where the reference has two or more speakers is not scored.
// - No UEM: everything outside the collars (and overlap, when skipped) is scored, i.e. the union
//   of both files' extents, as dscore and pyannote.metrics do when no UEM is given.
// - Turns of one speaker that overlap each other are merged first (duplicate turns count once);
//   touching turns stay two turns (each boundary gets its collar).
// - Speakers are mapped one to one, reference → hypothesis, to maximise the scored time both speak
//   (Hungarian algorithm); pairs with no common time are not mapped.
// - The timeline is cut at every boundary of reference, hypothesis and collar zones; in each piece of
//   duration d with N_ref reference speakers, N_hyp hypothesis speakers and N_correct reference
//   speakers whose mapped speaker also speaks:
//     total += d·N_ref, missed += d·max(0, N_ref − N_hyp), false alarm += d·max(0, N_hyp − N_ref),
//     confusion += d·(min(N_ref, N_hyp) − N_correct);  DER = (missed + false alarm + confusion) / total.
// - Times are computed in whole microseconds (RTTM times are given to the millisecond), so sums are
//   exact and results do not depend on the order of the turns.
#pragma once

#include "cinesub/speakers.hpp"
#include "speakers/rttm.hpp"

#include <string>
#include <vector>

namespace cinesub::speakers {

struct der_options {
    double collar = der_standard_collar;  // seconds on each side of every reference boundary; 0: none
    bool skip_overlap = false;            // true: reference overlap (≥ 2 speakers) is not scored
};

struct speaker_mapping {
    std::string file_id;
    std::string ref;
    std::string hyp;
    double overlap = 0;  // seconds of scored time both speak
};

struct der_result {
    double total = 0;  // scored reference speech, seconds, summed over reference speakers
    double missed = 0, false_alarm = 0, confusion = 0;  // seconds
    double der = 0;                                     // error_rate(missed + false_alarm + confusion, total)
    std::vector<speaker_mapping> mapping;               // by file (in order), then reference speaker name
    int ref_speakers = 0, hyp_speakers = 0;             // distinct speakers, summed over files
};

// error(usage) for a negative or non-finite collar (score_der checks it too).
void check_der_options(const der_options& options);

// error / total; with total 0: 0 when error is 0, else 1 (pyannote.metrics' rule).
double error_rate(double error, double total);

// Turns of one speaker that overlap merged into one (touching turns kept apart); sorted by speaker,
// then start.
std::vector<turn> merge_speaker_turns(std::vector<turn> turns);

// DER of one file's hypothesis turns against its reference turns. file_id only labels the mapping.
der_result score_der(const std::vector<turn>& ref, const std::vector<turn>& hyp, const der_options& options,
                     const std::string& file_id = {});

// DER over several file ids: each reference file id against the hypothesis one with the same id (or
// against nothing), each hypothesis file id the reference lacks against nothing, summed. When each
// side holds exactly one file id, the two are scored against each other whatever their names.
der_result score_der(const std::vector<rttm_file>& ref, const std::vector<rttm_file>& hyp, const der_options& options);

// Maximum-weight assignment (Hungarian algorithm, O(n²·m) for n ≤ m, any rectangular shape):
// weight[i][j] ≥ 0 is the gain of pairing row i with column j (all rows the same length). Returns,
// for each row, its column, or -1 for the rows left over when there are more rows than columns.
// Among optimal assignments the result is deterministic.
std::vector<int> max_weight_assignment(const std::vector<std::vector<double>>& weight);

}  // namespace cinesub::speakers
