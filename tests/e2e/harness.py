"""harness — what every end-to-end test file imports (Python 3.11 stdlib only).

TAP cases:
    @case("GET / answers 200")            # runs in order of definition
    def _(): ...
    @case("408 after 10 s", parallel=True) # neighbouring parallel cases run together
    def _(): ...
    lane = Lane()                         # ...but these two one after the other
    @case("first", parallel=True)
    @lane
    def _(): ...
    run()                                 # prints the plan and results, exits 0/1

    raise Skip("why") inside a case reports "ok N - label # SKIP why";
    fail("message") fails it without a traceback; diag("text") adds "# " lines
    under the case's result.

Lesson servers:
    with Server(3, "hello-host") as s:    # $WIRELAB_BIN/lesson-03 --port 0 ...
        data, closed, elapsed = exchange(s.port, b"GET / HTTP/1.1\r\n...")
        printed = s.take_stdout()
    # leaving the block stops the server and asserts it exited 0 with no
    # sanitizer report on stderr.

Memory checking (tests/run.sh's valgrind pass) and slow runs, from the environment:
    WIRELAB_WRAP="valgrind --error-exitcode=99 ..."  goes in front of every lesson
        server's command line (split as a shell splits words, nothing expanded), so
        a server that valgrind finds fault with exits 99 and its case fails;
    WIRELAB_SLOW=10  multiplies the harness's own waits (a server's start, its exit
        after SIGTERM, take_stdout's limit); a test that times a server multiplies
        its tolerance by SLOW (the limits it measures are the server's and stay).

A server's state, from /proc: proc_threads, proc_rss_kib, proc_fds, proc_sockets, and
    proc_connections(pid) -> (admitted, waiting in the lobby).
lab watch: read_watch(proc, seen, count, after, within) reads its output as it runs.

Responses:
    parse_responses(data, methods) -> [Response…, maybe Unparsed]
    request_methods(request_bytes) -> ["GET", "HEAD", …]
    normalize(data, methods, closed) -> the golden text (see tests/README.md)
"""

from __future__ import annotations

import atexit
import difflib
import gzip
import os
import random
import re
import select
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Callable, Iterable

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
HOST = "127.0.0.1"
WRAP: list[str] = shlex.split(os.environ.get("WIRELAB_WRAP", ""))
SLOW: float = float(os.environ.get("WIRELAB_SLOW") or 1)

# The Limits (common/README.md) as the tests wait on them, in seconds and bytes
# (common/http/limit.h holds the same in milliseconds).
HEAD_TIMEOUT = 10.0     # LIMIT_HEAD_TIME_MS
BODY_IDLE = 10.0        # LIMIT_BODY_IDLE_MS
KEEPALIVE_IDLE = 5.0    # LIMIT_KEEPALIVE_IDLE_MS
WRITE_TIMEOUT = 10.0    # LIMIT_WRITE_MS
LINGER = 2.0            # LIMIT_LINGER_MS
CONNECTIONS = 256       # LIMIT_CONNECTIONS
LOBBY = 256             # LIMIT_LOBBY: newcomers accepted, not yet admitted
BODY_DEFAULT = 1 << 20  # LIMIT_BODY_DEFAULT


def bin_dir() -> str:
    """Where the lesson binaries are: $WIRELAB_BIN, else build/bin of the repo."""
    return os.path.abspath(os.environ.get("WIRELAB_BIN") or os.path.join(REPO, "build", "bin"))


# ---------------------------------------------------------------------------
# TAP
# ---------------------------------------------------------------------------

class Skip(Exception):
    """Raise inside a case to report it as skipped, with the reason."""


class Fail(AssertionError):
    """A failure whose message says it all: reported without a traceback."""


def fail(message: str) -> None:
    raise Fail(message)


@dataclass
class Case:
    label: str
    fn: Callable[[], object]
    parallel: bool = False


_cases: list[Case] = []
_local = threading.local()
_out_lock = threading.Lock()


def case(label: str, parallel: bool = False):
    """Decorator: register fn as a TAP case. Neighbouring cases marked
    parallel=True run at the same time in threads (for slow timeout tests);
    their results are still printed one by one, in definition order."""
    def register(fn):
        _cases.append(Case(label, fn, parallel))
        return fn
    return register


