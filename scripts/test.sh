#!/usr/bin/env bash
# Every test. Release build: a smoke run of the benchmarks and the web app's
# end-to-end tests in Chromium (scripts/web-e2e.sh); fuzz build: a short
# libFuzzer run on the CSV readers; debug build (ASan + UBSan): clang-tidy, then unit, golden
# CLI and store tests (SQLite and a real PostgreSQL 15 server) with ctest, last, so that its summary closes the output.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/check-format.sh
# No function over 60 lines and no source file over 800 lines in src/ and tools/
# (issue 13).
python3 scripts/function-lengths.py
bash scripts/lint-api.sh  # api/openapi.json as OpenAPI 3.1 (Redocly CLI): no error, no warning
bash scripts/build.sh release
build/release/bench/inventory_bench --benchmark_min_time=0.01 --benchmark_filter='/100$' >/dev/null
build/release/bench/mv_bench --benchmark_filter='BM_CaltrackDaily/100/' >/dev/null
build/release/bench/ingest_bench --readings 300000 >/dev/null  # fails if the roll-ups disagree
bash bench/api_load.sh 3 >/dev/null  # wrk over loopback; fails on any error or rejected reading
echo "benchmark smoke run: ok"
bash tests/security/run.sh build/release/bin/carbonledger  # attacks on a real server: floods, slowloris, bombs (issue 14)
bash scripts/web-e2e.sh build/release/bin/carbonledger  # the web app in Chromium; screenshots in build/web-e2e
bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
bash scripts/build.sh debug
bash scripts/tidy.sh build/debug  # clang-tidy over src/ and tools/: no finding (docs/decisions/0009)
# A real PostgreSQL server for the store conformance suite, stopped on exit.
eval "$(bash scripts/pg-test-server.sh start)"
trap 'bash scripts/pg-test-server.sh stop "$CL_PG_DIR"' EXIT
echo "PostgreSQL test server: $CL_TEST_POSTGRES"
ctest --preset debug -j "$(nproc)"
