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
LESSONS = sorted(os.path.basename(d) for d in glob.glob(os.path.join(h.REPO, "lessons", "[0-9][0-9]-*")))
SOLUTIONS = os.path.join(h.HERE, "solutions")
PYTHON = sys.executable
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$", re.M)


def lab(*args: str, ws: str, token: str = "", env: dict | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess:
    """`lab ARGS…` with its own workspace, in env (else ours); fails on a sanitizer report."""
    e = dict(os.environ if env is None else env, NO_COLOR="1", PAGER="cat",
             WIRELAB_WORKSPACE=ws, WIRELAB_TEST_TOKEN=token or uuid.uuid4().hex)
    p = subprocess.run([LAB, *args], capture_output=True, text=True, env=e,
                       stdin=subprocess.DEVNULL, timeout=timeout)
    for marker in h.SANITIZER_MARKERS:
        if marker in p.stderr:
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

    def body():
        with tempfile.TemporaryDirectory() as ws:
            token = uuid.uuid4().hex
            exe = os.path.join(h.bin_dir(), f"lesson-{num}")
            vs = variants(num)
            cmd = f'exec {exe} --port "$PORT" ${{VARIANT:+--variant "$VARIANT"}}'
            uploads = uses_uploads(folder)
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
            os.chmod(ws, 0o711)  # run as root, a lesson server saves files as nobody
            for v in vs:
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
            assert_none_left(token)

    h.add_case(f"lesson {folder}: the reference passes through --cmd (every variant, "
               f"$VARIANT) and --url (each variant), and is not recorded", body, parallel=True)


for _folder in LESSONS:
    reference_case(_folder)


h.run()
