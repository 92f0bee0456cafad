"""test_lesson07 — lesson 07 (methods) seen by real clients: Python requests, as the
article uses it, and curl (-G, -I, -d, --json).

What the server prints is compared with what Python itself prints for the same input
(str(parse_qs(q)), str(dict(parse_qsl(q))), str(json.loads(body))), so the C server
and the article's Python agree byte for byte. HEAD has GET's headers and no body;
411, 415, 405 and invalid JSON get their statuses; a body that stalls gets 408 after
the body timeout while another client is served meanwhile."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
from urllib.parse import parse_qs, parse_qsl

import requests

from harness import Lane, Server, case, exchange, parse_responses, run
from site_page import PAGE

# Each case has a server of its own. The case that waits out the body timeout (10 s) runs
# beside the others, which still run one after another (IN_TURN).
IN_TURN = Lane()

QUERIES = [
    "test1=foo&test2=bar&test3=hello%20world",
    "test1=foo&test2=bar&test3=hello%20world&test2=baz&test2=nothing",
    "a=hello+world&b=%41%42&c=%zz&d=%e2%82&e=caf%C3%A9&f=it%27s&g=%22q%22",
    "novalue&empty=&=anon&x=1&&x=2",
    "tab=%09&nl=%0A&bs=%5C&ctl=%7F&nbsp=%C2%A0&euro=%E2%82%AC",
    "",
]


def url(s: Server, path: str = "/") -> str:
    return f"http://localhost:{s.port}{path}"


def curl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["curl", "-sS", "--max-time", "10", *args], capture_output=True,
                          timeout=20)


def printed_after_headers(s: Server) -> list[str]:
    """What the server printed after each headers dict (the parsed query or body)."""
    return [l for l in s.take_stdout().splitlines() if not l.startswith("{'Host'")]


@case("GET /query_test prints what Python's parse_qs prints (variant multi)", parallel=True)
@IN_TURN
def _():
    with Server(7) as s:
        # requests re-quotes a URL ("%zz" becomes "%25zz"): the first two go through
        # requests as in the article, all of them through curl, which sends them as given.
        for q in QUERIES[:2]:
            requests.get(url(s, "/query_test?" + q), timeout=5)
            assert printed_after_headers(s) == [str(parse_qs(q))], q
        for q in QUERIES:
            assert curl("-g", url(s, "/query_test?" + q if q else "/query_test")).stdout == PAGE
            assert printed_after_headers(s) == [str(parse_qs(q))], q


@case("GET /query_test prints what Python's dict(parse_qsl) prints (variant last-wins)",
      parallel=True)
@IN_TURN
def _():
    with Server(7, "last-wins") as s:
        for q in QUERIES[:2]:
            requests.get(url(s, "/query_test?" + q), timeout=5)
            assert printed_after_headers(s) == [str(dict(parse_qsl(q)))], q
        for q in QUERIES:
            assert curl("-g", url(s, "/query_test?" + q)).stdout == PAGE
            assert printed_after_headers(s) == [str(dict(parse_qsl(q)))], q


@case("curl -G --data-urlencode builds a query the server reads as Python would", parallel=True)
@IN_TURN
def _():
    with Server(7) as s:
        p = curl("-G", "--data-urlencode", "msg=hello world & more", "-d", "x=1", "-d", "x=2",
                 url(s, "/query_test"))
        assert p.stdout == PAGE
        assert printed_after_headers(s) == [str(parse_qs("msg=hello%20world%20%26%20more&x=1&x=2"))]


@case("HEAD /index.html: exactly GET's headers, the gzip Content-Length, no body", parallel=True)
@IN_TURN
def _():
    with Server(7) as s:
        g = requests.get(url(s, "/index.html"), timeout=5)
        h = requests.head(url(s, "/index.html"), timeout=5)
        assert h.status_code == 200 and h.content == b""
        skip = {"Date"}
        assert {k: v for k, v in h.headers.items() if k not in skip} == \
               {k: v for k, v in g.headers.items() if k not in skip}, (h.headers, g.headers)
        assert h.headers["Content-Encoding"] == "gzip"
        raw = requests.get(url(s, "/index.html"), timeout=5, stream=True)
        assert int(h.headers["Content-Length"]) == len(raw.raw.read())
        p = curl("-I", url(s, "/index.html"))
        assert b"Content-Length: %d\r\n" % len(PAGE) in p.stdout, p.stdout  # identity for curl


@case("POST form (requests data=, curl -d): the server prints dict(parse_qsl(body))", parallel=True)
@IN_TURN
def _():
    with Server(7) as s:
        r = requests.post(url(s), data={"var1": "test", "var2": "test2"}, timeout=5)
        assert r.status_code == 200 and r.content == PAGE
        assert printed_after_headers(s) == ["{'var1': 'test', 'var2': 'test2'}"]
        body = "name=J%C3%BCrgen&name=Joe&note=a+b%26c&bad=%ff"
        p = curl("-d", body, url(s))
        assert p.stdout == PAGE
        assert printed_after_headers(s) == [str(dict(parse_qsl(body)))]


@case("POST JSON (requests json=, curl --json): the server prints json.loads(body)", parallel=True)
@IN_TURN
def _():
    with Server(7) as s:
        r = requests.post(url(s), json={"var1": "test", "var2": "test2"}, timeout=5)
        assert r.status_code == 200 and r.content == PAGE
        assert printed_after_headers(s) == ["{'var1': 'test', 'var2': 'test2'}"]
        for body in ['[1, -2.5, 1e-7, 1E16, 0.1, 3.0, true, false, null, {}]',
                     '{"s": "caf\\u00e9 \\"q\\" it\'s\\t\\u0000", "n": {"a": [[1]]}, "a": 2}',
                     '"just a string"', '12345678901234']:
            p = curl("--json", body, url(s))
            assert p.stdout == PAGE, (body, p.stdout)
            assert printed_after_headers(s) == [repr(json.loads(body))], body


@case("invalid JSON gets 400 naming line, column and byte; the server says why on stdout",
      parallel=True)
@IN_TURN
def _():
    with Server(7) as s:
        r = requests.post(url(s), data='{\n  "var1": "test",\n  "var2": \n}', timeout=5,
                          headers={"Content-Type": "application/json"})
        assert r.status_code == 400, r
        assert "line 4, column 1 (byte 32)" in r.text, r.text
        assert printed_after_headers(s) == [
            "invalid JSON: unexpected token near '}' (line 4, column 1, byte 32)"]
        p = curl("--json", "{\"a\": <script>", "-w", "%{http_code}", url(s))
        assert p.stdout.endswith(b"400") and b"<script>" not in p.stdout, p.stdout


@case("411 without Content-Length, 415 for another type, 405 with Allow", parallel=True)
@IN_TURN
def _():
    with Server(7) as s:
        data, _, _ = exchange(s.port, b"POST / HTTP/1.1\r\nHost: x\r\n"
                                      b"Content-Type: application/json\r\n\r\n")
        (r,) = parse_responses(data, ["POST"])
        assert r.status == 411, r
        r = requests.post(url(s), data=b"hello", headers={"Content-Type": "text/plain"}, timeout=5)
        assert r.status_code == 415
        assert r.headers["Accept-Post"] == "application/x-www-form-urlencoded, application/json"
        r = requests.put(url(s), data=b"x", timeout=5)
        assert r.status_code == 405 and r.headers["Allow"] == "GET, HEAD, POST"
        r = requests.post(url(s, "/query_test"), data={"a": "b"}, timeout=5)
        assert r.status_code == 405 and r.headers["Allow"] == "GET, HEAD"


@case("a body over 1 MiB gets 413", parallel=True)
@IN_TURN
def _():
    with Server(7) as s:
        try:
            r = requests.post(url(s), data=b"a=" + b"x" * (1024 * 1024), timeout=10,
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
            assert r.status_code == 413, r
        except requests.ConnectionError:
            pass  # the server may close before the client finished sending
        data, _, _ = exchange(s.port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n"
                                      b"Content-Type: application/json\r\n\r\n")
        assert data.startswith(b"HTTP/1.1 413 "), data[:80]


@case("a body that stalls gets 408 after the body timeout; other clients are served meanwhile",
      parallel=True)
def _():
    with Server(7) as s:
        sock = socket.create_connection(("127.0.0.1", s.port))
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 33\r\n\r\n{\"var1\": ")
        started = time.monotonic()
        got = {}

        def wait_408():
            sock.settimeout(20)
            buf = b""
            while True:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                buf += chunk
            got["data"], got["after"] = buf, time.monotonic() - started

        t = threading.Thread(target=wait_408)
        t.start()
        time.sleep(1)
        for _ in range(5):  # served while the first client stalls
            r = requests.post(url(s), json={"var1": "test"}, timeout=3)
            assert r.status_code == 200
        assert time.monotonic() - started < 5
        t.join(25)
        sock.close()
        assert got["data"].startswith(b"HTTP/1.1 408 "), got
        assert 9 <= got["after"] <= 15, got["after"]



@case("many clients at once: every parsed query is printed as one whole line", parallel=True)
@IN_TURN
def _():
    keys = [f"key{k}" for k in range(40)]

    def query(n: int) -> str:
        return "&".join(f"{k}=v{n}" for k in keys)

    def expected(n: int) -> str:
        return str(parse_qs(query(n)))

    with Server(7) as s:
        def client(first: int) -> None:
            with requests.Session() as session:
                for n in range(first, first + 40):
                    r = session.get(url(s, "/query_test?" + query(n)), timeout=10)
                    assert r.status_code == 200, r.status_code

        threads = [threading.Thread(target=client, args=(t * 40,)) for t in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        printed = s.take_stdout()
        dicts = [line for line in printed.splitlines() if line.startswith("{'key0'")]
        want = {expected(n) for n in range(8 * 40)}
        broken = [line[:80] for line in printed.splitlines()
                  if "'key" in line and line not in want]
        assert not broken, f"{len(broken)} lines cut or mixed, e.g. {broken[:2]}"
        assert sorted(dicts) == sorted(want), f"{len(dicts)} of {len(want)} queries printed"


run()
