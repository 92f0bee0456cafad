"""test_lesson05 — lesson 05 (caching) seen by real clients: Python requests, as
the article uses it, and curl.

requests follows the 307 from / to /index.html and undoes the gzip; the ETag
round trip (ETag, then If-None-Match) and the If-Modified-Since round trip
(Last-Modified, then If-Modified-Since) both end in 304 with no body but the
same validators and Cache-Control; curl --compressed and curl -z agree; Expires
is ten seconds after Date; a file that changes is served fresh with a new
Last-Modified; many clients at once all get the same bytes."""

from __future__ import annotations

import email.utils
import os
import re
import shutil
import subprocess
import tempfile
import time

import requests

from harness import REPO, Server, case, run, run_parallel
from site_page import PAGE

PUBLIC = os.path.join(REPO, "lessons", "05-caching", "public")
ETAG = '"4d2e25336187ade95f260ba129f1c2ea"'  # md5 of b'const a = Math.random();', quoted


def url(s: Server, path: str = "/") -> str:
    return f"http://localhost:{s.port}{path}"


def curl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["curl", "-sS", "--max-time", "10", *args], capture_output=True,
                          timeout=20)


def public_bytes(name: str, folder: str = PUBLIC) -> bytes:
    with open(os.path.join(folder, name), "rb") as f:
        return f.read()


def logged_statuses(s: Server, path: str, count: int, timeout: float = 3) -> list[str]:
    """The statuses the access log shows for GET path, once it shows count of them
    (stderr is read by a thread: a line may arrive a moment after the response)."""
    pattern = re.compile(r'"GET ' + re.escape(path) + r' HTTP/1\.1" (\d{3})')
    deadline = time.monotonic() + timeout
    while True:
        found = pattern.findall(s.stderr())
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def when(value: str) -> float:
    return email.utils.parsedate_to_datetime(value).timestamp()


@case("requests follows / to /index.html (307) and undoes the gzip")
def _():
    with Server(5) as s:
        r = requests.get(url(s), timeout=5)
        assert [h.status_code for h in r.history] == [307], r.history
        assert r.history[0].headers["Location"] == "/index.html"
        assert r.url == url(s, "/index.html") and r.status_code == 200
        assert r.headers["Content-Encoding"] == "gzip" and r.headers["Content-Type"] == "text/html"
        assert r.content == PAGE


@case("ETag round trip: If-None-Match with the ETag gets 304, no body, the same validators")
def _():
    with Server(5) as s:
        r = requests.get(url(s, "/js/myjs.js"), timeout=5)
        assert r.status_code == 200 and r.text == "const a = Math.random();"
        # requests accepts gzip: the gzip form's tag is weak (content_etag).
        assert r.headers["Content-Encoding"] == "gzip", r.headers
        assert r.headers["ETag"] == "W/" + ETAG and r.headers["Cache-Control"] == "public, max-age=10"
        again = requests.get(url(s, "/js/myjs.js"), headers={"If-None-Match": r.headers["ETag"]},
                             timeout=5)
        assert again.status_code == 304 and again.content == b"", again
        for name in ("ETag", "Cache-Control", "Vary"):
            assert again.headers[name] == r.headers[name], (name, again.headers)
        assert "Content-Length" not in again.headers and "Content-Type" not in again.headers
        # Weak comparison (RFC 9110 §8.8.3.2): the identity form's strong tag revalidates
        # the gzip form, and the gzip form's weak tag the identity form.
        strong = requests.get(url(s, "/js/myjs.js"), headers={"If-None-Match": ETAG}, timeout=5)
        assert strong.status_code == 304 and strong.headers["ETag"] == "W/" + ETAG
        plain = requests.get(url(s, "/js/myjs.js"), timeout=5,
                             headers={"If-None-Match": "W/" + ETAG, "Accept-Encoding": "identity"})
        assert plain.status_code == 304 and plain.headers["ETag"] == ETAG, plain.headers
        # The article's unquoted md5 is not an entity-tag: it matches nothing.
        bare = requests.get(url(s, "/js/myjs.js"), headers={"If-None-Match": ETAG.strip('"')}, timeout=5)
        assert bare.status_code == 200


