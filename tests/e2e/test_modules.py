"""test_modules — module exercises: lab exercise MODULE, lab check MODULE and lab watch
MODULE.

For every module covered (url, cache, date, cookie, chunked, accept, http,
multipart): the starter `exercise MODULE` writes fails its check; the reference copied into the workspace passes every step (its
unit tests, the differential fuzz, the lessons that use it), is noted in progress.json
and shown by `lab lessons`; and a copy with one realistic planted bug fails with a
message that names it. One planted bug only the differential fuzz finds (with a fixed
seed) is shown shortened, saved, and shown again by --replay. `exercise 05` writes the
lesson's starter and its module's. Short fuzz times (--seconds 2) keep this quick; each
case has its own WIRELAB_WORKSPACE in a temporary folder."""

from __future__ import annotations

import concurrent.futures
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time

import harness as h

LAB = os.path.join(h.bin_dir(), "lab")
SEED = "7"
SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$", re.M)

MODULES = {"url": "common/http/url.c", "cache": "common/http/cache.c",
           "date": "common/http/date.c", "cookie": "common/http/cookie.c",
           "chunked": "common/http/http_chunked.c", "accept": "common/http/mime.c",
           "http": "common/http/http.c", "multipart": "common/http/multipart.c"}

# One planted bug per entry: (module, text in the reference, its replacement, regexes
# the check's output must match, what the bug is).
BUGS = [
    ("url", "} else if (in[i] == '+' && plus) {", "} else if (in[i] == '+' && plus && false) {",
     [r"FAIL unit tests", r"test_query_plus_decodes_to_space", r'"first\+name" != "first name"'],
     "'+' not decoded as a space in a form"),
    ("cache", "if (etag && cache_etag_weak_equal(p, used, etag, elen))",
     "if (etag && used == elen && memcmp(p, etag, elen) == 0)",
     [r"FAIL unit tests", r"test_none_match_lists_and_star", r'cache_none_match\("W/'],
     "an exact-string ETag comparison (a weak tag not honoured)"),
    ("cache", "\tif (inm) {\n\t\tif (!cache_none_match(inm, p->etag))\n\t\t\treturn CACHE_SEND;\n"
     "\t\treturn safe ? CACHE_NOT_MODIFIED : CACHE_PRECONDITION_FAILED;\n\t}",
     "\tif (inm && cache_none_match(inm, p->etag))\n"
     "\t\treturn safe ? CACHE_NOT_MODIFIED : CACHE_PRECONDITION_FAILED;",
     [r"FAIL unit tests", r"test_if_none_match_wins_over_if_modified_since"],
     "If-Modified-Since checked although If-None-Match is present"),
    ("date", 'take_time(c, &f->hour, &f->min, &f->sec) && take_lit(c, " GMT") && c->pos == c->len;\n'
     "\t/* END SOLUTION */\n}\n\n/* parse_rfc850",
     'take_time(c, &f->hour, &f->min, &f->sec) && take_lit(c, " ") && c->len - c->pos == 3;\n'
     "\t/* END SOLUTION */\n}\n\n/* parse_rfc850",
     [r"FAIL unit tests", r"test_parse_rejects_other_zones", r'accepted "Sun, 06 Nov 1994 08:49:37'],
     "a date parser that accepts any zone, PST as well as GMT"),
    ("cookie", '\tif (c->path)\n\t\tput(&o, "; Path=%s", c->path);\n', "",
     [r"FAIL unit tests", r'"path_specific=test2" != "path_specific=test2; Path=/cookie-test/"'],
     "Set-Cookie without its Path"),
    ("chunked", "\t\tif (d->remaining > (UINT64_MAX >> 4))\n\t\t\treturn malformed(d);\n", "",
     [r"FAIL unit tests", r'case "size overflow"', r"test_chunked_malformed_is_bad"],
     "a chunk-size parser that overflows"),
    ("accept", "if (spec > best || (spec == best && spec != NO_MATCH && q > best_q)) {",
     "if (spec != NO_MATCH && best == NO_MATCH) {",
     [r"FAIL unit tests", r"test_more_specific_range_decides_whatever_the_order"],
     "the first matching range taken, not the most specific one"),
    ("http", "\t\tif (line_crlf != crlf)\n\t\t\treturn refuse(head, HTTP_BAD_REQUEST, mixed_line_ends);\n",
     "", [r"FAIL unit tests", r"test_mixed_line_ends_are_400", r'case "LF then Content-Length"'],
     "a request parser that accepts a bare LF inside a CRLF head"),
    ("http", "if (head->nheaders == LIMIT_HEADER_COUNT)", "if (head->nheaders == LIMIT_HEADER_COUNT + 1)",
     [r"FAIL unit tests", r"test_limit_header_count_over_limit_is_431", r'case "LIMIT\+1 headers"'],
     "a request parser that does not refuse the 101st header"),
    ("multipart", "size_t tail = p->match - held; /* a possible delimiter start: held back */",
     "size_t tail = 0;", [r"FAIL unit tests", r"ERROR: cut at \d+: .* vs whole "],
     "a multipart parser that misses a boundary split across two reads"),
]

