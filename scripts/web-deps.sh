#!/usr/bin/env bash
# Installs the web app's npm packages from web/package-lock.json (npm ci)
# when they are missing or the lock changed. Safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/../web"
command -v node >/dev/null || { echo "web-deps: node is missing (bash scripts/install-deps.sh)" >&2; exit 1; }
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f node_modules/.lock-sum || "$(cat node_modules/.lock-sum)" != "$lock_sum" ]]; then
  echo "web-deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.lock-sum
fi
