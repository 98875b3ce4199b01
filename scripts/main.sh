#!/usr/bin/env bash
# The main job: builds carbonledger and computes the bundled example city's
# 2023 inventories under all three methodology profiles, then shows how one
# number was computed and what the 2023 MEE factors restated.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release
cl=build/release/bin/carbonledger
ex=examples/shanghai-2023
out=build/example-output
mkdir -p "$out"

for m in shanghai cn-national ghg-protocol; do
  echo
  echo "=== carbonledger inventory --methodology $m ==="
  "$cl" inventory --units "$ex/units.csv" --activities "$ex/activities.csv" --year 2023 \
    --methodology "$m"
  "$cl" inventory --units "$ex/units.csv" --activities "$ex/activities.csv" --year 2023 \
    --methodology "$m" --format json --output "$out/inventory-$m.json"
done

echo
echo "=== carbonledger explain (one unit, one line) ==="
"$cl" explain --units "$ex/units.csv" --activities "$ex/activities.csv" --year 2023 \
  --methodology ghg-protocol --unit SH-CHEM-01 --line 2

echo
echo "=== an inventory pinned to grid-electricity 2024.12, restated with 2025.12 ==="
"$cl" inventory --units "$ex/units.csv" --activities "$ex/activities.csv" --year 2023 \
  --methodology cn-national --datasets grid-electricity=2024.12 --format json \
  --output "$out/inventory-cn-national-2024.12.json"
"$cl" restate --units "$ex/units.csv" --activities "$ex/activities.csv" --year 2023 \
  --methodology cn-national --pinned "$out/inventory-cn-national-2024.12.json"
echo
echo "JSON inventories written to $out/"
