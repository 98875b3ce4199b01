#!/usr/bin/env bash
# Builds the web app (web/, Vue 3 + TypeScript + Vite) into web/dist, which
# `carbonledger serve` serves at /: the API's types generated from
# api/openapi.json, the check that only src/api/ spells API paths, the type
# check, the bundle. Installs the npm packages first (scripts/web-deps.sh);
# skips the build when nothing it is made from changed. Safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/web-deps.sh
cd web

# Everything the bundle is made from, hashed (the generated types are made
# from api/openapi.json, the dictionary from data/); dist/.sources holds the hash it was built from.
sources=$( (find src e2e scripts -type f ! -name '*.gen.ts' -print0 | sort -z | xargs -0 sha256sum
            sha256sum index.html vite.config.ts tsconfig.json package-lock.json ../api/openapi.json \
              ../data/activities.csv ../data/regions.csv ../data/reference/dataset-names.csv ../data/methodologies/*.toml) |
          sha256sum | cut -d' ' -f1)
if [[ -f dist/.sources && "$(cat dist/.sources)" == "$sources" && -f dist/index.html ]]; then
  echo "build-web: web/dist is up to date"
  exit 0
fi
echo "build-web: type-check and build"
npm run --silent build
echo "$sources" > dist/.sources
