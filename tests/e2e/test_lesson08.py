"""test_lesson08 — lesson 08 (multipart uploads) seen by Python requests, as the
article uses it, and curl -F.

The article's upload (a PNG and two fields) is printed and saved byte-identical
under its base name; a second upload of the same name gets a numbered name, never
overwriting; names with paths, "..", dots and control characters are reduced to a
base name; a planted symbolic link is not followed; libmagic's type is printed next
to the claimed one; over 10 MiB is 413, a stalled upload 408, a body that never
closes 400, and none of these leaves a file behind. Every server gets its own
temporary --upload-dir."""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess
import tempfile
import time

import requests

from harness import (REPO, Lane, Server, bin_dir, case, exchange, parse_responses,
                     proc_threads, run)

# Each case has a server of its own. The case that waits out the body timeout (10 s) runs
# beside the others, which still run one after another (IN_TURN).
IN_TURN = Lane()

LOGO = os.path.join(REPO, "lessons", "05-caching", "public", "logo.png")


def logo() -> bytes:
    with open(LOGO, "rb") as f:
        return f.read()


def url(s: Server, path: str = "/") -> str:
    return f"http://localhost:{s.port}{path}"


def curl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["curl", "-sS", "--max-time", "10", *args], capture_output=True,
                          timeout=20)


