#!/usr/bin/env bash
# deploy/slurm/cinesub-array.sbatch on a real Slurm: munged, slurmctld and slurmd started on this machine
# (one node, localhost, everything under a temp folder), a job array over three films from the shared
# test data plus one corrupt file, a synthetic Whisper model in a model cache. Checks every task's
# state and exit code and every film's outputs; then the corrupt film is replaced and its index alone is
# resubmitted. Installs Debian's slurm-wlm and munge when missing (needs root, as slurmd does).
#
#   tests/deploy/slurm_test.sh [BUILD_DIR]      (default: build; needs build/tools/cinesub and
#                                                 build/tools/make-synthetic-model)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
build=$(cd "${1:-build}" && pwd)
testdata=$(cd "${CINESUB_TESTDATA:-../shared/testdata}" && pwd)
cinesub="$build/tools/cinesub"
start=$SECONDS

say() { echo "slurm_test: $*"; }
fail() {
  say "FAIL: $*"
  exit 1
}

[ "$(id -u)" = 0 ] || fail "needs root (slurmd runs jobs as their user; apt-get installs the packages)"
[ -x "$cinesub" ] || fail "no $cinesub: build it first (make setup)"
for f in media/hi_commonvoice/hindi_000.wav media/hi_commonvoice/hindi_001.wav media/en/en_jfk.wav \
  models/ggml-tiny-header-only.bin models/ggml-silero-v6.2.0.bin; do
  [ -f "$testdata/$f" ] || fail "test data missing: $testdata/$f"
done
if ! command -v slurmctld > /dev/null || ! command -v slurmd > /dev/null || ! command -v munged > /dev/null; then
  say "installing slurm-wlm and munge (Debian packages)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends slurm-wlm munge > /dev/null
fi

t=$(mktemp -d /tmp/cinesub-slurm.XXXXXX)
chmod 755 "$t"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  [ -f "$t/munged.pid" ] && kill "$(cat "$t/munged.pid")" 2> /dev/null || true
  wait 2> /dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then say "kept $t"; else rm -rf "$t"; fi
}
trap cleanup EXIT

# --- munge: a private key and socket --------------------------------------------------------------
dd if=/dev/urandom of="$t/munge.key" bs=1024 count=1 2> /dev/null
chmod 600 "$t/munge.key"
munged --socket="$t/munge.sock" --key-file="$t/munge.key" --pid-file="$t/munged.pid" \
  --log-file="$t/munged.log" --seed-file="$t/munge.seed" --force

