"""test_lesson01 — lesson 01 (readline echo) where its text describes behaviour the
goldens cannot show: the TCP reset a client sees when the server closes with part
of the request unread, and what the server logs on stderr.

long-line is a 9035-byte request line. Both variants read at most 8 KiB of it and
close with the rest still unread, so the kernel answers with a reset in both;
all-lines prints the piece it read as one element and says why it stopped on
stderr, while the line variant prints the piece and logs nothing."""

from __future__ import annotations

import os
import socket
import time

from harness import REPO, Server, case, run

LONG_LINE = os.path.join(REPO, "lessons", "01-readline-echo", "requests", "long-line.http")


def reset_seen(port: int, data: bytes) -> bool:
    """Send data, and tell whether the server's close reached us as a reset."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        try:
            while sock.recv(4096):
                pass
        except ConnectionResetError:
            return True
    return False


def long_line() -> bytes:
    with open(LONG_LINE, "rb") as f:
        return f.read()


@case("long-line: both variants leave bytes unread, so the client sees a reset in both")
def _():
    data = long_line()
    assert len(data) > 8192, len(data)
    for variant in (None, "all-lines"):
        with Server(1, variant) as s:
            assert reset_seen(s.port, data), f"no reset with variant {variant or 'line'}"


@case("all-lines stops at the over-long line: one element, and stderr says why")
def _():
    with Server(1, "all-lines") as s:
        reset_seen(s.port, long_line())
        out = s.take_stdout()
        time.sleep(0.1)
        assert out.startswith("[b'GET /a") and out.rstrip().endswith("']"), out[:80]
        elements = out.count("b'")
        assert elements == 1, f"{elements} elements printed"
        assert "a line longer than 8192 bytes; closing" in s.stderr(), s.stderr()


@case("the line variant prints the first 8 KiB and logs nothing on stderr")
def _():
    with Server(1) as s:
        reset_seen(s.port, long_line())
        out = s.take_stdout()
        time.sleep(0.1)
        assert out.startswith("b'GET /a") and out.count("b'") == 1, out[:80]
        assert s.stderr().strip() == "", s.stderr()


run()
