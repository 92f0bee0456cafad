"""test_hints — `lab hint N|MODULE [REGION]` and the map in `lab lessons` and README.md.

Every lesson, and every module with an exercise (tools/check/module.c's table), has
hints for exactly the functions that hold its solution regions, each with its three
kinds of hint; asking again shows the next hint, per region, and the last one again
once all were shown; a region can be asked about alone; a module's hints come from
common/http/hints/MODULE.md, also when a lesson has the module's name as its slug; a
malformed hints file is refused with its line.
The "What you write" and "What checks it" lines are shown by `lab lessons` and agree
with the README's lesson table. Each case has its own WIRELAB_WORKSPACE."""

from __future__ import annotations

import glob
import json
import os
import re
import subprocess
import tempfile

import harness as h

LAB = os.path.join(h.bin_dir(), "lab")
LESSONS = sorted(os.path.basename(d) for d in glob.glob(os.path.join(h.REPO, "lessons", "[0-9][0-9]-*")))
HINTS_DIR = os.path.join(h.REPO, "common", "http", "hints")
KINDS = ("Where in the lesson", "Which RFC section and which structure", "Pseudo-code")


def lab(*args: str, ws: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`lab ARGS…` with its own workspace; fails on a sanitizer report."""
    e = dict(os.environ, NO_COLOR="1", PAGER="cat", WIRELAB_WORKSPACE=ws)
    e.update(env or {})
    p = subprocess.run([LAB, *args], capture_output=True, text=True, env=e,
                       stdin=subprocess.DEVNULL, timeout=60)
    for marker in h.SANITIZER_MARKERS:
        if marker in p.stderr:
            h.fail(f"lab {' '.join(args)}: stderr has {marker!r}:\n{p.stderr}")
    return p


def show(p: subprocess.CompletedProcess) -> str:
    return f"exit {p.returncode}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr}"


def modules() -> dict[str, str]:
    """{module: its source file} for every module with an exercise, from the table in
    tools/check/module.c that `lab exercise MODULE` reads."""
    with open(os.path.join(h.REPO, "tools", "check", "module.c"), encoding="utf-8") as f:
        table = dict(re.findall(r'^\s*\{"(\w+)", "(common/http/\w+\.c)",', f.read(), re.M))
    assert len(table) >= 8, table
    return table


def functions_with_regions(path: str) -> list[str]:
    """The functions of a C file that hold a solution region, in order."""
    names: list[str] = []
    current = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^[a-z][\w \*]*?\b(\w+)\(", line)
            if m:
                current = m.group(1)
            if "BEGIN SOLUTION" in line and current not in names:
                names.append(current)
    return names


def region_functions(folder: str) -> list[str]:
    """The functions of a lesson's server.c that hold a solution region, in order."""
    return functions_with_regions(os.path.join(h.REPO, "lessons", folder, "server.c"))


def hints_file(folder: str) -> str:
    with open(os.path.join(h.REPO, "lessons", folder, "hints.md"), encoding="utf-8") as f:
        return f.read()


def shown(out: str) -> dict[str, int]:
    """{region: the number of the hint shown} from `lab hint` output."""
    return {m[0]: int(m[1]) for m in re.findall(r"^(\w+) — hint (\d+) of \d+: ", out, re.M)}


def check_hints_text(what: str, text: str, functions: list[str]) -> None:
    """One hints file: a section per function with a region, in order, three kinds each,
    and the two lines of the map."""
    headings = re.findall(r"^## (\S+)$", text, re.M)
    assert headings == functions, (what, headings, functions)
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        kinds = tuple(re.findall(r"^### (.+)$", section, re.M))
        assert kinds == KINDS, (what, section.splitlines()[0], kinds)
    assert re.search(r"^What you write: \S", text, re.M), what
    assert re.search(r"^What checks it: \S", text, re.M), what


@h.case("every lesson has hints for exactly its regions' functions, three kinds each")
def _():
    for folder in LESSONS:
        check_hints_text(folder, hints_file(folder), region_functions(folder))


@h.case("every module with an exercise has hints for exactly its regions' functions")
def _():
    for name, source in modules().items():
        path = os.path.join(HINTS_DIR, f"{name}.md")
        assert os.path.isfile(path), f"{name} ({source}) has no {path}"
        functions = functions_with_regions(os.path.join(h.REPO, source))
        assert functions, f"{source} has no solution region"
        with open(path, encoding="utf-8") as f:
            check_hints_text(name, f.read(), functions)
    stray = {os.path.basename(p)[:-3] for p in glob.glob(os.path.join(HINTS_DIR, "*.md"))}
    assert stray <= set(modules()), f"hints for no module: {sorted(stray - set(modules()))}"


@h.case("hint 5, asked four times: each region's hints in order, then the last again")
def _():
    with tempfile.TemporaryDirectory() as ws:
        regions = region_functions("05-caching")
        for level in (1, 2, 3, 3):
            p = lab("hint", "5", ws=ws)
            assert p.returncode == 0, show(p)
            assert shown(p.stdout) == {r: level for r in regions}, show(p)
            title = re.escape(KINDS[level - 1])
            assert len(re.findall(rf"hint {level} of 3: {title}$", p.stdout, re.M)) == 2, p.stdout
            assert ("the last hint" in p.stdout) == (level == 3), p.stdout
        with open(os.path.join(ws, "hints.json"), encoding="utf-8") as f:
            assert json.load(f) == {"05-caching": {r: 3 for r in regions}}
        p = lab("hint", "5", ws=ws)  # the pseudo-code names what the region is built from
        assert "cache_evaluate" in p.stdout and "content_send_not_modified" in p.stdout


@h.case("hint N REGION advances that region alone; another lesson keeps its own count")
def _():
    with tempfile.TemporaryDirectory() as ws:
        p = lab("hint", "8", "part_begin", ws=ws)
        assert p.returncode == 0 and shown(p.stdout) == {"part_begin": 1}, show(p)
        p = lab("hint", "8", "part_begin", ws=ws)
        assert shown(p.stdout) == {"part_begin": 2}, show(p)
        p = lab("hint", "8", ws=ws)
        assert shown(p.stdout) == {"create_unique": 1, "part_begin": 3, "part_data": 1,
                                   "part_end": 1}, show(p)
        p = lab("hint", "4", ws=ws)
        assert set(shown(p.stdout).values()) == {1}, show(p)
        p = lab("hint", "8", "nowhere", ws=ws)
        assert p.returncode == 1 and "part_begin" in p.stderr, show(p)


@h.case("a corrupt hints.json is no progress, not a crash")
def _():
    with tempfile.TemporaryDirectory() as ws:
        with open(os.path.join(ws, "hints.json"), "w") as f:
            f.write("{not json")
        p = lab("hint", "3", ws=ws)
        assert p.returncode == 0 and shown(p.stdout) == {"write_http_response": 1}, show(p)


@h.case("hint MODULE reads common/http/hints/MODULE.md; unknown names and bad files are refused")
def _():
    with tempfile.TemporaryDirectory() as root, tempfile.TemporaryDirectory() as ws:
        os.makedirs(os.path.join(root, "lessons"))
        hints = os.path.join(root, "common", "http", "hints")
        os.makedirs(hints)
        with open(os.path.join(hints, "demo.md"), "w") as f:
            f.write("# Hints for demo\n\n## demo_parse\n### Where\nin demo.c\n\n"
                    "### Pseudo-code\n    loop\n\n")
        with open(os.path.join(hints, "bad.md"), "w") as f:
            f.write("# Hints\n\n### Where\nno region yet\n")
        env = {"WIRELAB_ROOT": root}
        p = lab("hint", "demo", ws=ws, env=env)
        assert p.returncode == 0 and "demo_parse — hint 1 of 2: Where\nin demo.c\n" in p.stdout, show(p)
        p = lab("hint", "demo", ws=ws, env=env)
        assert "hint 2 of 2: Pseudo-code\n    loop\n" in p.stdout, show(p)
        with open(os.path.join(ws, "hints.json"), encoding="utf-8") as f:
            assert json.load(f) == {"module demo": {"demo_parse": 2}}
        p = lab("hint", "bad", ws=ws, env=env)
        assert p.returncode == 1 and "line 3" in p.stderr, show(p)
        for name in ("nosuch", "../hints/demo"):
            p = lab("hint", name, ws=ws, env=env)
            assert p.returncode == 1 and "no lesson or module" in p.stderr, show(p)


@h.case("lab lessons shows what each exercise writes and what checks it, as README's table does")
def _():
    with tempfile.TemporaryDirectory() as ws:
        p = lab("lessons", ws=ws)
        assert p.returncode == 0, show(p)
    with open(os.path.join(h.REPO, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    for folder in LESSONS:
        text = hints_file(folder)
        write = re.search(r"^What you write: (.*)$", text, re.M).group(1)
        check = re.search(r"^What checks it: (.*)$", text, re.M).group(1)
        num = int(folder[:2])
        assert f"    you write: {write}\n" in p.stdout, (folder, p.stdout)
        assert f"    checked by lab check {num}: {check}\n" in p.stdout, (folder, p.stdout)
        row = re.search(rf"^\| {folder[:2]} \| .* \| {re.escape(write)} \| "
                        rf"`lab check {num}`: {re.escape(check)} \|$", readme, re.M)
        assert row, f"README.md's row for {folder} does not end with its hints.md lines"


@h.case("hint MODULE, asked four times, for every module: each region's hints in order")
def _():
    with tempfile.TemporaryDirectory() as ws:
        mods = modules()
        for level in (1, 2, 3, 3):
            for name, source in mods.items():
                regions = functions_with_regions(os.path.join(h.REPO, source))
                p = lab("hint", name, ws=ws)
                assert p.returncode == 0, show(p)
                assert shown(p.stdout) == {r: level for r in regions}, (name, show(p))
                title = re.escape(KINDS[level - 1])
                found = re.findall(rf"hint {level} of 3: {title}$", p.stdout, re.M)
                assert len(found) == len(regions), (name, p.stdout)
                assert ("the last hint" in p.stdout) == (level == 3), (name, p.stdout)
                if level == 3:  # a module has no `lab solution`: its source is named
                    assert f"the reference is {source})" in p.stdout, (name, p.stdout)
                    assert "solution" not in p.stdout.split("the last hint")[1], p.stdout
        with open(os.path.join(ws, "hints.json"), encoding="utf-8") as f:
            state = json.load(f)
        assert state == {f"module {name}": {r: 3 for r in
                                            functions_with_regions(os.path.join(h.REPO, src))}
                         for name, src in mods.items()}, state
        p = lab("hint", "cache", ws=ws)  # the pseudo-code names what the region is built from
        assert "cache_none_match" in p.stdout and "CACHE_PRECONDITION_FAILED" in p.stdout


@h.case("hint MODULE REGION advances one region; multipart is the module, 8 the lesson")
def _():
    with tempfile.TemporaryDirectory() as ws:
        p = lab("hint", "date", "parse_asctime", ws=ws)
        assert p.returncode == 0 and shown(p.stdout) == {"parse_asctime": 1}, show(p)
        p = lab("hint", "date", "parse_asctime", ws=ws)
        assert shown(p.stdout) == {"parse_asctime": 2}, show(p)
        p = lab("hint", "date", ws=ws)
        assert shown(p.stdout) == {"date_format_http": 1, "parse_imf": 1, "parse_rfc850": 1,
                                   "parse_asctime": 3, "fields_valid": 1}, show(p)
        p = lab("hint", "date", "nowhere", ws=ws)
        assert p.returncode == 1 and "parse_imf" in p.stderr, show(p)
        # "multipart" is lesson 08's slug too: lab exercise takes the module, so does hint.
        p = lab("hint", "multipart", ws=ws)
        assert p.returncode == 0 and shown(p.stdout) == {"mp_feed": 1}, show(p)
        p = lab("hint", "8", ws=ws)
        assert set(shown(p.stdout)) == set(region_functions("08-multipart")), show(p)
        with open(os.path.join(ws, "hints.json"), encoding="utf-8") as f:
            state = json.load(f)
        assert state["module multipart"] == {"mp_feed": 1}, state
        assert state["module date"]["parse_asctime"] == 3, state
        assert set(state["08-multipart"]) == set(region_functions("08-multipart")), state


h.run()
