r"""test_llhttp — llhttp's request tests as a conformance suite for lessons 03 and 07.

llhttp (the HTTP parser inside Node.js) keeps its request tests as markdown, in its
test/request/*.md. They are read from $WIRELAB_LLHTTP, else shared/llhttp/ beside
the repository (tests/conformance/README.md says why there and how they get there),
and must be llhttp 9.4.2's, unmodified (llhttp-9.4.2.sha256 here checks it).
Each test is a heading, an ```http block (the request bytes, written with escapes),
an HTML comment <!-- meta={...} --> before it (which parser mode runs it) and a
```log block: what llhttp's callbacks saw. This file reads every test, turns its
block into bytes exactly as llhttp's runner (test/md-test.ts) does, reads llhttp's
verdict from the log, sends the bytes to lesson 03 and lesson 07, and compares.
A test is named by its file and heading; a heading repeated in a file gets " #2".

Verdicts. A verdict is "accept N" (N requests, all taken) or "reject after N" (N
requests taken, then the bytes refused).
  llhttp: N counts "message complete" lines. An "error code=..." line is a refusal,
  except three codes that are not: 5 (bytes after a `Connection: close` message:
  llhttp stops reading there, as a server closes), 22 and 23 (it stops at an
  Upgrade/CONNECT/PRI head and hands the connection over; we send only the bytes up
  to there, and the head counts as taken). Input that ends without an error and
  without finishing its last request is a request still arriving: we finish it
  (below) and it counts as taken.
  wirelab: each response, in order. A refusal is 400, 413, 414, 431, 501 or 505
  with `Connection: close`: what the server says when its parser (or body reader)
  will not take the bytes and it drops the connection. Any other answer — 2xx, 3xx,
  and the handlers' 404, 405, 411, 415, or a 501 for an unknown method on a
  connection kept open — means the parser took the request. (A request that ends
  the connection itself, HTTP/1.0 or `Connection: close`, gets `Connection: close`
  on every answer: there the status alone decides.) Interim 1xx answers are
  skipped. Anything else (no answer, 408, 500) fails the case.

Which tests apply. Tests run by llhttp with a pause, skipBody or finish (type
request-finish) check its callbacks, not the bytes: not applicable. A lenient test
(type request-lenient-*) logs what llhttp does with a leniency flag on; the flags
only widen what it takes, so a lenient test that llhttp still refuses is refused by
its strict parser too and is judged as such; one it takes says nothing of the strict
parser and is not applicable (its SKIP line names the strict test with the same
bytes, where there is one).

What we add to the bytes (nothing else changes; -v shows each addition):
  - `Host: localhost` after the request line of every HTTP/1.1 request llhttp began
    that has no Host line (RFC 9112 §3.2: wirelab refuses it, llhttp does not check),
    ended like the request line (CRLF, or LF when the request line ends in a bare LF);
  - when the last request llhttp began stops short — also where llhttp refused it
    first, so that wirelab has a whole request to judge (with half-closed input it
    would otherwise just close):
    - a head cut short: the line ends that finish it (an empty line; first the end
      of the last line when the bytes stop inside one);
    - a Content-Length body cut short: as many "x" as are missing;
    - a chunked body cut short: what ends it: the rest of the chunk data as "x", its
      CRLF, then "0\r\n\r\n" (or the end of the current chunk line or trailer first).
    The body's framing is what llhttp's log says; where llhttp refused the head,
    the head's own Transfer-Encoding (chunked) or Content-Length line.

differences.md holds the one table of every test where wirelab's verdict differs
from llhttp's. A difference in the table passes (ok ... # listed difference); one
not in the table fails, and so does a row whose difference no longer happens.

Run: WIRELAB_BIN=build/bin python3 tests/conformance/test_llhttp.py [-v]
(-v prints every test's bytes and both verdicts as TAP comments). Without llhttp's
files it prints one SKIP.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "e2e"))

import harness as h  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
MANIFEST = os.path.join(HERE, "llhttp-9.4.2.sha256")
TABLE = os.path.join(HERE, "differences.md")
LESSONS = (3, 7)
FILES = ("sample", "lenient-headers", "lenient-header-value-relaxed", "lenient-version",
         "method", "uri", "connection", "content-length", "transfer-encoding", "invalid",
         "finish", "pausing", "pipelining")  # md-test.ts's order


# ---------------------------------------------------------------------------
# Reading the markdown the way llhttp's runner does (mdgator over markdown-it)
# ---------------------------------------------------------------------------

@dataclass
class Test:
    file: str                   # "invalid.md"
    name: str                   # the heading's text, " #2" added to a repeated one
    line: int                   # 1-based line of the heading
    meta: dict
    http: str                   # the ```http block as written
    log: list[str]              # the ```log block's lines
    data: bytes = b""           # the bytes llhttp's runner parses


@dataclass
class _Section:
    """A heading and the fenced blocks under it, by info string ("http", "log")."""
    name: str
    line: int
    nested: bool                # under another heading: only then can it be a test
    blocks: dict[str, list[str]] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)   # the meta comment before its http block


_ATX = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"(=+|-+)[ \t]*")
_META = re.compile(r"<!--\s+meta=(.*)\s+-->")


def _sections(lines: list[str]) -> list[_Section]:
    """The file's headings (ATX "## x", or setext: a line underlined with = or -) with
    their blocks. A meta comment belongs to the next block of the same section."""
    sections: list[_Section] = []
    depths: list[int] = []
    meta = None
    i = 0
    while i < len(lines):
        line = lines[i]
        atx = _ATX.match(line)
        setext = (not atx and line.strip() and not line.startswith(("```", "<!--"))
                  and i + 1 < len(lines) and _SETEXT.fullmatch(lines[i + 1]))
        if atx or setext:
            depth = len(atx.group(1)) if atx else (1 if lines[i + 1][0] == "=" else 2)
            while depths and depths[-1] >= depth:
                depths.pop()
            depths.append(depth)
            name = atx.group(2) if atx else line.strip()
            sections.append(_Section(name, i + 1, len(depths) > 1))
            meta = None
            i += 1 if atx else 2
        elif line.startswith("<!--") and (m := _META.search(line)):
            meta = json.loads(m.group(1))
            i += 1
        elif line.startswith("```"):
            end = i + 1
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            if sections and sections[-1].nested:
                info = line[3:].strip()
                # markdown-it gives a block's text as its lines, each ended by "\n"
                sections[-1].blocks.setdefault(info, []).append(
                    "".join(x + "\n" for x in lines[i + 1:end]))
                if meta is not None and info == "http":
                    sections[-1].meta = meta
                meta = None
            i = end + 1
        else:
            i += 1
    return sections


def read_tests(path: str) -> list[Test]:
    """Every test of one file: a section with one ```http and one ```log block."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    fname = os.path.basename(path)
    tests: list[Test] = []
    seen: dict[str, int] = {}
    for sec in _sections(lines):
        if "http" not in sec.blocks:
            continue
        if len(sec.blocks["http"]) != 1 or len(sec.blocks.get("log", [])) != 1:
            raise ValueError(f"{fname}:{sec.line}: a test needs one http and one log block")
        seen[sec.name] = seen.get(sec.name, 0) + 1
        name = sec.name + (f" #{seen[sec.name]}" if seen[sec.name] > 1 else "")
        http = sec.blocks["http"][0]
        log = sec.blocks["log"][0].split("\n")[:-1]
        tests.append(Test(fname, name, sec.line, sec.meta, http, log, to_bytes(http)))
    return tests


