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
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from store_fixture import check, day_files, make_store, total_readings

binary = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
random.seed(20261129)
work = tempfile.mkdtemp(prefix="cl_serve_")
db = os.path.join(work, "carbonledger.db")
env = dict(os.environ, CARBONLEDGER_HOME=work, CARBONLEDGER_PASSWORD="a long enough secret")


log_dir = os.environ.get("CL_API_RESPONSE_LOG")
log_lock = threading.Lock()


def log_response(method, path, status, content_type, body):
    """One line per answer in CL_API_RESPONSE_LOG, for
    tests/server/validate_responses.py to check against api/openapi.json."""
    if not log_dir:
        return
    os.makedirs(log_dir, exist_ok=True)
    line = json.dumps({"method": method, "path": path, "status": status,
                       "content_type": content_type or "",
                       "body": body.decode("utf-8", "replace"), "test": "serve_test"})
    with log_lock, open(os.path.join(log_dir, f"serve_test-{os.getpid()}.jsonl"), "a") as f:
        f.write(line + "\n")


def run(*args):
    r = subprocess.run([binary, *args], env=env, capture_output=True, text=True)
    return r


make_store(binary, work, env, db)
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

files = {name: (meter, first, text.encode()) for name, (meter, first, text) in
         day_files(16, lambda i, s: (i + s) % 40 + 0.5).items()}


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
        health = resp.read()
        log_response("GET", "/healthz", resp.status, resp.headers.get("Content-Type"), health)
        assert resp.status == 200 and json.loads(health)["status"] == "ok"

    def send(name):
        body = files[name][2]
        path = f"/api/v1/readings?name={name}"
        req = urllib.request.Request(base + path, data=body, method="POST",
                                     headers={"Authorization": "Bearer " + token,
                                              "Content-Type": "text/csv"})
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                answer = resp.read()
                log_response("POST", path, resp.status, resp.headers.get("Content-Type"), answer)
                if resp.status == 201:
                    batch = json.loads(answer)["batch"]
                    assert batch["source"] == name, batch
                    acknowledged.add(name)
        except urllib.error.HTTPError as e:
            answer = e.read()
            log_response("POST", path, e.code, e.headers.get("Content-Type"), answer)
            failures.append(f"{name}: HTTP {e.code} {answer[:300]!r}")
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
    check(db, files, acknowledged)

# Everything sent again by the command line: each batch exactly once.
paths = []
for name, (_, _, body) in files.items():
    path = os.path.join(work, name)
    with open(path, "wb") as f:
        f.write(body)
    paths.append(path)
r = run("import", "readings", *paths, "--store", db)
assert r.returncode == 0, r.stdout + r.stderr
check(db, files, set(files))
total = total_readings(db)
assert total == 16 * 2880, f"{total} readings stored, expected exactly {16 * 2880}"
assert run("audit", "verify", "--store", db).returncode == 0
print(f"serve_test: {rounds} rounds of SIGTERM during imports, {len(acknowledged)} batches "
      f"acknowledged, each stored whole; {total} readings exactly once")
