"""test_check — what `lab check` can be trusted with (issue 14).

Every lesson's reference, every variant, passes through --cmd and through --url: check
learns that a server listens from the kernel's tables, never by connecting, so nothing
but its requests reaches the server (lessons 01 and 02 print every connection), and a
pass of the lab's own binary is said to be one and not recorded. Python ports of
lessons 01 and 03 using plain print(), with PYTHONUNBUFFERED unset, pass: their stdout
is a terminal. Every variant is checked, each with its summary, and a variant-blind
lesson 07 fails (its warning shown, not fatal). A failing case shows the request sent
and what the server wrote; a crash is blamed on the request in flight, whatever the
seed; a server on the wrong port is told about $PORT; progress.json says how each pass
was obtained."""

from __future__ import annotations

import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid

import harness as h
LAB = os.path.join(h.bin_dir(), "lab")
LESSONS = sorted(os.path.basename(d)
                 for d in glob.glob(os.path.join(h.REPO, "lessons", "[0-9][0-9]-*")))
SOLUTIONS = os.path.join(h.HERE, "solutions")
PYTHON = sys.executable
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$", re.M)


def lab(*args: str, ws: str, token: str = "", env: dict | None = None,
        timeout: float = 120, reports_expected: bool = False) -> subprocess.CompletedProcess:
    """`lab ARGS…` with its own workspace, in env (else ours); fails on a sanitizer report
    unless the student's server is expected to make one (it is built with sanitizers
    when the lab is)."""
    e = dict(os.environ if env is None else env, NO_COLOR="1", PAGER="cat",
             WIRELAB_WORKSPACE=ws, WIRELAB_TEST_TOKEN=token or uuid.uuid4().hex)
    p = subprocess.run([LAB, *args], capture_output=True, text=True, env=e,
                       stdin=subprocess.DEVNULL, timeout=timeout)
    for marker in h.SANITIZER_MARKERS:
        if marker in p.stderr and not reports_expected:
            h.fail(f"lab {' '.join(args)}: stderr has {marker!r}:\n{p.stderr}")
    return p


def said(p: subprocess.CompletedProcess) -> str:
    """stdout and stderr with their lines joined: the lab folds sentences at 80 columns."""
    return " ".join((p.stdout + p.stderr).split())


def show(p: subprocess.CompletedProcess) -> str:
    return f"exit {p.returncode}\nstdout:\n{p.stdout[-6000:]}\nstderr:\n{p.stderr[-3000:]}"


def summary(p: subprocess.CompletedProcess) -> tuple[int, int]:
    """The last "N passed, N failed": the whole check's."""
    m = SUMMARY.findall(p.stdout)
    if not m:
        h.fail(f"no 'N passed, N failed' line:\n{show(p)}")
    return int(m[-1][0]), int(m[-1][1])


def assert_none_left(token: str) -> None:
    """No process whose environment holds token (the lab's children inherit it)."""
    deadline = time.time() + 3
    while True:
        left = []
        for env_file in glob.glob("/proc/[0-9]*/environ"):
            try:
                with open(env_file, "rb") as f:
                    if token.encode() in f.read():
                        left.append(env_file)
            except OSError:
                pass
        if not left:
            return
        if time.time() > deadline:
            h.fail("processes left behind: " + ", ".join(left))
        time.sleep(0.1)


def reference(folder: str) -> str:
    with open(os.path.join(h.REPO, "lessons", folder, "server.c"), encoding="utf-8") as f:
        return f.read()


def put(ws: str, folder: str, text: str) -> None:
    os.makedirs(os.path.join(ws, folder), exist_ok=True)
    with open(os.path.join(ws, folder, "server.c"), "w", encoding="utf-8") as f:
        f.write(text)


def variants(num: str) -> list[str | None]:
    out = subprocess.run([os.path.join(h.bin_dir(), f"lesson-{num}"), "--variants"],
                         capture_output=True, text=True, check=True).stdout
    return out.split() or [None]


def progress(ws: str) -> dict:
    try:
        with open(os.path.join(ws, "progress.json")) as f:
            return json.load(f)["lessons"]
    except FileNotFoundError:
        return {}


