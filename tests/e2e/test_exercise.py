"""test_exercise — the student's loop: lab exercise, check, watch, diff, changes,
solution, and the progress column of lab lessons.

For every lesson: the starter `exercise` writes builds, runs and fails check; the
reference copied into the workspace passes; a copy with one deliberate fault fails
with a diff that names it. A Python lesson-03 solution passes through --cmd. Servers
that crash, hang or never listen end the check within its timeout with one sentence,
and leave no process behind: every process the lab starts inherits a token in its
environment, and /proc is searched for it afterwards. Each case has its own
WIRELAB_WORKSPACE in a temporary folder, so the real workspace/ is never touched."""

from __future__ import annotations

import glob
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import harness as h

LAB = os.path.join(h.bin_dir(), "lab")
LESSONS = sorted(os.path.basename(d) for d in glob.glob(os.path.join(h.REPO, "lessons", "[0-9][0-9]-*")))
SOLUTIONS = os.path.join(h.HERE, "solutions")

# Deliberate faults, at least one per lesson and one in each region a lesson's exercise
# asks for: (text in the reference, its replacement, a regex the diff must match, what
# the fault is). Each is a mistake a student could make.
FAULTS = {
    "01": [("print_line(line, n > 0 ? n : 0);",
            "fwrite(line, 1, (size_t)(n > 0 ? n : 0), stdout);",
            r"^\+GET / HTTP/1\.1", "the line printed raw instead of as Python bytes")],
    "02": [('"Content-Type: text/plain\\r\\n"', '"Content-Type: text/html\\r\\n"',
            r"^\+content-type: text/html$", "a wrong Content-Type")],
    "03": [("res_send_response(res, HTTP_OK);\n\tres_send_header(res, \"Content-Type\", \"text/plain; charset=utf-8\");\n\tres_send_headerf",
            "res_send_response(res, 202);\n\tres_send_header(res, \"Content-Type\", \"text/plain; charset=utf-8\");\n\tres_send_headerf",
            r"^\+HTTP/1\.1 202 Accepted$", "a wrong status")],
    "04": [('res_send_header(res, "Content-Type", "text/plain; charset=utf-8");\n\t\tcontent_send(res, req, NULL, body',
            'res_send_header(res, "Content-Type", "text/plain");\n\t\tcontent_send(res, req, NULL, body',
            r"^\+content-type: text/plain$", "the charset missing from Content-Type"),
           ('content_send(res, req, "Accept", greetings[i].body',
            'content_send(res, req, NULL, greetings[i].body',
            r"^-vary: Accept", "a negotiated greeting without Vary: Accept"),
           ('res_send_header(res, "Content-Type", sniffed);',
            'res_send_header(res, "Content-Type", mime_from_name(name) ? mime_from_name(name) : '
            '"application/octet-stream");',
            r"^-content-type: image/png$", "a file typed by its name, not by its bytes")],
    "05": [('res_send_header(res, "Content-Type", "text/javascript");\n\tcontent_send(res, req, NULL, js_code',
            'content_send(res, req, NULL, js_code',
            r"^-content-type: text/javascript$", "a missing Content-Type"),
           ("content_etag(req, js_code, sizeof js_code - 1, etag);",
            "content_etag_md5(js_code, sizeof js_code - 1, etag);",
            r'^-etag: W/"', "a strong ETag on the gzip form"),
           ("{NULL, f->mtime, MAX_AGE, true}", "{NULL, CACHE_NO_DATE, MAX_AGE, true}",
            r"^-last-modified: ", "a file served without its Last-Modified")],
    "06": [('.path = "/cookie-test/"', '.path = "/"',
            r"^\+set-cookie: path_specific=test2; Path=/$", "a wrong cookie Path"),
           ('{.name = "path_specific", .value = "test2", .path = "/cookie-test/"}',
            '{.name = "path_specific", .value = "test2"}',
            r"^\+set-cookie: path_specific=test2$", "Set-Cookie without its Path"),
           ("n = LIMIT_COOKIE_PAIRS;\n\t\tjunk", "junk",
            r"^-.*<title>test2</title>", "cookie_parse's count not set before the call")],
    "07": [('res_send_header(res, "Accept-Post",\n\t\t                '
            '"application/x-www-form-urlencoded, application/json");\n', "",
            r"^-accept-post: ", "a missing Accept-Post on 415"),
           ('form = form_media_type_is(type, "application/x-www-form-urlencoded");',
            'form = type && strcmp(type, "application/x-www-form-urlencoded") == 0;',
            r"^\+HTTP/1\.1 415", "Content-Type compared as a string (a charset refused)"),
           ("url_query_parse(req->body, req->body_len, URL_QUERY_LAST_WINS, &q)",
            "url_query_parse(req->body, req->body_len, URL_QUERY_MULTI, &q)",
            r"^-\{'name': 'Joe'", "a form parsed like parse_qs: a repeated name's first value")],
    "08": [('"%.*s-%d%s"', '"%.*s_%d%s"',
            r"^\+.*_1\.txt", "a second file of one name saved as name_1, not name-1"),
           ("\tif (part->filename[0] == '\\0')\n\t\treturn 0; /* a file input left empty: "
            "browsers send filename=\"\" and no bytes */\n", "",
            r"^\+upload: 0 bytes$", "an empty file input saved as a file"),
           ("\tsniff_bytes(u->opt->sniffer, u->head, u->head_len, s->sniffed);\n", "",
            r"^\+<li>.*: \d+ bytes, </li>$", "a saved file never sniffed at its end")],
    "09": [("res_send_response(res, HTTP_TEMPORARY_REDIRECT);\n\tres_send_header(res, \"Location\", \"/ok\");",
            "res_send_response(res, HTTP_FOUND);\n\tres_send_header(res, \"Location\", \"/ok\");",
            r"^\+HTTP/1\.1 302 Found$", "302 instead of 307"),
           ("c = status / 100;", "c = status / 10;",
            r"^\+<p>Class: unknown class", "the class taken from two digits, not one")],
}

SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$", re.M)


# The cases run side by side, but at most this many lab commands at once (as many as
# there are lessons, which is what ran at once before the checks of a case did): a check
# mostly waits on its servers, yet each begins with a sanitizer build, and the more start
# at once, the likelier the port check picks for a student's server is taken before the
# server binds it (tools/check/check.c, free_port).
RUNNING = threading.Semaphore(9)


def lab(*args: str, ws: str, token: str = "", timeout: float = 120,
        env: dict | None = None) -> subprocess.CompletedProcess:
    """`lab ARGS…` with its own workspace; fails on a sanitizer report."""
    e = dict(os.environ, NO_COLOR="1", PAGER="cat", WIRELAB_WORKSPACE=ws,
             WIRELAB_TEST_TOKEN=token or uuid.uuid4().hex)
    e.update(env or {})
    with RUNNING:
        p = subprocess.run([LAB, *args], capture_output=True, text=True, env=e,
                           stdin=subprocess.DEVNULL, timeout=timeout)
    for marker in h.SANITIZER_MARKERS:
        if marker in p.stderr:
            h.fail(f"lab {' '.join(args)}: stderr has {marker!r}:\n{p.stderr}")
    return p


def said(p: subprocess.CompletedProcess) -> str:
    """stderr with its lines joined: the lab folds sentences at 80 columns."""
    return " ".join(p.stderr.split())


def show(p: subprocess.CompletedProcess) -> str:
    return f"exit {p.returncode}\nstdout:\n{p.stdout[-6000:]}\nstderr:\n{p.stderr[-3000:]}"


def summary(p: subprocess.CompletedProcess) -> tuple[int, int]:
    m = SUMMARY.findall(p.stdout)
    if not m:
        h.fail(f"no 'N passed, N failed' line:\n{show(p)}")
    return int(m[-1][0]), int(m[-1][1])


def processes_with(token: str) -> list[str]:
    """Processes whose environment holds token (the lab's children inherit it)."""
    found = []
    for env_file in glob.glob("/proc/[0-9]*/environ"):
        try:
            with open(env_file, "rb") as f:
                if token.encode() in f.read():
                    pid = env_file.split("/")[2]
                    with open(f"/proc/{pid}/cmdline", "rb") as c:
                        cmd = c.read().replace(b"\0", b" ").decode(errors="replace")
                    found.append(f"{pid}: {cmd}")
        except OSError:
            pass
    return found


def assert_none_left(token: str) -> None:
    deadline = time.time() + 3  # a killed process may take a moment to be reaped
    while processes_with(token) and time.time() < deadline:
        time.sleep(0.1)
    left = processes_with(token)
    if left:
        h.fail("processes left behind:\n" + "\n".join(left))


