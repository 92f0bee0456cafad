"""test_lab — every one-shot command of the lab shell: its output and exit status.

`lab COMMAND ARGS…` runs one command and exits 0 (ok), 1 (failed) or 2 (usage).
Lesson servers it needs are started by the lab itself on free ports; a small
Python server stands in for "your own server" (binary, gzip and chunked bodies),
and a socket that never answers for a slow one. The last cases feed the shell a
script on stdin, which runs the commands that need a shell-owned server
(start, send NAME, log, stop) without a terminal."""

from __future__ import annotations

import contextlib
import gzip
import http.server
import os
import re
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
import zlib

import harness as h

LAB = os.path.join(h.bin_dir(), "lab")
LESSONS = os.path.join(h.REPO, "lessons")


def lab(*args: str, env: dict | None = None, stdin: str | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `lab ARGS…` with colour off and PAGER=cat; fail on a sanitizer report
    or a lesson server that exited badly when the lab stopped it."""
    e = dict(os.environ, NO_COLOR="1", PAGER="cat")
    e.update(env or {})
    p = subprocess.run([LAB, *args], capture_output=True, text=True, env=e,
                       input=stdin if stdin is not None else "", timeout=timeout)
    for marker in h.SANITIZER_MARKERS + ("when stopped",):
        if marker in p.stderr:
            h.fail(f"lab {' '.join(args)}: stderr has {marker!r}:\n{p.stderr}")
    return p


def expect(p: subprocess.CompletedProcess, status: int, *texts: str, where: str = "stdout"):
    """p exited with status and its stdout (or stderr) holds every text."""
    out = p.stdout if where == "stdout" else p.stderr
    if p.returncode != status:
        h.fail(f"exit status {p.returncode}, not {status}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr}")
    for t in texts:
        if t not in out:
            h.fail(f"{where} lacks {t!r}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((h.HOST, 0))
        return s.getsockname()[1]


def readme_summary(folder: str) -> str:
    with open(os.path.join(LESSONS, folder, "README.md"), encoding="utf-8") as f:
        first = f.readline().rstrip("\n").lstrip("# ")
    return re.sub(r"^Lesson \d+ — ", "", first)


def png_bytes() -> bytes:
    """A 1x1 PNG, made here so the test needs no file."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


class _Handler(http.server.BaseHTTPRequestHandler):
    """Your own server, in Python: a PNG, a gzip body, a chunked body, a long text."""
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/logo.png":
            self.reply(png_bytes(), "image/png")
        elif self.path == "/gz":
            self.reply(gzip.compress(b"decoded by the lab\n"), "text/plain", {"Content-Encoding": "gzip"})
        elif self.path == "/long":
            self.reply("".join(f"line {i}\n" for i in range(500)).encode(), "text/plain")
        elif self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"joined ", b"from chunks\n"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.reply(f"you asked for {self.path}\n".encode(), "text/plain")

    def reply(self, body: bytes, ctype: str, extra: dict | None = None):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def python_server():
    srv = http.server.ThreadingHTTPServer((h.HOST, 0), _Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://{h.HOST}:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


@contextlib.contextmanager
def silent_listener():
    """A port that accepts connections and never answers."""
    s = socket.socket()
    s.bind((h.HOST, 0))
    s.listen(8)
    try:
        yield s.getsockname()[1]
    finally:
        s.close()


# ---------------------------------------------------------------------------
# lessons, read, requests, help
# ---------------------------------------------------------------------------

@h.case("lessons lists 01-03 with their slugs and README summaries")
def _():
    p = lab("lessons")
    expect(p, 0)
    for folder in ("01-readline-echo", "02-static-response", "03-better-server"):
        num, slug = folder[:2], folder[3:]
        line = re.search(rf"^{num}\s+{re.escape(slug)}\s+(?:passes|started|—)\s+(.*)$",
                         p.stdout, re.M)
        if not line:
            h.fail(f"no line for {folder}:\n{p.stdout}")
        assert line.group(1).startswith(readme_summary(folder)), line.group(0)


@h.case("read 3 prints lesson 03's README through $PAGER")
def _():
    p = lab("read", "3")
    with open(os.path.join(LESSONS, "03-better-server", "README.md"), encoding="utf-8") as f:
        text = f.read()
    expect(p, 0)
    assert p.stdout == text, p.stdout[:300]


def descriptions(folder: str) -> dict[str, str]:
    """requests/descriptions.txt of a lesson: NAME -> its one-line description."""
    out = {}
    with open(os.path.join(LESSONS, folder, "requests", "descriptions.txt"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                name, text = line.rstrip("\n").split(None, 1)
                out[name] = text.strip()
    return out


@h.case("requests 3 lists every canned request of lesson 03 with its description")
def _():
    p = lab("requests", "3")
    expect(p, 0)
    names = sorted(n[:-5] for n in os.listdir(os.path.join(LESSONS, "03-better-server", "requests"))
                   if n.endswith(".http"))
    listed = [line.split()[0] for line in p.stdout.splitlines() if line.strip()]
    assert listed == names, (listed, names)
    assert re.search(r"^\s+pipelined\s+two GETs in one write: two answers, in order$", p.stdout,
                     re.M), p.stdout
    said = descriptions("03-better-server")
    for line in p.stdout.splitlines():
        name, text = line.split(None, 1)
        assert said[name] == text, (name, text)


@h.case("every canned request of every lesson has a description")
def _():
    for folder in sorted(os.listdir(LESSONS)):
        if not os.path.isdir(os.path.join(LESSONS, folder, "requests")):
            continue
        names = {n[:-5] for n in os.listdir(os.path.join(LESSONS, folder, "requests"))
                 if n.endswith(".http")}
        said = descriptions(folder)
        assert names <= set(said), (folder, names - set(said))
        assert all(said.values()), folder


@h.case("help lists the commands; help send explains one; help nope fails")
def _():
    p = lab("help")
    expect(p, 0, "start N [VARIANT] [--port P]", "send [N] NAME", "raw", "url URL", "quote TEXT",
           "mime FILE", "quit")
    expect(lab("help", "send"), 0, "--timeout S", "--url URL")
    expect(lab("help", "nope"), 1, "no command 'nope'", where="stderr")


# ---------------------------------------------------------------------------
# send
# ---------------------------------------------------------------------------

# From here to raw, each case's lab starts what it needs (its lesson servers on ports
# they pick themselves, --port 0) and mostly waits on it: the cases run side by side.

@h.case("send 3 curl-get: the request bytes with \\r\\n, the 200 response, what the server printed, curl",
        parallel=True)
def _():
    p = lab("send", "3", "curl-get")
    expect(p, 0, "> GET / HTTP/1.1\\r\\n\n> Host: localhost\\r\\n\n",
           "> User-Agent: curl/7.88.1\\r\\n\n> Accept: */*\\r\\n\n> \\r\\n\n",
           "< HTTP/1.1 200 OK\n", "< Content-Length: 16\n", "\nHello localhost\n",
           "--- body: 16 bytes",
           "--- kept open by the server: 154 bytes in", "the lab closes it now",
           "--- the server printed:\n{'Host': 'localhost', 'User-Agent': 'curl/7.88.1', 'Accept': '*/*'}",
           "curl -v --http1.1 http://127.0.0.1:8080/",
           "(the server started for this request is gone: this line is for lab start 3, port 8080)")
    assert re.search(r"-H 'Host: localhost'\s+(\\\n\s+)?-H 'User-Agent: curl/7\.88\.1'", p.stdout), p.stdout


@h.case("send 03/head: a HEAD response is shown without a body, and curl -I", parallel=True)
def _():
    p = lab("send", "03/head")
    expect(p, 0, "< HTTP/1.1 200 OK", "no body: a HEAD response has none", "curl -v --http1.1 -I ")
    assert "Hello" not in p.stdout, p.stdout


@h.case("send 3 pipelined: two responses, and no curl command can pipeline", parallel=True)
def _():
    p = lab("send", "3", "pipelined")
    expect(p, 0, "--- response 1\n", "--- response 2\n", "Hello localhost", "Hello webserver",
           "No curl command sends exactly these bytes")
    assert "pipelin" in p.stdout, p.stdout


@h.case("send 3 missing-host: the 400, and why curl cannot send it", parallel=True)
def _():
    p = lab("send", "3", "missing-host")
    expect(p, 0, "< HTTP/1.1 400 Bad Request", "No curl command sends exactly these bytes")


@h.case("send 1 curl-get: lesson 01 never answers; the lab says so and shows what it printed",
        parallel=True)
def _():
    p = lab("send", "1", "curl-get")
    expect(p, 0, "no response: the server closed the connection without sending a byte",
           "--- the server printed:\nb'GET / HTTP/1.1\\r\\n'")


@h.case("send 1 lf-only: bare LF shown as \\n, and curl cannot send it", parallel=True)
def _():
    p = lab("send", "1", "lf-only")
    expect(p, 0, "> GET / HTTP/1.1\\n\n", "bare LF")


@h.case("send --url sends a canned request to another server", parallel=True)
def _():
    with python_server() as url:
        p = lab("send", "3", "curl-get", "--url", url)
    expect(p, 0, "you asked for /", "< HTTP/1.1 200 OK")
    assert "the server printed" not in p.stdout


# ---------------------------------------------------------------------------
# get, head, post, raw
# ---------------------------------------------------------------------------

@h.case("get / --lesson 3 builds a proper HTTP/1.1 request and shows the answer", parallel=True)
def _():
    p = lab("get", "/", "--lesson", "3")
    port = re.search(r"> Host: 127\.0\.0\.1:(\d+)\\r\\n", p.stdout)
    expect(p, 0, "> GET / HTTP/1.1\\r\\n", "> User-Agent: wirelab-lab\\r\\n", "> Accept: */*\\r\\n",
           "> Accept-Encoding: gzip\\r\\n", "< HTTP/1.1 200 OK")
    assert "Connection:" not in p.stdout, "a real client leaves the connection open"
    assert port and f"Hello 127.0.0.1:{port.group(1)}" in p.stdout, p.stdout
    # The curl line is for `lab start 3`: port 8080, and Host names it too.
    assert "curl -v --http1.1 http://127.0.0.1:8080/ -H 'Host: 127.0.0.1:8080'" in p.stdout, p.stdout


@h.case("get: a header value is sent exactly as typed: quotes, colons, commas and spaces",
        parallel=True)
def _():
    etag = 'W/"4d2e25336187ade95f260ba129f1c2ea"'
    p = lab("get", "/js/myjs.js", "--lesson", "5", f"If-None-Match: {etag}")
    expect(p, 0, f"> If-None-Match: {etag}\\r\\n", "< HTTP/1.1 304 Not Modified")
    # from a shell without quotes: the words of a value are joined, "00:00:00" starts no header
    p = lab("get", "/python-logo/", "--lesson", "5", "If-Modified-Since:", "Fri,", "01", "Jan", "2100",
            "00:00:00", "GMT", "Accept:", "image/*")
    expect(p, 0, "> If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\\r\\n",
           "> Accept: image/*\\r\\n", "< HTTP/1.1 304 Not Modified")
    assert "> 00:" not in p.stdout, p.stdout
    # an empty value removes a default header; a word that starts no header is a usage error
    p = lab("get", "/", "--lesson", "3", "User-Agent:", "Host: localhost:8080")
    expect(p, 0, "> Host: localhost:8080\\r\\n", "Hello localhost:8080")
    assert "User-Agent" not in p.stdout.split("--- response")[0], p.stdout
    expect(lab("get", "/", "--lesson", "3", "Host:webserver"), 2,
           "'Host:webserver' is not a header", where="stderr")


@h.case("get, send --trace: a plain-text ladder of the connection (no colour when piped)",
        parallel=True)
def _():
    p = lab("send", "3", "pipelined", "--trace", env={"NO_COLOR": ""})
    expect(p, 0, "connection 1 to 127.0.0.1:", "client", "server")
    assert "\033[" not in p.stdout, "colour on a pipe"
    ladder = p.stdout[p.stdout.index("connection 1 to"):]
    rungs = [line for line in ladder.splitlines() if "|" in line]
    assert re.search(r"ms  \|--- connect -+>\|$", rungs[0]), rungs
    assert re.search(r"\|--- GET / HTTP/1\.1 \(35 bytes\) -+>\|$", rungs[1]), rungs
    assert re.search(r"\|--- GET /second HTTP/1\.1 \(60 bytes\) -+>\|$", rungs[2]), rungs
    assert re.search(r"\|<-+ 200 OK \(154 bytes\) ---\|$", rungs[3]), rungs
    assert re.search(r"\|<-+ 200 OK \(\d+ bytes\) ---\|$", rungs[4]), rungs
    assert re.search(r"\|<-+ FIN: the server closes ---\|$", rungs[5]), rungs
    assert len(rungs) == 6, rungs
    assert all(len(r) == len(rungs[0]) for r in rungs), "the rails line up"
    # a request that keeps the connection open: then the lab closes it
    p = lab("get", "/", "--lesson", "3", "--trace")
    expect(p, 0, "kept open by the server", "FIN: the lab closes the connection")


@h.case("expect-continue: the head, 100 Continue, then the end of our stream and the close",
        parallel=True)
def _():
    p = lab("send", "3", "expect-continue", "--trace")
    expect(p, 0, "< HTTP/1.1 100 Continue", "--- closed by the server",
           "POST / HTTP/1.1, its body not all there", "FIN: the lab has nothing more to send",
           "100 Continue (25 bytes)", "FIN: the server closes")
    # a complete body waits for 100 Continue (or 1 s) before it goes, as curl does
    p = lab("post", "/", "--lesson", "7", "--data", "a=1", "Expect: 100-continue", "--trace")
    expect(p, 0, "POST / HTTP/1.1, head only", "100 Continue (25 bytes)", "its body (3 bytes)")
    assert p.stdout.index("head only") < p.stdout.index("100 Continue (25") < p.stdout.index(
        "its body (3 bytes)"), p.stdout


@h.case("post --data @PATH sends a file's bytes; --file FIELD=PATH uploads it as a browser does",
        parallel=True)
def _():
    with tempfile.TemporaryDirectory() as tmp:
        form = os.path.join(tmp, "form.txt")
        with open(form, "w") as f:
            f.write("hello=1&x=2")
        p = lab("post", "/", "--lesson", "7", "--data", "@" + form)
        expect(p, 0, "> Content-Length: 11\\r\\n", "> hello=1&x=2\n", "{'hello': '1', 'x': '2'}")
        png = os.path.join(tmp, "dot.png")
        with open(png, "wb") as f:
            f.write(png_bytes())
        p = subprocess.run([LAB, "post", "/", "--lesson", "8", "--file", "image_data=" + png,
                            "--field", "field1=value1"], capture_output=True, text=True, cwd=tmp,
                           env=dict(os.environ, NO_COLOR="1"), timeout=60)
        expect(p, 0, "Content-Type: multipart/form-data; boundary=----WebKitFormBoundary",
               '> Content-Disposition: form-data; name="image_data"; filename="dot.png"\\r\\n',
               "> Content-Type: image/png\\r\\n", "{'field1': 'value1'}",
               "saved uploads/dot.png")
        # curl -F sends the same form (with a boundary of its own)
        assert re.search(r"-F image_data=@\S*dot\.png --form-string field1=value1\n", p.stdout), \
            p.stdout
        with open(os.path.join(tmp, "uploads", "dot.png"), "rb") as f:
            assert f.read() == png_bytes()
    expect(lab("post", "/", "--lesson", "7", "--data", "@/nonexistent/x"), 1,
           "--data: there is no file /nonexistent/x", where="stderr")
    expect(lab("post", "/", "--lesson", "7", "--file", "nofield"), 2, "--file wants FIELD=PATH",
           where="stderr")


@h.case("a lesson that takes no uploads refuses --upload-dir (exit 2), as it does --docroot",
        parallel=True)
def _():
    for n in ("03", "04", "09"):
        exe = os.path.join(h.bin_dir(), f"lesson-{n}")
        p = subprocess.run([exe, "--port", "0", "--upload-dir", "/tmp"], capture_output=True,
                           text=True, timeout=10)
        assert p.returncode == 2 and not p.stdout, (n, p.returncode, p.stdout, p.stderr)
        assert "takes no uploads, so it takes no --upload-dir" in p.stderr, p.stderr
    p = subprocess.run([os.path.join(h.bin_dir(), "lesson-08"), "--help"], capture_output=True,
                       text=True, timeout=10)
    assert p.returncode == 0 and "--upload-dir DIR" in p.stdout, p.stdout


@h.case("a lesson that serves no files refuses --docroot (exit 2), one that does takes it",
        parallel=True)
def _():
    exe = os.path.join(h.bin_dir(), "lesson-03")
    p = subprocess.run([exe, "--port", "0", "--docroot", "/tmp"], capture_output=True, text=True,
                       timeout=10)
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert "serves no files, so it takes no --docroot" in p.stderr, p.stderr
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "x.txt"), "w") as f:
            f.write("mine\n")
        os.chmod(tmp, 0o755)  # the server reads it as nobody
        s = subprocess.Popen([os.path.join(h.bin_dir(), "lesson-04"), "--port", "0", "--docroot",
                              tmp], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = s.stdout.readline()
            port = int(re.search(r"Server bound to port (\d+)", line).group(1))
            data, _, _ = h.exchange(port, b"GET /files/x.txt HTTP/1.1\r\nHost: t\r\n\r\n", timeout=5)
            assert data.startswith(b"HTTP/1.1 200") and data.endswith(b"mine\n"), data
        finally:
            s.terminate()
            s.communicate(timeout=10)


@h.case("get with Host: webserver (unquoted, two words) replaces the default Host", parallel=True)
def _():
    p = lab("get", "/", "Host:", "webserver", "X-Extra:", "two", "words", "--lesson", "3")
    expect(p, 0, "> Host: webserver\\r\\n", "> X-Extra: two words\\r\\n", "Hello webserver")
    assert p.stdout.count("> Host:") == 1, p.stdout


@h.case("post --data adds Content-Type and Content-Length; lesson 03 answers 405 with Allow",
        parallel=True)
def _():
    p = lab("post", "/form", "--data", "a=1&b=2", "--lesson", "3")
    expect(p, 0, "> POST /form HTTP/1.1\\r\\n", "> Content-Type: application/x-www-form-urlencoded\\r\\n",
           "> Content-Length: 7\\r\\n", "> a=1&b=2\n", "< HTTP/1.1 405 Method Not Allowed", "< Allow: GET, HEAD",
           "--data-binary 'a=1&b=2'")


@h.case("head / --lesson 3: HEAD with GET's headers and no body", parallel=True)
def _():
    expect(lab("head", "/", "Host: localhost", "--lesson", "3"), 0, "> HEAD / HTTP/1.1\\r\\n", "< Content-Length: 16",
           "no body: a HEAD response has none (its Content-Length is GET's: 16)")


@h.case("get --url: a binary body is described by size and libmagic's type", parallel=True)
def _():
    with python_server() as url:
        p = lab("get", "/logo.png", "--url", url)
    expect(p, 0, f"[binary body: {len(png_bytes())} bytes, image/png by its content]")


@h.case("get --url: a gzip body is shown decoded", parallel=True)
def _():
    with python_server() as url:
        p = lab("get", "/gz", "--url", url)
    expect(p, 0, "< Content-Encoding: gzip", "\ndecoded by the lab\n", "bytes gzip, 19 bytes decoded")


@h.case("get with a whole URL as PATH; a chunked body is shown joined", parallel=True)
def _():
    with python_server() as url:
        p = lab("get", url + "/chunked")
    expect(p, 0, "> GET /chunked HTTP/1.1\\r\\n", "< Transfer-Encoding: chunked", "\njoined from chunks\n",
           "sent in chunks")


@h.case("a long body is cut with a note; --full shows it all", parallel=True)
def _():
    with python_server() as url:
        cut = lab("get", "/long", "--url", url)
        full = lab("get", "/long", "--url", url, "--full")
    expect(cut, 0, "line 39\n", "--full shows all")
    assert "line 40\n" not in cut.stdout, cut.stdout[-400:]
    expect(full, 0, "line 499\n")


@h.case("raw reads lines from stdin and sends them with CRLF", parallel=True)
def _():
    p = lab("raw", "--lesson", "3", stdin="GET /typed HTTP/1.1\nHost: rawhost\n\n")
    expect(p, 0, "> GET /typed HTTP/1.1\\r\\n\n> Host: rawhost\\r\\n\n> \\r\\n\n", "Hello rawhost")


@h.case("raw with a Content-Length body: the body lines until '.', and a note when the length is off",
        parallel=True)
def _():
    p = lab("raw", "--lesson", "3", stdin="POST / HTTP/1.1\nHost: x\nContent-Length: 9\n\nab\ncd\n.\n")
    expect(p, 0, "> ab\\r\\n\n> cd\n", "Content-Length says 9, and the body is 6 bytes")


# ---------------------------------------------------------------------------
# url, quote, mime
# ---------------------------------------------------------------------------

@h.case("url reproduces the article's urlparse example exactly")
def _():
    p = lab("url", "https://datatracker.ietf.org/doc/html/rfc1738#section-3")
    expect(p, 0)
    first = p.stdout.splitlines()[0]
    assert first == ("ParseResult(scheme='https', netloc='datatracker.ietf.org', path='/doc/html/rfc1738', "
                     "params='', query='', fragment='section-3')"), first


@h.case("url gives hostname, username, password and port as the article prints them")
def _():
    p = lab("url", "https://user:password@domain.com:7777/")
    expect(p, 0)
    attrs = dict(line.split(None, 1) for line in p.stdout.splitlines()[1:])
    assert attrs == {"hostname": "domain.com", "username": "user", "password": "password",
                     "port": "7777"}, attrs
    p = lab("url", "HTTP://Example.COM/a;p?q=1")
    expect(p, 0, "ParseResult(scheme='http', netloc='Example.COM', path='/a', params='p', query='q=1', "
           "fragment='')", "hostname  example.com", "username  None", "port      None")


@h.case("url with a bad port says what Python raises, status 1")
def _():
    expect(lab("url", "http://h:99999/"), 1, "port      ValueError: Port out of range 0-65535")


@h.case("quote reproduces quote('/path with spaces')")
def _():
    expect(lab("quote", "/path with spaces"), 0)
    assert lab("quote", "/path with spaces").stdout == "/path%20with%20spaces\n"
    assert lab("quote", "/path", "with", "spaces").stdout == "/path%20with%20spaces\n"
    assert lab("quote", "a&b=ü").stdout == "a%26b%3D%C3%BC\n"


@h.case("mime names a PNG and a text file by extension and by content")
def _():
    with tempfile.TemporaryDirectory() as d:
        png, txt, fake = (os.path.join(d, n) for n in ("logo.png", "notes.txt", "photo.jpg"))
        with open(png, "wb") as f:
            f.write(png_bytes())
        with open(txt, "w") as f:
            f.write("just some words\n")
        with open(fake, "w") as f:
            f.write("not a picture at all\n")
        p = lab("mime", png, txt)
        expect(p, 0)
        assert re.search(r"logo\.png\n  by name:\s+image/png .*\n  by content:\s+image/png ", p.stdout), p.stdout
        assert re.search(r"notes\.txt\n  by name:\s+text/plain .*\n  by content:\s+text/plain ", p.stdout), p.stdout
        expect(lab("mime", fake), 0, "image/jpeg", "text/plain", "they differ")
        expect(lab("mime", os.path.join(d, "missing.png")), 1, "cannot read", where="stderr")


# ---------------------------------------------------------------------------
# errors a newcomer meets
# ---------------------------------------------------------------------------

@h.case("an unknown command: status 2 and a sentence pointing at help (with a guess)")
def _():
    expect(lab("strat", "3"), 2, "unknown command 'strat': did you mean start?", "help", where="stderr")
    expect(lab("frobnicate"), 2, "unknown command 'frobnicate'", "lab help", where="stderr")


@h.case("an unknown lesson: status 2 (usage) and the list of lessons")
def _():
    expect(lab("send", "97", "curl-get"), 2, "there is no lesson '97'", "01 readline-echo",
           "03 better-server", where="stderr")
    expect(lab("read", "nope"), 2, "there is no lesson 'nope'", where="stderr")
    expect(lab("start", "99"), 2, "there is no lesson '99'", where="stderr")
    expect(lab("requests", "99"), 2, "there is no lesson '99'", where="stderr")


@h.case("an unknown request name: status 1 and that lesson's request names")
def _():
    expect(lab("send", "3", "curl-gte"), 1, "lesson 03 has no request 'curl-gte'", "curl-get",
           "pipelined", where="stderr")


@h.case("send NAME without a lesson in one-shot mode says how to name one")
def _():
    expect(lab("send", "curl-get"), 2, "lab send N curl-get", where="stderr")


@h.case("usage errors exit 2")
def _():
    expect(lab("send"), 2, "usage: lab send", where="stderr")
    expect(lab("get"), 2, "usage: lab get", where="stderr")
    expect(lab("start", "3", "--port", "http"), 2, "--port wants a number", where="stderr")
    expect(lab("get", "/", "--timeout", "soon", "--lesson", "3"), 2, "--timeout wants seconds",
           where="stderr")
    expect(lab("url"), 2, "usage: lab url URL", where="stderr")


@h.case("get without a server in one-shot mode says to give --url or --lesson")
def _():
    expect(lab("get", "/"), 1, "--url http://127.0.0.1:PORT", "--lesson N", where="stderr")


@h.case("stop and log in one-shot mode say they need the shell")
def _():
    expect(lab("stop"), 1, "works inside the shell", where="stderr")
    expect(lab("log"), 1, "works inside the shell", where="stderr")


@h.case("connection refused: status 1 and a sentence")
def _():
    port = free_port()
    expect(lab("get", "/", "--url", f"http://127.0.0.1:{port}"), 1,
           f"connection refused: nothing listens on 127.0.0.1 port {port}", where="stderr")


@h.case("no answer within --timeout: status 1 and a sentence", parallel=True)
def _():
    with silent_listener() as port:
        start = time.monotonic()
        p = lab("get", "/", "--url", f"http://127.0.0.1:{port}", "--timeout", "1")
        took = time.monotonic() - start
    expect(p, 1, "no answer within 1 s", where="stderr")
    assert took < 8, took


@h.case("port in use: status 1 and a sentence suggesting start N --port", parallel=True)
def _():
    with silent_listener() as port:
        p = lab("start", "3", "--port", str(port))
    expect(p, 1, f"port {port} is already in use", f"lab start 3 --port {port + 1}", where="stderr")


@h.case("a server that exits before listening: its status and last output", parallel=True)
def _():
    with tempfile.TemporaryDirectory() as d:
        fake = os.path.join(d, "lesson-03")
        with open(fake, "w") as f:
            f.write('#!/bin/sh\n[ "$1" = --variants ] && { echo hello-host; exit 0; }\n'
                    'echo "cannot open the docroot: No such file" >&2\nexit 3\n')
        os.chmod(fake, 0o755)
        p = lab("start", "3", "--port", "0", env={"WIRELAB_BIN": d})
    expect(p, 1, "the 03-better-server server exited with status 3 before it was listening",
           "cannot open the docroot", where="stderr")


@h.case("lessons are found at run time: a new folder under WIRELAB_ROOT is a new lesson")
def _():
    with tempfile.TemporaryDirectory() as root:
        d = os.path.join(root, "lessons", "42-new-thing")
        os.makedirs(os.path.join(d, "requests"))
        with open(os.path.join(d, "README.md"), "w") as f:
            f.write("# Lesson 42 — something new\n\ntext\n")
        with open(os.path.join(d, "requests", "hello.http"), "wb") as f:
            f.write(b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        env = {"WIRELAB_ROOT": root, "WIRELAB_BIN": os.path.join(root, "bin")}
        expect(lab("lessons", env=env), 0, "42  new-thing")
        assert "something new (not built: run make)" in lab("lessons", env=env).stdout
        expect(lab("requests", "42", env=env), 0, "hello", "GET /hello HTTP/1.1")
        expect(lab("start", "42", env=env), 1, "lesson 42 is not built", where="stderr")


# ---------------------------------------------------------------------------
# start in the foreground; the shell on a script
# ---------------------------------------------------------------------------

def servers(pid: int) -> list[int]:
    """The children of pid but the guard each server has (tools/util/proc.h), a fork
    of the lab itself."""
    return [k for k in children(pid) if exe(k) != exe(pid)]


def exe(pid: int) -> str:
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return ""


def children(pid: int) -> list[int]:
    kids = []
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/children") as f:
            kids += [int(k) for k in f.read().split()]
    return kids


@h.case("lab start 3 serves in the foreground until SIGTERM, then exits 0 and leaves nothing")
def _():
    e = dict(os.environ, NO_COLOR="1")
    p = subprocess.Popen([LAB, "start", "3", "--port", "0"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=e)
    try:
        line = ""
        deadline = time.monotonic() + 10
        while "is listening on" not in line and time.monotonic() < deadline:
            line = p.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert m, line
        port = int(m.group(1))
        kids = servers(p.pid)
        assert len(kids) == 1, kids
        everyone = children(p.pid)
        assert len(everyone) == 2, everyone  # the server and its guard
        data, _, _ = h.exchange(port, b"GET / HTTP/1.1\r\nHost: fg\r\n\r\n", timeout=5)
        assert b"Hello fg" in data, data
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=10)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 0, (p.returncode, err)
    assert "Server bound to port" in line or "stopped lesson" in out, out
    for marker in h.SANITIZER_MARKERS:
        assert marker not in err, err
    for k in everyone:  # the server and its guard
        assert not os.path.exists(f"/proc/{k}") or open(f"/proc/{k}/stat").read().split()[2] == "Z"
    with socket.socket() as s:
        assert s.connect_ex((h.HOST, port)) != 0, "the port is still open"


@h.case("the shell on a script: start, send NAME to it, log, stop, quit")
def _():
    script = "start 3 --port 0\nsend curl-get\nget / Host: scripted\nlog\nstop\nsend curl-get\nquit\n"
    p = lab(stdin=script)
    expect(p, 0, "lesson 03-better-server (hello-host) is listening", "(lesson 03)", "Hello localhost",
           "Hello scripted", "--- stdout (what the article's server prints)", "\"GET / HTTP/1.1\" 200",
           "stopped lesson 03-better-server (exit status 0)")
    expect(p, 0, "no server is running, so which lesson's 'curl-get'?", where="stderr")


@h.case("the shell keeps a connection open for the next request to the same server, and trace shows it")
def _():
    p = lab(stdin="start 3 --port 0\nget /\nsend 5 curl-js\nget /again\ntrace 3\n")
    expect(p, 0, "the next request to this server reuses the connection",
           "--- reusing connection 1, kept open by the server (request 2 on it)",
           "connection 2 to 127.0.0.1:", "(lesson 05, started for this)")
    one = p.stdout[p.stdout.index("connection 1 to"):p.stdout.index("connection 2 to")]
    assert re.search(r"reused after \d+\.\d\d s idle, for request 2", one), one
    assert "GET /again HTTP/1.1" in one and "still open" in one, one
    two = p.stdout[p.stdout.index("connection 2 to"):]
    assert "GET /js/myjs.js" in two and "FIN: the lab closes the connection" in two, two


@h.case("the shell on a script stops its server when the input ends")
def _():
    p = lab(stdin="start 3 --port 0\n")
    expect(p, 0, "is listening")
    port = int(re.search(r":(\d+)/", p.stdout).group(1))
    with socket.socket() as s:
        assert s.connect_ex((h.HOST, port)) != 0, "the server outlived the shell"


h.run()
