#!/usr/bin/env python3
"""test_golden — every lesson's canned requests against its golden responses.

For each lessons/NN-slug/expected/VARIANT/ folder one server is started
(VARIANT "default": no --variant), and each expected/VARIANT/NAME.txt is
compared byte for byte with the normalized answer to requests/NAME.http.

    test_golden.py [LESSON…]            run (all lessons, or only these)
    test_golden.py --update [LESSON…]   rewrite the goldens instead

--update rewrites, in each variant folder, the goldens it already holds; an
empty variant folder (or expected/default/ when there is none) gets a golden
for every request. To add one request's golden to a folder, create the file
empty and update. Review every changed golden by hand before committing it.
"""

from __future__ import annotations

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

LESSONS = os.path.join(h.REPO, "lessons")
TIMEOUT = 15     # seconds to wait for the server to close; part of the golden text
SETTLE = 0.1     # quiet time that ends the server's stdout for one request


def lesson_dirs(only: set[int] | None = None) -> list[str]:
    if not os.path.isdir(LESSONS):
        return []
    out = []
    for name in sorted(os.listdir(LESSONS)):
        path = os.path.join(LESSONS, name)
        if re.fullmatch(r"\d\d-.+", name) and os.path.isdir(path):
            if only is None or int(name[:2]) in only:
                out.append(path)
    return out


def number(lesson: str) -> int:
    return int(os.path.basename(lesson)[:2])


def _files(folder: str, ext: str) -> dict[str, str]:
    if not os.path.isdir(folder):
        return {}
    return {f[: -len(ext)]: os.path.join(folder, f)
            for f in sorted(os.listdir(folder))
            if f.endswith(ext) and os.path.isfile(os.path.join(folder, f))}


def requests(lesson: str) -> dict[str, str]:
    return _files(os.path.join(lesson, "requests"), ".http")


def variants(lesson: str) -> list[str]:
    expected = os.path.join(lesson, "expected")
    if not os.path.isdir(expected):
        return []
    return sorted(v for v in os.listdir(expected) if os.path.isdir(os.path.join(expected, v)))


def goldens(lesson: str, variant: str) -> dict[str, str]:
    return _files(os.path.join(lesson, "expected", variant), ".txt")


def rel(path: str) -> str:
    return os.path.relpath(path, h.REPO)


def answer(server: h.Server, request: bytes) -> str:
    """Send one canned request on a fresh connection; the golden text."""
    data, closed, _ = h.exchange(server.port, request, half_close=True, timeout=TIMEOUT)
    printed = server.take_stdout(settle=SETTLE)
    text = h.normalize(data, h.request_methods(request), closed, timeout=TIMEOUT, printed=printed)
    if not server.alive():
        h.fail(f"{server!r} died handling the request (status {server.proc.returncode}).\n"
               f"stderr:\n{server.stderr()}\ngot so far:\n{text}")
    return text


class Group:
    """One server for one (lesson, variant), started at its first request.

    Its cases run in order of definition, one at a time (a request may leave something
    behind, an uploaded file, for the next), while other groups' cases run beside them:
    most of a case is waiting for the server's output to settle."""

    def __init__(self, lesson: str, variant: str):
        self.lesson, self.variant = lesson, variant
        self.server: h.Server | None = None
        self.error: str | None = None
        self.in_turn = h.Lane()

    def get(self) -> h.Server:
        if self.error:
            h.fail(f"server did not start: {self.error}")
        if self.server is None:
            try:
                self.server = h.Server(number(self.lesson), self.variant, start_timeout=10)
            except (RuntimeError, OSError) as e:
                self.error = str(e)
                h.fail(f"server did not start: {self.error}")
        return self.server

    def finish(self) -> None:
        if self.error:
            raise h.Skip("the server never started")
        if self.server is None:
            raise h.Skip("no request was sent")
        self.server.check_clean()


def check_coverage(lesson: str) -> None:
    reqs = requests(lesson)
    expected = os.path.join(lesson, "expected")
    if not os.path.isdir(expected):
        if reqs:
            h.fail(f"{rel(lesson)} has requests but no expected/ folder")
        raise h.Skip("no requests/ and no expected/")
    problems = []
    used = set()
    for v in variants(lesson):
        for name, path in goldens(lesson, v).items():
            used.add(name)
            if name not in reqs:
                problems.append(f"{rel(path)}: no requests/{name}.http")
    for name in sorted(set(reqs) - used):
        problems.append(f"requests/{name}.http has no golden in any expected/VARIANT/")
    for f in sorted(os.listdir(expected)):
        if os.path.isfile(os.path.join(expected, f)):
            problems.append(f"expected/{f} is not inside a variant folder")
    if not variants(lesson):
        problems.append("expected/ has no variant folder (use expected/default/)")
    if problems:
        h.fail("\n".join(problems))


