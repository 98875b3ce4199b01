"""What the attack tests share: the demo city served by `carbonledger serve`
(a real process over loopback, its memory read from /proc), signed-in and
anonymous clients, and a probe that measures /healthz and a signed-in read
while an attack runs.

Attackers connect from other loopback addresses (127.0.0.2 and up) so that
the per-address connection cap does not do the defending: what is measured
is whether the server keeps serving when many addresses attack at once.
"""
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """The demo city in a SQLite store, served with `extra` settings (TOML
    lines appended to the [server] and [limits] tables)."""

    def __init__(self, binary, server_extra="", limits_extra=""):
        self.binary = binary
        self.work = tempfile.mkdtemp(prefix="cl-attack.")
        home = os.path.join(self.work, "home")
        env = dict(os.environ, CARBONLEDGER_HOME=home)
        port = free_port()
        demo = subprocess.Popen([binary, "demo", "--port", str(port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_up(port, 120)
        finally:
            demo.terminate()
            demo.wait(60)
        with open(os.path.join(home, "demo-accounts.json")) as f:
            self.passwords = json.load(f)
        self.upload_dir = os.path.join(self.work, "uploads")
        os.mkdir(self.upload_dir)
        self.port = free_port()
        config = os.path.join(self.work, "serve.toml")
        with open(config, "w") as f:
            f.write(f'[server]\nstore = "{home}/carbonledger.db"\nport = {self.port}\n'
                    f'access_log = false\nupload_dir = "{self.upload_dir}"\n{server_extra}\n'
                    f"[limits]\n{limits_extra}\n[audit]\ndir = \"{home}\"\n")
        self.log = open(os.path.join(self.work, "serve.log"), "w")
        self.process = subprocess.Popen([binary, "serve", "--config", config],
                                        stdout=self.log, stderr=self.log)
        wait_up(self.port, 60)

    def status(self, field):
        """A field of /proc/PID/status in MiB (VmRSS, VmHWM, RssAnon)."""
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def alive(self):
        return self.process.poll() is None

    def sign_in(self, login):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        c.request("POST", "/api/v1/session",
                  json.dumps({"login": login, "password": self.passwords[login]}),
                  {"Content-Type": "application/json"})
        r = c.getresponse()
        body = r.read()
        assert r.status == 200, (r.status, body)
        cookies = [v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie"]
        c.close()
        return "; ".join(cookies), json.loads(body)["csrf_token"]

    def stop(self):
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
        shutil.rmtree(self.work, ignore_errors=True)


def call(server, method, path, headers, body=None, timeout=300):
    """One request on a new connection: (status, body)."""
    c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        c.request(method, path, body, headers)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def finish(failures):
    """Prints each failure and exits 1 if there was one."""
    for f in failures:
        print("FAIL:", f)
    sys.exit(1 if failures else 0)


def wait_up(port, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server on port {port} did not come up")


def attacker_socket(port, index, timeout=30):
    """A connection from 127.0.0.(2 + index % 8)."""
    s = socket.socket()
    s.settimeout(timeout)
    s.bind((f"127.0.0.{2 + index % 8}", 0))
    s.connect(("127.0.0.1", port))
    return s


class Probe(threading.Thread):
    """Every `interval` s: GET /healthz and a signed-in GET, each on its own
    keep-alive connection (reopened when the server closes it), as a user's
    browser would. Latencies in ms; a failure counts as 10 s."""

    def __init__(self, server, cookie, read_path="/api/v1/units", interval=0.02):
        super().__init__(daemon=True)
        self.server, self.cookie, self.read_path, self.interval = server, cookie, read_path, interval
        self.health, self.reads, self.failures = [], [], []
        self.stopping = threading.Event()

    def _timed(self, conn, path, headers):
        start = time.perf_counter()
        try:
            if conn[0] is None:
                conn[0] = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
            conn[0].request("GET", path, headers=headers)
            r = conn[0].getresponse()
            r.read()
            if r.status != 200:
                self.failures.append(f"{path}: HTTP {r.status}")
            if r.getheader("Connection", "").lower() == "close":
                conn[0].close()
                conn[0] = None
        except (OSError, http.client.HTTPException) as e:
            self.failures.append(f"{path}: {e!r}")
            if conn[0] is not None:
                conn[0].close()
            conn[0] = None
            return 10000.0
        return (time.perf_counter() - start) * 1000

    def run(self):
        health, read = [None], [None]
        while not self.stopping.is_set():
            self.health.append(self._timed(health, "/healthz", {}))
            self.reads.append(self._timed(read, self.read_path, {"Cookie": self.cookie}))
            time.sleep(self.interval)

    def stop(self):
        self.stopping.set()
        self.join(30)


def percentile(values, p):
    if not values:
        return float("inf")
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


class Attack:
    """Threads that attack until stop(); each runs `body(index, stopping)`."""

    def __init__(self, count, body):
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=body, args=(i, self.stopping), daemon=True)
                        for i in range(count)]

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join(30)


def sign_in_flood(server, connections=48):
    """Wrong-password sign-ins as fast as the server answers, on keep-alive
    connections, for logins that exist and logins that do not."""
    counts = {"sent": 0}
    logins = ["admin", "staff", "manager", "nobody", "x-unknown"]

    def body(i, stopping):
        conn = None
        n = 0
        while not stopping.is_set():
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30,
                                                      source_address=(f"127.0.0.{2 + i % 8}", 0))
                login = logins[(i + n) % len(logins)] if n % 2 else f"guess-{i}-{n}"
                conn.request("POST", "/api/v1/session",
                             json.dumps({"login": login, "password": f"wrong password {n}"}),
                             {"Content-Type": "application/json"})
                r = conn.getresponse()
                r.read()
                counts["sent"] += 1
                n += 1
                if r.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                if conn is not None:
                    conn.close()
                conn = None
                time.sleep(0.05)
        if conn is not None:
            conn.close()

    attack = Attack(connections, body)
    attack.counts = counts
    return attack


def slowloris(server, connections=200, interval=2.0):
    """Connections that send a request head one header line every `interval`
    seconds and never finish it; reopened when the server closes them."""
    counts = {"opened": 0, "closed_by_server": 0}

    def body(i, stopping):
        s = None
        while not stopping.is_set():
            try:
                if s is None:
                    s = attacker_socket(server.port, i)
                    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                    counts["opened"] += 1
                if stopping.wait(interval):
                    break
                s.sendall(f"X-Slow-{i}: still here\r\n".encode())
            except OSError:
                counts["closed_by_server"] += 1
                if s is not None:
                    s.close()
                s = None
                time.sleep(0.1)
        if s is not None:
            s.close()

    attack = Attack(connections, body)
    attack.counts = counts
    return attack


class MemoryWatch(threading.Thread):
    """The server's resident memory, sampled every 50 ms: the peak in MiB."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server, self.peak = server, 0.0
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.wait(0.05):
            if not self.server.alive():
                return
            self.peak = max(self.peak, self.server.status("VmRSS"))

    def stop(self):
        self.stopping.set()
        self.join(5)
        return self.peak


def report(name, **figures):
    print(f"{name}: " + ", ".join(f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}"
                                  for k, v in figures.items()))
