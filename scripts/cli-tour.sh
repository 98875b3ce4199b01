#!/usr/bin/env bash
# The command-line tour: builds carbonledger; generates the synthetic demo city (16
# districts, 2025's 15-minute readings and bills) and imports it into the
# embedded SQLite store (rerunning imports changes nothing: same readings,
# same store); rolls readings up, checks them against the bills, and computes
# the city's inventory from the store. Then the bundled example's 2023
# inventories under all three methodology profiles, how one number was
# computed, and what the 2023 MEE factors restated.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release
cl=build/release/bin/carbonledger

export CARBONLEDGER_HOME="$PWD/build/demo-home"   # the data folder: carbonledger.db lives here
mkdir -p "$CARBONLEDGER_HOME"
city="$CARBONLEDGER_HOME/demo-city"
echo "=== carbonledger demo generate (data folder $CARBONLEDGER_HOME) ==="
[[ -f "$city/units.csv" ]] || "$cl" demo generate --units 20 --years 1 --last-year 2025 --seed 2025
echo
echo "=== carbonledger import (store: $CARBONLEDGER_HOME/carbonledger.db) ==="
"$cl" import units "$city/units.csv"
"$cl" import sites "$city/sites.csv"
"$cl" import meters "$city/meters.csv"
# The demo city has faulty meters on purpose: a batch with rejects exits 1.
"$cl" import readings "$city"/readings/*.csv || [[ $? -eq 1 ]]
"$cl" import activities "$city/activities.csv" || [[ $? -eq 1 ]]
"$cl" import batches
echo
echo "=== carbonledger rollup --by district --grain year ==="
"$cl" rollup --by district --grain year --from 2025-01-01 --to 2025-12-31
echo
echo "=== carbonledger vee check (readings against bills) ==="
"$cl" vee check --year 2025
echo
echo "=== carbonledger inventory --from-store (meters and bills, never both) ==="
"$cl" inventory --from-store --year 2025 --methodology shanghai
echo
echo "=== carbonledger audit verify ==="
"$cl" audit verify
unset CARBONLEDGER_HOME

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