def uses_uploads(folder: str) -> bool:
    path = os.path.join(h.REPO, "lessons", folder, "check.json")
    if not os.path.exists(path):
        return False
    with open(path) as f:
        return bool(json.load(f).get("uploads"))


def no_python_buffering() -> dict:
    """Our environment less PYTHONUNBUFFERED, as on a student's machine."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


# ---------------------------------------------------------------------------
# the references pass, through --cmd and --url, every lesson, every variant
# ---------------------------------------------------------------------------

def reference_case(folder: str):
    num = folder[:2]

    uploads = uses_uploads(folder)

    def by_cmd(vs: list[str | None]) -> None:
        with tempfile.TemporaryDirectory() as ws:
            token = uuid.uuid4().hex
            exe = os.path.join(h.bin_dir(), f"lesson-{num}")
            cmd = f'exec {exe} --port "$PORT" ${{VARIANT:+--variant "$VARIANT"}}'
            if uploads:
                cmd += ' --upload-dir "$UPLOAD_DIR"'
            p = lab("check", num, "--cmd", cmd, ws=ws, token=token)
            passed, failed = summary(p)
            if p.returncode != 0 or failed or passed == 0:
                h.fail(f"lesson {num} --cmd:\n{show(p)}")
            for v in vs:
                if v and not re.search(rf"^variant {re.escape(v)}: \d+ passed, 0 failed$",
                                       p.stdout, re.M):
                    h.fail(f"lesson {num}: no summary for variant {v}:\n{show(p)}")
            assert "lab's own reference" in said(p) and progress(ws) == {}, show(p)
            assert_none_left(token)

    def by_url(v: str | None) -> None:
        with tempfile.TemporaryDirectory() as ws:
            os.chmod(ws, 0o711)  # run as root, a lesson server saves files as nobody
            saved = os.path.join(ws, f"uploads-{v}")
            os.makedirs(saved)
            os.chmod(saved, 0o777)
            with h.Server(int(num), v, args=["--upload-dir", saved] if uploads else []) as s:
                args = ["--variant", v] if v else []
                p = lab("check", num, "--url", f"http://{h.HOST}:{s.port}", *args, ws=ws)
                passed, failed = summary(p)
                if p.returncode != 0 or failed or passed == 0:
                    h.fail(f"lesson {num} --url, variant {v}:\n{show(p)}")
                assert progress(ws) == {}, "the reference's own pass was recorded"

    def body():
        # The checks mostly wait on their servers: --cmd and each variant's --url run at
        # once, each in a workspace of its own.
        vs = variants(num)
        steps = [lambda: by_cmd(vs)] + [lambda v=v: by_url(v) for v in vs]
        errors = [e for e in h.run_parallel(steps) if e]
        if errors:
            raise errors[0]

    h.add_case(f"lesson {folder}: the reference passes through --cmd (every variant, "
               f"$VARIANT) and --url (each variant), and is not recorded", body, parallel=True)


for _folder in LESSONS:
    reference_case(_folder)


# ---------------------------------------------------------------------------
# Python servers with plain print(), as on a student's machine
# ---------------------------------------------------------------------------

@h.case("Python ports of lessons 01 and 03 with plain print() pass without "
        "PYTHONUNBUFFERED; progress.json says they passed through --cmd", parallel=True)
def _():
    with tempfile.TemporaryDirectory() as ws:
        token = uuid.uuid4().hex
        for num, name in (("1", "lesson01.py"), ("3", "lesson03.py")):
            cmd = f"exec {PYTHON} {os.path.join(SOLUTIONS, name)}"
            p = lab("check", num, "--cmd", cmd, ws=ws, token=token, env=no_python_buffering())
            passed, failed = summary(p)
            if p.returncode != 0 or failed or passed < 10:
                h.fail(f"{name}:\n{show(p)}")
            assert "every variant checked, 0 of 2 failing" in p.stdout, show(p)
        got = progress(ws)
        for folder, name in (("01-readline-echo", "lesson01.py"),
                             ("03-better-server", "lesson03.py")):
            assert got[folder]["how"] == "cmd" and got[folder]["what"].endswith(name), got
        assert_none_left(token)


# lesson01.py with its stdout made a large buffer whatever it is: it prints nothing
# until it exits, as a program that never flushes does.
HOLDS_OUTPUT = """
import io, runpy, sys
sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False), 1 << 20))
runpy.run_path({path!r}, run_name="__main__")
"""


@h.case("a server whose output stays in a buffer is told why and how to flush", parallel=True)
def _():
    with tempfile.TemporaryDirectory() as ws:
        path = os.path.join(ws, "held.py")
        with open(path, "w") as f:
            f.write(HOLDS_OUTPUT.format(path=os.path.join(SOLUTIONS, "lesson01.py")))
        p = lab("check", "1", "--variant", "line", "--cmd", f"exec {PYTHON} {path}", ws=ws,
                env=no_python_buffering())
        assert p.returncode == 1 and summary(p)[0] == 0, show(p)
        text = said(p)
        assert "printed nothing on stdout at all" in text and "buffered" in text, show(p)
        assert "flush=True" in text and "python3 -u" in text and "fflush(stdout)" in text, show(p)
        assert text.count("probably buffered") == 1, show(p)  # said once, not per request


# ---------------------------------------------------------------------------
# variants, warnings, and what progress.json records
# ---------------------------------------------------------------------------

# The query parsed as in the multi variant whatever the variant.
VARIANT_BLIND = (r'lesson_variant_is\(\w+, "last-wins"\) \? URL_QUERY_LAST_WINS : URL_QUERY_MULTI;',
                 "URL_QUERY_MULTI;")


@h.case("a variant-blind lesson 07 fails and is not recorded; --variant narrows the check "
        "and records nothing", parallel=True)
def _():
    blind, n = re.subn(*VARIANT_BLIND, reference("07-methods"), count=1)
    assert n == 1, "lesson 07 changed: update VARIANT_BLIND"

    def every_variant() -> None:
        with tempfile.TemporaryDirectory() as ws:
            put(ws, "07-methods", blind)
            p = lab("check", "7", "--seed", "7", ws=ws)
            assert p.returncode == 1 and "does not compile" not in said(p), show(p)
            assert re.search(r"^variant multi: \d+ passed, 0 failed$", p.stdout, re.M), show(p)
            m = re.search(r"^variant last-wins: (\d+) passed, (\d+) failed$", p.stdout, re.M)
            assert m and int(m.group(2)) > 0, show(p)
            assert summary(p)[1] == int(m.group(2)), show(p)  # the last line: the whole check's
            assert "every variant checked, 1 of 2 failing" in p.stdout, show(p)
            assert progress(ws) == {}, progress(ws)

    def narrowed() -> None:
        with tempfile.TemporaryDirectory() as ws:
            put(ws, "07-methods", blind)
            p = lab("check", "7", "--variant", "multi", ws=ws)
            assert p.returncode == 0 and "variant last-wins" not in p.stdout, show(p)
            assert "only variant multi was checked" in said(p) and progress(ws) == {}, show(p)

    # Two checks of lesson 07, its longest: at once, each in a workspace of its own.
    errors = [e for e in h.run_parallel([every_variant, narrowed]) if e]
    if errors:
        raise errors[0]


@h.case("a warning in the student's code is shown and the check runs; progress.json notes "
        "the pass as server.c's", parallel=True)
def _():
    with tempfile.TemporaryDirectory() as ws:
        text = reference("03-better-server")
        put(ws, "03-better-server", text.replace("\tint n;\n", "\tint n;\n\tint never_used;\n", 1))
        p = lab("check", "3", ws=ws)
        assert p.returncode == 0 and "never_used" in p.stderr and "warning:" in p.stderr, show(p)
        entry = progress(ws)["03-better-server"]
        assert entry["how"] == "server.c" and "what" not in entry, entry


# ---------------------------------------------------------------------------
# what a failing case shows; crashes; the wrong port
# ---------------------------------------------------------------------------

# lesson03.py failing on one Host: http.server prints the traceback, and lives on.
TRACEBACK = """
import runpy, sys
source = open({path!r}).read().replace(
    'host = self.headers.get("Host")',
    'host = self.headers.get("Host")\\n        assert host != "webserver", "no such site"')