# Found by the differential fuzz only: junk after an entity-tag in If-None-Match not
# skipped, so a "*" after it matches.
FUZZ_BUG = ('\t\tif (*p != \',\' && *p != \'\\0\')\n\t\t\tp += strcspn(p, ",");', "")


# The cases run side by side, but at most this many lab commands at once: each builds and
# fuzzes, and on two cores more would leave a short fuzz too little time to mean much.
RUNNING = threading.Semaphore(3)


def lab(*args: str, ws: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """`lab ARGS…` with its own workspace."""
    env = dict(os.environ, NO_COLOR="1", PAGER="cat", WIRELAB_WORKSPACE=ws)
    with RUNNING:
        return subprocess.run([LAB, *args], capture_output=True, text=True, errors="replace",
                              env=env, stdin=subprocess.DEVNULL, timeout=timeout)


def reference(module: str) -> str:
    with open(os.path.join(h.REPO, MODULES[module])) as f:
        return f.read()


def put(ws: str, module: str, text: str) -> None:
    os.makedirs(os.path.join(ws, "modules"), exist_ok=True)
    with open(os.path.join(ws, "modules", module + ".c"), "w") as f:
        f.write(text)


def check(ws: str, module: str, *extra: str, seconds: int = 2) -> subprocess.CompletedProcess:
    return lab("check", module, "--seconds", str(seconds), "--seed", SEED, *extra, ws=ws)


def summary(p: subprocess.CompletedProcess) -> tuple[int, int]:
    found = SUMMARY.findall(p.stdout)
    assert found, f"no summary:\n{p.stdout}\n{p.stderr}"
    return int(found[-1][0]), int(found[-1][1])


def starter_fails(module: str) -> None:
    with tempfile.TemporaryDirectory() as ws:
        p = lab("exercise", module, ws=ws)
        assert p.returncode == 0 and "marked TODO" in p.stdout, p.stdout + p.stderr
        with open(os.path.join(ws, "modules", module + ".c")) as f:
            text = f.read()
        assert "TODO:" in text and "BEGIN SOLUTION" not in text, text[:400]
        p = check(ws, module)
        assert p.returncode == 1 and summary(p)[1] >= 1, p.stdout + p.stderr
        assert "FAIL unit tests" in p.stdout, p.stdout
        assert not os.path.exists(os.path.join(ws, "progress.json"))


def reference_passes(module: str) -> None:
    with tempfile.TemporaryDirectory() as ws:
        put(ws, module, reference(module))
        p = check(ws, module)
        passed, failed = summary(p)
        assert p.returncode == 0 and failed == 0 and passed >= 3, p.stdout + p.stderr
        for step in ("pass unit tests", "pass differential fuzz", "pass lesson "):
            assert step in p.stdout, f"{step!r} missing:\n{p.stdout}"
        with open(os.path.join(ws, "progress.json")) as f:
            progress = json.load(f)
        assert progress["modules"][module]["seed"] == int(SEED), progress
        p = lab("lessons", ws=ws)
        assert re.search(rf"^\s+{module}\s+passes\s", p.stdout, re.M), p.stdout


def bug_named(module: str, old: str, new: str, patterns: list[str]) -> None:
    text = reference(module)
    assert old in text, f"the planted bug's text is not in {MODULES[module]}"
    with tempfile.TemporaryDirectory() as ws:
        put(ws, module, text.replace(old, new))
        p = check(ws, module)
        assert p.returncode == 1 and summary(p)[1] >= 1, p.stdout + p.stderr
        for pattern in patterns:
            assert re.search(pattern, p.stdout), f"{pattern!r} not in:\n{p.stdout}"
        assert not os.path.exists(os.path.join(ws, "progress.json")), "a failing check noted"


for name in MODULES:
    h.add_case(f"{name}: the starter fails its check",
               lambda name=name: starter_fails(name), parallel=True)
    h.add_case(f"{name}: the reference passes every step, noted and shown by lessons",
               lambda name=name: reference_passes(name), parallel=True)
for module, old, new, patterns, what in BUGS:
    h.add_case(f"{module}: a planted bug is named: {what}",
               lambda m=module, o=old, n=new, ps=patterns: bug_named(m, o, n, ps), parallel=True)


@h.case("cache: a bug only the fuzz finds is shortened, saved, and shown again by --replay",
        parallel=True)
def _():
    text = reference("cache")
    assert FUZZ_BUG[0] in text
    with tempfile.TemporaryDirectory() as ws:
        put(ws, "cache", text.replace(*FUZZ_BUG))
        p = check(ws, "cache", seconds=10)  # found within a second, alone; 10 s under load
        assert p.returncode == 1 and summary(p) == (1, 1), p.stdout + p.stderr
        assert "pass unit tests" in p.stdout and "FAIL differential fuzz" in p.stdout, p.stdout
        shown = re.findall(r"^    \| .*$", p.stdout, re.M)
        assert any(re.search(r"call: +cache_none_match\(", s) for s in shown), p.stdout
        assert any(re.search(r"yours: +1$", s) for s in shown), p.stdout
        assert any(re.search(r"reference: +0$", s) for s in shown), p.stdout
        saved = os.path.join(ws, "modules", "cache.difference")
        assert os.path.getsize(saved) <= 16, f"not shortened: {os.path.getsize(saved)} bytes"
        p = lab("check", "cache", "--replay", ws=ws)
        assert p.returncode == 1 and re.findall(r"^    \| .*$", p.stdout, re.M) == shown, \
            p.stdout
        put(ws, "cache", text)
        p = lab("check", "cache", "--replay", ws=ws)
        assert p.returncode == 0 and "pass differential fuzz" in p.stdout, p.stdout + p.stderr


@h.case("watch MODULE checks again when the module's file is saved, not another's; Ctrl-C ends it",
        parallel=True)
def _():
    with tempfile.TemporaryDirectory() as ws:
        p = lab("watch", "url", ws=ws)
        assert p.returncode == 1 and "exercise url makes it" in " ".join(p.stderr.split()), \
            p.stdout + p.stderr
        put(ws, "url", "#error not written yet\n")  # fails at once: the test stays quick
        env = dict(os.environ, NO_COLOR="1", WIRELAB_WORKSPACE=ws)
        proc = subprocess.Popen([LAB, "watch", "url", "--seconds", "1"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        os.set_blocking(proc.stdout.fileno(), False)
        seen = ""
        try:
            seen = h.read_watch(proc, seen, 1, "failed\n", 30)
            assert "watching " + os.path.join(ws, "modules", "url.c") in seen, seen
            put(ws, "cache", "another module's file\n")
            time.sleep(0.6)  # past the settling of a save's events
            put(ws, "url", "#error still not written\n")
            seen = h.read_watch(proc, seen, 2, "failed\n", 30)
            time.sleep(0.5)
            seen += (proc.stdout.read() or b"").decode(errors="replace")
            assert len(SUMMARY.findall(seen)) == 2 and "still not written" in seen, seen
            assert seen.count("FAIL unit tests") == 2, seen
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=15) == 1
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def makefile_warnings() -> list[str]:
    """The Makefile's WARN flags (-Werror among them), as every build uses them."""
    with open(os.path.join(h.REPO, "Makefile")) as f:
        m = re.search(r"^WARN\s*:=((?:.*\\\n)*.*)$", f.read(), re.M)
    assert m, "no WARN := in the Makefile"
    return m.group(1).replace("\\\n", " ").split()


@h.case("every starter, the modules' and the lessons', compiles warning-free with gcc and clang",
        parallel=True)
def _():
    warn = makefile_warnings()
    assert "-Werror" in warn and "-Wextra" in warn, warn
    pkgs = subprocess.run(["pkg-config", "--cflags", "zlib", "libmagic", "libmd", "jansson"],
                          capture_output=True, text=True).stdout.split()
    layers = [a for layer in ("http", "server", "lesson")
              for a in ("-iquote", os.path.join(h.REPO, "common", layer))]
    lessons = sorted(os.path.basename(d)[:2]
                     for d in glob.glob(os.path.join(h.REPO, "lessons", "[0-9][0-9]-*")))
    with tempfile.TemporaryDirectory() as ws:
        for name in [*MODULES, *lessons]:
            p = lab("exercise", name, ws=ws)
            assert p.returncode == 0, p.stdout + p.stderr
        starters = sorted(glob.glob(os.path.join(ws, "modules", "*.c")) +
                          glob.glob(os.path.join(ws, "[0-9][0-9]-*", "server.c")))
        assert len(starters) == len(MODULES) + len(lessons), starters
        for cc in ("gcc", "clang"):
            if not shutil.which(cc):
                h.fail(f"{cc} is not installed")

        def compile_one(cc: str, path: str) -> str:
            p = subprocess.run([cc, "-std=gnu11", "-D_GNU_SOURCE", *warn, *pkgs, *layers,
                                "-fsyntax-only", path], capture_output=True, text=True)
            ok = p.returncode == 0 and not p.stderr
            return "" if ok else f"{cc}: the starter {os.path.relpath(path, ws)}:\n{p.stderr}"
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            said = [s for s in pool.map(lambda a: compile_one(*a),
                                        [(cc, p) for cc in ("gcc", "clang") for p in starters])
                    if s]
        assert not said, "\n".join(said)


@h.case("exercise 05 writes the lesson's starter and its module's, and says so", parallel=True)
def _():
    with tempfile.TemporaryDirectory() as ws:
        p = lab("exercise", "5", ws=ws)
        assert p.returncode == 0, p.stdout + p.stderr
        assert os.path.exists(os.path.join(ws, "05-caching", "server.c"))
        assert os.path.exists(os.path.join(ws, "modules", "cache.c"))
        assert "module cache" in " ".join((p.stdout + p.stderr).split()), p.stdout + p.stderr
        p = lab("exercise", "cache", ws=ws)
        assert p.returncode == 1 and "already exists" in " ".join(p.stderr.split()), p.stderr
        p = lab("exercise", "cache", "--force", ws=ws)
        assert p.returncode == 0 and os.path.exists(os.path.join(ws, "modules", "cache.c.bak"))
        p = lab("check", "nosuch", ws=ws)
        assert p.returncode != 0


h.run()
