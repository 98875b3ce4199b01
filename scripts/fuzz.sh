#!/usr/bin/env bash
# Runs each libFuzzer target for N seconds (default 60): the template readers
# (seeds: the golden cases' input files) and the readings importer (seeds: the
# malformed-file corpus of tests/ingest, first byte 0 = CSV, 1 = JSON Lines),
# and the whole API, one request per input (seeds: fuzz/seeds-api).
set -euo pipefail
seconds="${1:-60}"
cd "$(dirname "$0")/.."
bash scripts/build.sh fuzz
run() {
  local target=$1 seeds=$2
  local corpus=build/fuzz/corpus-$target
  mkdir -p "$corpus"
  cp "$seeds"/* "$corpus"/ 2>/dev/null || true
  build/fuzz/fuzz/$target -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 "$corpus" 2>&1 | tail -n 15
  echo "fuzz: $target ran ${seconds}s without a crash"
}
run templates_fuzz fuzz/seeds
run readings_fuzz fuzz/seeds-readings
run api_fuzz fuzz/seeds-api
