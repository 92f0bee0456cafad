"""replay05 — a cheat that lab check must catch: lesson 05 answered by lookup, not logic.

A canned request gets the reference's recorded answer (lessons/05-caching/expected/);
anything else one of three fixed answers, picked by the path and by whether "gzip"
appears. Run: python3 replay05.py PORT. test_check_cases.py shows check fails it."""
import datetime, gzip, glob, os, re, socket, sys

LESSON = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lessons", "05-caching")
NOW = datetime.datetime.now(datetime.timezone.utc).strftime("%a, %d %b %Y %H:%M:%S GMT")

def answer(golden):  # the golden's text back into bytes on the wire
    out = b""
    for block in re.findall(r"=== response \d+\n(.*?)(?=\n=== )", open(golden).read(), re.S):
        head, body = block.split("\n--- body: ", 1)
        sizes, _, text = body.partition("\n")
        size = int(re.findall(r"\d+", sizes)[-1])  # the body's bytes, decoded
        data = open(os.path.join(LESSON, "public", "logo.png" if "png" in head else "favicon.ico"),
                    "rb").read() if "binary" in sizes else text.encode()[:size].ljust(size, b"\n")
        data = gzip.compress(data) if "gzip" in sizes else data
        if data:
            head = re.sub(r"(?m)^content-length: \d+$", "content-length: %d" % len(data), head)
        out += re.sub("<masked>", NOW, head).replace("\n", "\r\n").encode() + b"\r\n\r\n" + data
    return out

ANSWERS = {open(f"{LESSON}/requests/{os.path.basename(g)[:-4]}.http", "rb").read(): answer(g)
           for g in glob.glob(f"{LESSON}/expected/default/*.txt")}
FIXED = lambda req: answer(f"{LESSON}/expected/default/" + (
    ("requests-js" if b"gzip" in req else "curl-js") if b" /js/myjs.js " in req else "not-found") + ".txt")
server = socket.create_server(("127.0.0.1", int(sys.argv[1])))
while True:
    conn, _ = server.accept()
    req = b""
    while b"\r\n\r\n" not in req and (chunk := conn.recv(65536)):
        req += chunk
    length = re.search(rb"(?i)content-length: *(\d+)", req)
    while length and len(req.split(b"\r\n\r\n", 1)[1]) < int(length[1]) and (chunk := conn.recv(65536)):
        req += chunk
    conn.sendall(ANSWERS.get(req) or FIXED(req))
    conn.close()
