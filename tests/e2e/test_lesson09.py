"""test_lesson09 — lesson 09 (status codes) seen by Python requests and curl.

Every route answers the status the index page lists for it; every error page names
the code, its reason phrase and its class; requests follows the 307; the ETag round
trip ends in 304; HEAD and 304 never carry a body, on a connection kept alive too
(a stray body would be read as the next response); curl agrees."""

from __future__ import annotations

import re
import subprocess

import requests

from harness import Server, case, exchange, parse_responses, run

ROUTES = {"/ok": 200, "/bad-request": 400, "/forbidden": 403, "/no-such-page": 404,
          "/teapot": 418, "/server-error": 500}
REASONS = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
           418: "I'm a teapot", 500: "Internal Server Error"}
CLASSES = {2: "2xx Successful", 4: "4xx Client Error", 5: "5xx Server Error"}


def url(s: Server, path: str = "/") -> str:
    return f"http://localhost:{s.port}{path}"


def curl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["curl", "-sS", "--max-time", "10", *args], capture_output=True,
                          timeout=20)


@case("the index lists one route per status, and each route answers that status")
def _():
    with Server(9) as s:
        index = requests.get(url(s), timeout=5)
        assert index.status_code == 200
        listed = dict(re.findall(r'<a href="(/[a-z-]*)">[^<]*</a> (\d{3})', index.text))
        assert {p: int(c) for p, c in listed.items()} == {
            **ROUTES, "/redirect": 307, "/not-modified": 304}, listed
        for path, status in ROUTES.items():
            r = requests.get(url(s, path), timeout=5)
            assert r.status_code == status, (path, r.status_code)
        assert "POST /ok: 405" in index.text
        r = requests.post(url(s, "/ok"), data=b"x", timeout=5)
        assert r.status_code == 405 and r.headers["Allow"] == "GET, HEAD"


@case("each page names its code, reason phrase and class")
def _():
    with Server(9) as s:
        for path, status in ROUTES.items():
            r = requests.get(url(s, path), timeout=5)
            assert r.reason == REASONS[status]
            assert f"<h1>{status} {REASONS[status]}</h1>" in r.text, r.text
            assert f"Class: {CLASSES[status // 100]}" in r.text, r.text
            assert r.headers["Content-Type"] == "text/html; charset=utf-8"


@case("requests follows the 307 to /ok; curl shows it, and follows it with -L")
def _():
    with Server(9) as s:
        r = requests.get(url(s, "/redirect"), timeout=5)
        assert [h.status_code for h in r.history] == [307] and r.url == url(s, "/ok")
        p = curl("-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", url(s, "/redirect"))
        assert p.stdout.decode() == f"307 {url(s, '/ok')}", p.stdout
        p = curl("-sL", "-o", "/dev/null", "-w", "%{http_code}", url(s, "/redirect"))
        assert p.stdout == b"200"


@case("the ETag round trip ends in 304 with no body and the same ETag")
def _():
    with Server(9) as s:
        r = requests.get(url(s, "/not-modified"), timeout=5)
        again = requests.get(url(s, "/not-modified"), timeout=5,
                             headers={"If-None-Match": r.headers["ETag"]})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["ETag"] == r.headers["ETag"]
        p = curl("-H", f"If-None-Match: {r.headers['ETag']}", "-w", "%{http_code}",
                 url(s, "/not-modified"))
        assert p.stdout == b"304", p.stdout


@case("HEAD and 304 carry no body, even on a kept-alive connection")
def _():
    with Server(9) as s:
        etag = requests.get(url(s, "/not-modified"), timeout=5).headers["ETag"]
        reqs = (b"HEAD /teapot HTTP/1.1\r\nHost: x\r\n\r\n"
                b"HEAD /no-such-page HTTP/1.1\r\nHost: x\r\n\r\n"
                b"GET /not-modified HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag.encode() +
                b"\r\n\r\n"
                b"HEAD /server-error HTTP/1.1\r\nHost: x\r\n\r\n"
                b"GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data, closed, _ = exchange(s.port, reqs)
        rs = parse_responses(data, ["HEAD", "HEAD", "GET", "HEAD", "GET"])
        assert [r.status for r in rs] == [418, 404, 304, 500, 200], rs
        assert [len(r.body) for r in rs[:4]] == [0, 0, 0, 0]
        assert int(rs[0].header("content-length")) > 0   # GET's length, no body
        assert b"<h1>200 OK</h1>" in rs[4].body and closed


@case("curl agrees: the status line and the page for each route")
def _():
    with Server(9) as s:
        for path, status in ROUTES.items():
            p = curl("-i", url(s, path))
            head, _, body = p.stdout.partition(b"\r\n\r\n")
            assert head.startswith(f"HTTP/1.1 {status} {REASONS[status]}\r\n".encode()), head
            assert f"<h1>{status} {REASONS[status]}</h1>".encode() in body

@case("/redirect takes GET and HEAD only: a POST gets 405, so no method can change on it")
def _():
    with Server(9) as s:
        r = requests.post(url(s, "/redirect"), data=b"x", allow_redirects=False, timeout=5)
        assert r.status_code == 405 and r.headers["Allow"] == "GET, HEAD", r.headers


run()