@case("If-Modified-Since round trip: Last-Modified sent back gets 304 with Cache-Control and Expires")
def _():
    with Server(5) as s:
        r = requests.get(url(s, "/python-logo/"), timeout=5)
        assert r.status_code == 200 and r.content == public_bytes("logo.png")
        assert r.headers["Content-Type"] == "image/png" and r.headers["Content-Encoding"] == "gzip"
        mtime = int(os.stat(os.path.join(PUBLIC, "logo.png")).st_mtime)
        assert when(r.headers["Last-Modified"]) == mtime, r.headers
        again = requests.get(url(s, "/python-logo/"), timeout=5,
                             headers={"If-Modified-Since": r.headers["Last-Modified"]})
        assert again.status_code == 304 and again.content == b"", again
        for name in ("Last-Modified", "Cache-Control", "Vary"):
            assert again.headers[name] == r.headers[name], (name, again.headers)
        assert "Expires" in again.headers
        older = requests.get(url(s, "/python-logo/"), timeout=5,
                             headers={"If-Modified-Since": "Sun, 06 Nov 1994 08:49:37 GMT"})
        assert older.status_code == 200 and older.content == r.content


@case("Expires is Date + max-age (10 s); Cache-Control: public, max-age=10")
def _():
    with Server(5) as s:
        for path in ("/python-logo/", "/favicon.ico"):
            r = requests.get(url(s, path), timeout=5)
            assert r.headers["Cache-Control"] == "public, max-age=10"
            assert when(r.headers["Expires"]) - when(r.headers["Date"]) == 10, r.headers


@case("curl --compressed gets what requests gets; plain curl gets identity")
def _():
    with Server(5) as s:
        for path, name in (("/python-logo/", "logo.png"), ("/favicon.ico", "favicon.ico")):
            p = curl("--compressed", url(s, path))
            assert p.returncode == 0 and p.stdout == public_bytes(name), path
        p = curl("-D", "-", url(s, "/js/myjs.js"))
        head, _, body = p.stdout.partition(b"\r\n\r\n")
        assert b"Content-Encoding" not in head and body == b"const a = Math.random();", p.stdout
        assert f"\r\nETag: {ETAG}\r\n".encode() in head, head


@case("curl -z sends If-Modified-Since: the file's own date gets 304, an older one 200")
def _():
    with Server(5) as s:
        logo = os.path.join(PUBLIC, "logo.png")
        p = curl("-z", logo, "-w", "%{http_code}", "-o", "/dev/null", url(s, "/python-logo/"))
        assert p.stdout == b"304", p
        p = curl("-z", "Sun, 06 Nov 1994 08:49:37 GMT", "-w", "%{http_code}", "-o", "/dev/null",
                 url(s, "/python-logo/"))
        assert p.stdout == b"200", p
        printed = s.take_stdout()
        assert printed.count("'If-Modified-Since': ") == 2, printed
        # The 304 is the server's, not curl's own check of Last-Modified.
        assert logged_statuses(s, "/python-logo/", 2) == ["304", "200"], s.stderr()


@case("If-None-Match wins over If-Modified-Since; only GET and HEAD get 304")
def _():
    with Server(5) as s:
        future = "Fri, 31 Dec 2100 23:59:59 GMT"
        r = requests.get(url(s, "/python-logo/"), timeout=5,
                         headers={"If-None-Match": '"nope"', "If-Modified-Since": future})
        assert r.status_code == 200
        r = requests.get(url(s, "/python-logo/"), timeout=5,
                         headers={"If-None-Match": "*", "If-Modified-Since": "garbage"})
        assert r.status_code == 304
        h = requests.head(url(s, "/js/myjs.js"), headers={"If-None-Match": ETAG}, timeout=5)
        assert h.status_code == 304
        p = requests.post(url(s, "/js/myjs.js"), headers={"If-None-Match": ETAG}, data=b"x", timeout=5)
        assert p.status_code == 405 and p.headers["Allow"] == "GET, HEAD"


