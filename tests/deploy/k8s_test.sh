#!/usr/bin/env bash
# deploy/k8s/*.yaml checked offline against the Kubernetes API schema (npm: kubernetes-models 5.1.0,
# which knows Indexed Jobs and backoffLimitPerIndex; Debian 12's kubectl 1.20 predates both) and
# against what cinesub's Jobs need (tests/deploy/k8s/validate.mjs); then broken copies of each Job
# must be rejected. The validator's packages come from npm, pinned by package-lock.json, installed
# under BUILD_DIR/k8s-validate.
#
#   tests/deploy/k8s_test.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
dir="$build/k8s-validate"
command -v node > /dev/null && command -v npm > /dev/null || {
  echo "k8s_test: needs node and npm (Debian: apt-get install nodejs npm)" >&2
  exit 1
}
mkdir -p "$dir"
cp tests/deploy/k8s/package.json tests/deploy/k8s/package-lock.json tests/deploy/k8s/validate.mjs "$dir/"
if ! (cd "$dir" && npm ci --no-audit --no-fund --silent > npm.log 2>&1); then
  cat "$dir/npm.log" >&2
  echo "k8s_test: npm ci failed" >&2
  exit 1
fi
node "$dir/validate.mjs" --self-test deploy/k8s/*.yaml