def to_bytes(block: str) -> bytes:
    """The bytes llhttp's runner makes of an ```http block (md-test.ts, in its order)."""
    s = re.sub(r"\n\Z", "", block)                      # the block's last line end
    s = re.sub(r"\\(\r\n|\r|\n)", "", s)               # a backslash joins two lines
    s = re.sub(r"\r\n|\r|\n", "\r\n", s)                # every line ends in CRLF
    s = s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\f", "\f")
    s = re.sub(r"\\x([0-9a-fA-F]+)", lambda m: chr(int(m.group(1), 16) & 0xFFFF), s)
    s = re.sub(r"\\([0-7]{1,3})", lambda m: chr(int(m.group(1), 8)), s)
    if re.search(r"\$\{(.+?)\}", s):
        raise ValueError("inline JavaScript (${...}) is not supported here")
    # The runner hands the string to the parser as a command-line argument: UTF-8.
    return s.encode("utf-8", errors="surrogatepass")


def llhttp_dir() -> str:
    """llhttp's folder (its LICENSE and test/request/): $WIRELAB_LLHTTP, else the
    shared/llhttp/ beside the repository (README.md says why it is not inside)."""
    return os.path.abspath(os.environ.get("WIRELAB_LLHTTP")
                           or os.path.join(REPO, "..", "shared", "llhttp"))