def reference(folder: str) -> str:
    with open(os.path.join(h.REPO, "lessons", folder, "server.c"), encoding="utf-8") as f:
        return f.read()


def put(ws: str, folder: str, text: str) -> None:
    os.makedirs(os.path.join(ws, folder), exist_ok=True)
    with open(os.path.join(ws, folder, "server.c"), "w", encoding="utf-8") as f:
        f.write(text)


# ---------------------------------------------------------------------------
# every lesson: markers, starter, reference, fault
# ---------------------------------------------------------------------------

def starter_fails(folder: str) -> None:
    """The starter is written, well formed, builds, runs and fails check."""
    num = folder[:2]
    with tempfile.TemporaryDirectory() as ws:
        token = uuid.uuid4().hex
        p = lab("exercise", num, ws=ws)
        if p.returncode != 0:
            h.fail(f"exercise {num}:\n{show(p)}")
        with open(os.path.join(ws, folder, "server.c"), encoding="utf-8") as f:
            starter = f.read()
        todos = len(re.findall(r"/\* TODO: \S", starter))
        begins = reference(folder).count("/* BEGIN SOLUTION: ")
        assert todos == begins > 0, f"{todos} TODOs for {begins} regions"
        assert "SOLUTION" not in starter, "a marker survived into the starter"
        wide = [n for n, line in enumerate(starter.split("\n"), 1)
                if len(line.expandtabs(8)) > 100]
        assert not wide, f"lines of the starter wider than 100 columns: {wide}"
        p = lab("check", num, ws=ws, token=token)
        failed = summary(p)[1]
        if p.returncode != 1 or failed == 0:
            h.fail(f"the starter of lesson {num} did not fail check:\n{show(p)}")
        if "does not compile" in said(p):
            h.fail(f"the starter of lesson {num} does not compile:\n{show(p)}")
        assert_none_left(token)


def reference_passes(folder: str) -> None:
    """The reference copied into a workspace passes check, and progress records it."""
    num = folder[:2]
    with tempfile.TemporaryDirectory() as ws:
        token = uuid.uuid4().hex
        put(ws, folder, reference(folder))
        p = lab("check", num, ws=ws, token=token)
        passed, failed = summary(p)
        if p.returncode != 0 or failed or not passed:
            h.fail(f"the reference of lesson {num} did not pass:\n{show(p)}")
        with open(os.path.join(ws, "progress.json"), encoding="utf-8") as f:
            assert folder in json.load(f)["lessons"]
        assert_none_left(token)


def fault_named(folder: str, old: str, new: str, pattern: str, what: str) -> None:
    """The reference with one fault fails check, with a diff that names it."""
    num = folder[:2]
    ref = reference(folder)
    assert ref.count(old) == 1, f"the fault's anchor is not in lesson {num}: {old!r}"
    with tempfile.TemporaryDirectory() as ws:
        token = uuid.uuid4().hex
        put(ws, folder, ref.replace(old, new))
        p = lab("check", num, ws=ws, token=token)
        passed, failed = summary(p)
        if p.returncode != 1 or not failed:
            h.fail(f"{what}: check passed:\n{show(p)}")
        if not re.search(pattern, p.stdout, re.M):
            h.fail(f"{what}: the diff lacks {pattern!r}:\n{show(p)}")
        assert_none_left(token)


def lesson_case(folder: str):
    # Each check waits on servers far more than it computes (a starter's failing check of
    # lesson 07 takes 17 s, with under 2 s of CPU), so the starter, the reference and each
    # fault run at once, each in a workspace of its own.
    steps = [lambda: starter_fails(folder), lambda: reference_passes(folder)]
    steps += [lambda f=f: fault_named(folder, *f) for f in FAULTS.get(folder[:2], [])]

    def body():
        errors = [e for e in h.run_parallel(steps) if e]
        if errors:
            raise errors[0]

    return body


@h.case("every lesson has a fault here (a new lesson needs one)")
def _():
    missing = [f for f in LESSONS if f[:2] not in FAULTS]
    assert not missing, missing


for _folder in LESSONS:
    h.add_case(f"lesson {_folder}: the starter builds and fails check, the reference passes, "
               + "; ".join(f[3] for f in FAULTS.get(_folder[:2], [("", "", "", "a fault")]))
               + " each fail with a diff naming it",
               lesson_case(_folder), parallel=True)


