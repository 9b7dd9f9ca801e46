#!/usr/bin/env bash
# Makes cinesub's sample "film": espeak-ng dialogue in Hindi and English with pauses, a generated
# music cue, and an FFmpeg test-pattern video (H.264 + AAC in MKV, audio tagged Hindi), plus the
# script it speaks (sample.script.tsv: start, end, language, text) as a rough reference.
#   scripts/make-sample-film.sh OUT_DIR     → OUT_DIR/sample.mkv
set -euo pipefail
out=${1:?usage: make-sample-film.sh OUT_DIR}
mkdir -p "$out"
[ -s "$out/sample.mkv" ] && exit 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

lines=(
  "hi|नमस्ते दोस्तों, मेरा नाम राज है।"
  "en|Hello Simran, welcome to Mumbai."
  "hi|आज हम सब मिलकर फिल्म देखेंगे।"
  "music|8"
  "hi|सिमरन, क्या तुम मेरे साथ चलोगी?"
  "en|Yes, I will come with you tomorrow."
  "hi|बहुत अच्छा, फिर कल मिलते हैं।"
)

rate=16000
piece() { # $1 = index, $2 = wav → resampled mono 16 kHz
  ffmpeg -nostdin -loglevel error -y -i "$2" -ac 1 -ar $rate "$work/p$1.wav"
}
silence() { # $1 = index, $2 = seconds
  ffmpeg -nostdin -loglevel error -y -f lavfi -i "anullsrc=r=$rate:cl=mono" -t "$2" "$work/p$1.wav"
}

list="$work/list.txt"
: > "$list"
script="$out/sample.script.tsv.tmp"
: > "$script"
t=0
n=0
add() {
  echo "file 'p$n.wav'" >> "$list"
  t=$(awk -v a="$t" -v b="$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$work/p$n.wav")" 'BEGIN{printf "%.3f", a+b}')
  n=$((n+1))
}
silence $n 2.0; add
for entry in "${lines[@]}"; do
  kind=${entry%%|*}; text=${entry#*|}
  if [ "$kind" = music ]; then
    # A small melody with harmonics and a beat: music, not speech.
    ffmpeg -nostdin -loglevel error -y -f lavfi \
      -i "aevalsrc='0.25*sin(2*PI*(220*pow(2,floor(mod(t*2,8))/12))*t)+0.12*sin(2*PI*(440*pow(2,floor(mod(t*2,8))/12))*t)+0.1*sin(2*PI*55*t)*exp(-8*mod(t,0.5))':s=$rate:d=$text" \
      "$work/p$n.wav"
    start=$t; add; printf '%.3f\t%.3f\tmusic\t♪\n' "$start" "$t" >> "$script"
  else
    voice=$kind; [ "$kind" = en ] && voice=en-us
    espeak-ng -v "$voice" -s 150 -w "$work/raw$n.wav" "$text"
    piece $n "$work/raw$n.wav"
    start=$t; add; printf '%.3f\t%.3f\t%s\t%s\n' "$start" "$t" "$kind" "$text" >> "$script"
  fi
  silence $n 1.2; add
done
silence $n 2.0; add

ffmpeg -nostdin -loglevel error -y -f concat -safe 0 -i "$list" -c pcm_s16le "$work/audio.wav"
dur=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$work/audio.wav")
ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc2=size=640x360:rate=24" -i "$work/audio.wav" -t "$dur" \
  -c:v libx264 -preset veryfast -pix_fmt yuv420p -g 48 -c:a aac -b:a 96k \
  -metadata title="cinesub sample" -metadata:s:a:0 language=hin "$work/sample.mkv"
mv "$script" "$out/sample.script.tsv"
mv "$work/sample.mkv" "$out/sample.mkv"
echo "sample film: $out/sample.mkv (${dur%.*} s)"
