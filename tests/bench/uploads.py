#!/usr/bin/env python3
"""uploads.py — make bench's check of large uploads (issue 17): CLIENTS clients
(default 256, the connection cap) each POST one multipart upload to lesson 08 at
once, every body exactly the upload limit (LIMIT_BODY_UPLOAD, 10 MiB): two small
fields and one file of random bytes, a different stretch of them for each client.

Then every saved file is compared with what its client sent, byte for byte, and the
server's peak RSS (VmHWM in /proc/PID/status) is read. Targets: every upload answered
200 and saved whole; peak RSS under 64 MiB, which a server that holds each body in
memory cannot meet (256 x 10 MiB) and one that streams each part to its file can.

Prints one line of figures, then a PASS or MISS line per target (as bench.py's
targets); exits 1 when a target is missed. UPLOADS_CLIENTS and UPLOADS_BYTES (the
body size) make it smaller, for a quick look or a test. The server runs with
--upload-dir in a temporary folder, removed at the end. Uses the e2e harness to
start the server (BENCH_BIN, else build/bin). Python 3 standard library only; one
thread, non-blocking sockets."""

from __future__ import annotations

import collections
import os
import random
import selectors
import shutil
import socket
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
if os.environ.get("BENCH_BIN"):
    os.environ.setdefault("WIRELAB_BIN", os.environ["BENCH_BIN"])

import harness  # noqa: E402
from harness import Server  # noqa: E402

MIB = 1024 * 1024
CLIENTS = int(os.environ.get("UPLOADS_CLIENTS", "256"))
BODY = int(os.environ.get("UPLOADS_BYTES", str(10 * MIB)))  # LIMIT_BODY_UPLOAD
RSS_TARGET_KIB = 64 * 1024
TIMEOUT = 90.0
SPREAD = 65536  # the clients' files start at different offsets of one random pool


def proc_status(pid: int) -> dict[str, int]:
    """VmHWM, VmRSS (KiB) and Threads of process pid, or {} once it is gone."""
    try:
        status = harness.proc_status(pid)
        return {k: int(status[k].split()[0]) for k in ("VmHWM", "VmRSS", "Threads")}
    except (OSError, KeyError, ValueError):
        return {}


class Sampler(threading.Thread):
    """The most threads the server has had, looked at 20 times a second (VmHWM keeps
    its own peak)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.threads, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            self.threads = max(self.threads, proc_status(self.pid).get("Threads", 0))


class Upload:
    """One client's request, sent in pieces from memory (the file is a view of the pool),
    and what came back."""

    def __init__(self, i: int, pool: memoryview, offset: int, file_size: int):
        self.name = f"upload-{i:03d}.bin"
        self.file = pool[offset:offset + file_size]
        b = f"wirelab-bench-{i:03d}-{random.getrandbits(64):016x}"
        head = "".join(f'--{b}\r\nContent-Disposition: form-data; name="field{k}"\r\n\r\n'
                       f"value{k}\r\n" for k in (1, 2))
        head += (f'--{b}\r\nContent-Disposition: form-data; name="image_data"; '
                 f'filename="{self.name}"\r\nContent-Type: application/octet-stream\r\n\r\n')
        tail = f"\r\n--{b}--\r\n".encode()
        length = len(head) + file_size + len(tail)
        start = (f"POST / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                 f"Content-Type: multipart/form-data; boundary={b}\r\n"
                 f"Content-Length: {length}\r\n\r\n{head}").encode()
        self.pieces = [memoryview(start), self.file, memoryview(tail)]
        self.got = bytearray()
        self.error = ""

    def send_some(self, s: socket.socket) -> bool:
        """Sends what the socket takes now; True once everything is sent."""
        while self.pieces:
            n = s.send(self.pieces[0])
            if n < len(self.pieces[0]):
                self.pieces[0] = self.pieces[0][n:]
                return False
            self.pieces.pop(0)
        return True

    def status(self) -> str:
        return bytes(self.got[9:12]).decode(errors="replace") or self.error or "nothing"


def file_size_for(body: int) -> int:
    """The file's size when the whole body is body bytes (the framing measured once)."""
    probe = Upload(0, memoryview(bytes(1)), 0, 1)
    framing = sum(len(p) for p in probe.pieces) - 1
    framing -= probe.pieces[0].tobytes().index(b"\r\n\r\n") + 4  # the request head
    return body - framing