# ---------------------------------------------------------------------------
# exercise, diff, changes, solution, lessons
# ---------------------------------------------------------------------------

@h.case("exercise never replaces a file without --force, and --force keeps it as .bak",
        parallel=True)
def _():
    with tempfile.TemporaryDirectory() as ws:
        assert lab("exercise", "3", ws=ws).returncode == 0
        path = os.path.join(ws, "03-better-server", "server.c")
        with open(path, "a") as f:
            f.write("/* my work */\n")
        p = lab("exercise", "3", ws=ws)
        assert p.returncode == 1 and "already exists" in said(p), show(p)
        assert open(path).read().endswith("/* my work */\n")
        p = lab("exercise", "3", "--force", ws=ws)
        assert p.returncode == 0, show(p)
        assert open(path + ".bak").read().endswith("/* my work */\n")
        assert "my work" not in open(path).read()


@h.case("exercise refuses a lesson whose markers are malformed, naming the line", parallel=True)
def _():
    with tempfile.TemporaryDirectory() as root, tempfile.TemporaryDirectory() as ws:
        cases = {
            "unclosed": "int a;\n/* BEGIN SOLUTION: x */\nint b;\n",
            "nested": "/* BEGIN SOLUTION: x */\n/* BEGIN SOLUTION: y */\n/* END SOLUTION */\n",
            "stray-end": "int a;\n/* END SOLUTION */\n",
            "no-text": "/* BEGIN SOLUTION: */\n/* END SOLUTION */\n",
            "not-alone": "int a; /* BEGIN SOLUTION: x */\n/* END SOLUTION */\n",
        }
        for k, (name, text) in enumerate(cases.items()):
            d = os.path.join(root, "lessons", f"{40 + k}-{name}")
            os.makedirs(d)
            with open(os.path.join(d, "server.c"), "w") as f:
                f.write(text)
            p = lab("exercise", str(40 + k), ws=ws, env={"WIRELAB_ROOT": root})
            if p.returncode != 1 or not re.search(r"server\.c:\d+: ", p.stderr):
                h.fail(f"{name}: {show(p)}")
        assert not os.listdir(ws), "a starter was written from malformed markers"


@h.case("diff shows the student's change; changes shows what lesson 03 adds to 02; both mask "
        "the solutions of a lesson not passed unless --yes", parallel=True)
def _():
    with tempfile.TemporaryDirectory() as ws:
        p = lab("diff", "3", ws=ws)
        assert p.returncode == 1 and "exercise 3" in said(p), show(p)
        lab("exercise", "3", ws=ws)
        p = lab("diff", "3", ws=ws)  # not passed: the reference's regions are masked
        assert p.returncode == 0 and "res_write(res, body" not in p.stdout, show(p)
        assert "diff 3 --yes" in p.stdout and "masked" in p.stdout, show(p)
        p = lab("diff", "3", "--yes", ws=ws)
        assert p.returncode == 0, show(p)
        assert "--- reference/03-better-server/server.c" in p.stdout, p.stdout
        assert re.search(r"^\+\s*/\* TODO: answer 200", p.stdout, re.M), p.stdout
        assert re.search(r"^-\s*res_write\(res, body", p.stdout, re.M), p.stdout
        p = lab("changes", "3", ws=ws)
        assert p.returncode == 0 and "+++ lessons/03-better-server/server.c" in p.stdout, show(p)
        assert "lessons/02-static-response/server.c" in p.stdout
        assert "res_write(res, body" not in p.stdout and "masked" in p.stdout, show(p)
        p = lab("changes", "3", "--yes", ws=ws)
        assert p.returncode == 0 and "res_write(res, body" in p.stdout, show(p)
        with open(os.path.join(ws, "progress.json"), "w") as f:  # as if check had passed
            json.dump({"lessons": {n: {"passed": "2026-01-01T00:00:00Z", "seed": 1}
                                   for n in ("02-static-response", "03-better-server")}}, f)
        p = lab("diff", "3", ws=ws)
        assert re.search(r"^-\s*res_write\(res, body", p.stdout, re.M), show(p)
        assert "masked" not in p.stdout, show(p)
        p = lab("changes", "3", ws=ws)
        assert "res_write(res, body" in p.stdout and "masked" not in p.stdout, show(p)
        p = lab("changes", "1", ws=ws)
        assert p.returncode == 1 and "the first" in said(p), show(p)


