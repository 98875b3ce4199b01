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
import subprocess
import sys
import tempfile
import time

from store_fixture import check, day_files, make_store, total_readings

binary = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 12
random.seed(20261128)
work = tempfile.mkdtemp(prefix="cl_kill_")
db = os.path.join(work, "carbonledger.db")
env = dict(os.environ, CARBONLEDGER_HOME=work)


def run(*args):
    return subprocess.run([binary, *args, "--store", db], env=env, capture_output=True, text=True)


make_store(binary, work, env, db)
files = day_files(24, lambda i, s: (i * 7 + s) % 50 + 0.25)
for name, (_, _, text) in files.items():
    with open(os.path.join(work, name), "w") as f:
        f.write(text)
paths = [os.path.join(work, n) for n in sorted(files)]


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
    check(db, files, acknowledged)

# After all that, one clean run stores the rest; nothing is counted twice.
r = run("import", "readings", *paths)
assert r.returncode == 0, r.stdout + r.stderr
check(db, files, acknowledged, final=True)
total = total_readings(db)
assert total == 24 * 30 * 96, f"{total} readings stored, expected exactly {24 * 30 * 96}"
again = run("import", "readings", *paths)
assert " 0 new" in again.stdout and "0 revised" in again.stdout, again.stdout
check_audit = run("audit", "verify")
assert check_audit.returncode == 0, check_audit.stdout
print(f"kill_test: {rounds} rounds, {kills} kills, {len(acknowledged)} batches acknowledged before "
      f"the clean run; every acknowledged batch whole, none partly visible, {total} readings exactly once")
