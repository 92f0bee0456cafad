"""test_limits — the rows of the Limits table (common/README.md) that need time or many
connections to show (timeouts, the connection cap), and the promise behind all
of them: bad input never crashes or hangs a lesson server, and it goes on serving.

The rows a single canned request can show (414, 431, 400, 501, 505 …) are golden
tests of lesson 03 (lessons/03-better-server/requests/); this file covers the rest.
Timed cases (and those that only wait, on servers of their own) run in parallel, so they
take about one head timeout together; the cap cases, one after another on a server of
their own, run beside them."""

from __future__ import annotations

import contextlib
import os
import random
import select
import signal
import socket
import threading
import time

from harness import (BODY_DEFAULT, BODY_IDLE, CONNECTIONS, HEAD_TIMEOUT, KEEPALIVE_IDLE, LINGER,
                     LOBBY, Lane, Server, case, exchange, fail, mangled_requests,
                     parse_responses, proc_sockets, proc_threads, run, run_parallel)

GET = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"

# Two lesson 03 servers for the whole file, stopped (and checked) at the end: SERVER for
# the timed cases and those after them, CAP for the cases that fill the connection cap.
# The cap cases run one after another (CAP_LANE), beside the timed ones, which a server
# at its cap would evict (the one that waits out a head timeout has a server of its own).
SERVER = Server(3)
CAP = Server(3)
CAP_LANE = Lane()


def one(data: bytes, methods=("GET",), to: Server = SERVER, **kw):
    """Sends data to a shared server; returns (responses, closed, elapsed)."""
    got, closed, elapsed = exchange(to.port, data, **kw)
    return parse_responses(got, methods), closed, elapsed


def status_of(responses) -> list[int]:
    return [getattr(r, "status", None) for r in responses]


def assert_served_now():
    """A normal request is answered at once: the server is alive and not stalled."""
    rs, _, elapsed = one(GET)
    if status_of(rs) != [200] or elapsed > 2:
        fail(f"a normal GET got {status_of(rs)} after {elapsed:.2f} s")


def assert_timeout(elapsed: float, limit: float):
    if not limit - 0.5 <= elapsed <= limit + 3:
        fail(f"answered after {elapsed:.2f} s, expected about {limit} s")


# ---- timeouts (run together) ----

@case("408 when the head is not complete within 10 s", parallel=True)
def _():
    rs, closed, elapsed = one(b"GET / HTTP/1.1\r\nHost: localhost\r\n", half_close=False, timeout=20)
    assert status_of(rs) == [408], status_of(rs)
    assert rs[0].header("Connection") == "close"
    assert closed, "connection left open after 408"
    assert_timeout(elapsed, HEAD_TIMEOUT)


@case("408 for a connection that never sends a byte", parallel=True)
def _():
    rs, closed, elapsed = one(b"", half_close=False, timeout=20)
    assert status_of(rs) == [408] and closed, status_of(rs)
    assert_timeout(elapsed, HEAD_TIMEOUT)


@case("a head trickled one byte a second still ends at 10 s (slowloris)", parallel=True)
def _():
    data = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 40
    rs, closed, elapsed = one(data, chunks=[1] * len(data), delay=0.5, half_close=False,
                              timeout=25)
    assert status_of(rs) == [408] and closed, status_of(rs)
    # The client is still trickling when the 408 goes out, so the server drains it
    # for the lingering close before it closes: the close comes at 10 s + 2 s.
    assert_timeout(elapsed, HEAD_TIMEOUT + LINGER)


@case("408 when a Content-Length body stalls for 10 s", parallel=True)
def _():
    data = b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n0123456789"
    rs, closed, elapsed = one(data, methods=("POST",), half_close=False, timeout=20)
    assert status_of(rs) == [408] and closed, status_of(rs)
    assert_timeout(elapsed, BODY_IDLE)


@case("408 when a chunked body stalls for 10 s", parallel=True)
def _():
    data = b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"
    rs, closed, elapsed = one(data, methods=("POST",), half_close=False, timeout=20)
    assert status_of(rs) == [408] and closed, status_of(rs)
    assert_timeout(elapsed, BODY_IDLE)


