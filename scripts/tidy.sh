#!/usr/bin/env bash
# clang-tidy (.clang-tidy: the checks, and why some are off) over every C++
# source of src/ and tools/ and the project headers they include, from the
# debug build's compile_commands.json; fails on any finding. Tests, benchmarks
# and fuzz targets are not checked (see .clang-tidy).
#   bash scripts/tidy.sh [BUILD_DIR] [FILE_REGEX]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/debug}
files=${2:-"$PWD/(src|tools)/"}
if [[ ! -f "$build/compile_commands.json" ]]; then
  echo "tidy: no $build/compile_commands.json; run scripts/build.sh debug first" >&2
  exit 1
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
count=$(python3 -c "import json,re,sys; print(sum(1 for c in json.load(open('$build/compile_commands.json')) if re.search(sys.argv[1], c['file'])))" "$files")
# g++ takes -Wno-restrict, clang does not know it: tell clang-tidy not to mind.
if ! run-clang-tidy -p "$build" -j "$(nproc)" -quiet -extra-arg=-Wno-unknown-warning-option \
  "$files" >"$out" 2>&1; then
  sed 's/\x1b\[[0-9;]*m//g' "$out" | grep -E "(error|warning): " | sort -u >&2 || cat "$out" >&2
  echo "tidy: the findings above (in $count files)" >&2
  exit 1
fi
echo "tidy: $count files, no finding"
