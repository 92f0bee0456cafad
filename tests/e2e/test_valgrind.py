"""test_valgrind — the hostile-client paths of test_limits.py under valgrind memcheck,
with deadlines that allow for valgrind's slowness (harness.SLOW).

tests/run.sh runs this file only in its valgrind pass (WIRELAB_WRAP set to valgrind,
WIRELAB_SLOW=10, the gcc build in build/bin), next to test_golden, test_clients and
the other e2e files that do not time the server closely; test_limits.py itself times
its connection-cap and SIGTERM cases too tightly for valgrind, so its paths are
walked here: timeouts (the head, a silent client, a stalled body, an idle keep-alive
connection), the connection cap, bodies at and past the limit, pipelining, mangled
bytes, and SIGTERM with connections open. Each case runs its own server and fails if
valgrind reports an error (exit status 99: an invalid read or write, a use of an
uninitialised value, a definite leak).

Run alone (`python3 tests/e2e/test_valgrind.py`) it wraps the servers in valgrind
itself, with the same options as tests/run.sh."""

from __future__ import annotations

import os
import random
import shutil
import socket
import threading
import time

import harness as h
from harness import (BODY_DEFAULT, BODY_IDLE, CONNECTIONS, HEAD_TIMEOUT, KEEPALIVE_IDLE, Server,
                     case, exchange, fail, mangled_requests, parse_responses, proc_threads, run)

VALGRIND = ["valgrind", "--leak-check=full", "--errors-for-leak-kinds=definite",
            "--error-exitcode=99", "--track-fds=no", "--vgdb=no", "-q"]

if not h.WRAP:
    if not shutil.which("valgrind"):
        print("1..1\nnot ok 1 - valgrind is installed (tools/scripts/packages.txt)")
        raise SystemExit(1)
    h.WRAP = VALGRIND
    h.SLOW = max(h.SLOW, 10.0)

GET = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"


def statuses(data: bytes, methods=("GET",)) -> list:
    return [getattr(r, "status", None) for r in parse_responses(data, methods)]


def check_binary() -> None:
    exe = os.path.join(h.bin_dir(), "lesson-03")
    with open(exe, "rb") as f:
        if b"AddressSanitizer" in f.read():
            fail(f"{exe} is an ASan build; valgrind needs the plain gcc build (build/bin)")


def assert_timed(elapsed: float, limit: float) -> None:
    # The server's limits are its own clock; valgrind only adds to the reply's delay.
    if not limit - 0.5 <= elapsed <= limit + 3 * h.SLOW:
        fail(f"answered after {elapsed:.2f} s, expected about {limit} s")


@case("the servers run under valgrind, from the gcc build")
def _():
    check_binary()
    if "valgrind" not in " ".join(h.WRAP):
        fail(f"WIRELAB_WRAP is {h.WRAP!r}, not valgrind")


@case("silent and half-sent heads all get 408 (the uninitialised buffer of a client that "
      "sent nothing)", parallel=True)
def _():
    with Server(3) as s:
        silent = lambda: exchange(s.port, b"", half_close=False, timeout=30)  # noqa: E731
        partial = lambda: exchange(s.port, b"GET / HTTP/1.1\r\nHost: x\r\n",  # noqa: E731
                                   half_close=False, timeout=30)
        results = []
        errors = h.run_parallel([lambda f=f: results.append(f()) for f in
                                 (partial, silent, partial, silent)])
        if any(errors):
            raise next(e for e in errors if e)
        for got, closed, elapsed in results:
            assert statuses(got) == [408] and closed, got[:60]
            assert_timed(elapsed, HEAD_TIMEOUT)


@case("a stalled Content-Length body and a stalled chunked body get 408", parallel=True)
def _():
    with Server(3) as s:
        cl = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789"
        ch = b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"
        results = []
        errors = h.run_parallel([
            lambda d=d: results.append(exchange(s.port, d, half_close=False, timeout=30))
            for d in (cl, ch)])
        if any(errors):
            raise next(e for e in errors if e)
        for got, closed, elapsed in results:
            assert statuses(got, ["POST"]) == [408] and closed, got[:60]
            assert_timed(elapsed, BODY_IDLE)


@case("an idle keep-alive connection is closed after 5 s", parallel=True)
def _():
    with Server(3) as s:
        got, closed, elapsed = exchange(s.port, GET, half_close=False, timeout=30)
        assert statuses(got) == [200] and closed, got[:60]
        assert_timed(elapsed, KEEPALIVE_IDLE)


@case("256 connections sending bodies: the next one gets 503; once they close, 200 again",
      parallel=True)
