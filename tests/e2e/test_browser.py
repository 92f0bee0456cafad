"""test_browser — what a real browser (headless Chromium) makes of lessons 04 and 05.

The article's claims that only a browser can show: a text body labelled
image/jpeg is not shown as text; a file is displayed as what the server says
it is; `/` is followed to `/index.html` and the logo loads (gzip undone); and
the cache works as Cache-Control says: within max-age the logo and the script
are not asked for again, after it they are revalidated and answered with 304.
What the browser really asked for is read from the server's access log
(stderr) and from the request headers it printed (stdout), never assumed.

Needs chromium, chromium-driver and python3-selenium: missing ones are a
failure, not a skip (CI installs them)."""

from __future__ import annotations

import re
import time

from browser import Browser
from harness import Lane, Server, case, diag, fail, run

_ACCESS = re.compile(r'"(GET|HEAD) (\S+) HTTP/1\.1" (\d{3}) ')


def requests_seen(s: Server, since: int = 0) -> list[tuple[str, int]]:
    """(path, status) of every request in the access log, from line `since` on."""
    out = []
    for line in s.stderr().splitlines()[since:]:
        m = _ACCESS.search(line)
        if m:
            out.append((m.group(2), int(m.group(3))))
    return out


def log_lines(s: Server) -> int:
    return len(s.stderr().splitlines())


def settle(s: Server, quiet: float = 0.5, timeout: float = 5) -> None:
    """Wait until the access log has been quiet for `quiet` s (late subresources)."""
    deadline = time.monotonic() + timeout
    last = log_lines(s)
    changed = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = log_lines(s)
        if now != last:
            last, changed = now, time.monotonic()
        elif time.monotonic() - changed >= quiet:
            return


def page(b: Browser) -> dict:
    """What the document is: its type, its text, and its first image's width."""
    return b.js("""
        const img = document.images[0];
        return {type: document.contentType,
                text: document.body ? document.body.innerText : '',
                images: document.images.length,
                width: img ? img.naturalWidth : -1};""")


# Every case is parallel, so the max-age case's 11 s wait (at the end) overlaps the
# others; those take turns, so that at most two Chromiums start at once.
ONE_AT_A_TIME = Lane()


# ---- lesson 04 --------------------------------------------------------------

@case("lesson 04 mangled-type: text sent as image/jpeg is shown as a broken image, not as text",
      parallel=True)
@ONE_AT_A_TIME
def _():
    with Server(4, "mangled-type") as s, Browser() as b:
        b.get(f"http://localhost:{s.port}/")
        p = page(b)
        diag(f"Chromium sees {p}")
        assert p["type"] == "image/jpeg", p
        assert "Hello" not in p["text"], p          # the greeting is not rendered as text
        assert p["images"] == 1 and p["width"] == 0, p   # an image document, undecodable
        assert [st for path, st in requests_seen(s) if path == "/"] == [200]


@case("lesson 04 plain: the same bytes as text/plain are shown as text", parallel=True)
@ONE_AT_A_TIME
def _():
    with Server(4, "plain") as s, Browser() as b:
        b.get(f"http://localhost:{s.port}/")
        p = page(b)
        assert p["type"] == "text/plain" and p["text"].strip() == f"Hello localhost:{s.port}", p


@case("lesson 04: the PNG named notes.txt is displayed as an image (sniffed), photo.jpg as text",
      parallel=True)
@ONE_AT_A_TIME
def _():
    with Server(4) as s, Browser() as b:
        b.get(f"http://localhost:{s.port}/files/notes.txt")
        p = page(b)
        assert p["type"] == "image/png" and p["width"] == 128, p
        b.get(f"http://localhost:{s.port}/files/photo.jpg")
        p = page(b)
        assert p["type"] == "text/plain" and "not a photograph" in p["text"], p
        out = s.take_stdout()
        assert "by name:  'notes.txt' -> text/plain\nby bytes: 'notes.txt' -> image/png\n" in out, out


@case("lesson 04: Chromium's Accept gets the HTML greeting; the gzip form is undone", parallel=True)
@ONE_AT_A_TIME
def _():
    with Server(4) as s, Browser() as b:
        b.get(f"http://localhost:{s.port}/greeting")
        p = page(b)
        assert p["type"] == "text/html" and p["text"].strip() == "Hello World", p
        printed = s.take_stdout()
        accept = re.search(r"'Accept': '([^']*)'", printed)
        assert accept and accept.group(1).startswith("text/html"), printed
        assert "'Accept-Encoding': 'gzip" in printed, printed  # so the reply was gzipped


# ---- lesson 05 --------------------------------------------------------------

@case("lesson 05: / lands on /index.html and the logo loads (307 followed, gzip undone)",
      parallel=True)
@ONE_AT_A_TIME
def _():
    with Server(5) as s, Browser() as b:
        b.get(f"http://localhost:{s.port}/")
        assert b.url == f"http://localhost:{s.port}/index.html", b.url
        p = page(b)
        assert p["images"] == 1 and p["width"] == 128, p
        assert b.js("return typeof a") == "number"  # /js/myjs.js ran: const a = Math.random()
        settle(s)
        seen = requests_seen(s)
        diag(f"access log: {seen}")
        assert seen[:2] == [("/", 307), ("/index.html", 200)], seen
        assert ("/python-logo/", 200) in seen and ("/js/myjs.js", 200) in seen, seen


@case("lesson 05: within max-age nothing is asked again; after it, 304 for the logo and script",
      parallel=True)
def _():
    with Server(5) as s, Browser() as b:
        index = f"http://localhost:{s.port}/index.html"
        b.get(index)
        settle(s)
        loaded = time.monotonic()
        first = requests_seen(s)
        assert ("/python-logo/", 200) in first and ("/js/myjs.js", 200) in first, first

        # Navigating again (not driver.refresh(), which would force revalidation):
        # the page itself has no cache headers and is fetched again; its logo and
        # script are fresh for max-age=10 and come from the cache.
        mark = log_lines(s)
        b.get(index)
        settle(s)
        again = requests_seen(s, mark)
        assert time.monotonic() - loaded < 10, "too slow to test within max-age"
        diag(f"within max-age: {again}")
        assert again == [("/index.html", 200)], again
        assert page(b)["width"] == 128

        time.sleep(max(0.0, 11 - (time.monotonic() - loaded)))
        mark = log_lines(s)
        s.take_stdout()
        b.get(index)
        settle(s)
        after = requests_seen(s, mark)
        diag(f"after max-age: {after}")
        assert ("/python-logo/", 304) in after and ("/js/myjs.js", 304) in after, after
        assert ("/python-logo/", 200) not in after and ("/js/myjs.js", 200) not in after, after
        assert page(b)["width"] == 128  # the cached copy, confirmed by the 304
        printed = s.take_stdout()
        # Chromium accepts gzip, so it got the script's weak tag and sends it back.
        if "'If-Modified-Since': " not in printed or "'If-None-Match': 'W/\"" not in printed:
            fail(f"the revalidations did not carry both validators:\n{printed}")


run()
