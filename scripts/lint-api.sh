#!/usr/bin/env bash
# Lints the API's description, api/openapi.json, as OpenAPI 3.1 with Redocly
# CLI (web/ devDependencies) and the rules of api/redocly.yaml: fails on any
# error or warning.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/web-deps.sh
cd web
npm run --silent lint:api
