#!/usr/bin/env bash
# The command as a user runs it: exit codes, --help of every subcommand,
# output formats, errors on stderr with file:line:column, restatements.
# Usage: CARBONLEDGER=path/to/carbonledger cli_test.sh SOURCE_DIR
set -uo pipefail
src="$1"
cl="${CARBONLEDGER:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

check() {  # check NAME COMMAND...: the command must succeed
  local name="$1"; shift
  if "$@" >"$tmp/out" 2>"$tmp/err"; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: $name"; cat "$tmp/out" "$tmp/err" | head -20; fi
}

cd "$tmp"
cat >units.csv <<'CSV'
unit_id,credit_code,name_zh,name_en,province,city,district,industry_code
U1,9131011513572468XU,上海甲化工有限公司,Shanghai Jia Chemical,310000,上海市,金山区,C2614
CSV
cat >activities.csv <<'CSV'
unit_id,site_id,activity,quantity,unit_of_measure,period_start,period_end,data_source,instrument,instrument_ids,factor,factor_unit,note
U1,main,electricity,14500,MWh,2023-01-01,2023-12-31,bill,,,,,
U1,main,natural_gas,1,万立方米,2023-01-01,2023-12-31,meter,,,,,
CSV

for sub in inventory explain restate methodologies "factors list" "factors show" "factors diff"; do
  check "help $sub" bash -c "'$cl' $sub --help | grep -q Usage"
done
check "version" bash -c "'$cl' --version | grep -q 'carbonledger 0.1.0'"

# Shanghai: 14 500 MWh × 0.42 = 6090 tCO2; gas 21.62188809 (GB/T 32150 formula, facts §2.2)
check "inventory json" "$cl" inventory --units units.csv --activities activities.csv --year 2023 \
  --methodology shanghai --format json --output inv.json
check "json totals" python3 - <<'PY'
import json, math
inv = json.load(open("inv.json"))
u = inv["units"][0]
assert inv["schema"] == "carbonledger.inventory/1"
assert inv["datasets"]["shanghai-local"] == "2023.06", inv["datasets"]
assert math.isclose(u["scope2_tco2e"], 6090.0, rel_tol=1e-12), u["scope2_tco2e"]
assert math.isclose(u["scope1_tco2e"], 389.31 * 0.0153 * 0.99 * 44 / 12, rel_tol=1e-12)
assert math.isclose(u["total_tco2e"], u["scope1_tco2e"] + u["scope2_tco2e"], rel_tol=1e-12)
line = u["lines"][0]
assert line["factors"][-1]["dataset"] == "shanghai-local" and line["factors"][-1]["value"] == 0.42
assert "scope2_market_tco2e" not in u
PY
check "table" bash -c "'$cl' inventory --units units.csv --activities activities.csv --year 2023 --methodology cn-national | grep -q 'U1'"
check "csv has BOM and row" bash -c "'$cl' inventory --units units.csv --activities activities.csv --year 2023 --methodology ghg-protocol --format csv | head -c 3 | od -An -tx1 | grep -q 'ef bb bf'"
check "explain names source" bash -c "'$cl' explain --units units.csv --activities activities.csv --year 2023 --methodology cn-national --unit U1 --line 3 | grep -q 'fuel-parameters@2015'"
check "methodologies" bash -c "'$cl' methodologies | grep -q 'ghg-protocol'"
check "factors show" bash -c "'$cl' factors show grid-electricity | grep -q '0.5737'"
check "factors diff" bash -c "'$cl' factors diff grid-electricity 2024.12 2025.12 | grep -q '40 row(s) differ'"

# Restatement: pinned to 2024.12 (2023 falls back to 2022: 0.5849) vs 2025.12 (0.5737).
check "pinned inventory" "$cl" inventory --units units.csv --activities activities.csv --year 2023 \
  --methodology cn-national --datasets grid-electricity=2024.12 --format json --output old.json
check "restate" bash -c "'$cl' restate --units units.csv --activities activities.csv --year 2023 --methodology cn-national --pinned old.json > restate.txt"
check "restate reproduces" grep -q "reproduces old.json exactly" restate.txt
check "restate names factor" grep -q "grid-electricity@2024.12 0.5849 -> grid-electricity@2025.12 0.5737" restate.txt