@h.case("solution needs --yes from a shell script, and then prints the reference", parallel=True)
def _():
    with tempfile.TemporaryDirectory() as ws:
        p = lab("solution", "3", ws=ws)
        assert p.returncode == 1 and "--yes" in said(p) and "res_write" not in p.stdout, show(p)
        p = lab("solution", "3", "--yes", ws=ws)
        assert p.returncode == 0 and "BEGIN SOLUTION" in p.stdout and "res_write(res, body" in p.stdout


@h.case("in the shell, solution asks first: n shows nothing, y shows the reference", parallel=True)
def _():
    with tempfile.TemporaryDirectory() as ws:
        e = dict(os.environ, NO_COLOR="1", WIRELAB_WORKSPACE=ws)
        p = subprocess.run([LAB], input="solution 3\nn\nsolution 3\ny\nquit\n", text=True,
                           capture_output=True, env=e, timeout=60)
        assert p.returncode == 0, show(p)
        first, _, second = p.stdout.partition("not shown")
        assert "res_write(res, body" not in first and "res_write(res, body" in second, show(p)


@h.case("lessons shows progress: — before, started after exercise, passes after check",
        parallel=True)
def _():
    with tempfile.TemporaryDirectory() as ws:
        def state() -> str:
            p = lab("lessons", ws=ws)
            m = re.search(r"^03\s+better-server\s+(\S+)", p.stdout, re.M)
            assert m, p.stdout
            return m.group(1)
        assert state() == "—"
        lab("exercise", "3", ws=ws)
        assert state() == "started"
        put(ws, "03-better-server", reference("03-better-server"))
        assert lab("check", "3", ws=ws).returncode == 0
        assert state() == "passes"
        with open(os.path.join(ws, "progress.json"), "w") as f:
            f.write("{not json")
        assert state() == "started"  # a corrupt file is no progress, not a crash


# ---------------------------------------------------------------------------
# check: any language, seeds, compile errors, servers that misbehave
# ---------------------------------------------------------------------------

@h.case("a lesson-03 solution in Python passes check --cmd", parallel=True)
def _():
    with tempfile.TemporaryDirectory() as ws:
        token = uuid.uuid4().hex
        cmd = f"exec {sys.executable} {os.path.join(SOLUTIONS, 'lesson03.py')}"
        p = lab("check", "3", "--cmd", cmd, ws=ws, token=token)
        passed, failed = summary(p)
        if p.returncode != 0 or failed or passed < 5:
            h.fail(show(p))
        assert "any-host#1" in p.stdout  # the randomised requests ran too
        assert_none_left(token)


@h.case("--seed replays the same random requests; the seed is printed", parallel=True)
def _():
    runs: dict[int, subprocess.CompletedProcess] = {}

    def check(k: int, seed: str) -> None:
        with tempfile.TemporaryDirectory() as ws:
            put(ws, "03-better-server",
                reference("03-better-server").replace('"Hello %s\\n"', '"Hi %s\\n"'))
            runs[k] = lab("check", "3", "--seed", seed, ws=ws)

    # Three failing checks, each mostly waiting: at once, each in a workspace of its own.
    errors = [e for e in h.run_parallel([lambda k=k, sd=sd: check(k, sd) for k, sd in
                                         enumerate(("4242", "4242", "4243"))]) if e]
    if errors:
        raise errors[0]
    a, b, c = runs[0], runs[1], runs[2]
    assert "seed 4242" in a.stdout and a.returncode == 1, show(a)
    hosts = re.findall(r"^-Hello (\S+\.test)$", a.stdout, re.M)
    assert hosts, show(a)  # random Host values appear in the diff
    assert hosts == re.findall(r"^-Hello (\S+\.test)$", b.stdout, re.M)
    assert hosts != re.findall(r"^-Hello (\S+\.test)$", c.stdout, re.M)


@h.case("a server.c that does not compile: the compiler's message, then exit 1", parallel=True)
def _():
    with tempfile.TemporaryDirectory() as ws:
        put(ws, "03-better-server", reference("03-better-server").replace("int n;", "int n"))
        p = lab("check", "3", ws=ws)
        assert p.returncode == 1 and "error:" in said(p) and "does not compile" in said(p), show(p)