def _():
    with Server(3) as s:
        held: list[socket.socket] = []
        stop = threading.Event()
        base = h.proc_sockets(s.proc.pid)

        def trickle() -> None:
            # A body byte from each every 0.5 s: none is ever silent for
            # LIMIT_EVICT_QUIET_MS (1 s), or its byte waits unread, so none may be
            # evicted to make room, however slowly valgrind serves them.
            while not stop.wait(0.5):
                for c in list(held):
                    try:
                        c.send(b"x")
                    except OSError:
                        pass

        keeper = threading.Thread(target=trickle, daemon=True)
        keeper.start()
        try:
            # The connections come 16 at a time, each batch once the server holds the
            # last: under valgrind a head left waiting in the backlog could meet its
            # 10 s deadline.
            for i in range(CONNECTIONS):
                c = socket.create_connection((h.HOST, s.port), timeout=10)
                c.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
                held.append(c)
                if (i + 1) % 16 and i + 1 < CONNECTIONS:
                    continue
                deadline = time.monotonic() + 3 * h.SLOW
                while h.proc_sockets(s.proc.pid) < base + i + 1:
                    if time.monotonic() > deadline:
                        fail(f"{h.proc_sockets(s.proc.pid) - base} held of {i + 1}")
                    time.sleep(0.2)
            got, closed, _ = exchange(s.port, GET, timeout=5 * h.SLOW)
            assert statuses(got) == [503] and closed, got[:60]
        finally:
            stop.set()
            keeper.join(10)
            for c in held:
                c.close()
        deadline = time.monotonic() + 5 * h.SLOW
        while statuses(exchange(s.port, GET, timeout=5 * h.SLOW)[0]) != [200]:
            if time.monotonic() > deadline:
                fail("still refused after the held connections closed")
            time.sleep(0.2)


@case("pipelining, a 300 KB chunked body, 1 MiB Content-Length and 413 past it, "
      "100-continue", parallel=True)
def _():
    with Server(3) as s:
        data = (b"GET /a HTTP/1.1\r\nHost: one\r\n\r\nHEAD /b HTTP/1.1\r\nHost: two\r\n\r\n"
                b"GET /c HTTP/1.1\r\nHost: three\r\nConnection: close\r\n\r\n")
        got, closed, _ = exchange(s.port, data, timeout=10 * h.SLOW)
        assert statuses(got, ["GET", "HEAD", "GET"]) == [200, 200, 200] and closed

        body = bytes(random.Random(7).randrange(256) for _ in range(300_000))
        chunked = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 4096]), body[i:i + 4096])
                           for i in range(0, len(body), 4096)) + b"0\r\n\r\n"
        data = (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked
                + GET)
        got, _, _ = exchange(s.port, data, chunks=[1000] * 50, timeout=10 * h.SLOW)
        assert statuses(got, ["POST", "GET"]) == [405, 200], statuses(got, ["POST", "GET"])

        head = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
        got, _, _ = exchange(s.port, head % BODY_DEFAULT + b"x" * BODY_DEFAULT + GET,
                             timeout=10 * h.SLOW)
        assert statuses(got, ["POST", "GET"]) == [405, 200]
        got, closed, _ = exchange(s.port, head % (BODY_DEFAULT + 1), half_close=False,
                                  timeout=10 * h.SLOW)
        assert statuses(got, ["POST"]) == [413] and closed

        with socket.create_connection((h.HOST, s.port), timeout=10 * h.SLOW) as c:
            c.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                      b"Expect: 100-continue\r\n\r\n")
            assert c.recv(4096) == b"HTTP/1.1 100 Continue\r\n\r\n"
            c.sendall(b"hello")
            assert c.recv(4096).startswith(b"HTTP/1.1 405 ")


@case("200 mangled requests to lesson 03, 40 each to lessons 01 and 02: whole answers, "
      "no memory error", parallel=True)
def _():
    with Server(3) as s:
        for data in mangled_requests(1, 200, GET):
            got, _, _ = exchange(s.port, data, timeout=15 * h.SLOW)
            if got and not got.startswith(b"HTTP/1.1 "):
                fail(f"{data!r} got {got[:60]!r}")
        assert statuses(exchange(s.port, GET, timeout=10 * h.SLOW)[0]) == [200]
    for lesson in (1, 2):
        with Server(lesson) as s:
            for data in mangled_requests(2, 40, GET):
                exchange(s.port, data, timeout=15 * h.SLOW)
                assert s.alive(), f"lesson {lesson} died on {data!r}"


@case("SIGTERM at once after 'Server bound to port N' ends every lesson server with exit "
      "0 (each started three times)", parallel=True)
def _():
    # The bound line says the server may be used at once, stopping included: by then
    # SIGTERM must already lead to the clean shutdown, not to death by the signal.
    # Under valgrind the gap between the line and the signal handling is wide.
    lessons = sorted(int(name[len("lesson-"):]) for name in os.listdir(h.bin_dir())
                     if name.startswith("lesson-") and name[len("lesson-"):].isdigit())
    if not lessons:
        fail(f"no lesson binaries in {h.bin_dir()}")
    died = []
    for _ in range(3):
        for lesson in lessons:
            status = Server(lesson).stop()
            if status != 0:
                how = f"signal {-status}" if status < 0 else f"status {status}"
                died.append(f"lesson {lesson:02d}: {how}")
    if died:
        fail("stopped right after the bound line: " + ", ".join(died))


@case("SIGTERM with connections open (one mid-head): exit 0, no leak", parallel=True)
def _():
    with Server(3) as s:
        held = [socket.create_connection((h.HOST, s.port)) for _ in range(5)]
        held[0].sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        time.sleep(0.5 * h.SLOW)
        status = s.stop()
        for c in held:
            c.close()
        assert status == 0, f"exit status {status}"


run()
