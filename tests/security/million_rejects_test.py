# Defect: a 113 KB gzip upload made 999,999 rejected rows, and listing them (not paginated) cost 2.1 GB of server memory per request, 10.6 GB kept after four at once (issue 14, item 4 of "Why").
"""A small gzip body of a million bad rows with a meter token: the batch
counts every rejected row but keeps the first 10,000 with their reasons;
the rejects are read in pages of at most 1,000 with a `next` link; four
listings at once (JSON pages and the CSV file) keep the server under
256 MiB, and its memory returns near where it was.

Usage: python3 million_rejects_test.py BINARY
"""
import gzip
import json
import random
import sys
import threading
import time

import attack_support as s

ROWS = 999_999
KEPT = 10_000  # ImportOptions::max_rejects_kept (src/app/ingest/include/ingest/ingest.h)


def main():
    server = s.Server(sys.argv[1])
    failures = []
    try:
        cookie, csrf = server.sign_in("manager")
        me = {"Cookie": cookie, "X-CSRF-Token": csrf}
        # Rows for a meter nobody has, with varied digits so that the body
        # is an honest compressed file (about 1:15), not a bomb.
        rng = random.Random(14)
        text = "meter_id,timestamp,value\n" + "".join(
            f"X{rng.randrange(10**6)},2025-01-01T00:00:00+08:00,{rng.randrange(10**4)}\n"
            for _ in range(ROWS))
        body = gzip.compress(text.encode(), 9)
        before = server.status("VmRSS")
        watch = s.MemoryWatch(server)
        watch.start()
        status, answer = s.call(server, "POST", "/api/v1/readings?name=million.csv",
                              dict(me, **{"Content-Type": "text/csv", "Content-Encoding": "gzip"}),
                              body)
        if status != 201:
            failures.append(f"upload: HTTP {status} {answer[:300]!r}")
            raise SystemExit
        batch = json.loads(answer)["batch"]
        print(f"after the upload: {server.status('VmRSS'):.1f} MiB")
        if batch["rejected"] != ROWS or batch["accepted"] != 0:
            failures.append(f"batch counts: {batch}")
        path = f"/api/v1/batches/{batch['id']}/rejects"
        results = {}

        def walk(key):
            if key == "csv":
                st, a = s.call(server, "GET", path + "?format=csv", me)
                results[key] = (st, a.count(b"\n") - 1)
                return
            pages, total, nxt = 0, 0, path
            while nxt:
                st, a = s.call(server, "GET", nxt, me)
                if st != 200:
                    results[key] = (st, a[:200])
                    return
                page = json.loads(a)
                pages += 1
                total += len(page["rejects"])
                if len(page["rejects"]) > 1000 or page["rejected"] != ROWS:
                    results[key] = ("bad page", page["limit"], page["rejected"])
                    return
                nxt = page["next"]
            results[key] = (200, total, pages)

        threads = [threading.Thread(target=walk, args=(k,)) for k in ("a", "b", "c", "csv")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for k in ("a", "b", "c"):
            if results.get(k) != (200, KEPT, KEPT // 1000):
                failures.append(f"pages {k}: {results.get(k)}")
        if results.get("csv") != (200, KEPT):
            failures.append(f"csv: {results.get('csv')}")
        st, a = s.call(server, "GET", path + "?limit=5000", me)
        if st != 422:
            failures.append(f"limit=5000: HTTP {st}")
        time.sleep(6.0)  # the server hands freed memory back every 5 s
        peak = watch.stop()
        after = server.status("VmRSS")
        s.report("million rejects", body_kib=len(body) / 1024, rss_before_mib=before,
                 rss_peak_mib=peak, rss_after_mib=after)
        if peak > 256:
            failures.append(f"peak memory {peak:.0f} MiB > 256 MiB")
        # Near where it was: pooled store connections keep their page caches
        # (sqlite_cache_mib, 8 MiB each) after the import and the listings.
        if after > before + 48:
            failures.append(f"memory after {after:.0f} MiB, before {before:.0f} MiB")
    except SystemExit:
        pass
    finally:
        server.stop()
    s.finish(failures)


if __name__ == "__main__":
    main()
