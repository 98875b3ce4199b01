#!/usr/bin/env bash
# The web app's end-to-end tests (web/e2e/run.mjs): `carbonledger demo` on a
# fresh data folder, Debian's Chromium driven by playwright-core. Screenshots
# of the main pages and the exported files go to build/web-e2e/.
#   bash scripts/web-e2e.sh [path/to/carbonledger]   (default: the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-build/release/bin/carbonledger}"
bash scripts/build-web.sh
rm -rf build/web-e2e
CL_BIN="$PWD/$bin" CL_E2E_ARTIFACTS="$PWD/build/web-e2e" node web/e2e/run.mjs
