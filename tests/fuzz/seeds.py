"""seeds.py TARGET OUTDIR — writes the seed corpus of one fuzz target into OUTDIR.

The seeds are made at run time from every lessons/*/requests/*.http (the canned
requests, exact bytes) and from the plain-text seeds in tests/fuzz/seeds/TARGET/
(one request, URL, date or header value per file), each put into the input layout
its target reads (see the comment at the top of tests/fuzz/fuzz_TARGET.c):

  fuzz_http    the request itself, behind the control bytes that choose its pieces:
               once whole, once split into small pieces; a chunked request's body
               also alone (control byte L bit 7)
  fuzz_url     one control byte, then a request target, or an absolute URL made of
               the Host value and the target
  fuzz_date    the text alone (a date); every header value of the requests too
  fuzz_accept  one control byte, then a header value (Accept-Encoding, Connection …)
  fuzz_multipart  the Content-Type and body of every multipart request, whole and
               cut into small pieces (see fuzz_multipart.c)
  fuzz_cookie  eleven control bytes, then a Cookie value (or name NUL value NUL path
               NUL domain for the Set-Cookie writer)
  fuzz_gzip    every request gzipped (behind control byte 0), and as it is
  fuzz_form    Content-Type values, and the bodies that are not multipart as forms
               and as JSON
  fuzz_cache   If-None-Match and If-Modified-Since of the requests that send them
  fuzz_files   the /files/ targets of the requests, and names of the fuzzer's root
  fuzz_client  a few responses of every framing (RESPONSES), whole and cut
  fuzz_mime    the Accept of every request before lesson 04's three offers, and every
               request target as a file name; a seed file is ACCEPT LF OFFER LF …,
               behind control byte 0 and again behind 1 (no Accept)

Files are named by the SHA-1 of their content, as libFuzzer names its corpus, so
writing the same seed twice is harmless. Python 3 standard library only."""

from __future__ import annotations

import glob
import gzip
import hashlib
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# Control bytes of fuzz_http: [H][sizes][B][sizes][L] (see fuzz_http.c).
WHOLE = bytes([0x00, 0x00, 0x00])
SPLIT = bytes([0x04, 0, 1, 4, 16, 0x03, 0, 2, 6, 0x00])
BODY_ALONE = bytes([0x00, 0x05, 0, 1, 2, 3, 4, 0x80])
# Responses for fuzz_client (the lab's parser): each framing, a 304, an interim 100.
RESPONSES = [
    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nHello World\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nHello\r\n0\r\n"
    b"Expires: never\r\n\r\n",
    b"HTTP/1.0 200\r\nServer: x\r\n\r\nbody until the close",
    b"HTTP/1.1 304 Not Modified\r\nETag: \"ab\"\r\nContent-Length: 5\r\n\r\n",
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
]
# What lesson 04's /greeting offers, in its order, as fuzz_mime's fields after Accept.
GREETING_OFFERS = b"\ntext/plain\ntext/html\napplication/json"
# Control bytes of fuzz_multipart: [S][sizes], then Content-Type LF body.
MP_SPLIT = bytes([0x05, 0, 2, 6, 0, 30])


def head_and_body(req: bytes) -> tuple[bytes, bytes]:
    end = req.find(b"\r\n\r\n")
    if end < 0:
        return req, b""
    return req[:end + 4], req[end + 4:]


def header_values(req: bytes) -> list[bytes]:
    head, _ = head_and_body(req)
    out = []
    for line in head.split(b"\r\n")[1:]:
        name, colon, value = line.partition(b":")
        if colon:
            out.append(value.strip(b" \t"))
    return out


def header(req: bytes, name: bytes) -> bytes | None:
    head, _ = head_and_body(req)
    for line in head.split(b"\r\n")[1:]:
        n, colon, value = line.partition(b":")
        if colon and n.strip().lower() == name:
            return value.strip(b" \t")
    return None


def target_of(req: bytes) -> bytes | None:
    parts = req.split(b"\r\n", 1)[0].split(b" ")
    return parts[1] if len(parts) >= 3 else None


