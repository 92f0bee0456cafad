"""test_lesson03 — lesson 03 (a better server) where its text states a rule the
goldens show only for HTTP/1.1: Host twice is refused on any version (RFC 9112
§3.2), while HTTP/1.0 may leave Host out."""

from __future__ import annotations

from harness import Server, case, exchange, parse_responses, run


def answer(port: int, request: bytes):
    data, closed, _ = exchange(port, request, timeout=10)
    (r,) = parse_responses(data, ["GET"])
    return r, closed


@case("two Host lines are a 400 on HTTP/1.0 as on HTTP/1.1, and the connection closes")
def _():
    with Server(3) as s:
        for version in ("1.0", "1.1"):
            for second in ("b", "a"):   # a different site, or the same one twice
                r, closed = answer(s.port, f"GET / HTTP/{version}\r\nHost: a\r\n"
                                   f"Host: {second}\r\n\r\n".encode())
                assert r.status == 400 and closed, (version, second, r)


@case("HTTP/1.0 without Host is served: Hello World")
def _():
    with Server(3) as s:
        r, _ = answer(s.port, b"GET / HTTP/1.0\r\n\r\n")
        assert r.status == 200 and r.body == b"Hello World\n", r


run()