@case("an idle keep-alive connection is closed quietly after 5 s", parallel=True)
def _():
    got, closed, elapsed = exchange(SERVER.port, GET, half_close=False, timeout=15)
    rs = parse_responses(got, ["GET"])
    assert status_of(rs) == [200], status_of(rs)
    assert closed, "the idle connection was never closed"
    assert_timeout(elapsed, KEEPALIVE_IDLE)


@case("other clients are answered at once while slow ones wait", parallel=True)
def _():
    time.sleep(1)  # the slow cases above are connected by now
    for _ in range(20):
        assert_served_now()


def survives(lesson: int) -> None:
    with Server(lesson) as s:
        for data in mangled_requests(2, 40, GET):
            exchange(s.port, data, timeout=15)
            assert s.alive(), f"lesson {lesson} died on {data!r}"
        # A client that connects and says nothing holds a sequential server at
        # most one head timeout; the next client is served after it.
        idle = socket.create_connection(("127.0.0.1", s.port))
        try:
            start = time.monotonic()
            got, closed, _ = exchange(s.port, GET, timeout=20)
            waited = time.monotonic() - start
        finally:
            idle.close()
        assert closed and waited < HEAD_TIMEOUT + 3, waited
        if lesson == 2:
            assert got.startswith(b"HTTP/1.1 200 OK\r\n"), got[:40]


@case("lessons 01 and 02 survive the same bytes and a silent client, and serve on",
      parallel=True)
def _():
    # Each lesson waits out a head timeout on its own server: both wait at once.
    errors = [e for e in run_parallel([lambda: survives(1), lambda: survives(2)]) if e]
    if errors:
        raise errors[0]


@case("a client that said its request was its last is let go at once; one the server "
      "ends on its own is kept for the lingering close", parallel=True)
def _():
    last = [b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
            b"GET / HTTP/1.0\r\n\r\n"] * 5
    refused = [b"BAD\r\n\r\n"] * 5
    with Server(3) as srv:  # its own: the shared one may still linger on earlier cases
        base = proc_sockets(srv.proc.pid)
        held = []
        try:
            for data in last + refused:  # each reads to the end and stays open our side
                held.append(socket.create_connection(("127.0.0.1", srv.port), timeout=5))
                held[-1].sendall(data)
                got, closed = exchange_rest(held[-1])
                assert closed and got.startswith((b"HTTP/1.1 200 ", b"HTTP/1.1 400 ")), got[:40]
            # Lingering lasts 2 s, and all the above took far less: the five refused
            # are still held, the ten that asked to close are not.
            wait_until("the server holds only the five it refused",
                       lambda: proc_sockets(srv.proc.pid) == base + len(refused), LINGER / 2)
            wait_until("the lingering ones closed", lambda: proc_sockets(srv.proc.pid) == base,
                       LINGER + 2)
        finally:
            for s in held:
                s.close()


# ---- the connection cap ----

def wait_until(what: str, test, seconds: float):
    deadline = time.monotonic() + seconds
    while not test():
        if time.monotonic() > deadline:
            fail(f"not so after {seconds} s: {what}")
        time.sleep(0.05)


def open_all(data: bytes, count: int, srv: Server = CAP) -> list[socket.socket]:
    """count connections to srv, each having sent data, all accepted."""
    base = proc_sockets(srv.proc.pid)
    held = []
    for _ in range(count):
        held.append(socket.create_connection(("127.0.0.1", srv.port)))
        if data:
            held[-1].sendall(data)
    wait_until(f"{count} connections accepted",
               lambda: proc_sockets(srv.proc.pid) >= base + count, 10)
    return held


def receive_to_end(sock: socket.socket, timeout: float = 5) -> tuple[bytes, str]:
    """What a held connection receives, and how it ended: "fin" (the server closed),
    "reset", or "open" (nothing more within timeout s)."""
    sock.settimeout(timeout)
    got = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return got, "open"
        except ConnectionResetError:
            return got, "reset"
        if not chunk:
            return got, "fin"
        got += chunk


