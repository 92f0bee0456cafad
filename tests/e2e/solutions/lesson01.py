"""lesson01.py — lesson 01 ("readline echo") as the article writes it, with socketserver
and a plain print(): no flush, so its output is buffered unless it goes to a terminal.
check gives it one, as a person running it at a prompt would. It listens on
127.0.0.1:$PORT and runs the variant $VARIANT ("line" or "all-lines")."""

import os
import socketserver

LINE_MAX = 8192  # the lab's limit on one line (common/http/limit.h)
HEADERS_MAX = 100


class MyTCPHandler(socketserver.StreamRequestHandler):
    def handle(self):
        if os.environ.get("VARIANT") == "all-lines":
            self.read_all_lines()
        else:
            self.data = self.rfile.readline(LINE_MAX)
            print(self.data)

    def read_all_lines(self):
        lines = []
        while len(lines) <= HEADERS_MAX:
            line = self.rfile.readline(LINE_MAX)
            if not line:
                break
            lines.append(line)
            if line in (b"\r\n", b"\n") or not line.endswith(b"\n"):
                break
        print(lines)


if __name__ == "__main__":
    socketserver.TCPServer.allow_reuse_address = True
    with socketserver.TCPServer(("127.0.0.1", int(os.environ["PORT"])), MyTCPHandler) as server:
        print(f"Server bound to port {os.environ['PORT']}")
        server.serve_forever()
