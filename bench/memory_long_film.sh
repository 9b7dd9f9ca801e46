#!/usr/bin/env bash
# Peak memory per stage on a long film (issue 8): a generated track of pink noise + a 440 Hz tone
# (no speech) of --hours H (default 3), one cinesub job (workflow transcribe, synthetic model), each
# stage run on its own (`cinesub run JOB --only STAGE`) under /usr/bin/time -v. Prints each stage's wall
# time and peak RSS, the model's size and the goal: peak RSS <= model + 250 MB in every stage.
# --speech: the film is bench/asr_vs_whispercli.sh's 10-minute film-like track (53 % speech) looped to
# H hours instead, so the ASR stage reads the whole audio too (asr.fixed_tokens=4 bounds the decoding:
# memory is measured here, not speed).
#
# usage: bench/memory_long_film.sh [--hours H] [--model tiny|base|small] [--speech] [--work DIR] [--build DIR]
# Writes only under the work dir (default: <build>/bench-work).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TESTDATA="${CINESUB_TESTDATA:-$ROOT/../shared/testdata}"
BUILD="${BUILD_DIR:-$ROOT/build}"
HOURS=3
MODEL=base
WORK=""
SPEECH=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --hours) HOURS="$2"; shift 2 ;;
        --model) MODEL="$2"; shift 2 ;;
        --speech) SPEECH=1; shift ;;
        --work) WORK="$2"; shift 2 ;;
        --build) BUILD="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
WORK="${WORK:-$BUILD/bench-work}"
mkdir -p "$WORK"
die() { echo "memory_long_film: $*" >&2; exit 1; }
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (Debian package 'time')"
CINESUB="$BUILD/tools/cinesub"
MKMODEL="$BUILD/tools/make-synthetic-model"
[[ -x "$CINESUB" && -x "$MKMODEL" ]] || die "build cinesub and make-synthetic-model first (make setup)"
SILERO="$TESTDATA/models/ggml-silero-v6.2.0.bin"
HEADER="$TESTDATA/models/ggml-tiny-header-only.bin"
[[ -f "$SILERO" && -f "$HEADER" ]] || die "models missing under $TESTDATA/models"

seconds=$(awk -v h="$HOURS" 'BEGIN{printf "%d", h*3600}')
extra=()
if [[ -n "$SPEECH" ]]; then
    src="$WORK/track-10min.wav"
    [[ -f "$src" ]] || die "no $src: run bench/asr_vs_whispercli.sh --track-only first"
    track="$WORK/speech-${HOURS}h.mkv"
    if [[ ! -f "$track" ]]; then
        echo "generating $track (the 10-minute track looped to ${seconds} s, FLAC) ..."
        ffmpeg -nostdin -v error -y -stream_loop -1 -i "$src" -t "$seconds" -c:a flac "$track.tmp.mkv"
        mv "$track.tmp.mkv" "$track"
    fi
    extra=(--set asr.fixed_tokens=4)
else
    track="$WORK/noise-${HOURS}h.mkv"
    if [[ ! -f "$track" ]]; then
        echo "generating $track (${seconds} s of pink noise + 440 Hz tone, 16 kHz mono FLAC) ..."
        ffmpeg -nostdin -v error -y -f lavfi -i "anoisesrc=color=pink:sample_rate=16000:amplitude=0.05:duration=$seconds" \
            -f lavfi -i "sine=frequency=440:sample_rate=16000:duration=$seconds" \
            -filter_complex "[1:a]volume=0.05[t];[0:a][t]amix=inputs=2:normalize=0" -ac 1 -c:a flac "$track.tmp.mkv"
        mv "$track.tmp.mkv" "$track"
    fi
fi
model="$WORK/ggml-$MODEL-synthetic.bin"
[[ -f "$model" ]] || "$MKMODEL" --type "$MODEL" --header "$HEADER" --out "$model" >/dev/null
model_mb=$(du -m "$model" | cut -f1)

out="$WORK/out-memory"
rm -rf "$out"
"$CINESUB" prepare "$track" --workflow transcribe --source-lang hi --model "$model" --vad-model "$SILERO" \
    "${extra[@]}" -o "$out" -u bench >/dev/null
job="$(find "$out" -name job.json -printf '%h\n' | head -n1)"
echo "film: $(basename "$track") ($HOURS h), model: $MODEL synthetic ($model_mb MB); goal: peak RSS <= $((model_mb + 250)) MB per stage"
worst=0
while read -r stage; do
    tv="$WORK/time-memory-$stage.txt"
    rc=0
    /usr/bin/time -v -o "$tv" "$CINESUB" run "$job" --only "$stage" >"$WORK/log-memory-$stage.txt" 2>&1 || rc=$?
    wall="$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tv")"
    rss="$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$tv")"
    printf '  %-10s wall %8.2f s   peak RSS %6s MB%s\n' "$stage" "$wall" "$rss" "$( ((rc)) && echo "   (exit $rc, see $WORK/log-memory-$stage.txt)")"
    ((rss > worst)) && worst=$rss
done < <("$CINESUB" run "$job" --list-stages 2>/dev/null | awk 'NR>1 && $1 ~ /^[0-9]+$/ {print $2}')
audio="$(find "$job" -name audio.wav | head -n1)"
[[ -n "$audio" ]] && echo "  audio.wav: $(du -m "$audio" | cut -f1) MB (float32)"
speech_json="$(find "$job" -name speech.json | head -n1)"
[[ -n "$speech_json" ]] && python3 -c "import json,sys; m=json.load(open(sys.argv[1])); s=m.get('segments',[]); print('  VAD: %d speech segments, %.0f s of speech' % (len(s), sum(x['end']-x['start'] for x in s)))" "$speech_json"
echo "  worst stage: $worst MB; goal $((model_mb + 250)) MB: $( ((worst <= model_mb + 250)) && echo met || echo NOT met)"
