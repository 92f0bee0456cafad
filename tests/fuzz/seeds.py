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

Files are named by the SHA-1 of their content, as libFuzzer names its corpus, so
writing the same seed twice is harmless. Python 3 standard library only."""

from __future__ import annotations

import glob
import hashlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# Control bytes of fuzz_http: [H][sizes][B][sizes][L] (see fuzz_http.c).
WHOLE = bytes([0x00, 0x00, 0x00])
SPLIT = bytes([0x04, 0, 1, 4, 16, 0x03, 0, 2, 6, 0x00])
BODY_ALONE = bytes([0x00, 0x05, 0, 1, 2, 3, 4, 0x80])
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
