#!/usr/bin/env bash
# ASR speed benchmark (issues 3, 8): cinesub vs bare whisper.cpp vs whisper.cpp with its VAD, on the
# same film-like track, the same synthetic (random-weight) models of base and small dimensions, the same
# thread count.
#
# Fair mode (the main rows): a fixed decode load on both sides — greedy, no temperature fallback, no
# timestamp tokens, end-of-text suppressed, so every 30 s window decodes exactly until N tokens
# (whisper_baseline --fixed-tokens N, cinesub --set asr.fixed_tokens=N; src/asr/decode_probe.hpp measures
# windows, decoder steps, encode and decode seconds alike on both sides). cinesub runs with its default
# word times (asr.word_times=tokens), and at the last N also with none and dtw: the cost of word times.
# Secondary rows (--defaults-row): whisper-cli's default decoding (beam 5, fallback ladder) capped at
# --max-tokens, as in issue 3 — with random weights its decode work is arbitrary.
#
# usage: bench/asr_vs_whispercli.sh [--quick] [--models "base small"] [--minutes N] [--threads N]
#                                    [--fixed-tokens "16 120"] [--defaults-row] [--max-tokens N]
#                                    [--layout WxT] [--work DIR] [--build DIR]
#   --layout WxT  cinesub's decoding layout: W workers x T threads each (default: N x 1 for --threads N,
#                 what `cinesub doctor` recommends up to 4 cores; every run uses the same N CPU threads)
#   --quick       2-minute track, base only, N = 16 only (smoke check)
#   --track-only  build the track and stop
# Writes only under the work dir (default: <build>/bench-work), never into the repository.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TESTDATA="${CINESUB_TESTDATA:-$ROOT/../shared/testdata}"
BUILD="${BUILD_DIR:-$ROOT/build}"   # the set-up's build (make bench); --build DIR for another
WORK=""
MODELS="base small"
MINUTES=10
THREADS=2
MAX_TOKENS=16
FIXED="16 120"
DEFAULTS_ROW=""
LAYOUT=""
LANG_CODE=hi
TRACK_ONLY=""

while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) MINUTES=2; MODELS="base"; FIXED="16"; shift ;;
        --track-only) TRACK_ONLY=1; shift ;;
        --models) MODELS="$2"; shift 2 ;;
        --minutes) MINUTES="$2"; shift 2 ;;
        --threads) THREADS="$2"; shift 2 ;;
        --max-tokens) MAX_TOKENS="$2"; shift 2 ;;
        --fixed-tokens) FIXED="$2"; shift 2 ;;
        --defaults-row) DEFAULTS_ROW=1; shift ;;
        --layout) LAYOUT="$2"; shift 2 ;;
        --work) WORK="$2"; shift 2 ;;
        --build) BUILD="$2"; shift 2 ;;
        -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
WORK="${WORK:-$BUILD/bench-work}"
LAYOUT="${LAYOUT:-${THREADS}x1}"
[[ "$LAYOUT" =~ ^([0-9]+)x([0-9]+)$ ]] || { echo "--layout wants WxT, e.g. 2x1" >&2; exit 2; }
C_WORKERS="${BASH_REMATCH[1]}"
C_THREADS="${BASH_REMATCH[2]}"
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
case "$WORK/" in "$ROOT/src/"*|"$ROOT/bench/"*|"$ROOT/tests/"*) echo "work dir must not be in the sources" >&2; exit 2 ;; esac

die() { echo "asr_vs_whispercli: $*" >&2; exit 1; }
for t in ffmpeg ffprobe awk; do command -v "$t" >/dev/null || die "$t not found"; done
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (Debian package 'time')"
[[ -d "$TESTDATA/media" ]] || die "test data not found at $TESTDATA"
HEADER="$TESTDATA/models/ggml-tiny-header-only.bin"
SILERO="$TESTDATA/models/ggml-silero-v6.2.0.bin"
[[ -f "$HEADER" && -f "$SILERO" ]] || die "models missing under $TESTDATA/models"

# ---- 1. film-like track ------------------------------------------------------------------------
TARGET_S=$((MINUTES * 60))
TRACK="$WORK/track-${MINUTES}min.wav"
TRACK_MKV="$WORK/track-${MINUTES}min.mkv"
FRACTION_FILE="$WORK/track-${MINUTES}min.speech"
dur() { ffprobe -v error -show_entries format=duration -of csv=p=0 "$1"; }
to16k() { ffmpeg -nostdin -v error -y -i "$1" "${@:3}" -ac 1 -ar 16000 -c:a pcm_s16le "$2"; }

