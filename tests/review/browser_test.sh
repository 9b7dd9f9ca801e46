#!/usr/bin/env bash
# `cinesub review` in a real browser: Debian's chromium, headless, driven by playwright-core (npm) from
# tests/review/browser/browser_test.mjs. Two jobs made with the replay engine: the Sintel clip (its
# English reference SRT) and a Hindi mixture (four Common Voice clips, one per speaker, with 0.6 s
# pauses; the reference is their Devanagari transcriptions, one cue per clip). Checks: cues and
# timeline render, a cue click seeks the video, an edit + save changes the SRT on disk, the style check
# flags an over-long line, undo/redo, requests without the token are refused, the static report; then
# the open time of a synthetic 2-hour job (3 tracks × 1 500 cues). Screenshots go to SHOTS_DIR.
# Installs chromium and fonts-noto-core when missing (needs root or sudo) and runs `npm ci`.
#
#   tests/review/browser_test.sh [BUILD_DIR] [SHOTS_DIR]   (defaults: build, a temp folder)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=$(cd "${1:-build}" && pwd)
testdata=$(cd "${CINESUB_TESTDATA:-../shared/testdata}" && pwd)
cinesub="$build/tools/cinesub"

say() { echo "review_browser_test: $*"; }
fail() {
  say "FAIL: $*"
  exit 1
}
[ -x "$cinesub" ] || fail "no $cinesub: build it first (make setup)"
video="$testdata/media/video"
hindi="$testdata/media/hi_commonvoice"
for f in "$video/sintel_trailer_first27s.webm" "$video/sintel_trailer_first27s_en.reference.srt" \
  "$hindi/transcriptions.tsv" "$testdata/models/ggml-silero-v6.2.0.bin"; do
  [ -f "$f" ] || fail "test data missing: $f"
done

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
missing=()
command -v chromium > /dev/null || missing+=(chromium)
[ -f /usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf ] || missing+=(fonts-noto-core)
command -v ffmpeg > /dev/null || missing+=(ffmpeg)
command -v npm > /dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} (Debian packages)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi
(cd tests/review/browser && npm ci --no-audit --no-fund --loglevel=error > /dev/null)

t=$(mktemp -d /tmp/cinesub-review.XXXXXX)
cleanup() { if [ "${KEEP:-0}" = 1 ]; then say "kept $t"; else rm -rf "$t"; fi; }
trap cleanup EXIT
shots=${2:-$t/shots}
mkdir -p "$shots"

# --- the Hindi mixture: clips 000–003 with 0.6 s pauses, the reference SRT from the clips' lengths ----
srt_time() { awk -v s="$1" 'BEGIN { ms = int(s * 1000 + 0.5); printf "%02d:%02d:%02d,%03d", ms / 3600000, (ms / 60000) % 60, (ms / 1000) % 60, ms % 1000 }'; }
: > "$t/list.txt"
: > "$t/hindi_mix.srt"
at=0.3
n=0
ffmpeg -v error -f lavfi -i anullsrc=r=16000:cl=mono -t 0.3 -c:a pcm_s16le "$t/lead.wav"
ffmpeg -v error -f lavfi -i anullsrc=r=16000:cl=mono -t 0.6 -c:a pcm_s16le "$t/pause.wav"
echo "file '$t/lead.wav'" >> "$t/list.txt"
for clip in hindi_000 hindi_001 hindi_002 hindi_003; do
  ffmpeg -v error -i "$hindi/$clip.wav" -ar 16000 -ac 1 -c:a pcm_s16le "$t/$clip.wav"
  len=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$t/$clip.wav")
  text=$(awk -F'\t' -v f="$clip.wav" '$1 == f { print $2 }' "$hindi/transcriptions.tsv")
  [ -n "$text" ] || fail "no transcription for $clip in $hindi/transcriptions.tsv"
  end=$(awk -v a="$at" -v l="$len" 'BEGIN { printf "%.3f", a + l }')
  n=$((n + 1))
  printf '%d\n%s --> %s\n%s\n\n' "$n" "$(srt_time "$at")" "$(srt_time "$end")" "$text" >> "$t/hindi_mix.srt"
  printf "file '%s'\nfile '%s'\n" "$t/$clip.wav" "$t/pause.wav" >> "$t/list.txt"
  at=$(awk -v e="$end" 'BEGIN { printf "%.3f", e + 0.6 }')
done
ffmpeg -v error -f concat -safe 0 -i "$t/list.txt" -c:a pcm_s16le "$t/hindi_mix.wav"

# --- the two jobs (replay engine), run to the end --------------------------------------------------
job() {  # media reference source_lang workflow
  "$cinesub" prepare "$1" --out "$t/out" --user review --source-lang "$3" -w "$4" \
    --asr-engine "replay:$2" --vad-model "$testdata/models/ggml-silero-v6.2.0.bin" |
    sed -n 's/^prepared job [^ ]* in //p'
}
en_job=$(job "$video/sintel_trailer_first27s.webm" "$video/sintel_trailer_first27s_en.reference.srt" en transcribe)
hi_job=$(job "$t/hindi_mix.wav" "$t/hindi_mix.srt" hi transcribe)
for j in "$en_job" "$hi_job"; do
  [ -d "$j" ] || fail "prepare made no job folder ($j)"
  "$cinesub" run "$j" > "$t/run.log" 2>&1 || {
    cat "$t/run.log"
    fail "cinesub run $j failed"
  }
done

node tests/review/browser/browser_test.mjs --cinesub "$cinesub" --job "$en_job" --job "$hi_job" --shots "$shots"
node tests/review/browser/browser_test.mjs --perf --shots "$shots"
say "PASS (screenshots in $shots)"
