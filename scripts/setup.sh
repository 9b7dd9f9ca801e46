#!/usr/bin/env bash
# cinesub set-up on Debian 12: installs the Debian packages that are missing, fetches whisper.cpp
# v1.9.1 (npm pack nodejs-whisper@0.3.1, sha256-pinned in cmake/whisper.cmake) into the build tree,
# configures and builds. Idempotent: a second run only rebuilds what changed.
#
#   scripts/setup.sh                 # Release build in ./build
#   CINESUB_CUDA=ON scripts/setup.sh # whisper.cpp/ggml with CUDA (needs nvcc)
#   BUILD_DIR=build-x CMAKE_ARGS="-DCINESUB_WERROR=ON" scripts/setup.sh
#   CINESUB_TARGETS=all scripts/setup.sh   # build every target (tests, fuzz, bench): what `make test` does
#
# By default only the CLI and the synthetic-model tool are built (cinesub, make-synthetic-model): all that
# `make sample` runs. `make test` builds the rest (tests, fuzz targets, benchmarks) before running CTest.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache
  libavformat-dev libavcodec-dev libavutil-dev libswresample-dev libswscale-dev
  libicu-dev libcurl4-openssl-dev libssl-dev zlib1g-dev
  nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcpp-httplib-dev
  libfftw3-dev libeigen3-dev libxml2-dev
  ffmpeg espeak-ng
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm usually comes with Node.js (Debian's nodejs or NodeSource's, which replaces Debian's npm package):
# only ask apt for npm when no npm command exists at all.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake_args=(-S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release)
[ "${CINESUB_CUDA:-OFF}" = "ON" ] && cmake_args+=(-DCINESUB_CUDA=ON)
# shellcheck disable=SC2206
[ -n "${CMAKE_ARGS:-}" ] && cmake_args+=(${CMAKE_ARGS})
cmake "${cmake_args[@]}" >/dev/null
targets=${CINESUB_TARGETS:-cinesub make-synthetic-model}
# shellcheck disable=SC2086
cmake --build "$BUILD_DIR" -j "$(nproc)" --target $targets
echo "setup: built $targets in $BUILD_DIR"
