#!/usr/bin/env python3
"""Durability: kill -9 the importer at random points, again and again.

Every batch the importer acknowledged ("batch N committed: FILE" on standard
output, printed after the commit returns) must be stored whole, exactly once;
no batch that was not acknowledged may be partly visible. Each file holds
whole days of one meter, so a partly stored batch would show as a day with
fewer than 96 readings, or as a file with some of its days missing.

usage: kill_test.py CARBONLEDGER_BINARY [ROUNDS]
"""
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

binary = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 12
random.seed(20261128)
work = tempfile.mkdtemp(prefix="cl_kill_")
db = os.path.join(work, "carbonledger.db")
env = dict(os.environ, CARBONLEDGER_HOME=work)


def run(*args):
    return subprocess.run([binary, *args, "--store", db], env=env, capture_output=True, text=True)


with open(os.path.join(work, "units.csv"), "w") as f:
    f.write("unit_id,credit_code,name_zh,province\nU1,9131011513572468XU,甲,310000\n")
with open(os.path.join(work, "sites.csv"), "w") as f:
    f.write("unit_id,site_id\nU1,S1\n")
meters = [f"U1/E{i}" for i in range(4)]
with open(os.path.join(work, "meters.csv"), "w") as f:
    f.write("meter_id,unit_id,site_id,carrier,unit_of_measure,interval,time_zone\n")
    for m in meters:  # UTC: a file's days are exactly its chunks
        f.write(f"{m},U1,S1,electricity,kWh,15min,UTC\n")
for what in ("units", "sites", "meters"):
    r = run("import", what, os.path.join(work, what + ".csv"))
    assert r.returncode == 0, r.stderr

# 24 files; file i: meter i % 4, 30 days from day 30 * (i // 4), 96 readings a day.
DAY0 = 19723  # 2024-01-01
files = {}
for i in range(24):
    name = f"batch{i:02d}.csv"
    meter = meters[i % 4]
    first = DAY0 + 30 * (i // 4)
    rows = ["meter_id,timestamp,value"]
    for d in range(first, first + 30):
        for s in range(96):
            t = d * 86400 + s * 900
            rows.append(f"{meter},{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(t))},{(i * 7 + s) % 50 + 0.25}")
    with open(os.path.join(work, name), "w") as f:
        f.write("\n".join(rows) + "\n")
    files[name] = (meter, first)
paths = [os.path.join(work, n) for n in sorted(files)]


def stored():
    """meter -> {local day: readings} from the store's chunks."""
    con = sqlite3.connect(db)
    out = {}
    for meter, day, count in con.execute(
        "SELECT m.id, c.chunk_day, c.count FROM reading_chunks c JOIN meters m ON m.meter_no = c.meter_no"
    ):
        out.setdefault(meter, {})[day] = count
    con.close()
    return out


def check(acknowledged, final=False):
    chunks = stored()
    for name, (meter, first) in files.items():
        counts = [chunks.get(meter, {}).get(d, 0) for d in range(first, first + 30)]
        assert all(c in (0, 96) for c in counts), f"{name}: a day is partly stored: {counts}"
        total = sum(counts)
        whole = total == 30 * 96
        if name in acknowledged or final:
            assert whole, f"{name} was acknowledged but {total} of 2880 readings are stored"
        else:
            assert total in (0, 30 * 96), f"{name} is partly visible: {total} of 2880 readings"


acknowledged = set()
kills = 0
for r in range(rounds):
    order = random.sample(paths, len(paths))  # kills land in fresh batches too
    p = subprocess.Popen([binary, "import", "readings", *order, "--store", db], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(random.uniform(0.02, 0.6))
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
        kills += 1
    out, _ = p.communicate()
    for line in out.splitlines():
        if line.startswith("batch ") and " committed: " in line:
            acknowledged.add(line.split(" committed: ")[1].split(" ")[0])
    check(acknowledged)

# After all that, one clean run stores the rest; nothing is counted twice.
r = run("import", "readings", *paths)
assert r.returncode == 0, r.stdout + r.stderr
check(acknowledged, final=True)
con = sqlite3.connect(db)
total = con.execute("SELECT SUM(count) FROM reading_chunks").fetchone()[0]
con.close()
assert total == 24 * 30 * 96, f"{total} readings stored, expected exactly {24 * 30 * 96}"
again = run("import", "readings", *paths)
assert " 0 new" in again.stdout and "0 revised" in again.stdout, again.stdout
check_audit = run("audit", "verify")
assert check_audit.returncode == 0, check_audit.stdout
print(f"kill_test: {rounds} rounds, {kills} kills, {len(acknowledged)} batches acknowledged before "
      f"the clean run; every acknowledged batch whole, none partly visible, {total} readings exactly once")
