#!/usr/bin/env python3
"""capflood.py — make bench's check of the connection cap (issue 17): CLIENTS clients
(default 1000) connect at once to lesson 03 and lesson 05, each sending one
`Connection: close` GET as soon as it is connected, against the cap of 256. A
well-behaved client should get 200; the target is 0 other answers (no 408 for a
request that had arrived, no 503 while room can be made, no reset).

Prints one line per lesson: answers by status, resets, and "ok" or "MISSED". Exits 1
when a target is missed. Uses the e2e harness to start the servers (BENCH_BIN, else
build/bin). Python 3 standard library only; one thread, non-blocking sockets."""

from __future__ import annotations

import collections
import os
import selectors
import socket
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
if os.environ.get("BENCH_BIN"):
    os.environ.setdefault("WIRELAB_BIN", os.environ["BENCH_BIN"])

from harness import Server  # noqa: E402

CLIENTS = int(os.environ.get("CAPFLOOD_CLIENTS", "1000"))
TIMEOUT = 30.0


def flood(port: int, path: str, clients: int) -> collections.Counter:
    """Runs the clients; a Counter of outcomes: "200", "408", "reset", "timeout" …"""
    request = (f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
               ).encode()
    sel = selectors.DefaultSelector()
    got: dict[socket.socket, bytearray] = {}
    outcomes: collections.Counter = collections.Counter()
    for _ in range(clients):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        got[s] = bytearray()
        sel.register(s, selectors.EVENT_WRITE)
    deadline = time.monotonic() + TIMEOUT
    while sel.get_map() and time.monotonic() < deadline:
        for key, events in sel.select(timeout=1):
            s = key.fileobj
            if events & selectors.EVENT_WRITE:
                try:
                    s.send(request)  # connected: the whole request at once
                    sel.modify(s, selectors.EVENT_READ)
                except OSError:
                    outcomes["reset"] += 1
                    sel.unregister(s)
                    s.close()
                continue
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                outcomes["reset"] += 1
                chunk = None
            if chunk:
                got[s] += chunk
                continue
            if chunk is not None:
                outcomes[bytes(got[s][9:12]).decode(errors="replace") or "nothing"] += 1
            sel.unregister(s)
            s.close()
    for key in list(sel.get_map().values()):
        outcomes["timeout"] += 1
        key.fileobj.close()
    return outcomes


def main() -> int:
    missed = False
    for lesson, path in ((3, "/"), (5, "/index.html")):
        with Server(lesson) as srv:
            start = time.monotonic()
            outcomes = flood(srv.port, path, CLIENTS)
            took = time.monotonic() - start
        bad = sum(n for k, n in outcomes.items() if k != "200")
        missed |= bad > 0
        shown = ", ".join(f"{k}: {n}" for k, n in sorted(outcomes.items()))
        print(f"capflood: lesson {lesson:02d}, {CLIENTS} connect-then-GET clients at once: "
              f"{shown} in {took:.1f} s; bad {bad} (target 0) {'MISSED' if bad else 'ok'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