def add_case(label: str, fn: Callable[[], object], parallel: bool = False) -> None:
    """Register a case without a decorator (for generated cases)."""
    _cases.append(Case(label, fn, parallel))


def diag(text: str) -> None:
    """Add diagnostic lines, printed as '# ' lines under the current case's
    result (outside a case: printed at once)."""
    buf = getattr(_local, "diag", None)
    if buf is None:
        _emit(_comment(text))
    else:
        buf.append(text)


def _comment(text: str) -> str:
    lines = str(text).rstrip("\n").split("\n")
    return "".join(("# " + line).rstrip() + "\n" for line in lines)


def _emit(text: str) -> None:
    with _out_lock:
        sys.stdout.write(text)
        sys.stdout.flush()


@dataclass
class _Result:
    status: str            # "ok", "not ok", "skip"
    detail: str = ""       # skip reason, or failure text
    diag: list[str] = field(default_factory=list)


def _run_one(c: Case) -> _Result:
    _local.diag = []
    try:
        c.fn()
        result = _Result("ok")
    except Skip as e:
        result = _Result("skip", str(e) or "skipped")
    except Fail as e:
        result = _Result("not ok", str(e))
    except BaseException as e:  # noqa: BLE001 — every case failure is reported
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        # Start the traceback at the case's own frame, not this one.
        tb = e.__traceback__.tb_next if e.__traceback__ else None
        result = _Result("not ok", "".join(traceback.format_exception(type(e), e, tb)))
    result.diag = _local.diag
    _local.diag = None
    return result


def _print_result(n: int, c: Case, r: _Result) -> bool:
    label = c.label.replace("#", "\\#").replace("\n", " ")
    if r.status == "skip":
        line = f"ok {n} - {label} # SKIP {r.detail}\n"
    else:
        line = f"{r.status} {n} - {label}\n"
    text = line
    for d in r.diag:
        text += _comment(d)
    if r.status == "not ok" and r.detail:
        text += _comment(r.detail)
    _emit(text)
    return r.status != "not ok"


def run(cases: Iterable[Case | tuple] | None = None) -> None:
    """Run the given cases (Case or (label, fn) tuples), or every registered
    one, print TAP, and exit 0 if none failed, else 1."""
    if cases is None:
        todo = list(_cases)
    else:
        todo = [c if isinstance(c, Case) else Case(*c) for c in cases]
    _emit(f"1..{len(todo)}\n")
    ok = True
    i = 0
    while i < len(todo):
        if not todo[i].parallel:
            ok &= _print_result(i + 1, todo[i], _run_one(todo[i]))
            i += 1
            continue
        j = i
        while j < len(todo) and todo[j].parallel:
            j += 1
        group = todo[i:j]
        results: list[_Result | None] = [None] * len(group)

        def work(k: int) -> None:
            results[k] = _run_one(group[k])

        threads = [threading.Thread(target=work, args=(k,), daemon=True) for k in range(len(group))]
        for t in threads:
            t.start()
        for k, t in enumerate(threads):
            t.join()
            r = results[k] or _Result("not ok", "case thread died without a result")
            ok &= _print_result(i + k + 1, group[k], r)
        i = j
    sys.exit(0 if ok else 1)


class Lane:
    """Cases of a parallel group that must not overlap one another (one server, one
    browser at a time): each function wrapped by the lane, as a decorator under @case or
    as lane(fn), runs once the one wrapped before it has ended, whatever its result. The
    group's other cases run beside them."""

    def __init__(self) -> None:
        self._last: threading.Event | None = None

    def __call__(self, fn: Callable[[], object]) -> Callable[[], None]:
        before, done = self._last, threading.Event()
        self._last = done

        def in_turn() -> None:
            if before:
                before.wait()
            try:
                fn()
            finally:
                done.set()
        return in_turn


def run_parallel(fns: list[Callable[[], object]]) -> list[BaseException | None]:
    """Run callables at the same time (inside one case); return, per callable,
    the exception it raised or None."""
    errors: list[BaseException | None] = [None] * len(fns)

    def work(k: int) -> None:
        try:
            fns[k]()
        except BaseException as e:  # noqa: BLE001
            errors[k] = e

    threads = [threading.Thread(target=work, args=(k,), daemon=True) for k in range(len(fns))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


# ---------------------------------------------------------------------------
# Lesson servers
# ---------------------------------------------------------------------------

SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "runtime error:", "LeakSanitizer")
_BOUND = re.compile(rb"Server bound to port (\d+)[^\n]*\n")
_live: set["Server"] = set()
_live_lock = threading.Lock()