class Uploads:
    """A server with a fresh upload folder."""

    def __enter__(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = os.path.join(self.tmp.name, "up")
        self.server = Server(8, args=["--upload-dir", self.dir]).__enter__()
        return self

    def __exit__(self, *exc):
        try:
            self.server.__exit__(*exc)
        finally:
            self.tmp.cleanup()

    def files(self) -> dict[str, bytes]:
        out = {}
        for name in sorted(os.listdir(self.dir)):
            with open(os.path.join(self.dir, name), "rb") as f:
                out[name] = f.read()
        return out


ARTICLE = lambda: {"image_data": ("python_logo.png", logo(), "image/png"),  # noqa: E731
                   "field1": (None, "value1"), "field2": (None, "value2")}


@case("requests: the article's upload prints the fields and saves the file byte-identical",
      parallel=True)
@IN_TURN
def _():
    with Uploads() as u:
        s = u.server
        r = requests.post(url(s), files=ARTICLE(), timeout=5)
        assert r.status_code == 200, r.text
        assert "python_logo.png: 1896 bytes, image/png" in r.text, r.text
        assert u.files() == {"python_logo.png": logo()}
        printed = s.take_stdout().splitlines()
        assert printed[1:] == [
            "{'field1': 'value1', 'field2': 'value2'}",
            f"saved {u.dir}/python_logo.png: 1896 bytes, libmagic says image/png, "
            "the client said image/png"], printed


@case("the same name twice: the first file stays, the second is name-1.ext, then name-2.ext",
      parallel=True)
@IN_TURN
def _():
    with Uploads() as u:
        for _ in range(3):
            assert requests.post(url(u.server), files=ARTICLE(), timeout=5).status_code == 200
        assert u.files() == {"python_logo.png": logo(), "python_logo-1.png": logo(),
                             "python_logo-2.png": logo()}


@case("names with paths, '..', leading dots and control characters are cut to a base name",
      parallel=True)
@IN_TURN
def _():
    with Uploads() as u:
        for sent, want in (("../../etc/passwd", "passwd"), ("..\\..\\win.ini", "win.ini"),
                           (".htaccess", "htaccess"), ("..", "upload"), ("a\x01b\x7f.txt", "ab.txt"),
                           ("/abs/path/x.bin", "x.bin"), ("caf\u00e9.txt", "caf\u00e9.txt"),
                           ("n" * 250 + ".png", "n" * 196 + ".png")):
            body = (b"--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"" +
                    sent.encode() + b"\"\r\n\r\ndata\r\n--b--\r\n")
            req = (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                   b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            data, _, _ = exchange(u.server.port, req)
            assert data.startswith(b"HTTP/1.1 200 "), (sent, data[:200])
            assert want in u.files(), (sent, want, u.files())
        assert not os.path.exists(os.path.join(u.tmp.name, "passwd"))


@case("a symbolic link planted under the name is not followed: the upload gets a new name",
      parallel=True)
@IN_TURN
def _():
    with Uploads() as u, tempfile.NamedTemporaryFile() as target:
        os.symlink(target.name, os.path.join(u.dir, "evil.txt"))
        r = requests.post(url(u.server), files={"f": ("evil.txt", b"payload")}, timeout=5)
        assert r.status_code == 200
        assert open(target.name, "rb").read() == b""
        assert open(os.path.join(u.dir, "evil-1.txt"), "rb").read() == b"payload"


@case("a renamed file: the client's claim and libmagic's verdict are printed side by side",
      parallel=True)
@IN_TURN
def _():
    with Uploads() as u:
        requests.post(url(u.server), files={"f": ("photo.png", b"just some text\n", "image/png")},
                      timeout=5)
        out = u.server.take_stdout()
        assert "photo.png: 15 bytes, libmagic says text/plain, the client said image/png" in out, out


@case("saved files are rw for owner and group only (0660 under the umask), never for others",
      parallel=True)
@IN_TURN
def _():
    with Uploads() as u:
        requests.post(url(u.server), files=ARTICLE(), timeout=5)
        mode = stat.S_IMODE(os.stat(os.path.join(u.dir, "python_logo.png")).st_mode)
        assert mode & 0o007 == 0 and mode & 0o600 == 0o600, oct(mode)


@case("curl -F agrees, with Content-Length and with chunked encoding", parallel=True)
@IN_TURN
def _():
    with Uploads() as u:
        s = u.server
        for extra in ([], ["-H", "Transfer-Encoding: chunked"]):
            p = curl(*extra, "-F", "field1=value1", "-F", "field2=value2",
                     "-F", f"image_data=@{LOGO};filename=python_logo.png;type=image/png", url(s))
            assert p.returncode == 0 and b"image/png" in p.stdout, p
        assert u.files() == {"python_logo.png": logo(), "python_logo-1.png": logo()}
        out = s.take_stdout()
        assert out.count("{'field1': 'value1', 'field2': 'value2'}") == 2, out


@case("over 10 MiB: 413 and no file", parallel=True)
@IN_TURN
def _():
    with Uploads() as u:
        big = b"\0" * (10 * 1024 * 1024 + 1)
        try:
            r = requests.post(url(u.server), files={"f": ("big.bin", big)}, timeout=20)
            assert r.status_code == 413, r.status_code
        except requests.ConnectionError:
            pass  # the server may close while the client is still sending
        assert u.files() == {}


@case("a body that never closes, or breaks after a saved part: 400, and no file is left",
      parallel=True)
@IN_TURN
def _():
    with Uploads() as u:
        for body in (b"--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"cut.png\"\r\n\r\n"
                     b"\x89PNG partial",
                     b"--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"ok.txt\"\r\n\r\n"
                     b"complete\r\n--b\r\nBroken header\r\n\r\nx\r\n--b--\r\n"):
            req = (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                   b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            data, _, _ = exchange(u.server.port, req)
            assert data.startswith(b"HTTP/1.1 400 "), data[:100]
            assert u.files() == {}
        assert len(re.findall(r"^deleted ", u.server.take_stdout(), re.M)) == 2


@case("a stalled upload gets 408 after the body timeout, leaves no file, and others are served",
      parallel=True)
def _():
    with Uploads() as u:
        sock = socket.create_connection(("127.0.0.1", u.server.port))
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                     b"Content-Length: 100000\r\n\r\n--b\r\nContent-Disposition: form-data; "
                     b"name=\"f\"; filename=\"slow.bin\"\r\n\r\nsome bytes")
        started = time.monotonic()
        r = requests.post(url(u.server), files=ARTICLE(), timeout=5)
        assert r.status_code == 200 and time.monotonic() - started < 5
        sock.settimeout(20)
        data = b""
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        sock.close()
        assert data.startswith(b"HTTP/1.1 408 "), data[:100]
        assert 9 <= time.monotonic() - started <= 15
        assert u.files() == {"python_logo.png": logo()}


def upload_head(length: int, name: str = "stream.bin") -> bytes:
    """The head of an upload of length bytes and its part's headers, ready for the file's
    bytes."""
    return (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            b"Content-Length: " + str(length).encode() + b"\r\n\r\n--b\r\nContent-Disposition: "
            b"form-data; name=\"f\"; filename=\"" + name.encode() + b"\"\r\n\r\n")


@case("an upload streams: a file's bytes are on disk before the body has ended, and the "
      "rest completes it", parallel=True)
@IN_TURN
def _():
    with Uploads() as u:
        data = os.urandom(300_000)
        tail = b"\r\n--b--\r\n"
        head = upload_head(0)
        part = head[head.index(b"\r\n\r\n") + 4:]  # the body's bytes before the file's
        head = upload_head(len(part) + len(data) + len(tail))
        path = os.path.join(u.dir, "stream.bin")
        with socket.create_connection(("127.0.0.1", u.server.port), timeout=10) as sock:
            sock.sendall(head + data[:200_000])
            deadline = time.monotonic() + 5
            while not (os.path.exists(path) and os.path.getsize(path) >= 190_000):
                assert time.monotonic() < deadline, "the first 200 KB never reached the file"
                time.sleep(0.05)
            sock.sendall(data[200_000:] + tail)
            sock.shutdown(socket.SHUT_WR)
            got = b""
            while chunk := sock.recv(65536):
                got += chunk
        assert got.startswith(b"HTTP/1.1 200 "), got[:100]
        assert u.files() == {"stream.bin": data}


@case("uploads waiting for their next bytes hold no thread: 64 half-sent bodies, the "
      "server's threads as before, and a newcomer is served at once", parallel=True)
@IN_TURN
def _():
    with Uploads() as u:
        s = u.server
        assert requests.get(url(s), timeout=5).status_code == 200  # the pool has started
        threads = proc_threads(s.proc.pid)
        held = []
        try:
            for i in range(64):
                sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
                sock.sendall(upload_head(100_000, f"half{i}.bin") + b"x" * 1000)
                held.append(sock)
            deadline = time.monotonic() + 5
            while len(os.listdir(u.dir)) < 64:  # every one has begun its file
                assert time.monotonic() < deadline, len(os.listdir(u.dir))
                time.sleep(0.05)
            # A turn that ran long on a busy machine may have had a spare thread started
            # beside it; a spare ends after 2 s idle (LIMIT_POOL_SPARE_MS). A body that
            # held a thread would hold it until the 10 s body timeout.
            deadline = time.monotonic() + 4
            while proc_threads(s.proc.pid) > threads:
                assert time.monotonic() < deadline, (proc_threads(s.proc.pid), threads)
                time.sleep(0.1)
            started = time.monotonic()
            r = requests.post(url(s), files=ARTICLE(), timeout=5)
            assert r.status_code == 200 and time.monotonic() - started < 1
        finally:
            for sock in held:
                sock.close()
        deadline = time.monotonic() + 5
        while set(os.listdir(u.dir)) != {"python_logo.png"}:  # the broken ones go
            assert time.monotonic() < deadline, sorted(os.listdir(u.dir))
            time.sleep(0.05)


@case("the upload folder is created when missing; a bad --upload-dir stops the server",
      parallel=True)
@IN_TURN
def _():
    with tempfile.TemporaryDirectory() as d:
        target = os.path.join(d, "new")
        with Server(8, args=["--upload-dir", target]):
            assert os.path.isdir(target)
        p = subprocess.run([os.path.join(bin_dir(), "lesson-08"), "--port", "0",
                            "--upload-dir", os.path.join(d, "no", "such")],
                           capture_output=True, timeout=10)
        assert p.returncode == 1 and b"--upload-dir" in p.stderr, p

@case("a boundary is 1 to 70 characters from RFC 2046's set, not ending in a space; else 400",
      parallel=True)
@IN_TURN
def _():
    def status(param: str, boundary: str) -> int:
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n"
                f"--{boundary}--\r\n").encode()
        head = (f"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
                f"boundary={param}\r\nContent-Length: {len(body)}\r\n"
                f"Connection: close\r\n\r\n").encode()
        data, _, _ = exchange(s.port, head + body, timeout=10)
        (r,) = parse_responses(data, ["POST"])
        return r.status
    with tempfile.TemporaryDirectory(prefix="wirelab-l08-") as up, \
            Server(8, args=["--upload-dir", up]) as s:
        assert status("b" * 70, "b" * 70) == 200
        assert status("\"a'()+_,-./:=? b\"", "a'()+_,-./:=? b") == 200
        for param, boundary in (("b" * 71, "b" * 71), ('"ab "', "ab "), ('"a@b"', "a@b"),
                                ('""', "")):
            assert status(param, boundary) == 400, param


run()
