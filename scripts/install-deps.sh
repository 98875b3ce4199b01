#!/usr/bin/env bash
# Installs every Debian 12 package CarbonLedger builds, tests and benchmarks with.
# Idempotent: installs only what is missing; safe to rerun. Needs root (or sudo).
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache pkg-config git
  nlohmann-json3-dev libfmt-dev libcli11-dev libtomlplusplus-dev zlib1g-dev
  libhowardhinnant-date-dev  # time zones (core/timezone.h)
  libsqlite3-dev libpq-dev libsodium-dev  # the store
  libboost1.74-dev  # the HTTP server: Boost.Beast over Asio (server/http_server.h)
  libcpp-httplib-dev libssl-dev libbrotli-dev  # the HTTP client of the tests and the load tools
  wrk                        # bench/api_load.sh: the HTTP load benchmark
  nginx                      # the API tests through a reverse proxy (tests/server/nginx_proxy.h, docs/deploy.md)
  postgresql-15 sqlite3      # store conformance tests run a real server; tamper tests edit files
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev   # libFuzzer target (fuzz/)
  clang-format               # scripts/check-format.sh
  clang-tidy                 # scripts/tidy.sh (run-clang-tidy)
  python3                    # CLI tests compare JSON output
  python3-jsonschema         # API responses validated against api/openapi.json (tests/server/validate_responses.py)
  chromium                   # the web app's end-to-end tests (web/e2e, playwright-core)
  fonts-noto-cjk             # Chinese text in the browser tests' screenshots
)
# The web app is built with Node.js and npm (scripts/build-web.sh). This
# machine kind brings Node.js 20; where there is none, Debian's is installed
# (playwright-core, used by the browser tests, wants 20 or later).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then packages+=(nodejs npm); fi

missing=()
for p in "${packages[@]}"; do
  [[ "$p" == \#* ]] && continue
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