if [[ ! -f "$TRACK" || ! -f "$TRACK_MKV" || ! -f "$FRACTION_FILE" ]]; then
    echo "building a ${MINUTES}-minute film-like track in $WORK ..."
    P="$WORK/pieces"
    rm -rf "$P" && mkdir -p "$P"
    to16k "$TESTDATA/media/video/sintel_trailer_first27s.webm" "$P/music.wav"
    music_len="$(dur "$P/music.wav")"
    mapfile -t clips < <(ls "$TESTDATA"/media/hi_commonvoice/*.wav "$TESTDATA"/media/en/*.wav \
        "$TESTDATA"/media/diarization/*.wav 2>/dev/null)
    [[ ${#clips[@]} -gt 0 ]] || die "no speech clips found"
    list="$P/list.txt"
    : >"$list"
    total=0 speech=0 i=0 n=0
    # speech clip, then a gap of silence or of Sintel's music: gap = clip length (≈ 50–60 % speech),
    # 1.5–12 s; long clips are cut to 45 s.
    while awk -v t="$total" -v T="$TARGET_S" 'BEGIN{exit !(t < T)}'; do
        c="${clips[$((i % ${#clips[@]}))]}"
        i=$((i + 1))
        to16k "$c" "$P/s$n.wav" -t 45
        len="$(dur "$P/s$n.wav")"
        echo "file 's$n.wav'" >>"$list"
        gap="$(awk -v l="$len" 'BEGIN{g=1.0*l; if(g<1.5)g=1.5; if(g>15)g=15; printf "%.2f", g}')"
        if ((n % 2 == 0)); then
            ffmpeg -nostdin -v error -y -f lavfi -i "anullsrc=r=16000:cl=mono" -t "$gap" -c:a pcm_s16le "$P/g$n.wav"
        else
            off="$(awk -v n="$n" -v m="$music_len" -v g="$gap" 'BEGIN{o=(n*7.3)%(m-g); if(o<0)o=0; printf "%.2f", o}')"
            ffmpeg -nostdin -v error -y -ss "$off" -t "$gap" -i "$P/music.wav" -af "volume=0.6" -c:a pcm_s16le "$P/g$n.wav"
        fi
        echo "file 'g$n.wav'" >>"$list"
        glen="$(dur "$P/g$n.wav")"
        total="$(awk -v a="$total" -v b="$len" -v c="$glen" 'BEGIN{printf "%.3f", a+b+c}')"
        speech="$(awk -v a="$speech" -v b="$len" 'BEGIN{printf "%.3f", a+b}')"
        n=$((n + 1))
    done
    ffmpeg -nostdin -v error -y -f concat -safe 0 -i "$list" -t "$TARGET_S" -c:a pcm_s16le "$TRACK.tmp.wav"
    mv "$TRACK.tmp.wav" "$TRACK"
    # Container version for cinesub: a Matroska file with a black 320x180 video and the same audio (FLAC,
    # lossless), like a film.
    ffmpeg -nostdin -v error -y -f lavfi -i "color=c=black:s=320x180:r=5" -i "$TRACK" -shortest \
        -c:v libx264 -preset ultrafast -tune stillimage -c:a flac "$TRACK_MKV.tmp.mkv" 2>/dev/null ||
        ffmpeg -nostdin -v error -y -i "$TRACK" -c:a flac "$TRACK_MKV.tmp.mkv"
    mv "$TRACK_MKV.tmp.mkv" "$TRACK_MKV"
    awk -v s="$speech" -v t="$total" -v T="$TARGET_S" 'BEGIN{if(s>T)s=T; printf "%.3f\n", s/(t<T?t:T)}' >"$FRACTION_FILE"
    rm -rf "$P"
fi
AUDIO_S="$(dur "$TRACK")"
printf 'track: %s (%.1f s, 16 kHz mono) + %s\n' "$TRACK" "$AUDIO_S" "$(basename "$TRACK_MKV")"
printf 'speech fraction (from construction): %.1f %%\n' "$(awk -v f="$(cat "$FRACTION_FILE")" 'BEGIN{print 100*f}')"

[[ -n "$TRACK_ONLY" ]] && exit 0

# ---- build the tools (Release, same whisper.cpp source for all) -------------------------------
if [[ ! -f "$BUILD/build.ninja" ]]; then
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        ${CINESUB_DEPS_DIR:+-DCINESUB_DEPS_DIR=$CINESUB_DEPS_DIR} >/dev/null
fi
ninja -C "$BUILD" -j"${JOBS:-2}" whisper-cli make-synthetic-model whisper_baseline >/dev/null ||
    die "build failed (ninja -C $BUILD whisper-cli make-synthetic-model whisper_baseline)"
ninja -C "$BUILD" -j"${JOBS:-2}" cinesub >"$WORK/log-build-cinesub.txt" 2>&1 ||
    echo "warning: cinesub does not build (see $WORK/log-build-cinesub.txt); only the baselines will run" >&2
find_bin() { find "$BUILD" -type f -perm -u+x -name "$1" -not -path '*/CMakeFiles/*' | head -n1; }
WHISPER_CLI="$(find_bin whisper-cli)"
MKMODEL="$(find_bin make-synthetic-model)"
BASELINE="$(find_bin whisper_baseline)"
CINESUB="$(find_bin cinesub)"
[[ -n "$WHISPER_CLI" && -n "$MKMODEL" && -n "$BASELINE" ]] || die "built binaries not found in $BUILD"

# ---- 2. synthetic models -----------------------------------------------------------------------
for m in $MODELS; do
    f="$WORK/ggml-$m-synthetic.bin"
    [[ -f "$f" ]] || "$MKMODEL" --type "$m" --header "$HEADER" --out "$f"
done

# ---- 3. runs -----------------------------------------------------------------------------------
# timed LABEL CMD...: runs CMD under /usr/bin/time -v; sets WALL (s) and RSS (MB).
timed() {
    local label="$1"
    shift
    local tv="$WORK/time-$label.txt" log="$WORK/log-$label.txt"
    local rc=0
    /usr/bin/time -v -o "$tv" "$@" >"$log" 2>&1 || rc=$?
    WALL="$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tv")"
    RSS="$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$tv")"
    if ((rc != 0)); then
        echo "  $label FAILED with exit $rc after ${WALL:-?} s (see $log):" >&2
        tail -n 3 "$log" >&2
        return 1
    fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{if(a==""||b==""||a=="nan"||b=="nan"||b==0) print "n/a"; else printf "%.2f", a/b}'; }
# row LABEL: one line per side; PROBE = "windows steps encode_s decode_s" (or empty)
row() {
    local w="-" st="-" e="-" d="-"
    [[ -n "${PROBE:-}" ]] && read -r w st e d <<<"$PROBE"
    printf '  %-36s windows %4s  steps %6s  encode %7s s  decode %7s s  wall %8.2f s  RTF %.4f  peak RSS %5s MB\n' \
        "$1" "$w" "$st" "$e" "$d" "$WALL" "$(awk -v w="$WALL" -v a="$AUDIO_S" 'BEGIN{print w/a}')" "$RSS"
}
baseline_probe() { # LOG → PROBE
    PROBE="$(awk '/^probe /{for(i=2;i<=NF;i++){split($i,kv,"="); v[kv[1]]=kv[2]} print v["windows"], v["steps"], v["encode_s"], v["decode_s"]}' "$1")"
}
# cinesub_run LABEL MODEL SET... : prepare + run; sets WALL RSS PROBE ASR_S NONASR (share of wall, %)
cinesub_run() {
    local label="$1" model="$2"
    shift 2
    local out="$WORK/out-$label" sets=()
    for kv in "$@"; do sets+=(--set "$kv"); done
    rm -rf "$out"
    WALL="" PROBE="" ASR_S="" NONASR=""
    [[ -n "$CINESUB" ]] || { echo "  cinesub: not built — skipped"; return 1; }
    if ! "$CINESUB" prepare "$TRACK_MKV" --workflow transcribe --source-lang "$LANG_CODE" --model "$model" \
        --vad-model "$SILERO" --set "asr.threads=$C_THREADS" --set "asr.workers=$C_WORKERS" "${sets[@]}" \
        -o "$out" -u bench >"$WORK/log-$label-prepare.txt" 2>&1; then
        echo "  cinesub prepare FAILED (see $WORK/log-$label-prepare.txt):" >&2
        tail -n 5 "$WORK/log-$label-prepare.txt" >&2
        return 1
    fi
    local job
    job="$(find "$out" -name job.json -printf '%h\n' | head -n1)"
    timed "$label" "$CINESUB" run "$job" || echo "  NOTE: cinesub run failed; its time counts the stages up to the failure"
    read -r PROBE_W PROBE_S PROBE_E PROBE_D ASR_S NONASR < <(python3 - "$job" "$WALL" <<'PY'
import json, pathlib, sys
job, wall = pathlib.Path(sys.argv[1]), float(sys.argv[2] or 0)
total = asr = 0.0
w = st = e = d = 0.0
for f in job.glob("stages/*/manifest.json"):
    m = json.loads(f.read_text())
    s = float(m.get("seconds", 0) or 0)
    total += s
    if f.parent.name.split("_")[-1] == "asr":
        asr += s
        for p in m.get("metrics", {}).get("passes", []):
            e += p.get("encode_seconds", 0)
            d += p.get("decode_seconds", 0)
        summary = f.parent / "summary.json"
        if summary.exists():
            for p in json.loads(summary.read_text()).get("passes", []):
                w += p.get("windows", 0)
                st += p.get("decoder_steps", 0)
print(int(w), int(st), f"{e:.2f}", f"{d:.2f}", f"{asr:.2f}", f"{100 * (wall - asr) / wall:.2f}" if wall > 0 else "n/a")
PY
)
    PROBE="$PROBE_W $PROBE_S $PROBE_E $PROBE_D"
}

