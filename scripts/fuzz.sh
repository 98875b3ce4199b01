#!/usr/bin/env bash
# Runs the libFuzzer target on the template readers for N seconds (default 60;
# the issue's acceptance run is 600). Seeds: the golden cases' input files.
set -euo pipefail
seconds="${1:-60}"
cd "$(dirname "$0")/.."
bash scripts/build.sh fuzz
corpus=build/fuzz/corpus
mkdir -p "$corpus"
cp fuzz/seeds/* "$corpus"/ 2>/dev/null || true
build/fuzz/fuzz/templates_fuzz -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$corpus" 2>&1 | tail -n 15
echo "fuzz: ${seconds}s without a crash"