def check_files(root: str) -> list[str]:
    """What is wrong with the files under root against llhttp-9.4.2.sha256 (none: [])."""
    wrong = []
    with open(MANIFEST, encoding="utf-8") as f:
        listed = dict(reversed(line.split(None, 1)) for line in f.read().splitlines())
    for path, digest in listed.items():
        try:
            with open(os.path.join(root, path), "rb") as g:
                if hashlib.sha256(g.read()).hexdigest() != digest:
                    wrong.append(f"{path} is not llhttp 9.4.2's")
        except OSError as e:
            wrong.append(f"{path}: {e.strerror}")
    folder = os.path.join(root, "test", "request")
    extra = [f for f in os.listdir(folder) if f"test/request/{f}" not in listed] \
        if os.path.isdir(folder) else []
    wrong += [f"test/request/{f} is not one of llhttp 9.4.2's files" for f in sorted(extra)]
    return wrong


def load_all(root: str) -> list[Test]:
    tests = []
    for name in FILES:
        tests += read_tests(os.path.join(root, "test", "request", name + ".md"))
    return tests


# ---------------------------------------------------------------------------
# llhttp's verdict, from the log
# ---------------------------------------------------------------------------

# llhttp's error codes that end its reading without refusing the bytes: 5, data after
# a `Connection: close` message; HANDOVER, an Upgrade/CONNECT or PRI (HTTP/2) head
# after which the connection belongs to another protocol.
HANDOVER = (22, 23)
NOT_REFUSALS = (5, *HANDOVER)
F_CHUNKED = 1 << 3  # llhttp's flags in "headers complete ... flags=N"


@dataclass
class Message:
    begin: int
    method: str = ""
    version: str = ""
    head_end: int | None = None     # offset after the head's empty line
    flags: int = 0
    content_length: int = 0
    body: int = 0                   # body bytes llhttp saw
    complete: bool = False


@dataclass
class Log:
    messages: list[Message] = field(default_factory=list)
    error: tuple[int, int, str] | None = None      # offset, code, reason


_LOG_LINE = re.compile(r"off=(\d+) (.*)")
_SPAN = re.compile(r'len=(\d+) span\[(\w+)\]="(.*)"')
_HEADERS = re.compile(r"headers complete method=\d+ v=\d+/\d+ flags=([0-9a-f]+) "
                      r"content_length=(\d+)")
_ERROR = re.compile(r'error code=(\d+) reason="(.*)"')