class _Collector:
    """Reads a pipe to EOF in a thread, so the child can never block on it."""

    def __init__(self, pipe, name: str):
        self.buf = bytearray()
        self.cond = threading.Condition()
        self.eof = False
        self.last = time.monotonic()
        self._fd = pipe.fileno()
        self._pipe = pipe
        self.thread = threading.Thread(target=self._read, name=name, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self._fd, 65536)
            except OSError:
                chunk = b""
            with self.cond:
                if not chunk:
                    self.eof = True
                    self.cond.notify_all()
                    break
                self.buf += chunk
                self.last = time.monotonic()
                self.cond.notify_all()
        self._pipe.close()


class Server:
    """A lesson server on a free port of 127.0.0.1.

    Server(3) runs $WIRELAB_BIN/lesson-03; variant=None (or "default") passes
    no --variant; args are appended to the command line. Raises RuntimeError
    if the server has not printed "Server bound to port N" within
    start_timeout (times SLOW) seconds, or dies first (the message holds its
    stderr). With WIRELAB_WRAP set, the process run is WRAP + cmd (proc.pid
    is still the server's: valgrind runs it in its own process).
    """

    def __init__(self, lesson: int | str, variant: str | None = None, args: Iterable[str] = (),
                 start_timeout: float = 10.0, env: dict | None = None, cwd: str | None = None):
        self.lesson = int(lesson)
        self.variant = None if variant in (None, "default") else variant
        self.exe = os.path.join(bin_dir(), f"lesson-{self.lesson:02d}")
        self.cmd = [self.exe, "--host", HOST, "--port", "0"]
        if self.variant:
            self.cmd += ["--variant", self.variant]
        self.cmd += list(args)
        self.status: int | None = None
        self.died_early = False         # exited before stop() asked it to
        self._taken = 0
        if not os.access(self.exe, os.X_OK):
            raise RuntimeError(f"no lesson binary {self.exe} (run make first)")
        self.proc = subprocess.Popen(WRAP + self.cmd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
                                     env=env)
        with _live_lock:
            _live.add(self)
        self._out = _Collector(self.proc.stdout, f"lesson-{self.lesson:02d}-stdout")
        self._err = _Collector(self.proc.stderr, f"lesson-{self.lesson:02d}-stderr")
        try:
            self.port = self._wait_bound(start_timeout * SLOW)
        except BaseException:
            self._kill()
            raise

    def _wait_bound(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        with self._out.cond:
            while True:
                m = _BOUND.search(self._out.buf)
                if m:
                    self._taken = m.end()
                    return int(m.group(1))
                if self._out.eof or self.proc.poll() is not None:
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._out.cond.wait(min(left, 0.1))
        what = "exited" if self.proc.poll() is not None else "did not print 'Server bound to port N'"
        if self.proc.poll() is None:
            what += f" within {timeout:g} s"
        else:
            what += f" with status {self.proc.returncode} before listening"
            self._err.thread.join(2)
        raise RuntimeError(f"{' '.join(self.cmd)}: {what}\n"
                           f"stdout: {bytes(self._out.buf).decode(errors='replace')}\n"
                           f"stderr: {self.stderr()}")

    def __repr__(self) -> str:
        return f"<Server lesson-{self.lesson:02d} {self.variant or 'default'} port {getattr(self, 'port', '?')}>"

    def alive(self) -> bool:
        return self.proc.poll() is None

    def take_stdout(self, settle: float = 0.05, timeout: float = 5.0) -> str:
        """Return what the server printed on stdout since the last call, once
        nothing new has arrived for `settle` seconds, counting from this call
        or the latest output, whichever is later (waits at most `timeout`
        times SLOW)."""
        called = time.monotonic()
        deadline = called + timeout * SLOW
        with self._out.cond:
            while not self._out.eof:
                now = time.monotonic()
                quiet = now - max(self._out.last, called)
                if quiet >= settle or now >= deadline:
                    break
                self._out.cond.wait(min(settle - quiet, deadline - now))
            data = bytes(self._out.buf[self._taken:])
            self._taken = len(self._out.buf)
        return data.decode("utf-8", errors="backslashreplace")

    def stdout(self) -> str:
        """Everything printed on stdout so far (including the bound line)."""
        with self._out.cond:
            return bytes(self._out.buf).decode("utf-8", errors="backslashreplace")

    def stderr(self) -> str:
        """Everything printed on stderr so far (access log, sanitizer reports)."""
        with self._err.cond:
            return bytes(self._err.buf).decode("utf-8", errors="backslashreplace")

    def sanitizer_report(self) -> str | None:
        err = self.stderr()
        for marker in SANITIZER_MARKERS:
            if marker in err:
                return marker
        return None

    def stop(self, timeout: float = 5.0) -> int:
        """SIGTERM, wait up to `timeout` (times SLOW) s, return the exit status
        (negative: killed by that signal). Kills it and raises if it does not exit."""
        timeout *= SLOW
        if self.status is not None:
            return self.status
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        else:
            self.died_early = True
        try:
            self.status = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self._kill()
            raise Fail(f"{self!r} did not exit within {timeout:g} s of SIGTERM; killed.\n"
                       f"stderr:\n{self._tail(self.stderr())}")
        finally:
            self._join()
        return self.status

    def _kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.status = self.proc.wait()
        self._join()

    def _join(self) -> None:
        self._out.thread.join(2)
        self._err.thread.join(2)
        with _live_lock:
            _live.discard(self)

    @staticmethod
    def _tail(text: str, lines: int = 40) -> str:
        return "\n".join(text.rstrip("\n").split("\n")[-lines:])

    def check_clean(self) -> None:
        """Stop the server; fail unless it exited 0 with no sanitizer report."""
        status = self.stop()
        marker = self.sanitizer_report()
        if marker:
            fail(f"{self!r}: stderr has a sanitizer report ({marker}):\n{self._tail(self.stderr(), 80)}")
        if status != 0 or self.died_early:
            how = f"signal {-status}" if status < 0 else f"status {status}"
            when = "before it was stopped" if self.died_early else "after SIGTERM, not 0"
            fail(f"{self!r} exited with {how} {when}.\n"
                 f"stderr:\n{self._tail(self.stderr()) or '(empty)'}")

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.check_clean()


def _cleanup() -> None:
    with _live_lock:
        servers = list(_live)
    for s in servers:
        try:
            s._kill()
        except Exception:  # noqa: BLE001 — best effort at exit
            pass


atexit.register(_cleanup)


def _on_term(signum, frame):
    # Make SIGTERM (e.g. from timeout) unwind normally so atexit runs.
    raise SystemExit(128 + signum)


if threading.current_thread() is threading.main_thread():
    signal.signal(signal.SIGTERM, _on_term)


# ---------------------------------------------------------------------------
# A running server, read from /proc
# ---------------------------------------------------------------------------

def proc_status(pid: int) -> dict[str, str]:
    """/proc/PID/status as a dict: "Threads" -> "3", "VmRSS" -> "2212 kB", …"""
    with open(f"/proc/{pid}/status") as f:
        return dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)


