"""What the process-level durability tests (kill_test.py, serve_test.py)
share: a store with one unit, one site and four 15-minute UTC meters; files of
whole days of readings; and reading back how many readings each day holds."""
import os
import sqlite3
import subprocess
import time

DAY0 = 19723  # 2024-01-01, as a day count
METERS = [f"U1/E{i}" for i in range(4)]


def make_store(binary, work, env, db):
    """Registers U1, its site S1 and METERS in the store `db` (UTC meters:
    a file's days are exactly its chunks)."""
    with open(os.path.join(work, "units.csv"), "w") as f:
        f.write("unit_id,credit_code,name_zh,province\nU1,9131011513572468XU,甲,310000\n")
    with open(os.path.join(work, "sites.csv"), "w") as f:
        f.write("unit_id,site_id\nU1,S1\n")
    with open(os.path.join(work, "meters.csv"), "w") as f:
        f.write("meter_id,unit_id,site_id,carrier,unit_of_measure,interval,time_zone\n")
        for m in METERS:
            f.write(f"{m},U1,S1,electricity,kWh,15min,UTC\n")
    for what in ("units", "sites", "meters"):
        r = subprocess.run([binary, "import", what, os.path.join(work, what + ".csv"), "--store", db],
                           env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr


def day_files(count, value):
    """`count` files: file i holds meter i % 4, 30 days from day 30 * (i // 4),
    96 readings a day of value(i, slot). Returns name -> (meter, first day, text)."""
    files = {}
    for i in range(count):
        meter = METERS[i % 4]
        first = DAY0 + 30 * (i // 4)
        rows = ["meter_id,timestamp,value"]
        for d in range(first, first + 30):
            for s in range(96):
                t = d * 86400 + s * 900
                rows.append(f"{meter},{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(t))},{value(i, s)}")
        files[f"batch{i:02d}.csv"] = (meter, first, "\n".join(rows) + "\n")
    return files


def stored(db):
    """meter -> {day: readings} from the store's chunks."""
    con = sqlite3.connect(db)
    out = {}
    for meter, day, count in con.execute(
        "SELECT m.id, c.chunk_day, c.count FROM reading_chunks c JOIN meters m ON m.meter_no = c.meter_no"
    ):
        out.setdefault(meter, {})[day] = count
    con.close()
    return out


def check(db, files, acknowledged, final=False):
    """Every file stored whole or not at all; acknowledged ones (all, when
    final) whole."""
    chunks = stored(db)
    for name, (meter, first, _) in files.items():
        counts = [chunks.get(meter, {}).get(d, 0) for d in range(first, first + 30)]
        assert all(c in (0, 96) for c in counts), f"{name}: a day is partly stored: {counts}"
        total = sum(counts)
        assert total in (0, 2880), f"{name} is partly visible: {total} of 2880 readings"
        if name in acknowledged or final:
            assert total == 2880, f"{name} was acknowledged but {total} of 2880 readings are stored"


def total_readings(db):
    con = sqlite3.connect(db)
    total = con.execute("SELECT SUM(count) FROM reading_chunks").fetchone()[0]
    con.close()
    return total