def read_log(lines: list[str]) -> Log:
    """The requests llhttp's log tells of, and its error line."""
    log = Log()
    for line in lines:
        m = _LOG_LINE.match(line)
        if not m:
            continue
        off, what = int(m.group(1)), m.group(2)
        msg = log.messages[-1] if log.messages else None
        if what == "message begin":
            log.messages.append(Message(off))
        elif msg and (s := _SPAN.match(what)):
            if s.group(2) == "method":
                msg.method += s.group(3)
            elif s.group(2) == "version":
                msg.version += s.group(3)
            elif s.group(2) == "body":
                msg.body += int(s.group(1))
        elif msg and (hc := _HEADERS.match(what)):
            msg.head_end = off
            msg.flags = int(hc.group(1), 16)
            msg.content_length = int(hc.group(2))
        elif msg and what == "message complete":
            msg.complete = True
        elif (e := _ERROR.match(what)):
            log.error = (off, int(e.group(1)), e.group(2))
    return log


@dataclass(frozen=True)
class Verdict:
    kind: str       # "accept" or "reject"
    taken: int      # requests taken (before the refusal, for "reject")

    def __str__(self) -> str:
        return f"accept {self.taken}" if self.kind == "accept" else f"reject after {self.taken}"


def not_applicable(t: Test, log: Log) -> str | None:
    """Why a test cannot be compared here, or None."""
    ty = t.meta.get("type", "")
    if t.meta.get("pause"):
        return f"pauses in {t.meta['pause']} (a callback test)"
    if t.meta.get("skipBody"):
        return "skipBody (a callback test)"
    if ty == "request-finish":
        return "llhttp_finish (a callback test)"
    if ty.startswith("request-lenient-") and not refused(log):
        return f"taken only with a leniency flag ({ty}); the strict verdict is not logged"
    if ty != "request" and not ty.startswith("request-lenient-"):
        return f"type {ty!r}"
    return None


def refused(log: Log) -> bool:
    """llhttp refused the bytes (its error line is not a mere end of reading)."""
    return log.error is not None and log.error[1] not in NOT_REFUSALS


def llhttp_verdict(log: Log) -> Verdict:
    """llhttp's verdict, as the module's docstring says."""
    done = sum(m.complete for m in log.messages)
    if log.error and log.error[1] in HANDOVER:
        return Verdict("accept", len(log.messages))  # the last one's head was taken
    if refused(log):
        return Verdict("reject", done)
    if log.messages and not log.messages[-1].complete and log.error is None:
        done += 1  # still arriving: we finish it below
    return Verdict("accept", done)


# ---------------------------------------------------------------------------
# The bytes sent to wirelab
# ---------------------------------------------------------------------------

_HOST_LINE = re.compile(rb"(?:^|\n)host[ \t]*:", re.I)


def line_end(data: bytes, begin: int) -> bytes:
    """How the request line at begin ends: CRLF, or a bare LF."""
    eol = data.find(b"\n", begin)
    return b"\n" if eol > begin and data[eol - 1:eol] != b"\r" else b"\r\n"


def finish_head(tail: bytes, eol: bytes) -> bytes:
    """What ends a head that stops after `tail` (the bytes of it we have)."""
    if tail.endswith(b"\n"):
        return eol
    if tail.endswith(b"\r"):
        return b"\n" + eol
    return eol + eol


def finish_chunked(body: bytes) -> bytes:
    """What ends a chunked body that stops after `body`: the rest of the current line,
    chunk data or trailer, then the last chunk."""
    pos = 0
    while True:
        eol = body.find(b"\n", pos)
        if eol < 0:  # inside a chunk-size line
            if pos == len(body):
                return b"0\r\n\r\n"
            digits = re.match(rb"[0-9a-fA-F]*", body[pos:]).group()
            size = int(digits, 16) if digits else 0
            end = b"\n" if body.endswith(b"\r") else b"\r\n"
            return end + (b"x" * size + b"\r\n0\r\n\r\n" if size else b"\r\n")
        digits = re.match(rb"[0-9a-fA-F]*", body[pos:eol]).group()
        size = int(digits, 16) if digits else 0
        pos = eol + 1
        if size == 0:  # trailers, up to an empty line
            while True:
                eol = body.find(b"\n", pos)
                if eol < 0:
                    return finish_head(body[pos:], b"\r\n") if body[pos:] else b"\r\n"
                if body[pos:eol] in (b"", b"\r"):
                    return b""
                pos = eol + 1
        if len(body) - pos < size:
            return b"x" * (size - (len(body) - pos)) + b"\r\n0\r\n\r\n"
        pos += size
        if len(body) - pos < 2:
            return b"\r\n"[len(body) - pos:] + b"0\r\n\r\n"
        pos += 2