def proc_threads(pid: int) -> int:
    return int(proc_status(pid)["Threads"])


def proc_rss_kib(pid: int) -> int:
    return int(proc_status(pid)["VmRSS"].split()[0])


def proc_fds(pid: int) -> dict[str, str]:
    """The process's open descriptors, each name (its number) with what it links to
    ("socket:[INODE]", "anon_inode:[eventpoll]", a path); one closed while we looked is
    left out."""
    links = {}
    for name in os.listdir(f"/proc/{pid}/fd"):
        try:
            links[name] = os.readlink(f"/proc/{pid}/fd/{name}")
        except OSError:
            pass  # closed while we looked
    return links


def proc_sockets(pid: int) -> int:
    """The process's open sockets: a server's listener and every connection it holds.
    (A connection parked in epoll holds no thread, so this, not the thread count, says
    how many connections a lesson server holds.)"""
    return sum(link.startswith("socket:") for link in proc_fds(pid).values())


EPOLLET = select.EPOLLET  # in fdinfo's events: an edge-triggered watch


def proc_connections(pid: int) -> tuple[int, int]:
    """A lesson server's connections as (admitted, waiting), told apart by the epoll
    sets of its pool (common/server/pool.c), as their fdinfo lists them. Admitted ones
    hold a slot: the pool's set watches each from admission to close, beside its stop
    eventfd. Waiting ones are the lobby's guests, accepted and given no slot yet: the
    lobby's own set watches each, edge-triggered (the refused ones on their way out it
    watches level-triggered: counted in neither). The fd list and the fdinfo are two
    reads, not one instant: a connection that came or went between them may be
    missed."""
    links = proc_fds(pid)
    sockets = {int(link[len("socket:["):-1]) for link in links.values()
               if link.startswith("socket:[")}
    polls = [name for name, link in links.items() if link == "anon_inode:[eventpoll]"]
    try:
        # The kernel's one inode behind every epoll set and eventfd.
        anon = os.stat(f"/proc/{pid}/fd/{polls[0]}").st_ino if polls else None
    except OSError:
        anon = None
    admitted, waiting = set(), set()
    for name in polls:
        try:
            with open(f"/proc/{pid}/fdinfo/{name}") as f:
                text = f.read()
        except OSError:
            continue
        watches = [(int(ev, 16), int(ino, 16)) for ev, ino in
                   re.findall(r"^tfd:.*\bevents:\s*([0-9a-f]+).*\bino:([0-9a-f]+)", text, re.M)]
        if any(ino == anon for _, ino in watches):  # the stop eventfd: the pool's set
            admitted |= {ino for _, ino in watches if ino in sockets}
        else:
            waiting |= {ino for ev, ino in watches if ev & EPOLLET and ino in sockets}
    return len(admitted), len(waiting)


