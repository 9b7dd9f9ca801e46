#!/usr/bin/env bash
# The cinesub:cpu image for real, without a Docker daemon: built with buildah (--isolation chroot) on a
# Debian 12 base made here with debootstrap (scripts/container-build.sh), then run with `buildah run`:
# `cinesub --version`, a model cache filled through a mounted folder (a synthetic tiny model made by
# the image's own make-synthetic-model, the Silero VAD from the test data), and a short transcribe job
# on a mounted film as the image's non-root user with the model cache mounted read-only. Checks the
# job's outputs on the host, that they belong to the image's user, that the container's own file tree
# was not written to, the image's size (cpu goal: < 250 MB) and that it holds no compiler, no headers
# and no model. Needs root (debootstrap, buildah); installs buildah and debootstrap when missing.
# Slow the first time (Debian packages + a compile of cinesub and whisper.cpp inside the build stage),
# so CI runs it only with CINESUB_CONTAINER_TEST=1.
#
#   tests/deploy/container_test.sh            (KEEP=1 keeps the temp folder)
#   MODE=cuda LIBCUDA=/path/libcuda.so.1 tests/deploy/container_test.sh
#
# MODE=cuda checks cinesub:cuda the same way where no GPU is: LIBCUDA (a driver library, e.g. the
# host's, or Debian's libcuda1 from the build stage's layer) is mounted at /usr/lib/x86_64-linux-gnu/
# libcuda.so.1 as the NVIDIA container toolkit would; the binary must not load without it, and with
# it runs on the CPU when no device is seen. The synthetic model comes from the cpu image's
# make-synthetic-model (the cuda image holds cinesub alone). The cuda build compiles ggml's CUDA
# kernels: about an hour on 2 cores the first time.
set -euo pipefail
cd "$(dirname "$0")/../.."
testdata=$(cd "${CINESUB_TESTDATA:-../shared/testdata}" && pwd)
start=$SECONDS
say() { echo "container_test: $*"; }
fail() {
  say "FAIL: $*"
  exit 1
}
[ "$(id -u)" = 0 ] || fail "needs root (debootstrap, buildah)"
for f in media/hi_commonvoice/hindi_000.wav models/ggml-tiny-header-only.bin models/ggml-silero-v6.2.0.bin; do
  [ -f "$testdata/$f" ] || fail "test data missing: $testdata/$f"
done
if ! command -v buildah > /dev/null || ! command -v debootstrap > /dev/null; then
  say "installing buildah and debootstrap (Debian packages)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends buildah debootstrap > /dev/null
fi

mode=${MODE:-cpu}
case "$mode" in cpu | cuda) ;; *) fail "MODE must be cpu or cuda" ;; esac
image=localhost/cinesub:$mode
if [ "$mode" = cuda ]; then
  if [ -z "${LIBCUDA:-}" ] || [ ! -f "$LIBCUDA" ]; then fail "MODE=cuda needs LIBCUDA=FILE (a libcuda.so.1 to mount)"; fi
  scripts/container-build.sh --mode cpu --engine buildah --tag localhost/cinesub:cpu > /dev/null
fi
scripts/container-build.sh --mode "$mode" --engine buildah --tag "$image"
listed=$(buildah images --format '{{.Name}}:{{.Tag}} {{.Size}}' | awk -v i="$image" '$1 == i {print $2, $3}')
say "image $image: $listed"
if [ "$mode" = cpu ]; then
  read -r size unit <<< "$listed"
  if [ "$unit" != MB ] || ! awk -v s="$size" 'BEGIN { exit !(s < 250) }'; then fail "cinesub:cpu is $listed (goal: < 250 MB)"; fi
fi

t=$(mktemp -d /var/tmp/cinesub-container.XXXXXX)
ctr="" maker=""
cleanup() {
  [ -z "$ctr" ] || { buildah umount "$ctr" > /dev/null 2>&1 || true; buildah rm "$ctr" > /dev/null 2>&1 || true; }
  [ -z "$maker" ] || [ "$maker" = "$ctr" ] || buildah rm "$maker" > /dev/null 2>&1 || true
  if [ "${KEEP:-0}" = 1 ]; then say "kept $t"; else rm -rf "$t"; fi
}
trap cleanup EXIT
mkdir -p "$t/models" "$t/media" "$t/out" "$t/header"
cp "$testdata/media/hi_commonvoice/hindi_000.wav" "$t/media/film.wav"
cp "$testdata/models/ggml-tiny-header-only.bin" "$t/header/"
cp "$testdata/models/ggml-silero-v6.2.0.bin" "$t/header/"
chown -R 10001:10001 "$t/models" "$t/out"

ctr=$(buildah from "$image")
mnt=$(buildah mount "$ctr")
# What the image holds: no compiler, no headers, no model, no shell.
for bad in usr/bin/gcc usr/bin/cc usr/bin/c++ usr/include bin/sh usr/bin/apt-get; do
  [ ! -e "$mnt/$bad" ] || fail "the image has /$bad"
done
models_in=$(find "$mnt" -xdev -name '*.bin' -size +1M | wc -l)
[ "$models_in" = 0 ] || fail "the image has $models_in model-sized .bin files"
find "$mnt" -xdev -type f ! -path "$mnt/tmp/*" | sort > "$t/tree.before"