def exchange_rest(sock: socket.socket, timeout: float = 5) -> tuple[bytes, bool]:
    """What a held connection receives until the server closes it (or timeout s)."""
    got, end = receive_to_end(sock, timeout)
    return got, end != "open"


@contextlib.contextmanager
def holding(data: bytes, count: int = CONNECTIONS, srv: Server = CAP):
    """Holds count connections to srv (the cap's worth) that sent data, as (sockets, the
    server's threads before); once they are closed the server must serve again, and
    the threads it started for them must end."""
    # A server just started says it is bound before its pool's threads are up: one GET
    # answered, they are, and the count taken next is the one to come back to.
    if status_of(one(GET, to=srv)[0]) != [200]:
        fail("the server did not answer a GET before the cap was filled")
    threads = proc_threads(srv.proc.pid)
    sockets = proc_sockets(srv.proc.pid)
    held = open_all(data, count, srv)
    try:
        yield held, threads
    finally:
        for s in held:
            s.close()
    wait_until("a GET is answered 200 again",
               lambda: status_of(one(GET, to=srv)[0]) == [200], 10)
    # The next case counts the server's sockets: none of these may still be closing.
    wait_until(f"sockets back to {sockets}", lambda: proc_sockets(srv.proc.pid) <= sockets,
               LINGER + 5)
    wait_until(f"threads back to {threads}", lambda: proc_threads(srv.proc.pid) <= threads, 10)


@case("at the cap, half-sent heads hold no thread, and a newcomer is served: "
      "the connection silent longest gets 408 to make room", parallel=True)
@CAP_LANE
def _():
    with holding(b"GET / HTTP/1.1\r\nHost: loris\r\n") as (held, threads):
        assert proc_threads(CAP.proc.pid) <= threads, "waiting heads took threads"
        rs, _, elapsed = one(GET, to=CAP, timeout=5)
        assert status_of(rs) == [200] and elapsed < 2, (status_of(rs), elapsed)
        readable, _, _ = select.select(held, [], [], 2)
        assert len(readable) == 1, f"{len(readable)} held connections answered, not one"
        got, closed = exchange_rest(readable[0])
        assert got.startswith(b"HTTP/1.1 408 ") and closed, got[:40]


@case("at the cap, a whole GET evicts a head begun 0.7 s ago and still not whole before "
      "connections idle longer between requests: the head gets 408, the idle ones stay",
      parallel=True)
@CAP_LANE
def _():
    with holding(GET, CONNECTIONS - 1) as (idle, _):
        for s in idle:  # each has its 200 and is kept alive, waiting for a next request
            got = s.recv(65536)
            assert got.startswith(b"HTTP/1.1 200 "), got[:40]
        time.sleep(0.6)  # every idle one has now waited longer than the head will have
        loris = open_all(b"GET / HTTP/1.1\r\nHost: loris\r\n", 1)[0]
        try:
            # A head comes in one packet or a burst: one begun LIMIT_EVICT_HEAD_MS (0.5 s)
            # ago and still not whole goes before a client idle between requests, which
            # may yet send its next one.
            time.sleep(0.7)
            rs, _, _ = one(GET, to=CAP, timeout=5)
            assert status_of(rs) == [200], status_of(rs)
            got, end = receive_to_end(loris, 5)
            assert got.startswith(b"HTTP/1.1 408 ") and end == "fin", (got[:40], end)
            closed = select.select(idle, [], [], 0.5)[0]
            assert not closed, f"{len(closed)} idle connections were closed to make room"
        finally:
            loris.close()


@case("at the cap, a connection that only waits for the client to close makes room "
      "before one that began a head", parallel=True)
@CAP_LANE
def _():
    with holding(b"GET / HTTP/1.1\r\nHost: loris\r\n", CONNECTIONS - 1) as (held, _):
        with socket.create_connection(("127.0.0.1", CAP.port), timeout=5) as done:
            done.sendall(b"BAD\r\n\r\n")  # a 400: the server closes, not the client
            got, closed = exchange_rest(done)  # the answer, then our side is shut
            assert got.startswith(b"HTTP/1.1 400 ") and closed, got[:40]
            # The server lingers on `done` (up to 2 s): it is the newest, yet goes first.
            rs, _, elapsed = one(GET, to=CAP, timeout=5)
            assert status_of(rs) == [200] and elapsed < 2, (status_of(rs), elapsed)
            readable, _, _ = select.select(held, [], [], 1)
            assert not readable, f"{len(readable)} connections with a head begun were evicted"