# ---------------------------------------------------------------------------
# lab watch, read as it runs
# ---------------------------------------------------------------------------

_SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$", re.M)


def read_watch(proc: subprocess.Popen, seen: str, count: int, after: str,
               within: float) -> str:
    """`lab watch`'s output (proc's stdout, made non-blocking) read onto seen until it
    holds count "N passed, N failed" summaries and, after the last text `after`, the
    "watching" line of the next wait. Returns seen with what was read; fails after
    within seconds, or when watch has ended."""
    deadline = time.time() + within
    while len(_SUMMARY.findall(seen)) < count or "watching" not in seen.split(after)[-1]:
        if time.time() > deadline or proc.poll() is not None:
            fail(f"waited for {count} checks:\n{seen}")
        time.sleep(0.1)
        seen += (proc.stdout.read() or b"").decode(errors="replace")
    return seen


# ---------------------------------------------------------------------------
# Hostile bytes
# ---------------------------------------------------------------------------

def mangled_requests(seed: int, count: int, request: bytes) -> list[bytes]:
    """count inputs made from seed: garbage, and request (with a header line more,
    or not) with bytes flipped to ones a parser must think about, then cut."""
    rnd = random.Random(seed)
    out = []
    for _ in range(count):
        kind = rnd.randrange(3)
        if kind == 0:
            out.append(bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 300))))
        else:
            b = bytearray(request + b"X-A: b\r\n\r\n" if kind == 1 else request)
            for _ in range(rnd.randrange(1, 6)):
                b[rnd.randrange(len(b))] = rnd.choice(b"\r\n\0 :\t\x7f\xff/aZ")
            out.append(bytes(b[:rnd.randrange(1, len(b) + 1)]))
    return out


# ---------------------------------------------------------------------------
# Raw client
# ---------------------------------------------------------------------------

