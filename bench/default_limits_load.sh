#!/usr/bin/env bash
# Issue 14's load line: 60 s of wrk at 64 connections against the release
# server with its DEFAULT limits (per-caller rate 100/s, connection caps,
# queues, timeouts), each read measured side by side with the same bytes
# served as a static file by the same server (the ceiling).
#
# wrk is one client; real traffic is many. As deployed behind nginx
# (trusted_proxies = 127.0.0.1), each request names one of 1,000 client
# addresses, and signed-in reads rotate over 500 users' sessions
# (bench/wrk/many_callers.lua), so that the per-caller limits apply as they
# do in production. Access logging is off (one stderr line per request
# would measure the terminal).
#
#   bash bench/default_limits_load.sh [SECONDS]     (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
cl=build/release/bin/carbonledger
[[ -x "$cl" ]] || bash scripts/build.sh release >/dev/null
command -v wrk >/dev/null || { echo "default_limits_load: wrk missing (scripts/install-deps.sh)" >&2; exit 1; }
work=$(mktemp -d /tmp/cl-limits-load.XXXXXX)
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
source bench/load_support.sh
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server_pid/status"; }

prepare_demo_city

# The same store with default limits; behind a (pretend) proxy on loopback.
mkdir -p "$work/web/assets"
echo '<!doctype html><title>bench</title>' >"$work/web/index.html"
port=$(free_port)
cat >"$work/server.toml" <<TOML
[server]
store = "$CARBONLEDGER_HOME/carbonledger.db"
port = $port
access_log = false
web_dir = "$work/web"
trusted_proxies = ["127.0.0.1"]
TOML
start() {
  "$cl" serve --config "$work/server.toml" >"$work/serve.log" 2>&1 &
  server_pid=$!
  wait_up "$port"
}
start
base="http://127.0.0.1:$port"

# 500 unit members of SH-0001, each signed in once from its own address (each may
# make 100 requests/s by default: 50,000 requests/s in all).
python3 - "$base" "$CARBONLEDGER_HOME/demo-accounts.json" "$work/cookies.txt" <<'PY'
import json, sys, urllib.request
base, accounts, out = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
def call(method, path, body=None, cookie=None, csrf=None, address="10.250.0.1"):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    req.add_header("X-Forwarded-For", address)
    if cookie: req.add_header("Cookie", cookie)
    if csrf: req.add_header("X-CSRF-Token", csrf)
    with urllib.request.urlopen(req) as r:
        cookies = [c.split(";")[0] for c in r.headers.get_all("Set-Cookie") or []]
        return json.loads(r.read() or b"null"), cookies
me, jar = call("POST", "/api/v1/session", {"login": "admin", "password": accounts["admin"]})
admin = [c for c in jar if c.startswith("cl_session=")][0]
with open(out, "w") as f:
    for i in range(500):
        login = f"load{i:03d}"
        call("POST", "/api/v1/users", {"login": login, "role": "unit_member", "units": ["SH-0001"],
             "password": "a long enough load secret"}, admin, me["csrf_token"])
        _, jar = call("POST", "/api/v1/session", {"login": login, "password": "a long enough load secret"},
                      address=f"10.251.{i // 256}.{i % 256}")
        f.write([c for c in jar if c.startswith("cl_session=")][0] + "\n")
PY

summary() {  # NAME FILE: rps, p50, p99, errors
  python3 - "$1" "$2" <<'PY'
import re, sys
name, text = sys.argv[1], open(sys.argv[2]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", text, re.M))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errs = re.search(r"Socket errors: (.*)", text)
print(f"{name}: {rps:,.0f} req/s, p50 {lat.get('50')}, p99 {lat.get('99')}, non-2xx {non2xx.group(1) if non2xx else 0}, socket errors {errs.group(1) if errs else 'none'}")
PY
}
run() {  # NAME PATH [COOKIES]
  CL_COOKIES="${3:-}" wrk -t2 -c64 -d"${secs}s" --latency -s bench/wrk/many_callers.lua "$base$2" >"$work/$1.txt"
  summary "$1" "$work/$1.txt" | tee -a "$work/summary.txt"
}
curl -sf -H "Cookie: $(head -1 "$work/cookies.txt")" "$base/api/v1/units" >"$work/web/assets/units.json"
curl -sf "$base/api/v1/overview" >"$work/web/assets/overview.json"
kill "$server_pid"; wait "$server_pid" || true
start  # a server reads its web folder at start; the runs begin on a fresh one
rss_start=$(rss_mb)
run units "/api/v1/units" "$work/cookies.txt"
rss_units=$(rss_mb)
run units_static "/assets/units.json"
run overview "/api/v1/overview"
rss_overview=$(rss_mb)
run overview_static "/assets/overview.json"
sleep 5
rss_end=$(rss_mb)
python3 - "$work" <<PY
import re, sys
w = sys.argv[1]
def rps(n): return float(re.search(r"Requests/sec:\s+([\d.]+)", open(f"{w}/{n}.txt").read()).group(1))
print(f"signed-in GET /api/v1/units ($(wc -c <"$work/web/assets/units.json") B) / the same bytes as a static file: {rps('units') / rps('units_static'):.2f}")
print(f"public GET /api/v1/overview ($(wc -c <"$work/web/assets/overview.json") B) / the same bytes as a static file: {rps('overview') / rps('overview_static'):.2f}")
PY
echo "server RSS: start ${rss_start} MiB, after the reads ${rss_units} MiB, after the overview ${rss_overview} MiB, 5 s later ${rss_end} MiB"