POST_HEAD = b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n0"


@contextlib.contextmanager
def trickling(held: list[socket.socket]):
    """Every held connection sends a body byte each 0.25 s: none is ever silent for
    LIMIT_EVICT_QUIET_MS, so none may be evicted to make room."""
    stop = threading.Event()

    def trickle():
        while not stop.wait(0.25):
            for s in held:
                try:
                    s.send(b"0")
                except OSError:
                    pass

    sender = threading.Thread(target=trickle)
    sender.start()
    try:
        yield
    finally:
        stop.set()
        sender.join()


@case("connection 257 gets 503 with a status line when all 256 are sending bodies, none "
      "silent long enough to make room; the bodies hold no thread, and the server recovers",
      parallel=True)
@CAP_LANE
def _():
    with holding(POST_HEAD) as (held, threads), trickling(held):
        # Between bytes each body waits in the pool, parked like a head: no thread is
        # started for them.
        time.sleep(1)
        assert proc_threads(CAP.proc.pid) <= threads, "bodies being sent took threads"
        # The newcomer waits for room (LIMIT_CAP_WAIT_MS, 2 s), then is refused. It
        # keeps its side open: the server must read its request before closing, or
        # the close is a reset (which can destroy the 503 before the client reads it).
        with socket.create_connection(("127.0.0.1", CAP.port), timeout=5) as late:
            late.sendall(GET)
            got, end = receive_to_end(late, 5)
        rs = parse_responses(got, ["GET"])
        assert status_of(rs) == [503], got[:80]
        assert rs[0].header("Connection") == "close" and rs[0].header("Retry-After") == "1"
        assert end == "fin", f"the 503 ended in {end}, not a FIN"
        assert proc_threads(CAP.proc.pid) <= threads, "bodies being sent took threads"


@case("at the cap, a newcomer whose whole request has arrived takes the first free slot "
      "before 50 silent ones that came earlier, which take no one's slot: the first gets "
      "the next free one, the others 503 after 2 s in the lobby", parallel=True)
def _():
    close = b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    # Its own server: it waits out a head timeout, beside the other cap cases.
    with Server(3) as own, holding(POST_HEAD, srv=own) as (held, _), trickling(held):
        # 50 newcomers that connect and send nothing, then one with a whole GET: all
        # accepted into the lobby, none admitted, as no slot can be had.
        silent = open_all(b"", 50, own)
        ready = open_all(close, 1, own)[0]
        try:
            time.sleep(0.1)  # the loop looks at the lobby each tick (20 ms)
            # One slot frees. In arrival order it would go to the first silent one, and
            # each silent one would keep it a second (then be evicted by the next): the
            # GET would wait about 50 s.
            held.pop(0).close()
            got, end = receive_to_end(ready, 10)
            assert status_of(parse_responses(got, ["GET"])) == [200], got[:80]
            # The slot the GET leaves is free: the first silent one takes it (and gets
            # 408 when its head is due). The others take no one's slot: each gets 503
            # after 2 s in the lobby.
            for s in silent[1:]:
                got, end = receive_to_end(s, 10)
                assert got.startswith(b"HTTP/1.1 503 ") and end == "fin", (got[:40], end)
            got, end = receive_to_end(silent[0], HEAD_TIMEOUT + 5)
            assert got.startswith(b"HTTP/1.1 408 ") and end == "fin", (got[:40], end)
        finally:
            for s in silent + [ready]:
                s.close()


@case("at the cap, 40 silent newcomers owed the 503 at the same moment get it together, "
      "each ending in a FIN: a refusal does not wait for the refused client to close",
      parallel=True)
