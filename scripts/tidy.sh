#!/usr/bin/env bash
# clang-tidy (.clang-tidy) on the library and the programs: every .cpp under src/ and tools/. The normal
# build compiles cinesub's sources in unity batches (CINESUB_UNITY_BUILD), so clang-tidy gets per-file
# compile commands from a tree of its own, configured (not built) next to BUILD_DIR: BUILD_DIR-tidy.
# Exit 0 only when clang-tidy reports nothing.
#   scripts/tidy.sh [BUILD_DIR] [FILE...]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
tidy="$build-tidy"
config=(-S . -B "$tidy" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCINESUB_UNITY_BUILD=OFF)
tarball=$build/_deps/nodejs-whisper-0.3.1.tgz
[ -f "$tarball" ] && [ ! -f "$tidy/CMakeCache.txt" ] && config+=("-DCINESUB_WHISPER_TARBALL=$PWD/$tarball")
cmake "${config[@]}" >/dev/null || { echo "tidy: could not configure $tidy" >&2; exit 2; }
build=$tidy
if [ $# -gt 0 ]; then files=("$@"); else mapfile -t files < <(git ls-files 'src/*.cpp' 'tools/*.cpp'); fi
# The compile commands carry GCC-only flags clang does not know (-Wno-unknown-warning-option), and FFmpeg's
# AV_TIME_BASE_Q macro is a C99 compound literal (-Wno-c99-extensions).
run-clang-tidy -quiet -p "$build" -j "$(nproc)" -extra-arg=-Wno-unknown-warning-option -extra-arg=-Wno-c99-extensions "${files[@]}" 2>&1 \
  | grep -v -E '^(clang-tidy|[0-9]+ warnings? (and [0-9]+ errors? )?generated|Suppressed [0-9]+ warnings|Use -header-filter)' \
  | sed -E "s/\x1b\[[0-9;]*m//g" | tee "$build/tidy.log" >&2 || true
if grep -qE '(warning|error):' "$build/tidy.log"; then
  echo "tidy: $(grep -cE '(warning|error):' "$build/tidy.log") findings ($build/tidy.log)" >&2
  exit 1
fi
echo "tidy: clean (${#files[@]} files)"