def seeds_for(target: str, requests: list[bytes], plain: list[bytes]) -> list[bytes]:
    out: list[bytes] = []
    if target == "fuzz_http":
        for req in requests + plain:
            out += [WHOLE + req, SPLIT + req]
            _, body = head_and_body(req)
            if b"chunked" in req.lower() and body:
                out.append(BODY_ALONE + body)
    elif target == "fuzz_url":
        for req in requests:
            t = target_of(req)
            if t:
                out.append(b"\x00" + t)
                host = header(req, b"host")
                if host and t.startswith(b"/"):
                    out.append(b"\x01http://" + host + t)
        out += [b"\x00" + p for p in plain] + [b"\x03" + p for p in plain]
    elif target == "fuzz_date":
        for req in requests:
            out += header_values(req)
        out += plain
    elif target == "fuzz_accept":
        for req in requests:
            out += [b"\x1f" + v for v in header_values(req)]
        out += [b"\x1f" + p for p in plain] + [b"\x04" + p for p in plain]
    elif target == "fuzz_cookie":
        ctl = bytes([0x08, 0xc0, 0x05, 0x40, 0, 0, 0, 0, 0, 0x10, 0x00])
        short = bytes([0x01, 0x01, 0x09, 0, 0, 0, 0, 0, 0, 0x03, 0x09])
        for req in requests:
            c = header(req, b"cookie")
            if c:
                out += [ctl + c, short + c]
        out += [ctl + p for p in plain] + [short + p for p in plain]
    elif target == "fuzz_multipart":
        for req in requests + plain:
            ct = header(req, b"content-type")
            _, body = head_and_body(req)
            if ct and b"multipart" in ct.lower():
                out += [b"\x00" + ct + b"\n" + body, MP_SPLIT + ct + b"\n" + body]
    elif target == "fuzz_gzip":
        for req in requests + plain:
            out += [b"\x00" + gzip.compress(req, mtime=0), b"\x01" + req]
    elif target == "fuzz_form":
        for req in requests + plain:
            ct = header(req, b"content-type")
            _, body = head_and_body(req)
            if ct:
                out.append(b"\x00" + ct)
            if body and not (ct and b"multipart" in ct.lower()):
                out += [b"\x01" + body, b"\x03" + body]
        out.append(b"\x04" + struct.pack("<d", 0.1) + b"a=1&b=2")
    elif target == "fuzz_cache":
        stamp = struct.pack("<I", 1700000000)
        for req in requests + plain:
            inm = header(req, b"if-none-match") or b""
            ims = header(req, b"if-modified-since") or b""
            if inm or ims:
                out.append(b"\x18" + stamp + inm + b"\x00" + ims + b"\x00" + inm)
        out.append(b"\x08" + stamp + b'W/"ab", "cd"\x00\x00"cd"')
    elif target == "fuzz_files":
        for req in requests:
            t = target_of(req)
            if t and t.startswith(b"/files/"):
                out.append(b"\x00" + t)
        for name in [b"a.txt", b"sub/b.txt", b"in.txt", b"sub/up.txt", b"out.txt",
                     b"a.txt/", b"dir/", b"../outside.txt", b"%2e%2e/outside.txt"]:
            out.append(b"\x00/files/" + name)
    elif target == "fuzz_mime":
        for req in requests:
            accept = header(req, b"accept")
            if accept is not None:
                out.append(b"\x00" + accept + GREETING_OFFERS)
            t = target_of(req)
            if t:
                out.append(b"\x00*/*\n" + t)
        out += [b"\x00" + p for p in plain] + [b"\x01" + p for p in plain]
    elif target == "fuzz_client":
        for resp in RESPONSES + plain:
            out += [b"\x00\x80" + resp, b"\x01\xff" + resp]
    else:
        raise SystemExit(f"seeds.py: no such target {target!r}")
    return out


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit("usage: seeds.py TARGET OUTDIR")
    target, outdir = sys.argv[1], sys.argv[2]
    pattern = os.path.join(REPO, "lessons", "*", "requests", "*.http")
    requests = [open(p, "rb").read() for p in sorted(glob.glob(pattern))]
    plain = [open(p, "rb").read()
             for p in sorted(glob.glob(os.path.join(HERE, "seeds", target, "*")))]
    os.makedirs(outdir, exist_ok=True)
    n = 0
    for data in seeds_for(target, requests, plain):
        name = hashlib.sha1(data).hexdigest()
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
        n += 1
    print(f"{n} seeds", file=sys.stderr)


if __name__ == "__main__":
    main()
