# Defect: nothing capped the connections one address could hold open, and a reverse proxy's address would have been capped like a client's (issue 14, item 1 and 2).
"""The caps at accept: an address holds at most max_connections_per_address
connections (the rest are closed before a byte is read), a trusted proxy
is exempt, and /healthz answers throughout.

Usage: python3 connection_caps_test.py BINARY
"""
import socket
import sys
import time

import attack_support as s

CAP = 4


def held(address, count, port):
    """Opens `count` idle connections from `address`; how many the server
    keeps open after a moment."""
    socks = []
    for _ in range(count):
        c = socket.socket()
        c.bind((address, 0))
        c.connect(("127.0.0.1", port))
        socks.append(c)
    time.sleep(0.5)
    alive = 0
    for c in socks:
        c.setblocking(False)
        try:
            alive += c.recv(1) != b""  # b"": closed by the server
        except BlockingIOError:
            alive += 1  # open, nothing to read
        except OSError:
            pass
    return alive, socks


def main():
    server = s.Server(sys.argv[1], server_extra='trusted_proxies = ["127.0.0.1"]',
                      limits_extra=f"max_connections_per_address = {CAP}")
    failures = []
    try:
        other, a = held("127.0.0.2", 10, server.port)
        proxy, b = held("127.0.0.1", 10, server.port)
        s.wait_up(server.port, 5)
        s.report("connection caps", untrusted_held=other, proxy_held=proxy)
        if other != CAP:
            failures.append(f"127.0.0.2 held {other} connections, cap {CAP}")
        if proxy != 10:
            failures.append(f"the trusted proxy held {proxy} of 10 connections")
        for c in a + b:
            c.close()
        time.sleep(0.3)
        again, c2 = held("127.0.0.2", CAP, server.port)
        if again != CAP:
            failures.append(f"after closing, 127.0.0.2 held {again} of {CAP}")
        for c in c2:
            c.close()
    finally:
        server.stop()
    s.finish(failures)


if __name__ == "__main__":
    main()
