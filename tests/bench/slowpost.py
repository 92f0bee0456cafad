#!/usr/bin/env python3
"""slowpost.py — make bench's check of slow bodies (issue 17): CLIENTS connections
(default 256, the connection cap) each send a POST head announcing a 100-byte body to
lesson 08, then the body one byte every INTERVAL seconds (2). While they trickle, for
SECONDS (10), the server's threads are counted (Threads in /proc/PID/status, 10 looks
a second) and a normal client asks for GET / four times a second, each on a new
connection.

A connection waiting for body bytes should hold no thread, as one waiting for its head
holds none: the target is that the server's threads stay at the pool's base, one per
core (LIMIT_POOL_BASE_THREADS at most), plus the loop's thread, plus 2 spares (a turn
the machine preempts for a tick may start one). The base is what the server has idle,
measured before the trickle starts. The normal client's target: every answer 200.

A slow connection the server answers or closes (408, or evicted to make room) is
opened again after 0.25 s, as loris.py does, so the pressure stays. Prints one line of
figures, then a PASS or MISS line per target (as bench.py's targets); exits 1 when a
target is missed. SLOWPOST_CLIENTS, SLOWPOST_SECONDS, SLOWPOST_INTERVAL and
SLOWPOST_LESSON (8, or 7: a urlencoded form) change the run. Uses the e2e harness to
start the server (BENCH_BIN, else build/bin). Python 3 standard library only."""

from __future__ import annotations

import collections
import os
import selectors
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
if os.environ.get("BENCH_BIN"):
    os.environ.setdefault("WIRELAB_BIN", os.environ["BENCH_BIN"])

from harness import Server  # noqa: E402

CLIENTS = int(os.environ.get("SLOWPOST_CLIENTS", "256"))
SECONDS = float(os.environ.get("SLOWPOST_SECONDS", "10"))
INTERVAL = float(os.environ.get("SLOWPOST_INTERVAL", "2"))
LESSON = int(os.environ.get("SLOWPOST_LESSON", "8"))
SPARES = 2      # threads above the idle count the target allows
RETRY = 0.25    # a slow connection the server ended is opened again after this
NORMAL_EVERY = 0.25
NORMAL_TIMEOUT = 5.0


def threads_of(pid: int) -> int:
    """Threads of process pid (/proc/PID/status), 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def slow_request(lesson: int) -> tuple[bytes, bytes]:
    """The head and the 100-byte body a slow client sends (the body a valid form, though
    it never arrives whole)."""
    if lesson == 8:
        kind = "multipart/form-data; boundary=slow"
        start = b'--slow\r\nContent-Disposition: form-data; name="f"\r\n\r\n'
        end = b"\r\n--slow--\r\n"
    else:
        kind, start, end = "application/x-www-form-urlencoded", b"f=", b""
    body = start + b"x" * (100 - len(start) - len(end)) + end
    head = (f"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: {kind}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    return head, body


class Trickle:
    """CLIENTS slow POSTs, each sending its head, then a body byte every INTERVAL, on one
    selector; what ends them is counted in outcomes (the status, or "closed")."""

    def __init__(self, port: int, lesson: int):
        self.port = port
        self.head, self.body = slow_request(lesson)
        self.sel = selectors.DefaultSelector()
        self.conns: dict[socket.socket, list] = {}  # -> [next send, bytes of body sent]
        self.reopen: list[float] = []
        self.outcomes: collections.Counter = collections.Counter()
        self.opened = 0

    def open_one(self, now: float) -> None:
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", self.port))
        self.opened += 1
        # The first byte after the head comes at a spread of times, a steady drip.
        self.conns[s] = [now + INTERVAL * (self.opened % 100) / 100.0, -1]
        self.sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)

    def end(self, s: socket.socket, outcome: str, now: float) -> None:
        self.outcomes[outcome] += 1
        self.sel.unregister(s)
        s.close()
        del self.conns[s]
        self.reopen.append(now + RETRY)

    def step(self, now: float) -> None:
        for key, events in self.sel.select(timeout=0.05):
            s = key.fileobj
            st = self.conns.get(s)
            if st is None:
                continue
            try:
                if events & selectors.EVENT_WRITE and st[1] < 0:
                    s.send(self.head)  # connected: the whole head at once
                    st[1] = 0
                    self.sel.modify(s, selectors.EVENT_READ)
                elif events & selectors.EVENT_READ:
                    got = s.recv(4096)
                    self.end(s, got[9:12].decode(errors="replace") or "closed", now)
            except OSError:
                self.end(s, "reset", now)
        for s, st in list(self.conns.items()):
            if 0 <= st[1] < len(self.body) and now >= st[0]:
                st[0] = now + INTERVAL
                try:
                    s.send(self.body[st[1]:st[1] + 1])
                    st[1] += 1
                except OSError:
                    self.end(s, "reset", now)
        self.reopen = [t for t in self.reopen if t > now]  # the due ones reopen now
        while len(self.conns) + len(self.reopen) < CLIENTS:
            self.open_one(now)

    def sending(self) -> int:
        """How many have sent their head and not been ended."""
        return sum(1 for st in self.conns.values() if st[1] >= 0)

    def close(self) -> None:
        for s in list(self.conns):
            s.close()


class Normal(threading.Thread):
    """The normal client: GET / on a new connection every NORMAL_EVERY seconds until
    stopped; outcomes counts the statuses ("timeout", "reset" …)."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.port, self.done = port, threading.Event()
        self.outcomes: collections.Counter = collections.Counter()
        self.slowest = 0.0

    def one(self) -> str:
        start = time.monotonic()
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=NORMAL_TIMEOUT) as s:
                s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                got = b""
                while chunk := s.recv(65536):
                    got += chunk
        except socket.timeout:
            return "timeout"
        except OSError:
            return "reset"
        finally:
            self.slowest = max(self.slowest, time.monotonic() - start)
        return got[9:12].decode(errors="replace") or "nothing"

    def run(self) -> None:
        while not self.done.is_set():
            self.outcomes[self.one()] += 1
            self.done.wait(NORMAL_EVERY)