_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_CHUNKED = re.compile(rb"\ntransfer-encoding[ \t]*:[^\n]*chunked[ \t\r]*(?=\n)", re.I)
_LENGTH = re.compile(rb"\ncontent-length[ \t]*:[ \t]*(\d+)[ \t\r]*(?=\n)", re.I)


def finish_last(data: bytes, log: Log) -> tuple[bytes, str]:
    """The bytes that finish the last request llhttp began, and a note saying so.
    Where llhttp read the head, its log says how the body is framed; where it
    refused the head first, the head's own Transfer-Encoding or Content-Length line."""
    last = log.messages[-1] if log.messages else Message(0)
    if last.complete or (log.error and log.error[1] in NOT_REFUSALS):
        return b"", ""
    head_end = last.head_end
    if head_end is None:
        blank = _BLANK_LINE.search(data, last.begin)
        if not blank:
            more = finish_head(data[last.begin:], line_end(data, last.begin))
            return more, f"the head finished with {more!r}"
        head_end = blank.end()
        head = b"\n" + data[last.begin:head_end]
        chunked = bool(_CHUNKED.search(head))
        length = _LENGTH.search(head)
        want = int(length.group(1)) if length and not chunked else 0
        have = len(data) - head_end
    else:
        chunked = bool(last.flags & F_CHUNKED)
        want, have = last.content_length, last.body
    if chunked:
        more = finish_chunked(data[head_end:])
        return more, f"the chunked body finished with {more!r}" if more else ""
    if want > have:
        return b"x" * (want - have), f"the body finished with {want - have} x"
    return b"", ""


def wirelab_bytes(t: Test, log: Log) -> tuple[bytes, list[str]]:
    """The bytes to send and what was added to them (in words)."""
    data = t.data
    notes = []
    if log.error and log.error[1] in HANDOVER:
        notes.append(f"cut after byte {log.error[0]} (where llhttp hands the connection over)")
        data = data[:log.error[0]]
    more, note = finish_last(data, log)
    if more:
        data += more
        notes.append(note)
    # Host lines last, from the end, so that earlier offsets stay right.
    for m in reversed(log.messages):
        eol_at = data.find(b"\n", m.begin)
        blank = _BLANK_LINE.search(data, m.begin)
        head = data[m.begin:blank.end() if blank else len(data)]
        if m.version != "1.1" or eol_at < 0 or _HOST_LINE.search(head):
            continue
        end = line_end(data, m.begin)
        data = data[:eol_at + 1] + b"Host: localhost" + end + data[eol_at + 1:]
        notes.append(f"Host: localhost added to the request at byte {m.begin}")
    return data, notes


# ---------------------------------------------------------------------------
# wirelab's verdict, from its answers
# ---------------------------------------------------------------------------

REFUSALS = (400, 413, 414, 431, 501, 505)


def wirelab_verdict(data: bytes, methods: list[str]) -> tuple[Verdict | None, str]:
    """The verdict the answers say, and the answers in brief ("200 200 400+close")."""
    items = h.parse_responses(data, methods)
    taken = 0
    shown = []
    for r in items:
        if isinstance(r, h.Unparsed):
            shown.append(f"unparsed({r.reason})")
            return None, " ".join(shown)
        close = (r.header("connection") or "").lower() == "close"
        shown.append(f"{r.status}{'+close' if close else ''}")
        if r.status < 200:
            continue
        if r.status in REFUSALS and close:
            return Verdict("reject", taken), " ".join(shown)
        if r.status < 400 or r.status in (404, 405, 411, 415) or not close:
            taken += 1
            continue
        return None, " ".join(shown)  # 408, 500, ...: not a verdict
    return Verdict("accept", taken), " ".join(shown) or "no answer"


