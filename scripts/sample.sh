#!/usr/bin/env bash
# Runs the whole cinesub pipeline on the project's sample film (scripts/make-sample-film.sh) and
# prints where the subtitled video and subtitle files are. Uses a real Whisper model from the cache
# (downloading `base` where a network exists); with neither, says so in one line and runs with a
# SYNTHETIC model (random weights: mechanics only, every output is marked SYNTHETIC).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
bin="$BUILD_DIR/tools/cinesub"
sample="$BUILD_DIR/sample"
shared=${CINESUB_TESTDATA:-../shared/testdata}/models
scripts/make-sample-film.sh "$sample" >/dev/null

# Silero VAD: cache, $CINESUB_VAD_MODEL, the shared test data ($CINESUB_TESTDATA or ../shared/testdata), or a download.
vad=${CINESUB_VAD_MODEL:-}
if [ -z "$vad" ]; then
  if [ -f "$shared/ggml-silero-v6.2.0.bin" ]; then vad="$shared/ggml-silero-v6.2.0.bin"
  elif "$bin" models download silero-v6.2.0 >/dev/null 2>&1; then vad=""
  else echo "sample: no Silero VAD model (cache, CINESUB_VAD_MODEL, ${shared%/models}) and no network" >&2; exit 30
  fi
fi

model=base
extra=()
if ! "$bin" models path base >/dev/null 2>&1 && ! "$bin" models download base >/dev/null 2>&1; then
  echo "sample: no Whisper model in the cache and no network: running with a SYNTHETIC model (mechanics only; the text is meaningless)"
  model="$sample/ggml-base-synthetic.bin"
  [ -s "$model" ] || "$BUILD_DIR/tools/make-synthetic-model" --type base --header "$shared/ggml-tiny-header-only.bin" \
    --out "$model" --seed 1 >/dev/null
  extra+=(--set asr.max_tokens=24)
fi

args=(prepare "$sample/sample.mkv" --title "cinesub sample" --source-lang hi --out "$sample/out" --model "$model" --json)
[ -n "$vad" ] && args+=(--vad-model "$vad")
job=$("$bin" "${args[@]}" "${extra[@]}" | sed -n 's/^  "dir": "\(.*\)",\{0,1\}$/\1/p')
"$bin" run "$job"
