#!/usr/bin/env bash
# Builds the web app (web/, Vue 3 + TypeScript + Vite) into web/dist, which
# `carbonledger serve` serves at /. Installs the npm packages from
# package-lock.json (npm ci) when they are missing or the lock changed; skips
# the build when nothing it is made from changed. Safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/../web"
command -v node >/dev/null || { echo "build-web: node is missing (bash scripts/install-deps.sh)" >&2; exit 1; }

lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f node_modules/.lock-sum || "$(cat node_modules/.lock-sum)" != "$lock_sum" ]]; then
  echo "build-web: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.lock-sum
fi

# Everything the bundle is made from, hashed; dist/.sources holds the hash it was built from.
sources=$( (find src e2e -type f -print0 | sort -z | xargs -0 sha256sum; sha256sum index.html vite.config.ts tsconfig.json package-lock.json) | sha256sum | cut -d' ' -f1)
if [[ -f dist/.sources && "$(cat dist/.sources)" == "$sources" && -f dist/index.html ]]; then
  echo "build-web: web/dist is up to date"
  exit 0
fi
echo "build-web: type-check and build"
npm run --silent build
echo "$sources" > dist/.sources
