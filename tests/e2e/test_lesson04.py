"""test_lesson04 — lesson 04 (headers) seen by real clients: Python requests, as
the article uses it, and curl.

gzip is undone by requests without being asked, and Content-Length counts the
compressed bytes; curl --compressed agrees, plain curl gets identity; a spoofed
User-Agent is printed as sent; /greeting is negotiated by Accept (406 when
nothing fits); a file is typed by its bytes, not its name; and every way out
of public/ is refused, including a symbolic link, while a docroot the
unprivileged user cannot reach by its path is still served after the drop."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import tempfile

import requests

from harness import REPO, WRAP, Server, Skip, case, exchange, fail, parse_responses, run

PUBLIC = os.path.join(REPO, "lessons", "04-headers", "public")


def url(s: Server, path: str = "/") -> str:
    return f"http://localhost:{s.port}{path}"


def curl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["curl", "-sS", "--max-time", "10", *args], capture_output=True,
                          timeout=20)


def raw_get(s: Server, target: str) -> int:
    """The status of GET target sent byte for byte (clients normalise '..')."""
    data, _, _ = exchange(s.port, f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    (r,) = parse_responses(data, ["GET"])
    return r.status


def public_bytes(name: str) -> bytes:
    with open(os.path.join(PUBLIC, name), "rb") as f:
        return f.read()


@case("requests: gzip is undone transparently; Content-Length counts the gzip bytes")
def _():
    with Server(4) as s:
        r = requests.get(url(s), timeout=5, stream=True)
        wire = r.raw.read(decode_content=False)
        assert r.headers["Content-Encoding"] == "gzip", r.headers
        assert r.headers["Vary"] == "Accept-Encoding", r.headers
        assert int(r.headers["Content-Length"]) == len(wire), (r.headers, len(wire))
        assert gzip.decompress(wire) == f"Hello localhost:{s.port}\n".encode()
        r = requests.get(url(s), timeout=5)
        assert r.text == f"Hello localhost:{s.port}\n", r.text  # what the article prints


@case("curl --compressed gets the same gzip answer; plain curl gets identity")
def _():
    with Server(4) as s:
        p = curl("--compressed", "-D", "-", url(s))
        head, _, body = p.stdout.partition(b"\r\n\r\n")
        assert p.returncode == 0 and b"\r\nContent-Encoding: gzip" in head, p
        assert body == f"Hello localhost:{s.port}\n".encode(), body
        p = curl("-D", "-", url(s))
        head, _, body = p.stdout.partition(b"\r\n\r\n")
        assert b"Content-Encoding" not in head and b"\r\nVary: Accept-Encoding" in head, head
        assert b"\r\nContent-Length: %d\r\n" % len(body) in head + b"\r\n", head


@case("gzip only when asked: identity, gzip;q=0 and a header-less request get plain bytes")
def _():
    with Server(4) as s:
        for ae in ("identity", "gzip;q=0, deflate", "*;q=0", None):
            headers = {"Accept-Encoding": ae}  # None: requests leaves the header out
            r = requests.get(url(s), headers=headers, timeout=5)
            if "Content-Encoding" in r.headers:
                fail(f"gzip sent for Accept-Encoding {ae!r}")
            assert r.headers["Content-Length"] == str(len(r.content))
        r = requests.get(url(s), headers={"Accept-Encoding": "*"}, timeout=5)
        assert r.headers.get("Content-Encoding") == "gzip"


@case("plain variant: text/plain, no Content-Encoding even when gzip is offered")
def _():
    with Server(4, "plain") as s:
        r = requests.get(url(s), timeout=5)
        assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert "Content-Encoding" not in r.headers and "Vary" not in r.headers, r.headers


@case("mangled-type variant: requests does not care that text claims to be image/jpeg")
def _():
    with Server(4, "mangled-type") as s:
        r = requests.get(url(s), timeout=5)
        assert r.headers["Content-Type"] == "image/jpeg"
        assert r.text == f"Hello localhost:{s.port}\n"  # the article: only browsers mind


@case("a spoofed User-Agent is printed exactly as the client sent it")
def _():
    chrome = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
              "(KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36")
    with Server(4) as s:
        requests.get(url(s), headers={"User-Agent": chrome}, timeout=5)
        out = s.take_stdout()
        assert f"'User-Agent': '{chrome}'" in out, out


@case("HEAD has GET's headers (gzip length included) and no body")
def _():
    with Server(4) as s:
        g = requests.get(url(s), timeout=5, stream=True)
        h = requests.head(url(s), timeout=5)
        for name in ("Content-Type", "Content-Encoding", "Content-Length", "Vary"):
            assert h.headers.get(name) == g.headers.get(name), (name, h.headers, g.headers)
        assert h.content == b""


@case("/greeting: Accept picks text, HTML or JSON; Vary: Accept, Accept-Encoding")
def _():
    with Server(4) as s:
        want = {
            "*/*": ("text/plain; charset=utf-8", "Hello World\n"),
            "text/html": ("text/html; charset=utf-8", "<p>Hello World</p>"),
            "application/json": ("application/json", '{"greeting": "Hello World"}\n'),
            "text/plain;q=0.5, application/json": ("application/json", "greeting"),
            "*/*;q=0.9, text/*;q=0": ("application/json", "greeting"),
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8":
                ("text/html; charset=utf-8", "<!DOCTYPE html>"),
        }
        for accept, (ctype, text) in want.items():
            r = requests.get(url(s, "/greeting"), headers={"Accept": accept}, timeout=5)
            assert r.status_code == 200, (accept, r.status_code)
            assert r.headers["Content-Type"] == ctype, (accept, r.headers)
            assert text in r.text, (accept, r.text)
            assert r.headers["Vary"] == "Accept, Accept-Encoding", r.headers
        j = requests.get(url(s, "/greeting"), headers={"Accept": "application/json"}, timeout=5)
        assert j.json() == {"greeting": "Hello World"}


@case("/greeting: nothing acceptable (or q=0 for all) is 406 naming what is offered")
def _():
    with Server(4) as s:
        for accept in ("image/png", "*/*;q=0", "text/plain;q=0, text/html;q=0, application/*;q=0"):
            r = requests.get(url(s, "/greeting"), headers={"Accept": accept}, timeout=5)
            assert r.status_code == 406, (accept, r.status_code)
            assert "text/plain, text/html or application/json" in r.text, r.text
            assert r.headers["Vary"] == "Accept, Accept-Encoding"
        p = curl("-H", "Accept: audio/*", "-w", "%{http_code}", "-o", "/dev/null", url(s, "/greeting"))
        assert p.stdout == b"406", p


@case("/files: a PNG named notes.txt is sent as image/png; both guesses are printed")
def _():
    with Server(4) as s:
        r = requests.get(url(s, "/files/notes.txt"), timeout=5)
        assert r.status_code == 200 and r.headers["Content-Type"] == "image/png", r.headers
        assert r.content == public_bytes("notes.txt")
        out = s.take_stdout()
        assert "by name:  'notes.txt' -> text/plain\nby bytes: 'notes.txt' -> image/png\n" in out, out
        r = requests.get(url(s, "/files/photo.jpg"), timeout=5)
        assert r.headers["Content-Type"] == "text/plain" and r.content == public_bytes("photo.jpg")
        assert "by name:  'photo.jpg' -> image/jpeg\nby bytes: 'photo.jpg' -> text/plain\n" in s.take_stdout()


@case("/files: curl --compressed and requests get the same bytes as the file")
def _():
    with Server(4) as s:
        for name in ("hello.txt", "page.html", "logo.png"):
            p = curl("--compressed", url(s, f"/files/{name}"))
            r = requests.get(url(s, f"/files/{name}"), timeout=5)
            assert r.headers.get("Content-Encoding") == "gzip", r.headers
            assert p.stdout == r.content == public_bytes(name), name


@case("/files: '..', encoded dots and slashes, absolute paths and NUL are refused")
def _():
    with Server(4) as s:
        cases = {
            "/files/../server.c": 403,
            "/files/..%2fserver.c": 403,
            "/files/%2e%2e/server.c": 403,
            "/files/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd": 403,
            "/files//etc/passwd": 403,
            "/files/%2fetc%2fpasswd": 403,
            "/files/%252e%252e%252fserver.c": 404,  # decoded once: a strange name, not '..'
            "/files/notes.txt%00.png": 400,
            "/files/": 404,
            "/files/nothing.txt": 404,
            "/elsewhere": 404,
        }
        got = {target: raw_get(s, target) for target in cases}
        assert got == cases, got


def private_docroot() -> tuple[str, str]:
    """TMP/private (mode 700) holding public/ (755) with a.txt, a link inside,
    a link out to TMP/secret.txt, and an absolute link to it."""
    tmp = tempfile.mkdtemp(prefix="wirelab-l04-")
    os.chmod(tmp, 0o755)
    with open(os.path.join(tmp, "secret.txt"), "w") as f:
        f.write("secret\n")
    private = os.path.join(tmp, "private")
    public = os.path.join(private, "public")
    os.makedirs(public)
    os.chmod(private, 0o700)
    os.chmod(public, 0o755)
    with open(os.path.join(public, "a.txt"), "w") as f:
        f.write("alpha\n")
    os.chmod(os.path.join(public, "a.txt"), 0o644)
    os.symlink("a.txt", os.path.join(public, "in.txt"))
    os.symlink("../../secret.txt", os.path.join(public, "out.txt"))
    os.symlink(os.path.join(tmp, "secret.txt"), os.path.join(public, "abs.txt"))
    return tmp, public


@case("/files: a symbolic link out of the docroot is refused; one that stays inside is served")
def _():
    tmp, public = private_docroot()
    try:
        with Server(4, args=["--docroot", public]) as s:
            assert raw_get(s, "/files/out.txt") == 403
            assert raw_get(s, "/files/abs.txt") == 403
            r = requests.get(url(s, "/files/in.txt"), timeout=5)
            if WRAP:
                # Under valgrind (3.19 knows no openat2) files_open takes its fallback
                # walk, which opens every component with O_NOFOLLOW: stricter, so an
                # inside link is refused too (common/server/files.h).
                assert r.status_code == 403, (r.status_code, r.text)
            else:
                assert r.status_code == 200 and r.text == "alpha\n", (r.status_code, r.text)
    finally:
        shutil.rmtree(tmp)


@case("/files: served after dropping to nobody from a docroot under a mode-700 folder")
def _():
    if os.geteuid() != 0:
        raise Skip("needs root: the privilege drop is the point")
    tmp, public = private_docroot()
    try:
        with Server(4, args=["--docroot", public]) as s:
            # nobody cannot reach TMP/private/public by its path, only through the
            # descriptor lesson_main opened before the drop.
            r = requests.get(url(s, "/files/a.txt"), timeout=5)
            assert r.status_code == 200 and r.text == "alpha\n", (r.status_code, r.text)
    finally:
        shutil.rmtree(tmp)


@case("/files: a changed file is served fresh (the cache keys on the file's version)")
def _():
    tmp, public = private_docroot()
    try:
        with Server(4, args=["--docroot", public]) as s:
            path = os.path.join(public, "a.txt")
            assert requests.get(url(s, "/files/a.txt"), timeout=5).text == "alpha\n"
            with open(path, "w") as f:
                f.write("ALPHA\n")                  # same size: only the mtime differs
            os.utime(path, (1700000000, 1700000000))
            for _ in range(2):                      # built once, then from the cache
                r = requests.get(url(s, "/files/a.txt"), timeout=5)
                assert r.text == "ALPHA\n" and r.headers["Content-Encoding"] == "gzip", r.text
    finally:
        shutil.rmtree(tmp)


@case("a missing --docroot stops the server at start-up with a message")
def _():
    exe = os.path.join(os.environ.get("WIRELAB_BIN") or os.path.join(REPO, "build", "bin"), "lesson-04")
    p = subprocess.run([exe, "--port", "0", "--docroot", "/nonexistent/wirelab"], capture_output=True,
                       timeout=10)
    assert p.returncode == 1, p
    assert b"/nonexistent/wirelab" in p.stderr and b"Server bound" not in p.stdout, p

@case("Accept: text/html, */* gets text/plain: the more specific range sets a q, not a winner")
def _():
    with Server(4) as s:
        for accept, ctype in (("text/html, */*", "text/plain"), ("*/*, text/html", "text/plain"),
                              ("text/html, */*;q=0.9", "text/html")):
            r = requests.get(url(s, "/greeting"), headers={"Accept": accept}, timeout=5)
            assert r.status_code == 200, (accept, r.status_code)
            assert r.headers["Content-Type"].split(";")[0] == ctype, (accept, r.headers)


run()
