#!/usr/bin/env bash
# The HTTP load benchmark (wrk over loopback) against the release build on the
# demo city in the embedded SQLite store:
#   1. inventory reads: GET /api/v1/inventories/{id} as a signed-in unit manager;
#   2. bulk ingest: POST /api/v1/readings with an API token, every request
#      four new weeks of 15-minute readings for 8 meters (21,504 readings,
#      about 1 MB of CSV, stored durably: one transaction and fsync each).
# Reports requests/s, readings/s, p50/p99 latency, the concurrency used, the
# errors, and the server's resident memory before and after each run.
# The baseline for ingest is the command-line importer on the same kind of
# file (bench/ingest_bench, no HTTP). The baseline for reads is the same
# bytes the obvious way: the inventory's answer saved as a static file and
# served from memory by the same server (no store, no session, no
# authorization), so the ratio is what the API costs over the transport.
#
# Usage: [INGEST_ROUNDS=N] [READ_SECONDS=S] bench/api_load.sh [seconds per run, default 60]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
read_secs="${READ_SECONDS:-$secs}"
cl=build/release/bin/carbonledger
[[ -x "$cl" ]] || bash scripts/build.sh release >/dev/null
work=$(mktemp -d /tmp/cl-api-load.XXXXXX)
server_pid=""
static_pid=""
cleanup() {
  [[ -n "$static_pid" ]] && kill "$static_pid" 2>/dev/null && wait "$static_pid" 2>/dev/null || true
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
source bench/load_support.sh

prepare_demo_city

# The same store, served with limits fit for a load test; its web folder
# holds the read baseline (below).
mkdir -p "$work/web/assets"
echo '<!doctype html><title>bench</title>' >"$work/web/index.html"
port=$(free_port)
cat >"$work/bench.toml" <<TOML
[server]
store = "$CARBONLEDGER_HOME/carbonledger.db"
port = $port
threads = 64
access_log = false
web_dir = "$work/web"
[limits]
rate_per_second = 1000000000
rate_burst = 1000000000
TOML
"$cl" serve --config "$work/bench.toml" >"$work/serve.log" 2>&1 &
server_pid=$!
wait_up "$port"
base="http://127.0.0.1:$port"
# Resident memory: heap (anonymous) apart from the store file's mapped pages.
rss() {
  awk '/RssAnon/ {a = $2} /RssFile/ {f = $2} END {printf "%.1f MB heap, %.1f MB mapped store file and libraries\n", a / 1024, f / 1024}' "/proc/$server_pid/status"
}
password() { python3 -c "import json,sys; print(json.load(open('$CARBONLEDGER_HOME/demo-accounts.json'))[sys.argv[1]])" "$1"; }

curl -sf -c "$work/jar" -H 'Content-Type: application/json' \
  -d "{\"login\":\"manager\",\"password\":\"$(password manager)\"}" "$base/api/v1/session" >"$work/me.json"
csrf=$(python3 -c "import json; print(json.load(open('$work/me.json'))['csrf_token'])")
session=$(awk '$6 == "cl_session" {print $7}' "$work/jar")
inventory=$(curl -sf -b "$work/jar" "$base/api/v1/inventories?unit=SH-0001" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["inventories"][0]["id"])')
size=$(curl -sf -b "$work/jar" "$base/api/v1/inventories/$inventory" | wc -c)

echo "== inventory reads: GET /api/v1/inventories/$inventory (the whole document, $size bytes), 1 wrk thread, 32 connections, ${read_secs}s"
echo "server RSS before: $(rss)"
wrk -t1 -c32 -d"${read_secs}s" --latency -H "Cookie: cl_session=$session" \
  "$base/api/v1/inventories/$inventory" | tee "$work/reads.txt"
echo "server RSS after: $(rss)"

# The baseline: the same answer as a static file, from a second server on
# the same store (a server reads its web folder at start; the first one
# keeps running, so its memory figures stay comparable).
curl -sf -b "$work/jar" "$base/api/v1/inventories/$inventory" >"$work/web/assets/inventory.json"
static_port=$(free_port)
sed "s/^port = .*/port = $static_port/" "$work/bench.toml" >"$work/static.toml"
"$cl" serve --config "$work/static.toml" >"$work/static.log" 2>&1 &
static_pid=$!
wait_up "$static_port"
echo
echo "== baseline: the same $size bytes as a static file (GET /assets/inventory.json), 1 wrk thread, 32 connections, ${read_secs}s"
wrk -t1 -c32 -d"${read_secs}s" --latency "http://127.0.0.1:$static_port/assets/inventory.json" |
  tee "$work/static.txt"
kill "$static_pid"; wait "$static_pid" || true
static_pid=""
reads_rps=$(awk '/Requests\/sec/ {print $2}' "$work/reads.txt")
static_rps=$(awk '/Requests\/sec/ {print $2}' "$work/static.txt")
python3 -c "print(f'inventory reads / the same bytes as a static file: $reads_rps / $static_rps = {$reads_rps / $static_rps:.2f}')"
list_size=$(curl -sf -b "$work/jar" "$base/api/v1/inventories?unit=SH-0001" | wc -c)
echo
echo "== inventory list reads: GET /api/v1/inventories?unit=SH-0001 ($list_size bytes), 1 wrk thread, 32 connections, ${read_secs}s"
wrk -t1 -c32 -d"${read_secs}s" --latency -H "Cookie: cl_session=$session" \
  "$base/api/v1/inventories?unit=SH-0001" | tee "$work/list.txt"
echo "server RSS after: $(rss)"

# Bench meters (192, in 24 groups of 8: room for ~8,000 requests of new
# data) registered through the API, and a token.
meters=""
for i in $(seq -w 1 192); do
  curl -sf -b "$work/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -X PUT \
    -d '{"site":"S1","carrier":"electricity","unit_of_measure":"kWh","interval":"15min"}' \
    "$base/api/v1/units/SH-0001/meters/SH-0001%2FBENCH-$i" >/dev/null
  meters+="${meters:+,}SH-0001/BENCH-$i"
done
token=$(curl -sf -b "$work/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"unit":"SH-0001","days":1,"label":"wrk"}' "$base/api/v1/tokens" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

echo
per_request=$((8 * 28 * 96))
echo "== bulk ingest: POST /api/v1/readings, $per_request new readings per request, 2 wrk threads, 4 connections, ${secs}s"
echo "server RSS before: $(rss)"
# In rounds (INGEST_ROUNDS, default 2), so that the server's memory after
# each can be compared; each round sends new data.
rounds="${INGEST_ROUNDS:-2}"
part=$(( (secs + rounds - 1) / rounds ))
sent=0
for r in $(seq 1 "$rounds"); do
  CL_TOKEN="$token" CL_METERS="$meters" CL_GROUP=8 CL_THREADS=2 CL_DAYS=28 CL_START=$sent \
    wrk -t2 -c4 -d"${part}s" --timeout 30s --latency -s bench/wrk/ingest.lua "$base" |
    tee "$work/ingest$r.txt"
  sent=$(( sent + $(awk '/requests in/ {print $1}' "$work/ingest$r.txt") + 8 ))
  echo "server RSS after ingest round $r: $(rss)"
done
stored=$(curl -sf "$base/metrics" | awk '/^carbonledger_ingest_readings_total/ {print $2}')
rejected=$(curl -sf "$base/metrics" | awk '/^carbonledger_ingest_rejects_total/ {print $2}')
rps=$(cat "$work"/ingest*.txt | awk '/Requests\/sec/ {s += $2; n++} END {print s / n}')
echo "readings stored through the API: $stored, rejected: $rejected"
python3 -c "print(f'ingest rate: {float(\"$rps\") * $per_request:,.0f} readings/s (requests/s x readings per request)')"
errors=$(cat "$work/reads.txt" "$work/static.txt" "$work/list.txt" "$work"/ingest*.txt | awk '/Non-2xx|Socket errors/' | wc -l)
if [[ "$errors" != 0 || "$rejected" != 0 ]]; then
  echo "api_load: errors during the runs" >&2
  grep -h 'Non-2xx\|Socket errors' "$work/reads.txt" "$work/static.txt" "$work/list.txt" "$work"/ingest*.txt >&2 || true
  exit 1
fi
