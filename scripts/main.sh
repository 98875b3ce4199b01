#!/usr/bin/env bash
# The main job: installs what is missing, builds carbonledger, and runs
# `carbonledger demo`: the synthetic demo city (16 districts, 2025's
# 15-minute readings and bills) generated into the data folder when missing,
# imported into the embedded SQLite store, one account per role, inventories
# in each workflow state, served at http://127.0.0.1:${PORT:-8080} — the web
# app at / and the API under /api/v1. It prints
# the URL and the accounts, and serves until Ctrl-C. A rerun reuses the data
# folder (build/demo-home) and imports nothing twice.
# The command-line tour of earlier issues is scripts/cli-tour.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release
bash scripts/build-web.sh   # the web app (npm ci, Vite), served by carbonledger at /
export CARBONLEDGER_HOME="$PWD/build/demo-home"   # the data folder: carbonledger.db lives here
mkdir -p "$CARBONLEDGER_HOME"
exec build/release/bin/carbonledger demo --port "${PORT:-8080}"
