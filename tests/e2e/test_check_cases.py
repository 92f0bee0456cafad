"""test_check_cases — what lab check sends catches what it must, and nothing else.

- The reference of every lesson, copied into a workspace and built by check (with
  AddressSanitizer and UndefinedBehaviorSanitizer, as a student's server is), passes
  every canned and random case of its check.json, over fixed seeds: the random cases
  (long Host and header values, many headers, byte-by-byte writes, pipelining, bodies
  larger than one read, validators, Accept lists, cookies, queries, JSON, uploads,
  every route) raise no false alarm.
- A lesson 03 with the article's `char body[512]` fails check with a sanitizer report
  that names the line of server.c; with --no-sanitize it is built without them.
- replay05.py, which answers lesson 05 by lookup (the reference's recorded answers,
  and fixed answers picked by path and by "gzip"), passes every canned request and
  still fails check, on each of three seeds."""

from __future__ import annotations

import glob
import os
import re
import subprocess
import tempfile
import threading
import uuid

import harness as h

LAB = os.path.join(h.bin_dir(), "lab")
LESSONS = sorted(os.path.basename(d) for d in glob.glob(os.path.join(h.REPO, "lessons", "[0-9][0-9]-*")))
SEEDS = (1, 2, 3)
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$", re.M)
RESULT = re.compile(r"^(pass|FAIL)  (\S+)", re.M)
REPLAY = os.path.join(h.HERE, "replay05.py")


# The cases run side by side, but at most this many lab commands at once (as many as
# there are lessons, which is what ran at once before the checks of a case did): a check
# mostly waits on its servers, yet each begins with a sanitizer build, and the more start
# at once, the likelier the port check picks for a student's server is taken before the
# server binds it (tools/check/check.c, free_port).
RUNNING = threading.Semaphore(9)


def lab(ws: str, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_COLOR="1", PAGER="cat", WIRELAB_WORKSPACE=ws,
               WIRELAB_TEST_TOKEN=uuid.uuid4().hex)
    with RUNNING:
        return subprocess.run([LAB, *args], capture_output=True, text=True, env=env,
                              stdin=subprocess.DEVNULL, timeout=timeout)


def show(p: subprocess.CompletedProcess) -> str:
    return f"exit {p.returncode}\nstdout:\n{p.stdout[-6000:]}\nstderr:\n{p.stderr[-4000:]}"


def summary(p: subprocess.CompletedProcess) -> tuple[int, int]:
    m = SUMMARY.findall(p.stdout)
    if not m:
        h.fail(f"no 'N passed, N failed' line:\n{show(p)}")
    return int(m[-1][0]), int(m[-1][1])


def put(ws: str, folder: str, text: str) -> str:
    os.makedirs(os.path.join(ws, folder), exist_ok=True)
    path = os.path.join(ws, folder, "server.c")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def reference(folder: str) -> str:
    with open(os.path.join(h.REPO, "lessons", folder, "server.c"), encoding="utf-8") as f:
        return f.read()


def each_seed(one, seeds) -> None:
    """one(seed) for every seed at once, each in a workspace of its own: a check waits on
    its servers far more than it computes. Raises the first seed's failure."""
    errors = [e for e in h.run_parallel([lambda s=s: one(s) for s in seeds]) if e]
    if errors:
        raise errors[0]


def reference_case(folder: str):
    def one(seed: int) -> None:
        with tempfile.TemporaryDirectory() as ws:
            put(ws, folder, reference(folder))
            p = lab(ws, "check", folder[:2], "--seed", str(seed))
            passed, failed = summary(p)
            if p.returncode != 0 or failed or not passed:
                h.fail(f"seed {seed}: the reference failed its own check:\n{show(p)}")
            if "with AddressSanitizer" not in p.stdout + p.stderr:
                h.fail(f"the reference was not built with sanitizers:\n{show(p)}")
            for marker in h.SANITIZER_MARKERS:
                assert marker not in p.stderr, show(p)
    return lambda: each_seed(one, SEEDS[:2])


