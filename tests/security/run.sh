#!/usr/bin/env bash
# The attack tests (tests/security/*_test.py, one defect each) against a
# server binary, each a real `carbonledger serve` on loopback:
#   bash tests/security/run.sh build/release/bin/carbonledger
# The release build: memory and latency limits are the production figures
# (an ASan build holds shadow memory and runs several times slower).
# Among them large_activities_import_test.py: the peak memory of a 31 MB
# activities import, by the command and through the API.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
binary="$(realpath "$1")"
failed=0
for t in "$here"/*_test.py; do
  echo "== $(basename "$t")"
  if ! python3 "$t" "$binary"; then
    echo "FAILED: $(basename "$t")"
    failed=1
  fi
done
exit $failed