def verdicts(idle: int, most: int, normal: collections.Counter) -> list[tuple[str, str]]:
    """The targets, as (PASS or MISS, what) pairs."""
    bad = sum(n for k, n in normal.items() if k != "200")
    answered = sum(normal.values())
    return [("PASS" if most <= idle + SPARES else "MISS",
             f"L{LESSON:02d} threads during {CLIENTS} slow POSTs <= idle + {SPARES} "
             f"({idle} + {SPARES}): {most}"),
            ("PASS" if answered and not bad else "MISS",
             f"normal client during the slow POSTs, all 200: {answered - bad} of {answered}")]


def measure(srv: Server) -> tuple[int, list[int], Trickle, Normal]:
    pid = srv.proc.pid
    time.sleep(0.3)  # the pool's base threads are up once it listens; let them settle
    idle = threads_of(pid)
    trickle = Trickle(srv.port, LESSON)
    normal = Normal(srv.port)
    seen: list[int] = []
    try:
        ramp = time.monotonic() + 5  # every slow head sent, or 5 s
        while time.monotonic() < ramp and trickle.sending() < CLIENTS:
            trickle.step(time.monotonic())
        normal.start()
        end = time.monotonic() + SECONDS
        next_look = 0.0
        while (now := time.monotonic()) < end:
            trickle.step(now)
            if now >= next_look:
                seen.append(threads_of(pid))
                next_look = now + 0.1
    finally:
        normal.done.set()
        normal.join(NORMAL_TIMEOUT + 1)
        trickle.close()
    return idle, seen, trickle, normal


def main() -> int:
    tmp = tempfile.mkdtemp(prefix="wirelab-slowpost-")
    args = ["--upload-dir", os.path.join(tmp, "up")] if LESSON == 8 else []
    try:
        with Server(LESSON, args=args) as srv:
            idle, seen, trickle, normal = measure(srv)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    most = max(seen, default=0)
    ended = ", ".join(f"{k}: {n}" for k, n in sorted(trickle.outcomes.items())) or "none"
    said = ", ".join(f"{k}: {n}" for k, n in sorted(normal.outcomes.items())) or "nothing"
    print(f"slowpost: lesson {LESSON:02d}, {CLIENTS} POSTs sending a body byte every "
          f"{INTERVAL:g} s, for {SECONDS:g} s: threads idle {idle}, during median "
          f"{statistics.median(seen) if seen else 0:g} most {most} (the pool's base: "
          f"{pool_base()} + the loop); slow ones ended: {ended}; normal client: {said} "
          f"(slowest {normal.slowest:.2f} s)")
    results = verdicts(idle, most, normal.outcomes)
    for verdict, what in results:
        print(f"  {verdict:<4}  {what}")
    return 0 if all(v == "PASS" for v, _ in results) else 1


def pool_base() -> int:
    """The pool's base threads as pool.c counts them: one per online core, at most
    LIMIT_POOL_BASE_THREADS (64)."""
    return max(1, min(64, os.sysconf("SC_NPROCESSORS_ONLN")))


if __name__ == "__main__":
    sys.exit(main())
