#!/usr/bin/python3
"""peer.py — the lessons' benchmarked responses, served by Python's http.server.

The server the article builds and a reader would reach for first:
ThreadingHTTPServer with a BaseHTTPRequestHandler, one thread per connection.

    /index.html   lesson 05's page; gzip-compressed per request when the client
                  accepts it, as the article's write_data does
    /python-logo/ lesson 05's public/logo.png (read once), with Last-Modified,
                  Cache-Control and Expires
    anything else lesson 03's "Hello <Host>\\n"

By default it prints what lesson 03 prints (two log lines, the headers, the
access log), as the article's server does; --quiet prints nothing.

    --http 1.0    BaseHTTPRequestHandler's default: one request per connection
    --http 1.1    persistent connections; every response has Content-Length

Prints "Server bound to port N" once it listens, like a lesson server.
"""
import argparse
import email.utils
import gzip
import http.server
import os
import socket
import sys
import time

# Lesson 05's page, byte for byte, as common/lesson/site.h writes it (read by site_page.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from site_page import PAGE  # noqa: E402 (the path above first)
MAX_AGE = 10


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "wirelab-peer/0.1"
    logo = b""
    logo_mtime = 0.0
    quiet = False
    # The lesson servers set TCP_NODELAY too. Without it an HTTP/1.1 connection
    # stalls 40 ms a request: the head and the body go out in two writes, and Nagle
    # holds the second until the client's delayed ACK.
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        if not self.quiet:
            super().log_message(format, *args)

    def send(self, status, ctype, body, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for name, value in extra:
            self.send_header(name, value)
        if self.close_connection and self.protocol_version >= "HTTP/1.1":
            self.send_header("Connection", "close")  # the client asked; say it is done
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if not self.quiet:
            self.log_message("Reading request from %s", self.client_address)
            print(dict(self.headers))
            self.log_message("Writing response to %s", self.client_address)
        if self.path == "/index.html":
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                self.send(200, "text/html", gzip.compress(PAGE),
                          [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")])
            else:
                self.send(200, "text/html", PAGE, [("Vary", "Accept-Encoding")])
        elif self.path == "/python-logo/":
            now = time.time()
            self.send(200, "image/png", self.logo, [
                ("Last-Modified", email.utils.formatdate(self.logo_mtime, usegmt=True)),
                ("Cache-Control", "public, max-age=%d" % MAX_AGE),
                ("Expires", email.utils.formatdate(now + MAX_AGE, usegmt=True)),
            ])
        else:
            host = self.headers.get("Host", "World")
            self.send(200, "text/plain; charset=utf-8", ("Hello %s\n" % host).encode())


class Server(http.server.ThreadingHTTPServer):
    # socketserver's default backlog is 5: at 64 connections opened at once the
    # kernel would drop SYNs and the clients wait a second to retry, which would
    # measure the backlog, not Python. The lesson servers listen with SOMAXCONN.
    request_queue_size = socket.SOMAXCONN


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--http", choices=("1.0", "1.1"), default="1.0")
    ap.add_argument("--logo", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "lessons", "05-caching",
        "public", "logo.png"))
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()

    Handler.protocol_version = "HTTP/%s" % args.http
    Handler.quiet = args.quiet
    try:
        with open(args.logo, "rb") as f:
            Handler.logo = f.read()
        Handler.logo_mtime = os.stat(args.logo).st_mtime
    except OSError:
        Handler.logo = b"\x89PNG\r\n\x1a\n" + bytes(1888)  # lesson 05 not there yet
        Handler.logo_mtime = time.time()
    srv = Server((args.host, args.port), Handler)
    print("Server bound to port %d" % srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()


if __name__ == "__main__":
    main()
