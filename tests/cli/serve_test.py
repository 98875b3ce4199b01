#!/usr/bin/env python3
"""The server as a process: `carbonledger serve` on a free port answers over
HTTP, refuses a bad settings file with its line, and on SIGTERM stops
accepting, finishes the imports it is answering and exits 0. Every batch it
acknowledged (HTTP 201) is stored whole; no other batch is partly visible.

usage: serve_test.py CARBONLEDGER_BINARY [ROUNDS]
"""
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

binary = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
random.seed(20261129)
work = tempfile.mkdtemp(prefix="cl_serve_")
db = os.path.join(work, "carbonledger.db")
env = dict(os.environ, CARBONLEDGER_HOME=work, CARBONLEDGER_PASSWORD="a long enough secret")


def run(*args):
    r = subprocess.run([binary, *args], env=env, capture_output=True, text=True)
    return r


with open(os.path.join(work, "units.csv"), "w") as f:
    f.write("unit_id,credit_code,name_zh,province\nU1,9131011513572468XU,甲,310000\n")
with open(os.path.join(work, "sites.csv"), "w") as f:
    f.write("unit_id,site_id\nU1,S1\n")
meters = [f"U1/E{i}" for i in range(4)]
with open(os.path.join(work, "meters.csv"), "w") as f:
    f.write("meter_id,unit_id,site_id,carrier,unit_of_measure,interval,time_zone\n")
    for m in meters:
        f.write(f"{m},U1,S1,electricity,kWh,15min,UTC\n")
for what in ("units", "sites", "meters"):
    r = run("import", what, os.path.join(work, what + ".csv"), "--store", db)
    assert r.returncode == 0, r.stderr
assert run("user", "add", "gw", "--role", "unit_manager", "--unit", "U1", "--store", db).returncode == 0
tok = run("token", "issue", "--user", "gw", "--unit", "U1", "--days", "1", "--store", db)
assert tok.returncode == 0, tok.stderr
token = next(w for w in tok.stdout.split() if w.startswith("clt_"))

# A bad settings file is refused with its place.
bad = os.path.join(work, "bad.toml")
with open(bad, "w") as f:
    f.write("[server]\nport = 8080\nthreds = 4\n")
r = run("serve", "--config", bad)
assert r.returncode == 1 and "bad.toml:3:1" in r.stderr and "threds" in r.stderr, r.stderr

DAY0 = 19723  # 2024-01-01
files = {}
for i in range(16):
    meter = meters[i % 4]
    first = DAY0 + 30 * (i // 4)
    rows = ["meter_id,timestamp,value"]
    for d in range(first, first + 30):
        for s in range(96):
            t = d * 86400 + s * 900
            rows.append(f"{meter},{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(t))},{(i + s) % 40 + 0.5}")
    files[f"batch{i:02d}.csv"] = (meter, first, ("\n".join(rows) + "\n").encode())


def stored():
    con = sqlite3.connect(db)
    out = {}
    for meter, day, count in con.execute(
        "SELECT m.id, c.chunk_day, c.count FROM reading_chunks c JOIN meters m ON m.meter_no = c.meter_no"
    ):
        out.setdefault(meter, {})[day] = count
    con.close()
    return out


def check(acknowledged):
    chunks = stored()
    for name, (meter, first, _) in files.items():
        counts = [chunks.get(meter, {}).get(d, 0) for d in range(first, first + 30)]
        assert all(c in (0, 96) for c in counts), f"{name}: a day is partly stored: {counts}"
        total = sum(counts)
        assert total in (0, 2880), f"{name} is partly visible: {total} of 2880"
        if name in acknowledged:
            assert total == 2880, f"{name} was acknowledged but {total} of 2880 readings are stored"


acknowledged = set()
failures = []
for rnd in range(rounds):
    p = subprocess.Popen([binary, "serve", "--store", db, "--port", "0"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert m, f"no URL in {line!r}"
    base = f"http://127.0.0.1:{m.group(1)}"
    with urllib.request.urlopen(base + "/healthz", timeout=10) as resp:
        assert resp.status == 200 and json.load(resp)["status"] == "ok"

    def send(name):
        body = files[name][2]
        req = urllib.request.Request(f"{base}/api/v1/readings?name={name}", data=body, method="POST",
                                     headers={"Authorization": "Bearer " + token,
                                              "Content-Type": "text/csv"})
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                if resp.status == 201:
                    batch = json.load(resp)["batch"]
                    assert batch["source"] == name, batch
                    acknowledged.add(name)
        except urllib.error.HTTPError as e:
            failures.append(f"{name}: HTTP {e.code} {e.read()[:300]!r}")
        except (urllib.error.URLError, ConnectionError, OSError):
            pass  # refused or cut off: not acknowledged

    names = random.sample(sorted(files), 8)
    threads = [threading.Thread(target=send, args=(n,)) for n in names]
    for t in threads:
        t.start()
        time.sleep(random.uniform(0.0, 0.05))
    time.sleep(random.uniform(0.05, 0.4))
    p.send_signal(signal.SIGTERM)
    for t in threads:
        t.join(180)
    rc = p.wait(120)
    err = p.stderr.read()
    assert rc == 0, f"exit {rc}: {err}"
    assert '"msg":"stopped"' in err, err
    assert not failures, failures
    check(acknowledged)

# Everything sent again by the command line: each batch exactly once.
paths = []
for name, (_, _, body) in files.items():
    path = os.path.join(work, name)
    with open(path, "wb") as f:
        f.write(body)
    paths.append(path)
r = run("import", "readings", *paths, "--store", db)
assert r.returncode == 0, r.stdout + r.stderr
check(set(files))
con = sqlite3.connect(db)
total = con.execute("SELECT SUM(count) FROM reading_chunks").fetchone()[0]
con.close()
assert total == 16 * 2880, f"{total} readings stored, expected exactly {16 * 2880}"
assert run("audit", "verify", "--store", db).returncode == 0
print(f"serve_test: {rounds} rounds of SIGTERM during imports, {len(acknowledged)} batches "
      f"acknowledged, each stored whole; {total} readings exactly once")