def check_golden(group: Group, name: str, request_path: str, golden_path: str) -> None:
    server = group.get()
    with open(request_path, "rb") as f:
        request = f.read()
    with open(golden_path, "rb") as f:
        expected = f.read()
    actual = answer(server, request)
    if actual.encode("utf-8") != expected:
        h.diag(h.unified_diff(expected.decode("utf-8", errors="backslashreplace"), actual,
                              rel(golden_path), "actual"))
        h.fail(f"{rel(golden_path)} differs (update with: "
               f"$PYTHON tests/e2e/test_golden.py --update {number(group.lesson):02d})")


def register(only: set[int] | None) -> None:
    # Every case is parallel: the groups (one server each) run side by side, and each
    # group's cases one after another (its Lane). Results print in this order.
    for lesson in lesson_dirs(only):
        n = number(lesson)
        h.add_case(f"lesson {n:02d} requests and goldens match",
                   lambda lesson=lesson: check_coverage(lesson), parallel=True)
        reqs = requests(lesson)
        for v in variants(lesson):
            gold = goldens(lesson, v)
            group = Group(lesson, v)
            for name, path in gold.items():
                label = f"lesson {n:02d} [{v}] {name}"
                if name not in reqs:
                    def missing(path=path):
                        h.fail(f"no request for {rel(path)}")
                    h.add_case(label, missing, parallel=True)
                    continue
                h.add_case(label, group.in_turn(lambda g=group, nm=name, rp=reqs[name], gp=path:
                                                check_golden(g, nm, rp, gp)), parallel=True)
            if gold:
                h.add_case(f"lesson {n:02d} [{v}] server exits cleanly",
                           group.in_turn(group.finish), parallel=True)


def update(only: set[int] | None) -> int:
    """Rewrite goldens; print what was written. Returns the exit status."""
    status = 0
    for lesson in lesson_dirs(only):
        reqs = requests(lesson)
        vs = variants(lesson)
        targets = {}
        for v in vs or ["default"]:
            names = []
            for name, path in goldens(lesson, v).items():
                if name in reqs:
                    names.append(name)
                else:
                    print(f"no request for {rel(path)}: left alone")
            # A new (empty) variant folder gets every request; an existing one only
            # the goldens it already has, so a request can belong to one variant.
            targets[v] = sorted(names) if names else sorted(reqs)
        for v, names in targets.items():
            if not names:
                continue
            folder = os.path.join(lesson, "expected", v)
            try:
                server = h.Server(number(lesson), v, start_timeout=10)
            except (RuntimeError, OSError) as e:
                print(f"{rel(lesson)} [{v}]: server did not start: {e}", file=sys.stderr)
                status = 1
                continue
            try:
                os.makedirs(folder, exist_ok=True)
                for name in names:
                    with open(reqs[name], "rb") as f:
                        text = answer(server, f.read()).encode("utf-8")
                    path = os.path.join(folder, name + ".txt")
                    try:
                        with open(path, "rb") as f:
                            old = f.read()
                    except FileNotFoundError:
                        old = None
                    if old == text:
                        print(f"unchanged {rel(path)}")
                        continue
                    with open(path, "wb") as f:
                        f.write(text)
                    print(f"{'wrote' if old is None else 'updated'} {rel(path)}")
                server.check_clean()
            except (AssertionError, OSError) as e:
                print(f"{rel(lesson)} [{v}]: {e}", file=sys.stderr)
                status = 1
            finally:
                server.stop()
    if status == 0:
        print("review every new or updated golden by hand (git diff) before committing")
    return status


def main(argv: list[str]) -> None:
    do_update = "--update" in argv
    args = [a for a in argv if a != "--update"]
    bad = [a for a in args if not a.isdigit()]
    if bad:
        print(f"usage: test_golden.py [--update] [LESSON…]  (not a lesson number: {' '.join(bad)})",
              file=sys.stderr)
        sys.exit(2)
    only = {int(a) for a in args} if args else None
    if do_update:
        sys.exit(update(only))
    register(only)
    h.run()


if __name__ == "__main__":
    main(sys.argv[1:])