@case("HEAD /python-logo/ has GET's headers and no body")
def _():
    with Server(5) as s:
        g = requests.get(url(s, "/python-logo/"), timeout=5, stream=True)
        h = requests.head(url(s, "/python-logo/"), timeout=5)
        for name in ("Content-Type", "Content-Encoding", "Content-Length", "Last-Modified",
                     "Cache-Control", "Vary"):
            assert h.headers.get(name) == g.headers.get(name), name
        assert h.content == b""


@case("anything off the route table is 404, as the article's KeyError would not be")
def _():
    with Server(5) as s:
        for path in ("/logo/", "/python-logo", "/logo.png", "/index.htm", "/js/", "/PYTHON-LOGO/"):
            assert requests.get(url(s, path), timeout=5).status_code == 404, path


def public_copy() -> str:
    """A readable copy of public/ in a fresh folder (the caller removes it)."""
    tmp = tempfile.mkdtemp(prefix="wirelab-l05-")
    os.chmod(tmp, 0o755)
    for name in ("logo.png", "favicon.ico"):
        shutil.copy(os.path.join(PUBLIC, name), tmp)
        os.chmod(os.path.join(tmp, name), 0o644)
    return tmp


@case("a changed file gets a new Last-Modified, and the old date no longer gets 304")
def _():
    tmp = public_copy()
    try:
        logo = os.path.join(tmp, "logo.png")
        os.utime(logo, (1600000000, 1600000000))
        with Server(5, args=["--docroot", tmp]) as s:
            r = requests.get(url(s, "/python-logo/"), timeout=5)
            assert when(r.headers["Last-Modified"]) == 1600000000
            stamp = r.headers["Last-Modified"]
            os.utime(logo, (1700000000, 1700000000))
            again = requests.get(url(s, "/python-logo/"), headers={"If-Modified-Since": stamp}, timeout=5)
            assert again.status_code == 200 and when(again.headers["Last-Modified"]) == 1700000000
            assert again.content == public_bytes("logo.png")
            now = requests.get(url(s, "/python-logo/"), timeout=5,
                               headers={"If-Modified-Since": again.headers["Last-Modified"]})
            assert now.status_code == 304
    finally:
        shutil.rmtree(tmp)


@case("a change within the same second keeps its Last-Modified: If-Modified-Since cannot see it")
def _():
    tmp = public_copy()
    try:
        logo = os.path.join(tmp, "logo.png")
        os.utime(logo, ns=(1600000000_200000000, 1600000000_200000000))
        with Server(5, args=["--docroot", tmp]) as s:
            r = requests.get(url(s, "/python-logo/"), timeout=5)
            stamp = r.headers["Last-Modified"]
            assert when(stamp) == 1600000000 and r.content == public_bytes("logo.png")
            new = public_bytes("favicon.ico")          # other bytes, 0.5 s later
            with open(logo, "wb") as f:
                f.write(new)
            os.utime(logo, ns=(1600000000_700000000, 1600000000_700000000))
            again = requests.get(url(s, "/python-logo/"), headers={"If-Modified-Since": stamp}, timeout=5)
            assert again.status_code == 304, again.status_code   # HTTP-date has whole seconds
            assert again.headers["Last-Modified"] == stamp
            fresh = requests.get(url(s, "/python-logo/"), timeout=5)
            assert fresh.content == new and fresh.headers["Last-Modified"] == stamp
    finally:
        shutil.rmtree(tmp)


@case("twenty clients at once all get the logo's exact bytes")
def _():
    with Server(5) as s:
        want = public_bytes("logo.png")

        def fetch():
            for _ in range(5):
                r = requests.get(url(s, "/python-logo/"), timeout=10)
                assert r.status_code == 200 and r.content == want

        errors = [e for e in run_parallel([fetch] * 20) if e]
        assert not errors, errors[0]


run()
