"""test_clients — real HTTP clients see what the article's client saw.

Python requests (Debian's python3-requests) and curl against lessons 01-03:
lesson 01 gives no reply, lesson 02 exactly the article's three headers and
"Hello World\\n", lesson 03 "Hello <Host>" with Server and a current Date."""

from __future__ import annotations

import email.utils
import re
import subprocess
import time

import requests

from harness import Server, case, fail, run


def url(s: Server, path: str = "/") -> str:
    return f"http://localhost:{s.port}{path}"


def assert_current_date(value: str | None):
    assert value, "no Date header"
    when = email.utils.parsedate_to_datetime(value).timestamp()
    if abs(when - time.time()) > 5:
        fail(f"Date {value!r} is not now")
    assert value.endswith(" GMT") and len(value) == 29, value  # IMF-fixdate


def curl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["curl", "-sS", "--max-time", "10", *args], capture_output=True,
                          timeout=20)


@case("lesson 01: requests gets no reply; the server printed the request line")
def _():
    with Server(1) as s:
        try:
            requests.get(url(s), timeout=5)
            fail("requests got a response from a server that never answers")
        except requests.ConnectionError:
            pass
        assert s.take_stdout() == "b'GET / HTTP/1.1\\r\\n'\n"


@case("lesson 01 all-lines: the whole head of a requests GET, as a list of lines")
def _():
    with Server(1, "all-lines") as s:
        try:
            requests.get(url(s), timeout=5)
        except requests.ConnectionError:
            pass
        out = s.take_stdout()
        want = (f"[b'GET / HTTP/1.1\\r\\n', b'Host: localhost:{s.port}\\r\\n', "
                f"b'User-Agent: python-requests/{requests.__version__}\\r\\n', "
                "b'Accept-Encoding: gzip, deflate\\r\\n', b'Accept: */*\\r\\n', "
                "b'Connection: keep-alive\\r\\n', b'\\r\\n']\n")
        assert out == want, out


@case("lesson 02: requests sees exactly Content-Type, Content-Length, Location and 'Hello World\\n'")
def _():
    with Server(2) as s:
        r = requests.get(url(s), timeout=5)
        assert r.status_code == 200
        assert dict(r.headers) == {"Content-Type": "text/plain", "Content-Length": "12",
                                   "Location": "http://localhost/"}, dict(r.headers)
        assert r.text == "Hello World\n"
        printed = s.take_stdout()
        assert printed.startswith("reading request\nb'GET / HTTP/1.1\\r\\nHost: localhost:")
        assert printed.endswith("writing response\nresponse sent\nconnection closed\n"), printed


@case("lesson 02: curl -i shows the same response")
def _():
    with Server(2) as s:
        p = curl("-i", url(s))
        assert p.returncode == 0, p.stderr
        assert p.stdout == (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n"
                            b"Location: http://localhost/\r\n\r\nHello World\n"), p.stdout


@case("lesson 03: requests gets 'Hello localhost:PORT' with Server and a current Date")
def _():
    with Server(3) as s:
        r = requests.get(url(s), timeout=5)
        assert r.status_code == 200 and r.text == f"Hello localhost:{s.port}\n", r.text
        assert r.headers["Server"] == "wirelab/0.1"
        assert_current_date(r.headers.get("Date"))
        assert s.take_stdout().startswith(f"{{'Host': 'localhost:{s.port}', 'User-Agent': ")


@case("lesson 03: Host: webserver gets 'Hello webserver' (one address, many sites)")
def _():
    with Server(3) as s:
        r = requests.get(url(s), headers={"Host": "webserver"}, timeout=5)
        assert r.text == "Hello webserver\n", r.text


@case("lesson 03 hello-world: the body does not depend on Host")
def _():
    with Server(3, "hello-world") as s:
        r = requests.get(url(s), headers={"Host": "webserver"}, timeout=5)
        assert r.text == "Hello World\n", r.text


