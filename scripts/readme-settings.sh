#!/usr/bin/env bash
# Regenerates README.md's settings section (between the settings:begin / settings:end markers) from
# `cinesub settings --markdown`, the single source of every setting's default, range and description.
#   scripts/readme-settings.sh [path/to/cinesub]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/tools/cinesub}
table=$(mktemp)
trap 'rm -f "$table" README.md.tmp' EXIT
"$bin" settings --markdown >"$table"
awk -v table="$table" '
  /<!-- settings:begin/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
  /<!-- settings:end -->/ { skip = 0 }
  !skip { print }
' README.md >README.md.tmp
grep -q '<!-- settings:end -->' README.md.tmp || { echo "readme-settings: markers missing in README.md" >&2; exit 1; }
mv README.md.tmp README.md
echo "readme-settings: README.md updated"