@CAP_LANE
def _():
    with holding(POST_HEAD) as (held, _), trickling(held):
        # None of them sends or closes, so the server's wait for each to close (what it
        # sent read and dropped, so that the close is a FIN) runs its full time. Done
        # one after another, that wait would spread the 503s over 40 times it (2 s).
        silent = open_all(b"", 40)
        try:
            came = {}
            deadline = time.monotonic() + 10
            while len(came) < len(silent) and time.monotonic() < deadline:
                waiting = [s for s in silent if s not in came]
                for s in select.select(waiting, [], [], 0.5)[0]:
                    came[s] = time.monotonic()
            assert len(came) == len(silent), f"{len(silent) - len(came)} got no answer in 10 s"
            spread = max(came.values()) - min(came.values())
            assert spread < 1.0, f"the 503s came over {spread:.2f} s, one refusal after another"
            for s in silent:
                got, end = receive_to_end(s, 5)
                assert got.startswith(b"HTTP/1.1 503 ") and end == "fin", (got[:40], end)
        finally:
            for s in silent:
                s.close()


@case("at the cap with the lobby full, a newcomer makes the oldest silent one there get "
      "503 at once, not the older one whose request has arrived; that one gets the next slot",
      parallel=True)
@CAP_LANE
def _():
    close = b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    with holding(POST_HEAD) as (held, _), trickling(held):
        # The lobby: first a whole GET, then silent newcomers until it is full. None is
        # admitted: no slot can be had.
        first = open_all(close, 1)[0]
        start = time.monotonic()
        silent = open_all(b"", LOBBY - 1)
        try:
            # Once the silent ones have waited LIMIT_EVICT_QUIET_MS (1 s), and before
            # the GET has waited LIMIT_CAP_WAIT_MS (2 s: the 503 for the oldest guest,
            # whatever it sent), one more newcomer connects: the lobby is full, so the
            # oldest guest still without a whole head gives up its place.
            time.sleep(max(0.0, start + 1.2 - time.monotonic()))
            if time.monotonic() > start + 1.7:
                fail("filling the lobby took too long to test it before the 2 s wait")
            late = socket.create_connection(("127.0.0.1", CAP.port), timeout=5)
            silent.append(late)
            got, end = receive_to_end(silent[0], 10)
            assert got.startswith(b"HTTP/1.1 503 ") and end == "fin", (got[:40], end)
            # One slot frees: it goes to the GET, which a 503 in arrival order would have
            # turned away first.
            held.pop(0).close()
            got, end = receive_to_end(first, 10)
            assert status_of(parse_responses(got, ["GET"])) == [200], got[:80]
        finally:
            for s in silent + [first]:
                s.close()


@case("at the cap, a connection whose whole request waits unread is never evicted: "
      "every one is answered 200, and so is the newcomer", parallel=True)
@CAP_LANE
def _():
    close = b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    with holding(b"") as (held, _):
        # The server stopped, every held connection sends a whole request and a newcomer
        # connects (into the listen backlog). On SIGCONT the loop sees the newcomer at
        # once, while the pool's threads have hundreds of requests still unread: making
        # room by evicting one of them (its 408) is the fault this case catches.
        os.kill(CAP.proc.pid, signal.SIGSTOP)
        try:
            for sock in held:
                sock.sendall(close)
            newcomer = socket.create_connection(("127.0.0.1", CAP.port), timeout=5)
            newcomer.sendall(close)
        finally:
            os.kill(CAP.proc.pid, signal.SIGCONT)
        with newcomer:
            answers = [exchange_rest(sock)[0][:12] for sock in held]
            wrong = [a for a in answers if a != b"HTTP/1.1 200"]
            assert not wrong, f"{len(wrong)} held connections got {sorted(set(wrong))}"
            got, closed = exchange_rest(newcomer)
            assert got.startswith(b"HTTP/1.1 200 ") and closed, got[:40]


# ---- framing across reads ----

@case("a request sent one byte per write is answered as if sent whole")
def _():
    whole, _, _ = exchange(SERVER.port, GET)
    split, _, _ = exchange(SERVER.port, GET, chunks=[1] * len(GET))
    a, b = parse_responses(whole, ["GET"]), parse_responses(split, ["GET"])
    assert status_of(a) == status_of(b) == [200]
    assert a[0].body == b[0].body == b"Hello localhost\n"


