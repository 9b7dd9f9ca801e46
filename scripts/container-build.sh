#!/usr/bin/env bash
# Builds the cinesub image for one backend from Containerfile: cinesub:cpu or cinesub:cuda.
#
#   scripts/container-build.sh --mode cpu|cuda [--engine docker|podman|buildah] [--base IMAGE] [--tag NAME]
#
# --engine: the first of docker, podman, buildah found. --base: the Debian 12 image to build on; by default
# localhost/cinesub-debian:12, made here with debootstrap from Debian's archive when it does not exist yet
# (no container registry needed; debootstrap needs root). With buildah the build runs with
# --isolation chroot (no daemon, no user namespaces). whisper.cpp's npm tarball is put in the build
# context (.container/): from the build tree when it is there, else `npm pack nodejs-whisper@0.3.1`;
# CMake checks its pinned sha256 inside the build as everywhere. Prints the image's size at the end.
# Environment: JOBS (compile jobs; default nproc), CUDA_ARCHS (the cuda build's compute capabilities,
# e.g. "86;89"; default the Containerfile's).
set -euo pipefail
cd "$(dirname "$0")/.."

mode="" engine="" base="" tag=""
while [ $# -gt 0 ]; do
  case "$1" in
    --mode) mode=$2; shift 2 ;;
    --engine) engine=$2; shift 2 ;;
    --base) base=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "container-build: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$mode" in cpu | cuda) ;; *) echo "container-build: --mode cpu or --mode cuda" >&2; exit 2 ;; esac
if [ -z "$engine" ]; then
  for e in docker podman buildah; do command -v "$e" > /dev/null && { engine=$e; break; }; done
fi
case "$engine" in docker | podman | buildah) ;; *) echo "container-build: no docker, podman or buildah (or bad --engine '$engine')" >&2; exit 2 ;; esac
command -v "$engine" > /dev/null || { echo "container-build: $engine is not installed" >&2; exit 2; }
tag=${tag:-cinesub:$mode}
say() { echo "container-build: $*"; }

# --- whisper.cpp's tarball into the context --------------------------------------------------------
mkdir -p .container
tgz=.container/nodejs-whisper-0.3.1.tgz
if [ ! -s "$tgz" ]; then
  found=$(ls build*/_deps/nodejs-whisper-0.3.1.tgz 2> /dev/null | head -1 || true)
  if [ -n "$found" ]; then cp "$found" "$tgz"; else (cd .container && npm pack --silent nodejs-whisper@0.3.1 > /dev/null); fi
fi

# --- the Debian 12 base ----------------------------------------------------------------------------
image_exists() {
  case "$engine" in
    buildah) buildah inspect --type image "$1" > /dev/null 2>&1 ;;
    *) "$engine" image inspect "$1" > /dev/null 2>&1 ;;
  esac
}
if [ -z "$base" ]; then
  base=localhost/cinesub-debian:12
  if ! image_exists "$base"; then
    [ "$(id -u)" = 0 ] || { echo "container-build: debootstrap needs root (or pass --base debian:12)" >&2; exit 2; }
    command -v debootstrap > /dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap > /dev/null
    mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
    root=$(mktemp -d /var/tmp/cinesub-debian.XXXXXX)
    trap 'rm -rf "$root" "$root.tar"' EXIT
    say "making $base with debootstrap (bookworm, minbase) from $mirror"
    debootstrap --variant=minbase bookworm "$root" "$mirror" > "$root.log" 2>&1 || { tail -20 "$root.log" >&2; exit 1; }
    rm -f "$root/etc/apt/sources.list"
    cat > "$root/etc/apt/sources.list.d/debian.sources" << EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    tar -C "$root" -cf "$root.tar" .
    case "$engine" in
      buildah)
        ctr=$(buildah from scratch)
        buildah add "$ctr" "$root.tar" / > /dev/null
        buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd /bin/bash "$ctr"
        buildah commit --quiet "$ctr" "$base" > /dev/null
        buildah rm "$ctr" > /dev/null
        ;;
      *) "$engine" import --change 'CMD ["/bin/bash"]' "$root.tar" "$base" > /dev/null ;;
    esac
    say "made $base"
  fi
fi

# --- the image -------------------------------------------------------------------------------------
cuda=OFF
[ "$mode" = cuda ] && cuda=ON
jobs=${JOBS:-$(nproc)}
say "building $tag with $engine (target $mode, base $base, CUDA $cuda, $jobs jobs)"
start=$SECONDS
case "$engine" in
  buildah)
    buildah bud --isolation chroot --layers --target "$mode" --build-arg BASE="$base" --build-arg CUDA="$cuda" \
      --build-arg JOBS="$jobs" ${CUDA_ARCHS:+--build-arg CUDA_ARCHS="$CUDA_ARCHS"} -f Containerfile -t "$tag" .
    size=$(buildah inspect --type image --format '{{.FromImageID}}' "$tag" > /dev/null && buildah images --format '{{.Size}}' "$tag" | head -1)
    ;;
  *)
    "$engine" build --target "$mode" --build-arg BASE="$base" --build-arg CUDA="$cuda" --build-arg JOBS="$jobs" \
      ${CUDA_ARCHS:+--build-arg CUDA_ARCHS="$CUDA_ARCHS"} -f Containerfile -t "$tag" .
    size=$("$engine" image inspect --format '{{.Size}}' "$tag" | awk '{printf "%.1f MB", $1 / 1e6}')
    ;;
esac
say "built $tag in $((SECONDS - start)) s: $size"