def ask(port: int, data: bytes, methods: list[str]) -> tuple[Verdict | None, str]:
    """Send the bytes, shut our side, and read the answers until the server closes."""
    got, closed, _ = h.exchange(port, data, half_close=True, timeout=10 * h.SLOW)
    verdict, shown = wirelab_verdict(got, methods)
    if not closed:
        return None, shown + " (still open)"
    return verdict, shown


# ---------------------------------------------------------------------------
# The table of differences
# ---------------------------------------------------------------------------

@dataclass
class Row:
    file: str
    test: str
    llhttp: str
    wirelab: str
    kind: str
    reason: str
    used: bool = False


def _cells(line: str) -> list[str]:
    parts = re.split(r"(?<!\\)\|", line.strip().strip("|"))
    return [p.strip().replace("\\|", "|") for p in parts]


def read_table(path: str) -> dict[tuple[str, str], Row]:
    """The rows of the one table in differences.md, by (file, test)."""
    rows: dict[tuple[str, str], Row] = {}
    with open(path, encoding="utf-8") as f:
        table = [line for line in f if line.startswith("|")]
    for line in table[2:]:  # after the header and its |---| line
        cells = _cells(line)
        if len(cells) != 6:
            raise ValueError(f"differences.md: a row needs 6 cells: {line.strip()}")
        row = Row(*cells)
        if (row.file, row.test) in rows:
            raise ValueError(f"differences.md: {row.file}: {row.test} is listed twice")
        rows[(row.file, row.test)] = row
    return rows


def direction(ours: Verdict, theirs: Verdict) -> str:
    """'laxer' when wirelab takes more than llhttp, else 'stricter'."""
    if ours.taken != theirs.taken:
        return "laxer" if ours.taken > theirs.taken else "stricter"
    return "laxer" if ours.kind == "accept" else "stricter"


# ---------------------------------------------------------------------------
# Running it
# ---------------------------------------------------------------------------

@dataclass
class Outcome:
    status: str                 # "ok", "not ok", "skip"
    label: str
    directive: str = ""         # after "# " on the result line
    kind: str = ""              # a listed difference's kind: stricter, laxer
    diag: list[str] = field(default_factory=list)


def twin(t: Test, tests: list[Test]) -> str:
    """For a lenient test: the strict test with the same bytes, named, or ""."""
    if not t.meta.get("type", "").startswith("request-lenient-"):
        return ""
    for o in tests:
        if o.data == t.data and o.meta == {"type": "request"}:
            return f"; the same bytes are judged in {o.file}: {o.name}"
    return ""