# Bad input: every error at once, on stderr, exit 1, no output file written.
cat >bad.csv <<'CSV'
unit_id,site_id,activity,quantity,unit_of_measure,period_start,period_end,data_source,instrument,instrument_ids,factor,factor_unit,note
U1,main,electricity,-5,MWh,2023-01-01,2023-12-31,bill,,,,,
U1,main,electricity,5,furlong,2023-01-01,2023-12-31,bill,,,,,
CSV
"$cl" inventory --units units.csv --activities bad.csv --year 2023 --methodology shanghai \
  --format json --output bad.json >"$tmp/out" 2>"$tmp/err"
rc=$?
if [[ $rc -eq 1 && ! -e bad.json ]] && grep -q "bad.csv:2:4: quantity:" "$tmp/err" &&
   grep -q "bad.csv:3:5: unit_of_measure:" "$tmp/err" && grep -q "2 error(s)" "$tmp/err"; then
  passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: bad input (rc=$rc)"; cat "$tmp/err"; fi

"$cl" inventory --units units.csv --activities activities.csv --year 2023 --methodology nope >/dev/null 2>"$tmp/err"
if [[ $? -eq 1 ]] && grep -q "unknown methodology 'nope'" "$tmp/err"; then passed=$((passed + 1)); else
  failed=$((failed + 1)); echo "FAIL: unknown methodology"; fi