def run_clients(port: int, uploads: list[Upload]) -> None:
    """Connects every client at once and runs them to the server's close."""
    sel = selectors.DefaultSelector()
    for u in uploads:
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, u)
    deadline = time.monotonic() + TIMEOUT
    while sel.get_map() and time.monotonic() < deadline:
        for key, events in sel.select(timeout=1):
            s, u = key.fileobj, key.data
            try:
                if events & selectors.EVENT_WRITE and u.send_some(s):
                    sel.modify(s, selectors.EVENT_READ, u)  # all sent: wait for the answer
                if not events & selectors.EVENT_READ:
                    continue
                chunk = s.recv(65536)
            except BlockingIOError:
                continue
            except OSError as e:
                u.error = "reset" if isinstance(e, ConnectionResetError) else e.strerror
                chunk = b""
            if chunk:
                u.got += chunk
                continue
            sel.unregister(s)  # the server closed (Connection: close): the answer is all in
            s.close()
    for key in list(sel.get_map().values()):
        key.data.error = "timeout"
        key.fileobj.close()


def saved_whole(folder: str, u: Upload) -> bool:
    """Whether u's file is in folder under its name, byte for byte, and the answer says so."""
    try:
        with open(os.path.join(folder, u.name), "rb") as f:
            same = u.file == f.read()
    except OSError:
        return False
    return same and f"{u.name}: {len(u.file)} bytes".encode() in u.got


def verdicts(clients: int, ok: int, peak_kib: int) -> list[tuple[str, str]]:
    """The targets, as (PASS or MISS, what) pairs."""
    return [("PASS" if ok == clients else "MISS",
             f"every upload answered 200 and saved byte for byte: {ok} of {clients}"),
            ("PASS" if peak_kib < RSS_TARGET_KIB else "MISS",
             f"L08 peak RSS, {clients} concurrent uploads < 64 MiB: {peak_kib / 1024:.1f} MiB")]


def main() -> int:
    file_size = file_size_for(BODY)
    pool = memoryview(os.urandom(file_size + SPREAD))
    offsets = random.sample(range(SPREAD), CLIENTS)
    uploads = [Upload(i, pool, offsets[i], file_size) for i in range(CLIENTS)]
    tmp = tempfile.mkdtemp(prefix="wirelab-uploads-")
    folder = os.path.join(tmp, "up")
    try:
        with Server(8, args=["--upload-dir", folder]) as srv:
            idle = proc_status(srv.proc.pid).get("VmHWM", 0)
            sampler = Sampler(srv.proc.pid)
            sampler.start()
            start = time.monotonic()
            run_clients(srv.port, uploads)
            took = time.monotonic() - start
            sampler.done.set()
            sampler.join()
            peak = proc_status(srv.proc.pid).get("VmHWM", 0)
        statuses = collections.Counter(u.status() for u in uploads)
        ok = sum(1 for u in uploads if u.status() == "200" and saved_whole(folder, u))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    shown = ", ".join(f"{k}: {n}" for k, n in sorted(statuses.items()))
    print(f"uploads: lesson 08, {CLIENTS} concurrent uploads of a {file_size:,}-byte file "
          f"({BODY:,}-byte bodies) in {took:.1f} s: {shown}; {ok} saved byte for byte; "
          f"peak RSS {peak / 1024:.1f} MiB (idle {idle / 1024:.1f}), most threads "
          f"{sampler.threads}")
    results = verdicts(CLIENTS, ok, peak)
    for verdict, what in results:
        print(f"  {verdict:<4}  {what}")
    return 0 if all(v == "PASS" for v, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