drv=()  # cuda: the driver library's mount, once the binary is seen not to load without it
run() { buildah run --isolation chroot "${drv[@]}" "$@"; }
if [ "$mode" = cuda ]; then
  [ ! -e "$mnt/usr/local/bin/make-synthetic-model" ] || fail "the cuda image has make-synthetic-model"
  ls "$mnt"/usr/lib/x86_64-linux-gnu/libcuda.so* > /dev/null 2>&1 && fail "the cuda image has its own libcuda"
  if out=$(run "$ctr" -- /usr/local/bin/cinesub --version 2>&1); then
    fail "cinesub ran without a driver library: $out"
  fi
  case "$out" in *libcuda.so.1*) say "without libcuda.so.1 mounted: does not load, as it should" ;; *) fail "without libcuda: $out" ;; esac
  drv=(-v "$LIBCUDA:/usr/lib/x86_64-linux-gnu/libcuda.so.1:ro")
fi
version=$(run --user 10001:10001 "$ctr" -- /usr/local/bin/cinesub --version)
say "inside: $version"
case "$version" in "cinesub "*) ;; *) fail "cinesub --version said '$version'" ;; esac

# The model cache, through a mounted folder (writable for this step only).
run --user 10001:10001 -v "$t/models:/models" -v "$t/header:/header:ro" "$ctr" -- \
  /usr/local/bin/cinesub models add /header/ggml-silero-v6.2.0.bin > /dev/null
maker=$ctr
[ "$mode" = cpu ] || maker=$(buildah from localhost/cinesub:cpu)
buildah run --isolation chroot --user 10001:10001 -v "$t/models:/models" -v "$t/header:/header:ro" "$maker" -- \
  /usr/local/bin/make-synthetic-model --type tiny --header /header/ggml-tiny-header-only.bin --out /models/tiny.bin > /dev/null
[ "$maker" = "$ctr" ] || { buildah rm "$maker" > /dev/null; maker=""; }
if [ "$mode" = cuda ]; then
  run --user 10001:10001 "$ctr" -- /usr/local/bin/cinesub doctor > "$t/doctor.txt" 2>&1 || fail "cinesub doctor failed: $(tail -1 "$t/doctor.txt")"
  grep -q "CUDA : ARCHS" "$t/doctor.txt" || fail "the cuda image's whisper.cpp has no CUDA backend: $(grep whisper "$t/doctor.txt")"
  say "doctor: $(grep -o 'CUDA : ARCHS = [0-9,]*' "$t/doctor.txt"); $(grep '^  GPUs' "$t/doctor.txt" | sed 's/^ *//')"
fi
run --user 10001:10001 -v "$t/models:/models" "$ctr" -- /usr/local/bin/cinesub models add /models/tiny.bin > /dev/null
rm -f "$t/models/tiny.bin"
ls "$t/models"

# The job: media read-only, the model cache read-only, outputs to /out.
t0=$SECONDS
run --user 10001:10001 -v "$t/models:/models:ro" -v "$t/media:/media:ro" -v "$t/out:/out" "$ctr" -- \
  /usr/local/bin/cinesub batch /media --model tiny-synthetic --workflow transcribe --source-lang hi --json \
  > "$t/report.json" || {
  cat "$t/report.json"
  fail "the transcribe job failed inside the container"
}
say "transcribe job inside the container: $((SECONDS - t0)) s"
python3 - "$t/report.json" "$t/out" << 'EOF' || fail "the job's outputs are not right"
import json, os, sys
r = json.load(open(sys.argv[1]))
assert r["done"] == 1 and r["failed"] == 0, r
job = r["films"][0]["dir"]
assert job.startswith("/out/"), job
host = os.path.join(sys.argv[2], os.path.relpath(job, "/out"))
srt = [os.path.join(d, f) for d, _, fs in os.walk(host) for f in fs if f.endswith(".srt")]
mkv = [os.path.join(d, f) for d, _, fs in os.walk(host) for f in fs if f.endswith(".mkv")]
assert srt and mkv, (srt, mkv)
owners = {os.stat(p).st_uid for p in srt + mkv}
assert owners == {10001}, owners
print(f"container_test: job {r['films'][0]['job']}: {len(srt)} SRT + {os.path.basename(mkv[0])} on the host, owned by 10001")
EOF
# Nothing written into the container's own file tree (only the mounts and /tmp); /etc/hostname, hosts
# and resolv.conf are the runtime's (buildah run writes them into every container), and so is the empty
# file it makes as the mount point of the cuda mode's libcuda.so.1.
find "$mnt" -xdev -type f ! -path "$mnt/tmp/*" ! -path "$mnt/etc/hostname" ! -path "$mnt/etc/hosts" \
  ! -path "$mnt/etc/resolv.conf" ! -path "$mnt/usr/lib/x86_64-linux-gnu/libcuda.so.1" | sort > "$t/tree.after"
if ! diff -q "$t/tree.before" "$t/tree.after" > /dev/null; then
  diff "$t/tree.before" "$t/tree.after" | head
  fail "the container wrote outside its mounts"
fi
say "the container wrote only to its mounted folders"
say "PASS in $((SECONDS - start)) s (image $listed)"
