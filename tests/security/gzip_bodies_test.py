# Defects: a truncated gzip body was acknowledged as a complete batch with half its rows, and gzip bombs were spooled to disk up to 512 MiB each (issue 14, "And more").
"""A readings import with a meter token: a gzip body cut short is refused
whole (no batch, no reading), a 100 KiB bomb is refused with 413 while
little of it has reached the upload folder, and the same rows sent whole
are accepted. The server's memory stays under 256 MiB throughout.

Usage: python3 gzip_bodies_test.py BINARY
"""
import gzip
import json
import os
import sys
import threading
import time

import attack_support as s


def folder_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


def post(server, cookie, csrf, body, name):
    return s.call(server, "POST", f"/api/v1/readings?name={name}",
                  {"Cookie": cookie, "X-CSRF-Token": csrf, "Content-Type": "text/csv",
                   "Content-Encoding": "gzip"}, body, timeout=60)


def main():
    server = s.Server(sys.argv[1])
    failures = []
    try:
        cookie, csrf = server.sign_in("manager")
        meters = json.loads(s.call(server, "GET", "/api/v1/units/SH-0001/meters",
                                   {"Cookie": cookie})[1])["meters"]
        meter = meters[0]["id"]
        rows = "".join(f"{meter},2019-03-{1 + i // 96:02d}T{(i % 96) // 4:02d}:{(i % 4) * 15:02d}:00+08:00,1.5\n"
                       for i in range(96 * 20))
        whole = gzip.compress(("meter_id,timestamp,value\n" + rows).encode())
        peak = s.MemoryWatch(server)
        peak.start()
        status, answer = post(server, cookie, csrf, whole[: len(whole) // 2], "truncated.csv.gz")
        if status != 400 or b"truncated" not in answer:
            failures.append(f"truncated gzip: HTTP {status} {answer[:200]!r}")
        # The bomb: 1 GiB of one repeated row in about 1 MiB of gzip.
        bomb = gzip.compress(("meter_id,timestamp,value\n" + f"{meter},2019-04-01T00:00:00+08:00,1\n" * 30_000_000).encode(), 9)
        seen = {"max": 0}
        stop = threading.Event()

        def watch():
            while not stop.wait(0.005):
                seen["max"] = max(seen["max"], folder_bytes(server.upload_dir))

        w = threading.Thread(target=watch, daemon=True)
        w.start()
        status, answer = post(server, cookie, csrf, bomb, "bomb.csv.gz")
        stop.set()
        w.join()
        if status != 413 or b"bomb" not in answer:
            failures.append(f"bomb: HTTP {status} {answer[:200]!r}")
        if seen["max"] > 256 << 20:
            failures.append(f"bomb: {seen['max'] >> 20} MiB reached the upload folder")
        batches = json.loads(s.call(server, "GET", "/api/v1/batches", {"Cookie": cookie})[1])["batches"]
        named = [b for b in batches if b.get("source") in ("truncated.csv.gz", "bomb.csv.gz")]
        if named:
            failures.append(f"a refused body left a batch: {named}")
        status, answer = post(server, cookie, csrf, whole, "whole.csv.gz")
        if status != 201 or json.loads(answer)["batch"]["accepted"] != 96 * 20:
            failures.append(f"the whole body: HTTP {status} {answer[:300]!r}")
        time.sleep(0.2)
        mem = peak.stop()
        if mem > 256:
            failures.append(f"peak memory {mem:.0f} MiB")
        s.report("gzip bodies", bomb_bytes=len(bomb), upload_folder_peak_mib=seen["max"] / 2**20,
                 rss_peak_mib=mem, alive=server.alive())
    finally:
        server.stop()
    s.finish(failures)


if __name__ == "__main__":
    main()
