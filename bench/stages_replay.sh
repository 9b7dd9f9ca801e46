#!/usr/bin/env bash
# Non-ASR cost of the pipeline on real media: `prepare` time and each stage's time (from the stage
# manifests) with the replay engine, which feeds a human reference transcript instead of running
# Whisper, so every stage but ASR runs for real (demux, VAD, subtitles, mux).
#
# usage: bench/stages_replay.sh [--build DIR] [--work DIR] [--repeat N]
# Writes only under the work dir (default: <build>/bench-work/stages).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TESTDATA="${CINESUB_TESTDATA:-$ROOT/../shared/testdata}"
BUILD="$ROOT/build"
WORK=""
REPEAT=3
while [[ $# -gt 0 ]]; do
    case "$1" in
        --build) BUILD="$2"; shift 2 ;;
        --work) WORK="$2"; shift 2 ;;
        --repeat) REPEAT="$2"; shift 2 ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
WORK="${WORK:-$BUILD/bench-work/stages}"
CINESUB="$BUILD/tools/cinesub"
SILERO="$TESTDATA/models/ggml-silero-v6.2.0.bin"
[[ -x "$CINESUB" ]] || { echo "stages_replay: build cinesub first ($CINESUB)" >&2; exit 1; }
[[ -f "$SILERO" ]] || { echo "stages_replay: test data not found at $TESTDATA" >&2; exit 1; }
rm -rf "$WORK"
mkdir -p "$WORK"

now() { date +%s.%N; }
# name media reference [prepare args...]
case_run() {
    local name="$1" media="$2" ref="$3"
    shift 3
    local best_prep=1e9
    local job=""
    for ((i = 0; i < REPEAT; i++)); do
        local t0 t1
        t0=$(now)
        job=$("$CINESUB" prepare "$media" --asr-engine "replay:$ref" --vad-model "$SILERO" -o "$WORK/out-$name" -u bench \
            --title "$name" "$@" --json | sed -n 's/^  "dir": "\(.*\)",\{0,1\}$/\1/p')
        t1=$(now)
        best_prep=$(awk -v a="$best_prep" -v b="$(awk -v x="$t0" -v y="$t1" 'BEGIN{print y-x}')" 'BEGIN{print (b<a)?b:a}')
    done
    "$CINESUB" run "$job" -q >/dev/null
    local audio
    audio=$(awk '/"duration"/{gsub(/[^0-9.]/,"",$2); print $2; exit}' "$job/stages/01_demux/media.json" 2>/dev/null || echo "?")
    printf '%-10s prepare %6.3f s (best of %d)' "$name" "$best_prep" "$REPEAT"
    for m in "$job"/stages/*/manifest.json; do
        local stage secs
        stage=$(basename "$(dirname "$m")")
        secs=$(awk '/"seconds"/{gsub(/[^0-9.e-]/,"",$2); print $2; exit}' "$m")
        printf '  %s %.3f s' "${stage#*_}" "$secs"
    done
    printf '  (media %s s)\n' "$audio"
}

echo "$("$CINESUB" --version 2>/dev/null | head -n1); $(nproc) CPU(s)"
case_run sintel "$TESTDATA/media/video/sintel_trailer_first27s.webm" \
    "$TESTDATA/media/video/sintel_trailer_first27s_en.reference.srt" --source-lang en --workflow transcribe
case_run diarization "$TESTDATA/media/diarization/en_pyannote_sample.wav" \
    "$TESTDATA/media/diarization/en_pyannote_sample.stm" --source-lang en --workflow transcribe