# --- slurm: one node, this machine, free ports ----------------------------------------------------
host=$(hostname -s)
cpus=$(nproc)
mem=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2))
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
mkdir -p "$t/state" "$t/spool" "$t/work"
cat > "$t/slurm.conf" << EOF
ClusterName=cinesubtest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$(port)
SlurmdPort=$(port)
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$t/munge.sock
StateSaveLocation=$t/state
SlurmdSpoolDir=$t/spool
SlurmctldPidFile=$t/slurmctld.pid
SlurmdPidFile=$t/slurmd.pid
SlurmctldLogFile=$t/slurmctld.log
SlurmdLogFile=$t/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=3600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$t/slurm.conf"
slurmctld -D -i > "$t/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D > "$t/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  state=$(sinfo -h -n "$host" -o %T 2> /dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.2
done
[ "$state" = idle ] || {
  tail -5 "$t/slurmctld.log" "$t/slurmd.log" 2> /dev/null || true
  fail "the node did not come up (state '$state')"
}
say "$(sbatch --version): slurmctld + slurmd up on $host ($cpus CPUs)"

# --- films, a model cache, the list ---------------------------------------------------------------
films="$t/films"
mkdir -p "$films" "$t/models" "$t/out"
cp "$testdata/media/hi_commonvoice/hindi_000.wav" "$films/film_a.wav"
cp "$testdata/media/hi_commonvoice/hindi_001.wav" "$films/film_b.wav"
cp "$testdata/media/en/en_jfk.wav" "$films/film_c.wav"
head -c 20000 /dev/urandom > "$films/film_d.mkv" # corrupt
"$build/tools/make-synthetic-model" --type tiny --header "$testdata/models/ggml-tiny-header-only.bin" \
  --out "$t/work/tiny.bin" > /dev/null
export CINESUB_MODEL_DIR="$t/models"
"$cinesub" models add "$t/work/tiny.bin" > /dev/null # as tiny-synthetic
"$cinesub" models add "$testdata/models/ggml-silero-v6.2.0.bin" > /dev/null
printf '%s\n' "# films for the array" film_a.wav film_b.wav film_c.wav film_d.mkv > "$films/list.txt"
n=$("$cinesub" batch --list "$films/list.txt" --count)
[ "$n" = 4 ] || fail "batch --count gave '$n', not 4"

# --- the array ------------------------------------------------------------------------------------
submit() { # ARRAY → job id; waits for every task
  (cd "$t/work" && CINESUB="$cinesub" CINESUB_OUT="$t/out" sbatch --parsable --wait --array="$1" \
    --cpus-per-task=1 --mem=1G "$root/deploy/slurm/cinesub-array.sbatch" "$films/list.txt" \
    --model tiny-synthetic --workflow transcribe --source-lang hi) || true
}
task_field() { # JOB TASK FIELD
  scontrol -o show job "$1" | awk -v task="$2" -v want="$3" '
    { id = ""; val = ""; for (i = 1; i <= NF; i++) { split($i, kv, "=");
        if (kv[1] == "ArrayTaskId") id = kv[2]; if (kv[1] == want) val = substr($i, length(kv[1]) + 2) }
      if (id == task) print val }'
}
t0=$SECONDS
array=$(submit 0-3 | tail -1)
[ -n "$array" ] || fail "sbatch gave no job id"
say "array $array (4 tasks) finished in $((SECONDS - t0)) s"
for i in 0 1 2; do
  state=$(task_field "$array" "$i" JobState)
  code=$(task_field "$array" "$i" ExitCode)
  [ "$state" = COMPLETED ] && [ "$code" = 0:0 ] || {
    cat "$t/work/cinesub-${array}_$i.out" || true
    fail "task $i: $state, exit $code (want COMPLETED 0:0)"
  }
  out="$t/work/cinesub-${array}_$i.out"
  python3 - "$out" "$i" << 'EOF' || fail "task $i: its summary is not one finished film"
import json, os, sys
text = open(sys.argv[1]).read()
r = json.loads(text[text.index("{"):])
films = r["films"]
assert len(films) == 1 and films[0]["state"] == "done", films
job = films[0]["dir"]
status = json.load(open(os.path.join(job, "job.json")))
subs = [f for _, _, fs in os.walk(os.path.join(job, "stages", "09_subtitles")) for f in fs if f.endswith(".srt")]
mux = [f for _, _, fs in os.walk(os.path.join(job, "stages", "10_mux")) for f in fs if f.endswith(".mkv")]
assert subs and mux, (subs, mux)
assert os.path.exists(os.path.join(job, "stages", "10_mux", "manifest.json"))
print(f"slurm_test: task {sys.argv[2]}: {os.path.basename(films[0]['media'])} done, job {films[0]['job']}, "
      f"{films[0]['media_seconds']} s of audio in {films[0]['seconds']} s, {subs[0]}, {mux[0]}")
EOF
done
state=$(task_field "$array" 3 JobState)
code=$(task_field "$array" 3 ExitCode)
[ "$state" = FAILED ] && [ "$code" = 40:0 ] || fail "task 3 (corrupt film): $state, exit $code (want FAILED 40:0)"
grep -q "not a media file" "$t/work/cinesub-${array}_3.out" || fail "task 3: its summary does not say why"
say "task 3: corrupt film failed as it should ($state, exit $code)"

# --- the failed index again, its film fixed -------------------------------------------------------
rm "$films/film_d.mkv"
cp "$testdata/media/en/en_jfk.wav" "$films/film_d.mkv"
again=$(submit 3 | tail -1)
state=$(task_field "$again" 3 JobState)
code=$(task_field "$again" 3 ExitCode)
[ "$state" = COMPLETED ] && [ "$code" = 0:0 ] || {
  cat "$t/work/cinesub-${again}_3.out" || true
  fail "resubmitted task 3: $state, exit $code"
}
grep -q '"state": "done"' "$t/work/cinesub-${again}_3.out" || fail "resubmitted task 3 did not run its film"
say "resubmitted index 3 (job $again): COMPLETED 0:0"

# --- a task run again finds its film finished -----------------------------------------------------
third=$(submit 0 | tail -1)
grep -q '"state": "skipped"' "$t/work/cinesub-${third}_0.out" || fail "task 0 again: not skipped"
jobs=$("$cinesub" jobs --out "$t/out" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$jobs" = 4 ] || fail "$jobs jobs under the output root (want 4: one per film; the corrupt file made none)"
say "task 0 again: skipped (finished before); $jobs jobs in all"
say "PASS in $((SECONDS - start)) s"