exec(compile(source, {path!r}, "exec"), {{"__name__": "__main__"}})
"""


@h.case("a failing case shows the request sent (\\r\\n visible, split points) and what the "
        "server wrote on stdout and stderr meanwhile", parallel=True)
def _():
    with tempfile.TemporaryDirectory() as ws:
        hi = reference("03-better-server").replace('"Hello %s\\n"', '"Hi %s\\n"')
        put(ws, "03-better-server", hi)
        p = lab("check", "3", "--variant", "hello-host", "--seed", "11", ws=ws)
        assert p.returncode == 1, show(p)
        case = p.stdout.split("FAIL  any-host#1\n", 1)[1].split("\npass  ", 1)[0]
        assert "the request sent (" in case, case
        assert re.search(r"^ +Host: \w+\.test\\r\\n$", case, re.M), case
        assert re.search(r"^ +\\r\\n$", case, re.M), case  # the blank line ending the head
        assert "sent in writes of 4 bytes" in case and "cut after byte 4, 8, 12" in case, case
        assert "what your server wrote meanwhile:" in case and "stderr| " in case, case
        assert "Writing response to" in case, case  # its log line for this request
        path = os.path.join(ws, "failing_handler.py")
        with open(path, "w") as f:
            f.write(TRACEBACK.format(path=os.path.join(SOLUTIONS, "lesson03.py")))
        p = lab("check", "3", "--variant", "hello-host", "--cmd", f"exec {PYTHON} {path}", ws=ws,
                env=no_python_buffering())
        case = p.stdout.split("FAIL  host-webserver\n", 1)[1].split("\npass  ", 1)[0]
        assert "Host: webserver\\r\\n" in case, case
        assert "stderr| Traceback (most recent call last):" in case, case
        assert "AssertionError: no such site" in case, case


# A NULL pointer read when the Host is "webserver", right after the Host is looked up.
CRASH_ON_WEBSERVER = (r'(const char \*host = http_header_get\([^;]*"Host"\);)',
                      r'\1\n\tif (host && strcmp(host, "webserver") == 0)\n'
                      r'\t\thost = *(const char *volatile *)NULL; /* the crash */')


@h.case("a crash is blamed on the request in flight, whatever the seed", parallel=True)
def _():
    crashing, n = re.subn(*CRASH_ON_WEBSERVER, reference("03-better-server"), count=1)
    assert n == 1, "lesson 03 changed: update CRASH_ON_WEBSERVER"

    def one(seed: int) -> None:
        with tempfile.TemporaryDirectory() as ws:
            token = uuid.uuid4().hex
            put(ws, "03-better-server", crashing)
            p = lab("check", "3", "--seed", str(seed), ws=ws, token=token, reports_expected=True)
            # killed by SIGSEGV, or stopped by a sanitizer's report of the NULL load
            blamed = re.findall(r"your server (?:was killed by signal 11 \(Segmentation fault\)"
                                r"|exited with status \d+) (?:while|just after) answering "
                                r"(\S+?)\.", said(p))
            assert p.returncode == 1 and blamed == ["host-webserver"], f"seed {seed}: {show(p)}"
            assert "FAIL  host-webserver" in p.stdout and "stopped" in p.stdout, show(p)
            assert summary(p)[0] > 0, show(p)  # the requests before it were checked
            assert_none_left(token)

    errors = h.run_parallel([lambda s=s: one(s) for s in (506926108, 1, 2, 3)])
    for e in errors:
        if e:
            raise e


WRONG_PORT = """
import os, socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(8)
print("listening on", s.getsockname()[1], flush=True)
time.sleep(60)
"""


@h.case("a server on the wrong port: the message names $PORT and its port, and check still "
        "ends with its summary", parallel=True)
def _():
    with tempfile.TemporaryDirectory() as ws:
        token = uuid.uuid4().hex
        path = os.path.join(ws, "wrong.py")
        with open(path, "w") as f:
            f.write(WRONG_PORT)
        p = lab("check", "3", "--cmd", f"exec {PYTHON} {path}", ws=ws, token=token)
        m = re.search(r"listens on port (\d+), but check told it to listen on \$PORT \((\d+)\)",
                      said(p))
        assert p.returncode == 1 and m and m.group(1) != m.group(2), show(p)
        assert "PORT environment variable" in said(p), show(p)
        passed, failed = summary(p)
        assert passed == 0 and failed > 0, show(p)
        assert_none_left(token)


h.run()