for _folder in LESSONS:
    h.add_case(f"lesson {_folder}: the reference, built with sanitizers, passes every case of "
               f"check.json on seeds {SEEDS[0]} and {SEEDS[1]}", reference_case(_folder),
               parallel=True)


PLANTED = ("char body[LIMIT_HEADER_LINE + 16];", "char body[512]; /* the article's size */")


@h.case("lesson 03 with char body[512]: check fails with a sanitizer report naming the line",
        parallel=True)
def _():
    text = reference("03-better-server")
    assert text.count(PLANTED[0]) == 1, "the planted bug's anchor is not in lesson 03"
    planted = text.replace(*PLANTED)
    # the line that sends body[0..n), n being what snprintf wanted to write
    line = next(i for i, t in enumerate(planted.split("\n"), 1)
                if "res_write(res, body, (size_t)n);" in t)

    def one(seed: int) -> None:
        with tempfile.TemporaryDirectory() as ws:
            path = put(ws, "03-better-server", planted)
            p = lab(ws, "check", "3", "--seed", str(seed))
            passed, failed = summary(p)
            if p.returncode != 1 or not failed:
                h.fail(f"seed {seed}: the 512-byte buffer passed:\n{show(p)}")
            said = " ".join((p.stdout + p.stderr).split())  # the lab folds its sentences
            want = f"sanitizer: stack-buffer-overflow in write_http_response {path}:{line}"
            if want not in said:
                h.fail(f"seed {seed}: no {want!r}:\n{show(p)}")
            assert re.search(r"^FAIL  long-host#1$", p.stdout, re.M), show(p)

    each_seed(one, SEEDS)


@h.case("check --no-sanitize builds server.c without the sanitizers, and says so by default",
        parallel=True)
def _():
    with tempfile.TemporaryDirectory() as ws:
        put(ws, "03-better-server", reference("03-better-server"))
        p = lab(ws, "check", "3", "--no-sanitize", "--seed", "1")
        assert p.returncode == 0, show(p)
        assert "with AddressSanitizer" not in p.stdout + p.stderr, show(p)
        binary = os.path.join(ws, ".build", "03-better-server", "server")
        symbols = subprocess.run(["nm", binary], capture_output=True, text=True).stdout
        # a sanitizer build of the lab (make SAN=1) keeps them, and says so
        kept = "sanitizers stay" in " ".join((p.stdout + p.stderr).split())
        assert ("__asan_init" in symbols) == kept, (kept, show(p))
        p = lab(ws, "check", "3", "--seed", "1")
        assert p.returncode == 0 and "with AddressSanitizer" in p.stdout + p.stderr, show(p)
        symbols = subprocess.run(["nm", binary], capture_output=True, text=True).stdout
        assert "__asan_init" in symbols or "__asan_report_load1" in symbols, symbols[:2000]


@h.case("a replay-and-lookup server passes every canned request of lesson 05, and fails check "
        "on each of three seeds", parallel=True)
def _():
    requests = os.path.join(h.REPO, "lessons", "05-caching", "requests", "*.http")
    canned = {os.path.basename(f)[:-5] for f in glob.glob(requests)}

    def one(seed: int) -> None:
        with tempfile.TemporaryDirectory() as ws:
            p = lab(ws, "check", "5", "--seed", str(seed), "--cmd", f"exec python3 {REPLAY} $PORT")
            passed, failed = summary(p)
            results = dict((name, verdict) for verdict, name in RESULT.findall(p.stdout))
            wrong = [n for n in canned if results.get(n) != "pass"]
            assert not wrong, f"seed {seed}: the replay is not faithful to {wrong}:\n{show(p)}"
            if p.returncode != 1 or not failed:
                h.fail(f"seed {seed}: the replay passed lesson 05:\n{show(p)}")
            caught = [n for n, v in results.items() if v == "FAIL" and
                      re.match(r"(js-inm-list-with-current|logo-ims-(at|after))#", n)]
            assert caught, f"seed {seed}: no validator case caught it:\n{show(p)}"

    each_seed(one, SEEDS)


if __name__ == "__main__":
    h.run()
