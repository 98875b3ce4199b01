#!/usr/bin/env bash
# Fails when a C++ file is not formatted per .clang-format (Google-based).
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.cpp' '*.h' 2>/dev/null || find src tests bench fuzz -name '*.cpp' -o -name '*.h')
if ! clang-format --dry-run --Werror $files; then
  echo "check-format: run clang-format -i on the files above" >&2
  exit 1
fi
echo "check-format: $(echo "$files" | wc -w) files formatted"
