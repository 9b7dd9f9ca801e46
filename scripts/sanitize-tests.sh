#!/usr/bin/env bash
# Sanitizer test runs (CI runs both after `make test`; by hand: make asan / make tsan):
#
#   scripts/sanitize-tests.sh asan   # Debug, -fsanitize=address,undefined: every unit test but the whisper engine's
#   scripts/sanitize-tests.sh tsan   # RelWithDebInfo, -fsanitize=thread: the engine, VAD and runner tests
#
# Each mode has its own build tree (build-asan, build-tsan; BUILD_DIR=... overrides), configured by
# scripts/setup.sh (same Debian packages; CMAKE_ARGS is passed on, e.g. -DCINESUB_WERROR=ON) with
# -DCINESUB_SANITIZE=… (cmake/sanitize.cmake says what is instrumented where). The whisper.cpp tarball of
# the plain build (build/_deps) is reused when it is there, so no second `npm pack`.
# Extra arguments go to ctest (e.g. -R Demux, --repeat until-fail:3).
#
# asan: ctest -E '^Engine': the whisper engine tests (EngineTest.*, EngineModels.*, EngineRealModel.*,
#   EngineBench.*) decode with the synthetic tiny model, and a Debug whisper.cpp/ggml under ASan takes
#   minutes per test; the engine's threads are checked by the TSan run instead. Every other test runs,
#   fuzz targets (the GCC driver's 200 000 mutations each) included. Any ASan/UBSan report fails its test:
#   -fno-sanitize-recover=all, and a report in a child process (the CLI tests run build-asan/tools/cinesub)
#   aborts that child, so its exit code is wrong.
#   Demux.MemoryStaysFlatOnLongInput skips itself: ASan's shadow memory counts in the RSS it bounds.
# tsan: only test_asr, test_vad and test_pipeline are built and run (ctest -L: each test carries its
#   area's label, tests/CMakeLists.txt): the whisper engine (EngineTest.*: parallel decoding workers on
#   one model, interruption, ggml's thread pool), the parallel Silero runs (SileroTest.*) and the runner
#   (stage threads, timeouts, interruption, job lock); the areas' single-threaded tests come along (cheap).
#   RelWithDebInfo (-O2 -g): TSan's cost is per memory access, and a -O0 ggml would make the decoding
#   tests several times slower without finding more.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
shift || true
case "$mode" in
  asan)
    build=${BUILD_DIR:-build-asan}
    # File by file (no unity batches): this is also CI's check that every .cpp includes what it uses.
    config=(-DCMAKE_BUILD_TYPE=Debug -DCINESUB_SANITIZE=address,undefined -DCINESUB_BUILD_BENCH=OFF -DCINESUB_UNITY_BUILD=OFF)
    targets=all
    select=(-E '^Engine')
    ;;
  tsan)
    build=${BUILD_DIR:-build-tsan}
    config=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCINESUB_SANITIZE=thread -DCINESUB_BUILD_BENCH=OFF)
    targets="test_asr test_vad test_pipeline"
    select=(-L '^(asr|vad|pipeline)$')
    ;;
  *)
    echo "usage: $0 asan|tsan [ctest args...]" >&2
    exit 2
    ;;
esac

tarball=build/_deps/nodejs-whisper-0.3.1.tgz
[ -f "$tarball" ] && [ ! -f "$build/CMakeCache.txt" ] && config+=("-DCINESUB_WHISPER_TARBALL=$PWD/$tarball")

BUILD_DIR="$build" CINESUB_TARGETS="$targets" CMAKE_ARGS="${CMAKE_ARGS:-} ${config[*]}" scripts/setup.sh

# Sanitizer settings, here so that a developer's run and CI's are the same.
#   ASan: abort (not exit 1) on a report, so a CLI child's report cannot pass for "internal error".
#   UBSan: stacks in the report (it already aborts: -fno-sanitize-recover=all).
#   TSan: exit 66 after the test's reports (ctest fails it); second_deadlock_stack for lock-order reports.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=0:exitcode=66:second_deadlock_stack=1:history_size=4}

start=$(date +%s)
ctest --test-dir "$build" --output-on-failure -j 2 --timeout 900 "${select[@]}" "$@"
echo "sanitize-tests: $mode passed in $(($(date +%s) - start)) s of tests ($build)"