def exchange(port: int, data: bytes, half_close: bool = True, timeout: float = 15,
             chunks: Iterable[int] | None = None, delay: float = 0) -> tuple[bytes, bool, float]:
    """Connect to 127.0.0.1:port, send data (in pieces of the given sizes,
    sleeping `delay` s between writes; the rest in one last piece), shut down
    the write side if half_close, and read until the server closes or
    `timeout` s have passed since connecting.

    Returns (bytes received, closed by server, seconds elapsed). A reset
    counts as closed by the server. Sending stops quietly if the server has
    already closed (it may answer 413 before reading everything)."""
    start = time.monotonic()
    deadline = start + timeout
    received = bytearray()
    closed = False
    with socket.create_connection((HOST, port), timeout=timeout) as sock:
        pieces = []
        pos = 0
        for size in chunks or ():
            pieces.append(data[pos:pos + size])
            pos += size
        if pos < len(data) or not pieces:
            pieces.append(data[pos:])
        try:
            for k, piece in enumerate(pieces):
                if k and delay:
                    time.sleep(delay)
                sock.settimeout(max(deadline - time.monotonic(), 0.001))
                sock.sendall(piece)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass  # the server may answer (413, say) and close before we finish sending
        except socket.timeout:
            pass
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            sock.settimeout(left)
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            received += chunk
    return bytes(received), closed, time.monotonic() - start


# ---------------------------------------------------------------------------
# Parsing responses
# ---------------------------------------------------------------------------

_REQUEST_LINE = re.compile(rb"^([A-Z]+) \S+ HTTP/\d", re.M)
_STATUS_LINE = re.compile(r"HTTP/(\d)\.(\d) (\d{3})(?: (.*))?\Z", re.S)
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")


def request_methods(request: bytes) -> list[str]:
    """The methods of the request lines in a canned request, in order."""
    return [m.decode() for m in _REQUEST_LINE.findall(request)]


@dataclass
class Response:
    status_line: str                    # as received, without CRLF (latin-1)
    status: int
    headers: list[tuple[str, str]]      # (name as received, value OWS-trimmed)
    body: bytes = b""                   # after chunked decoding, before content decoding
    framing: str = "none"               # none, content-length, chunked, eof
    complete: bool = True               # False: the stream ended inside the body
    expected: int | None = None         # Content-Length, when framing says so
    trailers: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str, default: str | None = None) -> str | None:
        """First value of a header, case-insensitively."""
        name = name.lower()
        for n, v in self.headers:
            if n.lower() == name:
                return v
        return default

    def header_all(self, name: str) -> list[str]:
        name = name.lower()
        return [v for n, v in self.headers if n.lower() == name]

    def decoded_body(self) -> bytes:
        """The body with a gzip Content-Encoding undone (raises if it can't be)."""
        if (self.header("content-encoding") or "").strip().lower() in ("gzip", "x-gzip"):
            return gzip.decompress(self.body)
        return self.body


@dataclass
class Unparsed:
    data: bytes
    reason: str


class _Bad(Exception):
    pass


def _parse_head(head: bytes) -> tuple[str, int, list[tuple[str, str]]]:
    lines = head.decode("latin-1").split("\r\n")
    m = _STATUS_LINE.match(lines[0])
    if not m or "\n" in lines[0]:
        raise _Bad("no valid status line")
    headers = []
    for line in lines[1:]:
        if "\n" in line:
            raise _Bad("bare LF in the header section")
        if line[:1] in (" ", "\t"):
            raise _Bad("obsolete line folding")
        name, colon, value = line.partition(":")
        if not colon or not _TOKEN.match(name):
            raise _Bad(f"bad header line {line!r}")
        headers.append((name, value.strip(" \t")))
    return lines[0], int(m.group(3)), headers


def _content_length(headers: list[tuple[str, str]]) -> int | None:
    values = set()
    for n, v in headers:
        if n.lower() == "content-length":
            for part in v.split(","):
                part = part.strip(" \t")
                if not part.isdigit() or not part.isascii():
                    raise _Bad(f"invalid Content-Length {v!r}")
                values.add(int(part))
    if len(values) > 1:
        raise _Bad("conflicting Content-Length values")
    return values.pop() if values else None