CRASHER = """
import os, signal, socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(os.environ["PORT"]))); s.listen(8)
while True:
    c, _ = s.accept()
    if c.recv(65536):
        print("about to crash", flush=True)
        os.kill(os.getpid(), signal.SIGSEGV)
"""

HANGER = """
import os, signal, socket, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)   # only SIGKILL ends it
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(os.environ["PORT"]))); s.listen(8)
held = []
while True:
    c, _ = s.accept()
    held.append(c)                                # accepted, never answered
"""


def script(d: str, name: str, text: str) -> str:
    path = os.path.join(d, name)
    with open(path, "w") as f:
        f.write(text)
    return f"exec {sys.executable} {path}"


@h.case("a server that crashes: its signal and last output in a sentence, nothing left",
        parallel=True)
def _():
    with tempfile.TemporaryDirectory() as ws:
        token = uuid.uuid4().hex
        p = lab("check", "3", "--cmd", script(ws, "crash.py", CRASHER), ws=ws, token=token)
        assert p.returncode == 1, show(p)
        assert "your server was killed by signal 11" in said(p) and "about to crash" in said(p), show(p)
        assert "counted as failed" in p.stdout and summary(p)[0] == 0
        assert_none_left(token)


@h.case("a command that never listens, one that exits, and a --url with nothing there",
        parallel=True)
def _():
    with tempfile.TemporaryDirectory() as ws:
        token = uuid.uuid4().hex
        p = lab("check", "3", "--cmd", "exec sleep 60", ws=ws, token=token, timeout=30)
        assert p.returncode == 1 and "did not listen on port" in said(p), show(p)
        p = lab("check", "3", "--cmd", "echo broken >&2; exit 3", ws=ws, token=token)
        assert p.returncode == 1 and "exited with status 3" in said(p) and "broken" in said(p), show(p)
        with socket.socket() as s:
            s.bind((h.HOST, 0))
            port = s.getsockname()[1]
        p = lab("check", "3", "--url", f"http://{h.HOST}:{port}", ws=ws, token=token)
        assert p.returncode == 1 and "connection refused" in said(p), show(p)
        assert_none_left(token)


@h.case("a server that accepts and never answers (and ignores SIGTERM): ends within the "
        "timeout, nothing left")
def _():
    # Alone: it times the lab's own timeout, and the cases before it keep two cores busy.
    with tempfile.TemporaryDirectory() as ws:
        token = uuid.uuid4().hex
        t = time.time()
        p = lab("check", "3", "--timeout", "1", "--cmd", script(ws, "hang.py", HANGER), ws=ws,
                token=token, timeout=30)
        took = time.time() - t
        assert p.returncode == 1 and "answered nothing within 1 s" in said(p), show(p)
        assert took < 12, f"took {took:.1f} s"
        assert_none_left(token)


@h.case("Ctrl-C during check stops it at once and stops both servers", parallel=True)
def _():
    with tempfile.TemporaryDirectory() as ws:
        token = uuid.uuid4().hex
        env = dict(os.environ, NO_COLOR="1", WIRELAB_WORKSPACE=ws, WIRELAB_TEST_TOKEN=token)
        proc = subprocess.Popen([LAB, "check", "3", "--timeout", "60", "--cmd",
                                 script(ws, "hang.py", HANGER)], env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(2.5)  # started, and waiting for the first answer
        t = time.time()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 1 and "interrupted" in err, f"{out}\n{err}"
        assert time.time() - t < 8
        assert_none_left(token)


@h.case("watch checks again when server.c is saved; Ctrl-C ends it", parallel=True)
def _():
    with tempfile.TemporaryDirectory() as ws:
        token = uuid.uuid4().hex
        put(ws, "03-better-server", reference("03-better-server"))
        env = dict(os.environ, NO_COLOR="1", WIRELAB_WORKSPACE=ws, WIRELAB_TEST_TOKEN=token)
        proc = subprocess.Popen([LAB, "watch", "3"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
        os.set_blocking(proc.stdout.fileno(), False)
        seen = ""
        try:
            seen = h.read_watch(proc, seen, 1, "passed,", 60)
            put(ws, "03-better-server", reference("03-better-server").replace('"Hello %s\\n"', '"Hi %s\\n"'))
            seen = h.read_watch(proc, seen, 2, "passed,", 60)
            assert SUMMARY.findall(seen)[0][1] == "0" and SUMMARY.findall(seen)[1][1] != "0", seen
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=15)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        assert_none_left(token)


h.run()
