#!/usr/bin/env bash
# Configures and builds one CMake preset (debug | release | fuzz) with Ninja and ccache.
set -euo pipefail
preset="${1:-release}"
cd "$(dirname "$0")/.."
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
