"""lesson03.py — lesson 03 ("Hello <Host>") written with Python's http.server, to show
that `lab check 3 --cmd "python3 tests/e2e/solutions/lesson03.py"` grades a server in
any language. It listens on 127.0.0.1:$PORT and runs the variant $VARIANT, as check
asks, and prints the headers as the article's read_http_request does: with a plain
print(), so its output is buffered unless it goes to a terminal (check gives it one)."""

import http.server
import os

NOT_ALLOWED = (b"<!DOCTYPE html>\n<html><head><title>405 Method Not Allowed</title></head>\n"
               b"<body><h1>405 Method Not Allowed</h1>\n"
               b"<p>This path does not take that method.</p></body></html>\n")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # Content-Length, so the connection may stay open

    def log_message(self, *args):
        pass

    def read_http_request(self):
        print(dict(self.headers.items()))

    def greeting(self) -> bytes:
        host = self.headers.get("Host")
        if os.environ.get("VARIANT") == "hello-world" or not host:
            return b"Hello World\n"
        return f"Hello {host}\n".encode()

    def send_head(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()

    def end_headers(self):
        # say so when the client's request is its last, as the reference does
        if self.headers.get("Connection", "").lower() == "close":
            self.send_header("Connection", "close")
        super().end_headers()

    def do_GET(self):
        self.read_http_request()
        body = self.greeting()
        self.send_head(body)
        self.wfile.write(body)

    def do_HEAD(self):
        self.read_http_request()
        self.send_head(self.greeting())

    def do_POST(self):
        # the reference's 405 (Python's default is 501), after reading the body
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(NOT_ALLOWED)))
        self.end_headers()
        self.wfile.write(NOT_ALLOWED)


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler)
    server.serve_forever()