"$cl" inventory --units missing.csv --activities activities.csv --year 2023 --methodology shanghai >/dev/null 2>&1
if [[ $? -eq 2 ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: usage error exit 2"; fi

# M&V: CalTRACK daily fit and savings on OpenEEmeter's sample (eemeter 3.2.0: cdd_hdd 68/53,
# savings 793.9084964725353 kWh; tests/mv/samples/reference-eemeter-3.2.0.jsonl).
S="$src/tests/mv/samples"
check "mv help" bash -c "'$cl' mv savings --help | grep -q reporting-start"
check "mv savings" bash -c "'$cl' mv savings --usage $S/il-electricity-cdd-hdd-daily.csv.gz --temperature $S/il-tempF.csv.gz --baseline-end 2016-12-26 --reporting-start 2017-01-04 --methodology shanghai --format json > mv.json"
check "mv json" python3 - <<'PY'
import json, math
r = json.load(open("mv.json"))
assert r["model"]["model_type"] == "cdd_hdd" and r["model"]["heating_balance_point"] == 53
assert math.isclose(r["savings"]["savings"], 793.9084964725353, rel_tol=1e-9), r["savings"]["savings"]
# Shanghai 2017: 0.788 tCO2/MWh (data/reference/shanghai-local, before 2022)
assert math.isclose(r["savings"]["savings_tco2e"], 793.9084964725353 / 1000 * 0.788, rel_tol=1e-9)
PY
# Hourly TOWT: eemeter 3.2.0 savings 1104.4326332576638 kWh on the hourly sample.
check "mv hourly" bash -c "'$cl' mv savings --method hourly --usage $S/il-electricity-cdd-hdd-hourly.csv.gz --temperature $S/il-tempF.csv.gz --baseline-end 2016-12-26 --reporting-start 2017-01-04 --format json > mvh.json"
check "mv hourly json" python3 -c 'import json,math; r=json.load(open("mvh.json")); assert math.isclose(r["savings"]["savings"], 1104.4326332576638, rel_tol=1e-9)'
"$cl" mv fit --usage "$S/il-gas-hdd-only-daily.csv.gz" --temperature missing.csv --baseline-end 2016-12-26 >/dev/null 2>&1
if [[ $? -eq 2 ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: mv missing file exit 2"; fi

# The bundled example runs under all three profiles.
for m in shanghai cn-national ghg-protocol; do
  check "example $m" "$cl" inventory --units "$src/examples/shanghai-2023/units.csv" \
    --activities "$src/examples/shanghai-2023/activities.csv" --year 2023 --methodology "$m" --format json
done

# The store: registry, readings with rejects (exit 1), rejects as CSV,
# CARBONLEDGER_HOME as the default store, the audit chain and tampering.
export CARBONLEDGER_HOME="$tmp/home"
mkdir -p "$CARBONLEDGER_HOME"
for sub in "import units" "import readings" "import activities" "import rejects" readings rollup \
  "vee check" "audit verify" "demo generate"; do
  check "help $sub" bash -c "'$cl' $sub --help | grep -q Usage"
done
check "import units" "$cl" import units "$src/tests/ingest/registry/units.csv"
check "import sites" "$cl" import sites "$src/tests/ingest/registry/sites.csv"
check "import meters" "$cl" import meters "$src/tests/ingest/registry/meters.csv"
check "default store in CARBONLEDGER_HOME" test -f "$CARBONLEDGER_HOME/carbonledger.db"
check "rejects exit 1" bash -c "! '$cl' import readings '$src/tests/ingest/corpus/bad_numbers.csv' > out.txt"
check "batch line" grep -q "batch 1 committed: bad_numbers.csv — 7 rows: 2 new, 0 unchanged, 0 revised, 5 rejected" out.txt
check "rejects csv" bash -c "'$cl' import rejects 1 --format csv | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
assert [(r[\"line\"], r[\"kind\"]) for r in rows] == [(\"3\", \"bad_number\"), (\"4\", \"bad_number\"), (\"5\", \"missing_value\"), (\"6\", \"bad_number\"), (\"7\", \"bad_number\")], rows
assert rows[0][\"message\"].startswith(\"\x27abc\x27 is not a number\"), rows[0]
'"
check "unknown batch" bash -c "! '$cl' import rejects 99 2>err.txt && grep -q 'batch 99 does not exist' err.txt"
check "import with rejects" bash -c "! '$cl' import readings '$src/tests/ingest/corpus/register_resets.csv'"
printf 'meter_id,timestamp,value\nSH-CHEM-01/E1,2025-02-01T00:00:00+08:00,1.5\n' >clean.csv
check "clean import exit 0" "$cl" import readings clean.csv
check "readings show" bash -c "'$cl' readings SH-CHEM-01/G1 --from 2025-01-07 --to 2025-01-07 | grep -q 'register_reset'"
check "rollup csv" bash -c "'$cl' rollup --by unit --grain day --from 2025-01-07 --to 2025-01-07 --format csv | grep -Eq '^SH-CHEM-01,natural_gas,2025-01-07,27\\.(4|39999)'"
# Issue 14: a reading beyond its physical bound (data/bounds.csv) is a reject, not a row.
check "out of bounds rejected" bash -c "! '$cl' import readings '$src/tests/ingest/corpus/out_of_bounds.csv' >oob.txt && grep -q '4 rows: 1 new, 0 unchanged, 0 revised, 3 rejected' oob.txt"
printf 'Zeit,Zaehler,kWh\n2025-02-01T00:15:00+08:00,SH-CHEM-01/E1,2.5\n' >scada.csv
check "mapping saved" "$cl" import readings scada.csv --map meter=Zaehler,timestamp=Zeit,value=kWh --save-profile scada
printf 'Zeit,Zaehler,kWh\n2025-02-01T00:30:00+08:00,SH-CHEM-01/E1,3.5\n' >scada2.csv
check "mapping reused" bash -c "'$cl' import readings scada2.csv --profile scada | grep -q '1 new'"
check "bad --map" bash -c "! '$cl' import readings '$src/tests/ingest/corpus/negative.csv' --map volume=x"
check "audit intact" "$cl" audit verify
check "audit tampered" bash -c "sqlite3 '$CARBONLEDGER_HOME/carbonledger.db' \"DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor='mallory' WHERE seq=3\" && ! '$cl' audit verify > audit.txt && grep -q 'entry 3: its content does not match' audit.txt"
check "user add" bash -c "echo 'a long enough secret' | '$cl' user add mgr@chem --role unit_manager --unit SH-CHEM-01"
check "user add bank needs organisation" bash -c "! CARBONLEDGER_PASSWORD='a long enough secret' '$cl' user add b1 --role bank_analyst 2>err.txt && grep -q 'organisation' err.txt"
check "user add bank" bash -c "CARBONLEDGER_PASSWORD='a long enough secret' '$cl' user add b1 --role bank_analyst --organisation 'Demo Bank'"
check "user add member needs a unit" bash -c "! CARBONLEDGER_PASSWORD='a long enough secret' '$cl' user add m1 --role unit_member 2>err.txt && grep -q 'at least one unit' err.txt"
check "user add bad role" bash -c "! CARBONLEDGER_PASSWORD='a long enough secret' '$cl' user add x --role root 2>err.txt && grep -q 'unknown role' err.txt"
check "user add refuses a login that names a token" bash -c "! CARBONLEDGER_PASSWORD='a long enough secret' '$cl' user add token:3 --role programme_staff 2>err.txt && grep -q 'login: a login has only' err.txt"
check "token issue" bash -c "'$cl' token issue --user mgr@chem --unit SH-CHEM-01 --days 30 --label scada > tok.txt && grep -q '^clt_' tok.txt"
check "token other unit" bash -c "! '$cl' token issue --user mgr@chem --unit SH-AUTO-01 2>err.txt && grep -q 'only a manager' err.txt"
check "token list hides secrets" bash -c "'$cl' token list --user mgr@chem | grep -q 'active' && ! '$cl' token list --user mgr@chem | grep -q clt_"
check "token revoke" bash -c "'$cl' token revoke 1 && '$cl' token list --user mgr@chem | grep -q revoked"
check "token issue again" bash -c "'$cl' token issue --user mgr@chem --unit SH-CHEM-01 --days 30 > tok2.txt"
check "user set moves units and revokes the token" bash -c "'$cl' user set mgr@chem --unit SH-AUTO-01 | grep -q 'units \[SH-AUTO-01\]' && '$cl' token list --user mgr@chem | grep -c revoked | grep -q '^2$'"
check "user set refuses an unknown unit" bash -c "! '$cl' user set mgr@chem --unit SH-NOPE 2>err.txt && grep -q 'units/0' err.txt"
check "user disable" bash -c "'$cl' user disable mgr@chem | grep -q disabled && '$cl' user list | grep mgr@chem | grep -q disabled"
check "user enable" bash -c "'$cl' user enable mgr@chem && '$cl' user list | grep mgr@chem | grep -q active"
check "user reset-password" bash -c "'$cl' user reset-password mgr@chem > reset.txt && grep -Eq '^[a-z2-9]{4}(-[a-z2-9]{4}){3}$' reset.txt && '$cl' user list | grep mgr@chem | grep -q reset"
check "user end-sessions" bash -c "'$cl' user end-sessions mgr@chem | grep -q '0 session(s) of mgr@chem ended'"
check "user set unknown user" bash -c "! '$cl' user disable nobody 2>err.txt && grep -q \"user 'nobody' does not exist\" err.txt"
# units (and the revoke it brings), disable (update, end_sessions), enable, reset (password,
# end_sessions), end-sessions: each one entry, as cli:USER.
check "user changes audited" bash -c "test \"\$(sqlite3 '$CARBONLEDGER_HOME/carbonledger.db' \"SELECT group_concat(action, ' ') FROM (SELECT action FROM audit_log WHERE entity IN ('user','api_token') AND actor LIKE 'cli:%' AND seq > (SELECT max(seq) FROM audit_log WHERE action='create' AND entity='api_token') ORDER BY seq)\")\" = 'units revoke update end_sessions update password end_sessions end_sessions'"
# Issue 14: the audit log anchored outside the store (decision 0011).
check "audit key mode 0600" bash -c "[[ \$(stat -c %a '$CARBONLEDGER_HOME/audit.key') == 600 ]]"
check "audit checkpoints written" bash -c "'$cl' audit verify | grep -q 'last checkpoint: entry'"
check "audit truncated" bash -c "sqlite3 '$CARBONLEDGER_HOME/carbonledger.db' \"DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq > 5; UPDATE audit_head SET seq=5, hash=(SELECT hash FROM audit_log WHERE seq=5)\" && ! '$cl' audit verify > audit.txt && grep -q 'truncated or wiped' audit.txt"
check "audit key others may read" bash -c "chmod 644 '$CARBONLEDGER_HOME/audit.key' && ! '$cl' audit verify 2>err.txt && grep -q 'has mode 0644' err.txt"
unset CARBONLEDGER_HOME

echo "cli: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
