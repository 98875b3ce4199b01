# Defect: importing a 31 MB activities file peaked at 1.3 GB (issue 14, item 4): the file was read whole, decoded whole, split into every row and checked into every record before the first was stored.
"""A 31 MB activities file of valid rows (about 390,000, all distinct), generated
here and never kept, imported twice into the demo city: by
`carbonledger import activities` (the command's peak resident memory, from
wait4) and by POST /api/v1/activities as a programme administrator (the
server's VmHWM). Both must stay under 256 MiB and store every row.

Usage: python3 large_activities_import_test.py BINARY
"""
import datetime
import json
import os
import subprocess
import sys
import tempfile

import attack_support as s

TARGET_BYTES = 31_000_000  # under max_activities_bytes (32 MiB, docs/deploy.md)
LIMIT_MIB = 256
SPAN_DAYS = 40  # periods of 1..40 days from each start day: distinct keys


def write_activities(path, unit, first_year):
    """Valid electricity bills of `unit`, one per (start, end) pair, until the
    file holds TARGET_BYTES. Returns the number of rows."""
    header = ("unit_id,site_id,activity,quantity,unit_of_measure,period_start,period_end,"
              "data_source,instrument,instrument_ids,factor,factor_unit,note,meter_id\n")
    first = datetime.date(first_year, 1, 1)
    rows = 0
    size = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(header)
        size += len(header)
        while size < TARGET_BYTES:
            start = first + datetime.timedelta(days=rows // SPAN_DAYS)
            end = start + datetime.timedelta(days=rows % SPAN_DAYS)
            line = (f"{unit},,electricity,{1000 + rows % 997}.5,kWh,{start.isoformat()},"
                    f"{end.isoformat()},bill,,,,,generated bill {rows},\n")
            f.write(line)
            size += len(line.encode())
            rows += 1
    return rows


def command_peak(binary, store, path):
    """(exit code, peak RSS MiB, output) of `carbonledger import activities`,
    its audit key and checkpoints beside the store (CARBONLEDGER_HOME)."""
    env = dict(os.environ, CARBONLEDGER_HOME=os.path.dirname(store))
    p = subprocess.Popen([binary, "import", "activities", path, "--store", store], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, usage.ru_maxrss / 1024, out.decode(errors="replace")


def main():
    server = s.Server(sys.argv[1])
    failures = []
    work = tempfile.mkdtemp(prefix="cl-activities.")
    try:
        cookie, csrf = server.sign_in("admin")
        me = {"Cookie": cookie, "X-CSRF-Token": csrf}
        status, answer = s.call(server, "GET", "/api/v1/units", me)
        units = [u["id"] for u in json.loads(answer)["units"]]
        if status != 200 or len(units) < 2:
            failures.append(f"units: HTTP {status} {answer[:200]!r}")
            raise SystemExit

        # The command, on the server's store while the server is idle.
        path = os.path.join(work, "big-command.csv")
        rows = write_activities(path, units[0], 1990)
        megabytes = os.path.getsize(path) / 1e6
        store = os.path.join(server.work, "home", "carbonledger.db")
        code, peak, out = command_peak(sys.argv[1], store, path)
        s.report("import activities (command)", file_mb=megabytes, rows=rows, exit=code,
                 rss_peak_mib=peak)
        if code != 0 or f"{rows} new" not in out:
            failures.append(f"command: exit {code}, {out[-400:]!r}")
        if peak > LIMIT_MIB:
            failures.append(f"command peak memory {peak:.0f} MiB > {LIMIT_MIB} MiB")
        os.remove(path)

        # The API: the same size of file, another unit.
        path = os.path.join(work, "big-api.csv")
        rows = write_activities(path, units[1], 1990)
        before = server.status("VmRSS")
        with open(path, "rb") as f:
            body = f.read()
        os.remove(path)
        status, answer = s.call(server, "POST", "/api/v1/activities?name=big.csv",
                                dict(me, **{"Content-Type": "text/csv"}), body, timeout=1800)
        del body
        peak = server.status("VmHWM")
        s.report("import activities (API)", file_mb=megabytes, rows=rows, http=status,
                 rss_before_mib=before, rss_peak_mib=peak)
        if status != 201:
            failures.append(f"upload: HTTP {status} {answer[:300]!r}")
        elif json.loads(answer)["batch"]["accepted"] != rows:
            failures.append(f"upload stored {json.loads(answer)['batch']} of {rows} rows")
        if peak > LIMIT_MIB:
            failures.append(f"server peak memory {peak:.0f} MiB > {LIMIT_MIB} MiB")
        if not server.alive():
            failures.append("the server died")
    except SystemExit:
        pass
    finally:
        server.stop()
        for name in os.listdir(work):
            os.remove(os.path.join(work, name))
        os.rmdir(work)
    s.finish(failures)


if __name__ == "__main__":
    main()