@case("lesson 03: a requests Session reuses one connection for three requests")
def _():
    with Server(3) as s:
        with requests.Session() as session:
            bodies = [session.get(url(s), timeout=5).text for _ in range(3)]
        assert bodies == [f"Hello localhost:{s.port}\n"] * 3
        deadline = time.monotonic() + 5  # stderr is collected by a thread: let it catch up
        while True:
            ports = re.findall(r"Reading request from \('127\.0\.0\.1', (\d+)\)", s.stderr())
            if len(ports) >= 3 or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        assert len(ports) == 3 and len(set(ports)) == 1, ports


@case("lesson 03: the access log on stderr reads like Python's")
def _():
    with Server(3) as s:
        requests.get(url(s, "/some/path?x=1"), timeout=5)
        time.sleep(0.1)
        log = s.stderr()
        line = r'127\.0\.0\.1 - - \[\d\d/[A-Z][a-z]{2}/\d{4} \d\d:\d\d:\d\d\] '
        assert re.search(line + r'"GET /some/path\?x=1 HTTP/1\.1" 200 -\n', log), log
        assert re.search(line + r"Reading request from \('127\.0\.0\.1', \d+\)\n", log), log


@case("lesson 03: requests.head gets GET's headers and no body; POST gets 405 with Allow")
def _():
    with Server(3) as s:
        g = requests.get(url(s), timeout=5)
        h = requests.head(url(s), timeout=5)
        assert h.status_code == 200 and h.content == b""
        assert h.headers["Content-Length"] == g.headers["Content-Length"]
        assert h.headers["Content-Type"] == g.headers["Content-Type"]
        p = requests.post(url(s), data={"var1": "test"}, timeout=5)
        assert p.status_code == 405 and p.headers["Allow"] == "GET, HEAD", p.headers


@case("lesson 03: curl -v shows Server, Date and 'Hello localhost:PORT'")
def _():
    with Server(3) as s:
        p = curl("-v", url(s))
        assert p.returncode == 0, p.stderr
        assert p.stdout == f"Hello localhost:{s.port}\n".encode(), p.stdout
        err = p.stderr.decode()
        assert "< HTTP/1.1 200 OK" in err and "< Server: wirelab/0.1" in err, err
        date = re.search(r"< Date: (.*)\r", err)
        assert_current_date(date and date.group(1))


@case("lesson 03: curl --http1.0 without Host gets 'Hello World' and Connection: close")
def _():
    with Server(3) as s:
        p = curl("-i", "--http1.0", "-H", "Host:", url(s))
        assert p.returncode == 0, p.stderr
        assert p.stdout.startswith(b"HTTP/1.1 200 OK\r\n"), p.stdout
        assert b"\r\nConnection: close\r\n" in p.stdout and p.stdout.endswith(b"\r\n\r\nHello World\n")


@case("lesson 03: chunked uploads from requests and curl are read to their end: 405, then 200")
def _():
    with Server(3) as s:
        with requests.Session() as session:
            p = session.post(url(s), data=iter([b"hel", b"lo"]), timeout=5)  # chunked
            g = session.get(url(s), timeout=5)
        assert p.status_code == 405 and g.status_code == 200, (p.status_code, g.status_code)
        c = curl("-i", "-H", "Transfer-Encoding: chunked", "--data-binary", "hello", url(s))
        assert c.returncode == 0, c.stderr
        assert c.stdout.startswith(b"HTTP/1.1 405 Method Not Allowed\r\n"), c.stdout


@case("lesson 03: curl through a proxy over HTTP/1.0 without Host: the URL's host is greeted")
def _():
    with Server(3) as s:
        # -x sends the absolute form, GET http://t.example/ HTTP/1.0 (RFC 9112 §3.2.2)
        p = curl("-i", "--http1.0", "-H", "Host:", "-x", f"http://127.0.0.1:{s.port}",
                 "http://t.example/")
        assert p.returncode == 0, p.stderr
        assert p.stdout.startswith(b"HTTP/1.1 200 OK\r\n"), p.stdout
        assert p.stdout.endswith(b"\r\n\r\nHello t.example\n"), p.stdout


run()