def _dechunk(data: bytes, pos: int) -> tuple[bytes, int, bool, list[tuple[str, str]]]:
    """Decode a chunked body from data[pos:]: (body, end, complete, trailers)."""
    body = bytearray()
    while True:
        eol = data.find(b"\r\n", pos)
        if eol < 0:
            return bytes(body), len(data), False, []
        size_text = data[pos:eol].split(b";", 1)[0].strip(b" \t")
        if not re.fullmatch(rb"[0-9A-Fa-f]+", size_text):
            raise _Bad(f"bad chunk size line {data[pos:eol]!r}")
        size = int(size_text, 16)
        pos = eol + 2
        if size == 0:
            break
        if len(data) < pos + size:
            body += data[pos:]
            return bytes(body), len(data), False, []
        body += data[pos:pos + size]
        pos += size
        if len(data) < pos + 2:
            return bytes(body), len(data), False, []
        if data[pos:pos + 2] != b"\r\n":
            raise _Bad("chunk data not followed by CRLF")
        pos += 2
    trailers = []
    while True:
        eol = data.find(b"\r\n", pos)
        if eol < 0:
            return bytes(body), len(data), False, trailers
        line = data[pos:eol].decode("latin-1")
        pos = eol + 2
        if not line:
            return bytes(body), pos, True, trailers
        name, colon, value = line.partition(":")
        if not colon or not _TOKEN.match(name):
            raise _Bad(f"bad trailer line {line!r}")
        trailers.append((name, value.strip(" \t")))


def parse_responses(data: bytes, methods: Iterable[str] = ()) -> list[Response | Unparsed]:
    """Split a received byte stream into responses (RFC 9112 §6.3 framing).

    methods are the request methods in order; a HEAD response has no body,
    nor do 1xx, 204 and 304. 1xx responses are interim and do not use up a
    method. Responses beyond the list are taken to answer GET. Whatever
    cannot be parsed ends the list as one Unparsed item."""
    methods = list(methods)
    out: list[Response | Unparsed] = []
    pos = 0
    m_index = 0
    while pos < len(data):
        start = pos
        try:
            end = data.find(b"\r\n\r\n", pos)
            if end < 0:
                raise _Bad("incomplete or malformed response head")
            status_line, status, headers = _parse_head(data[pos:end])
            pos = end + 4
            r = Response(status_line, status, headers)
            method = methods[m_index] if m_index < len(methods) else "GET"
            if 100 <= status < 200:
                out.append(r)
                if status == 101:
                    if pos < len(data):
                        out.append(Unparsed(data[pos:], "after 101 Switching Protocols"))
                    return out
                continue
            m_index += 1
            te = [v.strip().lower() for n, v in headers if n.lower() == "transfer-encoding"]
            codings = [c.strip() for v in te for c in v.split(",") if c.strip()]
            if method == "HEAD" or status in (204, 304):
                pass
            elif codings:
                if codings[-1] == "chunked":
                    r.framing = "chunked"
                    r.body, pos, r.complete, r.trailers = _dechunk(data, pos)
                else:
                    r.framing = "eof"
                    r.body, pos = data[pos:], len(data)
            else:
                length = _content_length(headers)
                if length is not None:
                    r.framing = "content-length"
                    r.expected = length
                    r.body = data[pos:pos + length]
                    r.complete = len(r.body) == length
                    pos += len(r.body)
                else:
                    r.framing = "eof"
                    r.body, pos = data[pos:], len(data)
            out.append(r)
        except _Bad as e:
            out.append(Unparsed(data[start:], str(e)))
            break
    return out


# ---------------------------------------------------------------------------
# Golden text
# ---------------------------------------------------------------------------

def normalize(data: bytes, methods: Iterable[str], closed: bool, timeout: float = 15,
              printed: str | None = None) -> str:
    """The golden text of one exchange (format in tests/README.md): each
    response with masked headers and its body, how the connection ended, and
    (when printed is non-empty) what the server printed for the request.

    `lab normalize` renders it, with the normaliser lab check uses too
    (tools/check/normal.c): there is one, and it is in C."""
    args = [os.path.join(bin_dir(), "lab"), "normalize", "--reply", str(len(data))]
    if not closed:
        args += ["--open", f"{timeout:g}"]
    args += list(methods)
    p = subprocess.run(args, input=data + (printed or "").encode("utf-8"), capture_output=True,
                       timeout=60 * SLOW)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited with status {p.returncode}:\n"
                           + p.stderr.decode("utf-8", errors="backslashreplace"))
    return p.stdout.decode("utf-8")


def unified_diff(expected: str, actual: str, expected_name: str = "expected",
                 actual_name: str = "actual") -> str:
    """A unified diff of two golden texts, every line ending in a newline."""
    lines = difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                 expected_name, actual_name)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in lines)