def judge(t: Test, tests: list[Test], ports: dict[int, int],
          table: dict[tuple[str, str], Row], verbose: bool) -> Outcome:
    log = read_log(t.log)
    label = f"{t.file}: {t.name}"
    why = not_applicable(t, log)
    if why:
        return Outcome("skip", label, f"SKIP not applicable: {why}{twin(t, tests)}")
    theirs = llhttp_verdict(log)
    data, notes = wirelab_bytes(t, log)
    methods = [m.method for m in log.messages]
    ours = {n: ask(port, data, methods) for n, port in ports.items()}
    details = [f"llhttp: {theirs}" + (f" ({log.error[2]})" if log.error else ""),
               *(f"lesson {n:02d}: {v} [{shown}]" for n, (v, shown) in ours.items()),
               f"sent: {data!r}"[:600], *(f"added: {n}" for n in notes)]
    out = Outcome("ok", label, diag=details if verbose else [])
    if any(v is None for v, _ in ours.values()):
        out.status, out.diag = "not ok", ["wirelab's answer is not a verdict", *details]
        return out
    verdicts = {n: v for n, (v, _) in ours.items()}
    row = table.get((t.file, t.name))
    if row:
        row.used = True
    if all(v == theirs for v in verdicts.values()):
        if row:
            out.status = "not ok"
            out.diag = ["listed in differences.md, but wirelab now agrees with llhttp: "
                        "remove the row", *details]
        return out
    uniq = set(verdicts.values())
    shown = str(next(iter(uniq))) if len(uniq) == 1 else \
        "; ".join(f"{n:02d} {v}" for n, v in verdicts.items())
    kinds = {direction(v, theirs) for v in verdicts.values() if v != theirs}
    kind = kinds.pop() if len(kinds) == 1 else "mixed"
    if not row:
        out.status = "not ok"
        out.diag = ["a difference not listed in differences.md; its row would start:",
                    f"| {t.file} | {t.name.replace('|', chr(92) + '|')} | {theirs} | {shown} "
                    f"| {kind} | ... |", *details]
    elif (row.llhttp, row.wirelab) != (str(theirs), shown) or row.kind.split()[0] != kind:
        out.status = "not ok"
        out.diag = [f"differences.md lists llhttp {row.llhttp!r}, wirelab {row.wirelab!r}, "
                    f"{row.kind.split()[0]!r}; now llhttp {str(theirs)!r}, wirelab {shown!r}, "
                    f"{kind!r}", *details]
    else:
        out.directive, out.kind = "listed difference", kind
    return out


def main() -> None:
    verbose = "-v" in sys.argv[1:]
    root = llhttp_dir()
    if not os.path.isdir(os.path.join(root, "test", "request")):
        print("1..1")
        print(f"ok 1 - llhttp's request tests against lessons 03 and 07 # SKIP no "
              f"{root}/test/request (tests/conformance/README.md says how to put it there)")
        return
    wrong = check_files(root)
    outcomes = [Outcome("not ok" if wrong else "ok", f"{root} holds llhttp 9.4.2's LICENSE "
                        "and request tests, unmodified", diag=wrong)]
    tests = load_all(root)
    table = read_table(TABLE)
    servers = {n: h.Server(n) for n in LESSONS}
    try:
        ports = {n: s.port for n, s in servers.items()}
        with ThreadPoolExecutor(8) as pool:
            outcomes += pool.map(lambda t: judge(t, tests, ports, table, verbose), tests)
    finally:
        for n, s in servers.items():
            label = f"lesson {n:02d} exits cleanly after the suite"
            try:
                s.check_clean()
                outcomes.append(Outcome("ok", label))
            except AssertionError as e:
                outcomes.append(Outcome("not ok", label, diag=[str(e)]))
    stale = [f"{r.file}: {r.test}" for r in table.values() if not r.used]
    outcomes.append(Outcome("not ok" if stale else "ok", "every row of differences.md names "
                            "a compared test", diag=[f"no such test: {s}" for s in stale]))
    print(f"1..{len(outcomes)}")
    for i, o in enumerate(outcomes, 1):
        status = "ok" if o.status == "skip" else o.status
        label = o.label.replace("#", "\\#")
        print(f"{status} {i} - {label}" + (f" # {o.directive}" if o.directive else ""))
        for line in o.diag:
            print(("# " + line).rstrip())
    counts = summary(outcomes)
    print(f"# {counts}")
    sys.exit(0 if all(o.status != "not ok" for o in outcomes) else 1)


def summary(outcomes: list[Outcome]) -> str:
    tests = [o for o in outcomes if ":" in o.label and o.label.split(":")[0].endswith(".md")]
    na = sum(o.status == "skip" for o in tests)
    kinds = [o.kind for o in tests if o.directive == "listed difference"]
    failed = sum(o.status == "not ok" for o in tests)
    return (f"{len(tests)} llhttp tests: {na} not applicable, {len(tests) - na} compared: "
            f"{len(tests) - na - len(kinds) - failed} agree, {len(kinds)} listed differences "
            f"({kinds.count('stricter')} stricter, {kinds.count('laxer')} laxer), "
            f"{failed} failed")


if __name__ == "__main__":
    main()