@case("three pipelined requests in one write get three answers in order")
def _():
    data = (b"GET /a HTTP/1.1\r\nHost: one\r\n\r\n"
            b"HEAD /b HTTP/1.1\r\nHost: two\r\n\r\n"
            b"GET /c HTTP/1.1\r\nHost: three\r\nConnection: close\r\n\r\n")
    rs, closed, _ = one(data, methods=["GET", "HEAD", "GET"])
    assert status_of(rs) == [200, 200, 200], status_of(rs)
    assert [r.body for r in rs] == [b"Hello one\n", b"", b"Hello three\n"]
    assert rs[1].header("Content-Length") == "10"
    assert closed


@case("a chunked body larger than one read is framed exactly (next request still parsed)")
def _():
    body = random.Random(7).randbytes(300_000)
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 4096]), body[i:i + 4096])
                       for i in range(0, len(body), 4096)) + b"0\r\n\r\n"
    data = (b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunked + b"GET / HTTP/1.1\r\nHost: after\r\n\r\n")
    rs, _, _ = one(data, methods=["POST", "GET"], chunks=[1000] * 50)
    assert status_of(rs) == [405, 200], status_of(rs)
    assert rs[0].header("Allow") == "GET, HEAD"
    assert rs[1].body == b"Hello after\n"


@case("a Content-Length body of exactly 1 MiB is read; one byte more is 413 at once")
def _():
    head = b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: %d\r\n\r\n"
    rs, _, _ = one(head % BODY_DEFAULT + b"x" * BODY_DEFAULT + GET, methods=["POST", "GET"])
    assert status_of(rs) == [405, 200], status_of(rs)
    rs, closed, elapsed = one(head % (BODY_DEFAULT + 1), methods=["POST"], half_close=False)
    assert status_of(rs) == [413] and closed and elapsed < 2, (status_of(rs), elapsed)


@case("a chunked body over 1 MiB is 413")
def _():
    piece = b"x" * 65536
    data = (b"POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
            + (b"10000\r\n" + piece + b"\r\n") * 17 + b"0\r\n\r\n")
    rs, closed, _ = one(data, methods=["POST"])
    assert status_of(rs) == [413] and closed, status_of(rs)


@case("Expect: 100-continue gets 100 Continue before the body is sent")
def _():
    with socket.create_connection(("127.0.0.1", SERVER.port), timeout=5) as s:
        s.sendall(b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n"
                  b"Expect: 100-continue\r\n\r\n")
        interim = s.recv(4096)
        assert interim == b"HTTP/1.1 100 Continue\r\n\r\n", interim
        s.sendall(b"hello")
        final = s.recv(4096)
        assert final.startswith(b"HTTP/1.1 405 "), final[:40]


# ---- hostile bytes ----

@case("300 mangled requests: every answer is a whole HTTP response, and the server lives")
def _():
    for data in mangled_requests(1, 300, GET):
        got, closed, _ = exchange(SERVER.port, data, timeout=15)
        if got and not got.startswith(b"HTTP/1.1 "):
            fail(f"{data!r} got {got[:60]!r}")
        for r in parse_responses(got, ["GET"] * 4):
            if not hasattr(r, "status"):
                fail(f"{data!r} got an unparsable answer {got[:120]!r}")
        assert SERVER.alive(), "the server died"
    assert_served_now()


@case("lesson 03 stops cleanly on SIGTERM with connections open")
def _():
    with Server(3) as s:
        held = [socket.create_connection(("127.0.0.1", s.port)) for _ in range(5)]
        held[0].sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        time.sleep(0.2)
        start = time.monotonic()
        status = s.stop()
        for h in held:
            h.close()
        assert status == 0, f"exit status {status}"
        assert time.monotonic() - start < 4


@case("the shared servers exit 0 with a clean stderr")
def _():
    try:
        SERVER.__exit__(None, None, None)
    finally:
        CAP.__exit__(None, None, None)


run()
