"""test_lesson06 — lesson 06 (cookies) seen by real clients: Python requests, as the
article uses it, and curl with a cookie jar (-c, -b).

requests reproduces the article's outputs: the cookie dict without the shady cookie,
the title taken from the cookie on the second request; each cookie arrives in its own
Set-Cookie header; the expire variant makes requests and curl drop var1; a cookie
holding markup is escaped into the title; junk in Cookie never fails a request."""

from __future__ import annotations

import os
import subprocess
import tempfile

import requests

from harness import Server, case, run
from site_page import page



def url(s: Server, path: str = "/cookie-test/") -> str:
    return f"http://localhost:{s.port}{path}"


def curl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["curl", "-sS", "--max-time", "10", *args], capture_output=True,
                          timeout=20)


@case("requests: the article's cookie dict, without shady_cookie, and the default title")
def _():
    with Server(6) as s:
        r = requests.get(url(s), timeout=5)
        assert r.status_code == 200
        assert dict(r.cookies) == {"var1": "test", "path_specific": "test2"}, dict(r.cookies)
        assert r.headers["Content-Encoding"] == "gzip"
        assert r.content == page().encode()
        # requests joins the three headers the way the article prints them.
        assert r.headers["Set-Cookie"] == ("var1=test, path_specific=test2; Path=/cookie-test/, "
                                           "shady_cookie=test3; Domain=shadysite.com"), r.headers


@case("requests: the second request sends the cookies back and gets the title from one")
def _():
    with Server(6) as s:
        r = requests.get(url(s), timeout=5)
        s.take_stdout()
        r2 = requests.get(url(s), cookies=r.cookies, timeout=5)
        assert r2.content == page("test2").encode()
        assert dict(r2.cookies) == {"var1": "test", "path_specific": "test2"}
        printed = s.take_stdout()
        assert "'Cookie': 'path_specific=test2; var1=test'" in printed, printed
        assert "cookies: {'path_specific': 'test2', 'var1': 'test'}" in printed, printed


@case("each cookie is one Set-Cookie header on the wire (never folded)")
def _():
    with Server(6) as s:
        p = curl("-D", "-", "-o", "/dev/null", url(s))
        lines = [l for l in p.stdout.decode().split("\r\n") if l.lower().startswith("set-cookie:")]
        assert lines == ["Set-Cookie: var1=test", "Set-Cookie: path_specific=test2; Path=/cookie-test/",
                         "Set-Cookie: shady_cookie=test3; Domain=shadysite.com"], lines


@case("curl's cookie jar: keeps var1 and path_specific, sends path_specific only below /cookie-test/")
def _():
    with Server(6) as s, tempfile.TemporaryDirectory() as d:
        jar = os.path.join(d, "jar")
        assert curl("-c", jar, "-o", "/dev/null", url(s)).returncode == 0
        kept = open(jar).read()
        assert "\tvar1\ttest" in kept and "\tpath_specific\ttest2" in kept, kept
        assert "shady_cookie" not in kept, kept
        s.take_stdout()
        p = curl("-b", jar, url(s))
        assert p.stdout.decode() == page("test2"), p.stdout
        printed = s.take_stdout()
        assert "path_specific=test2" in printed, printed
        # var1 has no Path: its path is the folder of /cookie-test/, "/cookie-test",
        # which does not path-match /cookie-test2/ (RFC 6265 §5.1.4) -- neither does
        # path_specific, so curl sends no Cookie at all there.
        p = curl("-b", jar, url(s, "/cookie-test2/"))
        assert p.stdout.decode() == page(), p.stdout
        assert "'Cookie'" not in s.take_stdout()


@case("expire variant: Expires at the epoch, and requests and curl drop var1")
def _():
    with Server(6) as s, Server(6, "expire") as e:
        session = requests.Session()
        session.get(url(s), timeout=5)
        assert "var1" in session.cookies.keys()
        r = session.get(url(e), timeout=5)
        assert r.headers["Set-Cookie"].startswith("var1=test; Expires=Thu, 01 Jan 1970 00:00:00 GMT, ")
        # Cookies belong to the host, not to host:port: the expire server on another
        # port removes the cookie the first one set.
        assert "var1" not in session.cookies.keys(), session.cookies
        assert "path_specific" in session.cookies.keys()
        # curl, one run, one cookie engine: set, expire, then ask the first server again.
        s.take_stdout()
        p = curl("-b", "", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                 url(s), url(e), url(s))
        assert p.returncode == 0, p
        printed = s.take_stdout()
        assert "'Cookie': 'path_specific=test2'}" in printed, printed


@case("a cookie holding markup is escaped into the title; quotes and junk are handled")
def _():
    with Server(6) as s:
        evil = "<script>alert(1)</script>"
        r = requests.get(url(s, "/index.html"), headers={"Cookie": f"path_specific={evil}"}, timeout=5)
        assert r.text == page("&lt;script&gt;alert(1)&lt;/script&gt;"), r.text
        r = requests.get(url(s, "/index.html"), timeout=5,
                         headers={"Cookie": ";;junk; =x; a b=c; path_specific=\"fine\""})
        assert r.status_code == 200 and r.text == page("fine"), r.text
        assert "(3 junk pieces skipped)" in s.take_stdout()


@case("a title as long as a header line allows is escaped whole, never cut")
def _():
    with Server(6) as s:
        title = "<>&" * 2600  # 7800 bytes of Cookie value, 31200 once escaped
        r = requests.get(url(s, "/index.html"), headers={"Cookie": f"path_specific={title}"},
                         timeout=5)
        assert r.status_code == 200, r.status_code
        assert r.text == page("&lt;&gt;&amp;" * 2600), len(r.text)


@case("HEAD /cookie-test/ has exactly GET's headers, Set-Cookie included")
def _():
    with Server(6) as s:
        g = requests.get(url(s), timeout=5)
        h = requests.head(url(s), timeout=5)
        assert h.content == b""
        for name in ("Set-Cookie", "Content-Length", "Content-Encoding", "Content-Type", "Vary"):
            assert h.headers[name] == g.headers[name], name


run()