echo "threads: $THREADS for every run (cinesub: $C_WORKERS workers x $C_THREADS threads; its encode/decode seconds"
echo "are summed over its workers). Fair mode: N tokens a window on both sides (greedy, no fallback, no timestamps,"
echo "end-of-text suppressed). steps = logits computed (N + 1 per window: whisper.cpp stops after step N)."
for m in $MODELS; do
    model="$WORK/ggml-$m-synthetic.bin"
    echo "== model: $m (synthetic, $(du -m "$model" | cut -f1) MB)"
    "$BASELINE" -m "$model" -f "$TRACK" -t "$THREADS" --encode-only 3 2>/dev/null | sed 's/^whisper_baseline: /  /' || true
    last_n="${FIXED##* }"
    for n in $FIXED; do
        echo "  -- fair mode, N = $n tokens a window"
        W_CLI="" W_VAD="" C="" C_NONE="" C_DTW="" TOK_ASR=""
        if timed "$m-n$n-baseline" "$BASELINE" -m "$model" -f "$TRACK" -l "$LANG_CODE" -t "$THREADS" --fixed-tokens "$n"; then
            baseline_probe "$WORK/log-$m-n$n-baseline.txt"; row "whisper.cpp"; W_CLI="$WALL"
        fi
        if timed "$m-n$n-baseline-vad" "$BASELINE" -m "$model" -f "$TRACK" -l "$LANG_CODE" -t "$THREADS" \
            --fixed-tokens "$n" --vad --vad-model "$SILERO"; then
            baseline_probe "$WORK/log-$m-n$n-baseline-vad.txt"; row "whisper.cpp --vad"; W_VAD="$WALL"
        fi
        if cinesub_run "$m-n$n-cinesub" "$model" "asr.fixed_tokens=$n"; then
            row "cinesub (word times: tokens)"
            C="$WALL"
            TOK_ASR="$ASR_S"
            echo "  cinesub: ASR stage $ASR_S s; non-ASR stages $NONASR % of wall"
        fi
        if [[ "$n" == "$last_n" ]]; then
            for wt in none dtw; do
                if cinesub_run "$m-n$n-cinesub-$wt" "$model" "asr.fixed_tokens=$n" "asr.word_times=$wt"; then
                    row "cinesub (word times: $wt)"
                    [[ "$wt" == none ]] && C_NONE="$ASR_S" || C_DTW="$ASR_S"
                fi
            done
        fi
        echo "  $m N=$n: cinesub / whisper.cpp: $(ratio "$C" "$W_CLI")   cinesub / whisper.cpp --vad: $(ratio "$C" "$W_VAD")"
        if [[ -n "$C_NONE" ]]; then
            echo "  $m N=$n: word times add to ASR time: tokens $(awk -v a="$TOK_ASR" -v b="$C_NONE" 'BEGIN{printf "%+.1f %%", 100*(a/b-1)}'), dtw $(awk -v a="${C_DTW:-0}" -v b="$C_NONE" 'BEGIN{printf "%+.1f %%", 100*(a/b-1)}') (ASR stage: none $C_NONE s, tokens $TOK_ASR s, dtw ${C_DTW:-?} s)"
        fi
    done
    if [[ -n "$DEFAULTS_ROW" ]]; then
        echo "  -- secondary: whisper-cli's default decoding, capped at $MAX_TOKENS tokens a window"
        PROBE=""
        W_CLI="" W_VAD=""
        timed "$m-baseline" "$BASELINE" -m "$model" -f "$TRACK" -l "$LANG_CODE" -t "$THREADS" --max-tokens "$MAX_TOKENS" &&
            { baseline_probe "$WORK/log-$m-baseline.txt"; row "whisper-cli params, capped"; W_CLI="$WALL"; }
        timed "$m-baseline-vad" "$BASELINE" -m "$model" -f "$TRACK" -l "$LANG_CODE" -t "$THREADS" \
            --max-tokens "$MAX_TOKENS" --vad --vad-model "$SILERO" &&
            { baseline_probe "$WORK/log-$m-baseline-vad.txt"; row "whisper-cli params --vad, capped"; W_VAD="$WALL"; }
        if cinesub_run "$m-cinesub-defaults" "$model" "asr.max_tokens=$MAX_TOKENS"; then
            row "cinesub defaults, capped"
            echo "  $m defaults: cinesub / whisper-cli: $(ratio "$WALL" "$W_CLI")   cinesub / whisper-cli --vad: $(ratio "$WALL" "$W_VAD")"
        fi
    fi
done
