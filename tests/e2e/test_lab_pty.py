"""test_lab_pty — the interactive lab shell, driven through a terminal (tmux).

Each shell runs in a tmux pane on a private tmux server (-L wirelab-test-PID),
100x40, with HOME in a temporary folder (so its history is its own), inside
`sh -c 'lab; echo "[lab exited $?]"; sleep'` so the test sees how it ended.
Every wait polls the pane (capture-pane) for the text it expects, for at most
WAIT seconds. The tmux server is killed at the end whatever happens.
The cases mostly wait (on the pane, on timeouts): each in a session of its own, the
cases before the history case run side by side, then it alone (the shells share HOME,
and it reads what the last one wrote), then the cases after it side by side."""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

import harness as h

LAB = os.path.join(h.bin_dir(), "lab")
WAIT = 10.0
SOCKET = f"wirelab-test-{os.getpid()}"
HOME = tempfile.mkdtemp(prefix="wirelab-pty-")
HERE = os.path.dirname(os.path.abspath(__file__))


def tmux(*args: str, check: bool = True) -> str:
    p = subprocess.run(["tmux", "-L", SOCKET, "-f", "/dev/null", *args], capture_output=True,
                       text=True, timeout=10)
    if check and p.returncode != 0:
        h.fail(f"tmux {' '.join(args)}: {p.stderr.strip()}")
    return p.stdout


_labs: list[int] = []  # every lab process this file started, to be sure none outlives it


def _cleanup() -> None:
    subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True, timeout=10)
    for pid in _labs:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    shutil.rmtree(HOME, ignore_errors=True)


atexit.register(_cleanup)
_keeper: list[bool] = []
_keeper_lock = threading.Lock()  # the cases start their shells side by side


def _keep_server() -> None:
    """One idle session for the whole run: a tmux server with no session left exits,
    and a new-session racing that exit fails."""
    with _keeper_lock:
        if not _keeper:
            tmux("new-session", "-d", "-s", "keeper", "sleep 3600")
            _keeper.append(True)


class Shell:
    """One `lab` in its own tmux session."""

    def __init__(self, name: str, cwd: str | None = None, env: dict | None = None):
        if not shutil.which("tmux"):
            raise h.Skip("tmux is not installed")
        _keep_server()
        self.name = name
        extra_env = env
        env = {"HOME": HOME, "TERM": "screen", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "WIRELAB_BIN", "WIRELAB_ROOT"):
            if k in os.environ:
                env[k] = os.environ[k]
        env["WIRELAB_BIN"] = h.bin_dir()
        env.update(extra_env or {})
        inner = "env -i " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        cmd = f'{inner} {shlex.quote(LAB)}; echo "[lab exited $?]"; exec sleep 600'
        tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "40",
             *(("-c", cwd) if cwd else ()), cmd)
        self.wait(r"^lab>$")
        self.pid = self.lab_pid()
        _labs.append(self.pid)

    def keys(self, *keys: str) -> None:
        tmux("send-keys", "-t", self.name, *keys)

    def type(self, text: str) -> None:
        """Literal text (no key names), then nothing else."""
        tmux("send-keys", "-t", self.name, "-l", text)

    def screen(self, escapes: bool = False) -> str:
        """The pane's whole history, wrapped lines joined, trailing spaces dropped (with
        escapes, its colour sequences kept)."""
        text = tmux("capture-pane", "-p", "-J", *(("-e",) if escapes else ()), "-S", "-", "-t",
                    self.name)
        return "\n".join(line.rstrip() for line in text.split("\n")).rstrip("\n")

    def wait(self, pattern: str, after: int = 0) -> re.Match:
        """The first match of pattern (multiline) in the pane's text after offset."""
        deadline = time.monotonic() + WAIT
        while True:
            text = self.screen()
            m = re.compile(pattern, re.M).search(text, after)
            if m:
                return m
            if time.monotonic() > deadline:
                h.fail(f"no {pattern!r} in the pane within {WAIT:g} s:\n{text[-3000:]}")
            time.sleep(0.05)

    def mark(self) -> int:
        """Where the line with the cursor (the prompt) starts: waits after it see only
        what comes next."""
        return self.screen().rfind("\n") + 1

    def lab_pid(self) -> int:
        """The lab process: the pane's shell's child."""
        sh = int(tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())
        kids = children(sh)
        assert len(kids) == 1, kids
        return kids[0]

    def exited(self) -> int:
        m = self.wait(r"\[lab exited (\d+)\]")
        text = self.screen()
        for marker in h.SANITIZER_MARKERS:
            if marker in text:
                h.fail(f"sanitizer report ({marker}) in the pane:\n{text[-4000:]}")
        return int(m.group(1))

    def close(self) -> None:
        """Ends the session; a lab still running gets SIGHUP from it and must leave."""
        tmux("kill-session", "-t", self.name, check=False)
        deadline = time.monotonic() + WAIT
        while not gone(self.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if not gone(self.pid):
            os.kill(self.pid, signal.SIGKILL)
            h.fail(f"lab {self.pid} did not leave within {WAIT:g} s of SIGHUP; killed")


def children(pid: int) -> list[int]:
    kids: list[int] = []
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/children") as f:
            kids += [int(k) for k in f.read().split()]
    return kids


def gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((h.HOST, port)) == 0


def exe(pid: int) -> str:
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return ""


def servers(pid: int) -> list[int]:
    """The children of the lab but the guard each server has (tools/util/proc.h), a
    fork of the lab itself."""
    return [k for k in children(pid) if exe(k) != exe(pid)]


def start_lesson(sh: Shell, n: int = 3, shown: str = "hello-host") -> tuple[int, int]:
    """start N on a free port; returns (port, the server's pid)."""
    at = sh.mark()
    sh.type(f"start {n} --port 0")
    sh.keys("Enter")
    port = int(sh.wait(r"is listening on http://127\.0\.0\.1:(\d+)/", at).group(1))
    sh.wait(rf"^lab\[{n:02d} {shown} :{port}\]>$", at)
    kids = servers(sh.lab_pid())
    assert len(kids) == 1, kids
    return port, kids[0]


def run(sh: Shell, line: str, *patterns: str) -> int:
    """Types line, Enter, and waits for each pattern after it, then the prompt; returns
    where its output starts."""
    at = sh.mark()
    sh.type(line)
    sh.keys("Enter")
    for p in patterns:
        sh.wait(p, at)
    sh.wait(r"^lab(\[.*\])?>$", at + len(line) + 1)
    return at


@h.case("start a lesson, send a canned request, see the request bytes and the response",
        parallel=True)
def _():
    sh = Shell("send")
    try:
        start_lesson(sh)
        at = sh.mark()
        sh.type("send curl-get")
        sh.keys("Enter")
        sh.wait(r"^> GET / HTTP/1\.1\\r\\n$", at)
        sh.wait(r"^< HTTP/1\.1 200 OK$", at)
        sh.wait(r"^Hello localhost$", at)
        sh.wait(r"^--- the same request with curl:", at)
        sh.wait(r"^lab\[03 hello-host :\d+\]>$", at)
    finally:
        sh.close()


@h.case("Tab completes a partial command and a partial request name", parallel=True)
def _():
    sh = Shell("tab")
    try:
        start_lesson(sh)
        at = sh.mark()
        sh.type("reque")
        sh.keys("Tab")
        sh.wait(r"\]> requests$", at)
        sh.keys("Enter")
        sh.wait(r"^\s+pipelined\s+two GETs in one write: two answers, in order$", at)
        at = sh.mark()
        sh.type("send pipel")
        sh.keys("Tab")
        sh.wait(r"\]> send pipelined$", at)
        sh.keys("Enter")
        sh.wait(r"^Hello webserver$", at)
        at = sh.mark()
        sh.type("start 3 hello-w")
        sh.keys("Tab")
        sh.wait(r"\]> start 3 hello-world$", at)
        sh.keys("C-u")
    finally:
        sh.close()


@h.case("Tab offers module names where a module fits: exercise, check, watch, hint", parallel=True)
def _():
    sh = Shell("tabmod")
    try:
        for typed, whole in (("watch ur", "watch url"), ("check acc", "check accept"),
                             ("exercise chu", "exercise chunked"), ("hint dat", "hint date")):
            at = sh.mark()
            sh.type(typed)
            sh.keys("Tab")
            sh.wait(rf"^lab> {whole} ?$", at)
            sh.keys("C-u")
        at = sh.mark()
        sh.type("diff ur")  # diff takes a lesson only
        sh.keys("Tab")
        time.sleep(0.5)
        assert sh.screen()[at:].rstrip().endswith("lab> diff ur"), sh.screen()[-500:]
        sh.keys("C-u")
    finally:
        sh.close()


@h.case("Ctrl-C interrupts a slow request, not the shell, which still answers help", parallel=True)
def _():
    silent = socket.socket()
    silent.bind((h.HOST, 0))
    silent.listen(4)
    port = silent.getsockname()[1]
    sh = Shell("ctrlc")
    try:
        at = sh.mark()
        sh.type(f"get / --url http://127.0.0.1:{port} --timeout 60")
        sh.keys("Enter")
        sh.wait(r"^> \\r\\n$", at)
        time.sleep(0.3)  # well inside the wait for an answer
        started = time.monotonic()
        sh.keys("C-c")
        sh.wait(r"^interrupted after", at)
        assert time.monotonic() - started < 5
        at = sh.mark()
        sh.wait(r"^lab>$", at)
        sh.type("typed then dropped")
        sh.wait(r"^lab> typed then dropped$", at)  # on screen: a tty drops unread input on ^C
        sh.keys("C-c")
        sh.wait(r"dropped\^C$", at)
        sh.type("help")
        sh.keys("Enter")
        sh.wait(r"^\s+quit\s+stop the server and leave(.*\n)+lab>$", at)
        assert "typed then droppedhelp" not in sh.screen()
        sh.keys("C-d")
        assert sh.exited() == 0
    finally:
        sh.close()
        silent.close()


@h.case("quit stops the server: no lesson process remains and its port is closed", parallel=True)
def _():
    sh = Shell("quit")
    try:
        port, pid = start_lesson(sh)
        assert listening(port)
        sh.type("quit")
        sh.keys("Enter")
        assert sh.exited() == 0
        sh.wait(r"stopped lesson 03-better-server \(exit status 0\)")
        deadline = time.monotonic() + WAIT
        while not gone(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gone(pid), f"lesson server {pid} outlived the shell"
        assert not listening(port), f"port {port} still listening"
    finally:
        sh.close()


@h.case("Ctrl-D and SIGTERM also stop the shell's server", parallel=True)
def _():
    for how in ("ctrl-d", "sigterm"):
        sh = Shell(f"end-{how}")
        try:
            port, pid = start_lesson(sh)
            if how == "ctrl-d":
                sh.keys("C-d")
            else:
                os.kill(sh.lab_pid(), signal.SIGTERM)
            assert sh.exited() == 0
            deadline = time.monotonic() + WAIT
            while not gone(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert gone(pid) and not listening(port), how
        finally:
            sh.close()


@h.case("a server that dies while you type is reported, and the prompt forgets it", parallel=True)
def _():
    sh = Shell("dies")
    try:
        port, pid = start_lesson(sh)
        at = sh.mark()
        sh.type("half a comm")
        os.kill(pid, signal.SIGKILL)
        sh.wait(r"server was killed by signal 9", at)
        sh.wait(r"^lab> half a comm$", at)
        sh.keys("C-u")
        sh.type("quit")
        sh.keys("Enter")
        assert sh.exited() == 0
    finally:
        sh.close()


@h.case("history is kept between runs: Up recalls the last shell's commands")
def _():
    history = os.path.join(HOME, ".local", "share", "wirelab", "history")
    sh = Shell("history-1")
    try:
        sh.type("url http://remembered.example/")
        sh.keys("Enter")
        sh.wait(r"^hostname\s+remembered\.example$")
        sh.type("quit")
        sh.keys("Enter")
        assert sh.exited() == 0
    finally:
        sh.close()
    with open(history) as f:
        assert "url http://remembered.example/" in f.read().splitlines()
    sh = Shell("history-2")
    try:
        sh.keys("Up")
        sh.wait(r"^lab> quit$")
        at = sh.mark()
        sh.keys("Up")
        sh.wait(r"^lab> url http://remembered\.example/$", at)
        sh.keys("Enter")
        sh.wait(r"^hostname\s+remembered\.example$(.*\n)+lab>$", at)
        sh.keys("C-d")
        assert sh.exited() == 0
    finally:
        sh.close()


@h.case("Tab after send offers the running lesson's requests only, not lesson names", parallel=True)
def _():
    sh = Shell("tab-send")
    try:
        start_lesson(sh)
        at = sh.mark()
        sh.type("send c")
        sh.keys("Tab")
        sh.keys("Tab")
        # lesson 03's requests that start with c, laid out in columns by readline
        sh.wait(r"\bcurl-get\s*$", at)
        text = sh.screen()[at:]
        assert "chunked-post" in text, text
        assert "caching" not in text and "cookies" not in text, text
        sh.keys("C-u")
        at = sh.mark()
        sh.type("get / --les")
        sh.keys("Tab")
        sh.wait(r"\]> get / --lesson$", at)
        sh.type("0")
        sh.keys("Tab")
        sh.keys("Tab")
        sh.wait(r"^01\s+02\s+03", at)
        sh.keys("C-u")
    finally:
        sh.close()


@h.case("get: header values exactly as typed, unquoted: If-None-Match and If-Modified-Since get 304",
        parallel=True)
def _():
    sh = Shell("headers")
    try:
        start_lesson(sh, 5, r"\S+")
        run(sh, 'get /js/myjs.js If-None-Match: W/"4d2e25336187ade95f260ba129f1c2ea"',
            r'^> If-None-Match: W/"4d2e25336187ade95f260ba129f1c2ea"\\r\\n$',
            r"^< HTTP/1\.1 304 Not Modified$")
        at = run(sh, "get /python-logo/ If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT",
                 r"^> If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\\r\\n$",
                 r"^< HTTP/1\.1 304 Not Modified$")
        assert "> 00:" not in sh.screen()[at:]
        run(sh, "help get", r"^  get /js/myjs\.js If-None-Match: W/\"4d2e", r"If-Modified-Since: Fri")
    finally:
        sh.close()


@h.case("keep-alive: the connection is reused, the 5 s idle close is reported, trace draws both",
        parallel=True)
def _():
    sh = Shell("keepalive")
    try:
        port, _ = start_lesson(sh)
        run(sh, "get /", r"^--- kept open by the server: \d+ bytes in .*\n    the next request to "
            r"this server reuses the connection$")
        kept = time.monotonic()
        run(sh, "get /again", r"^--- reusing connection 1, kept open by the server \(request 2 on "
            r"it\)$", r"^--- kept open by the server")
        at = sh.mark()
        m = sh.wait(r"^--- the server closed connection 1 after (\d+\.\d) s idle \(trace draws it\)$",
                    at)
        assert 4.5 <= float(m.group(1)) <= 6.5, m.group(0)
        assert time.monotonic() - kept >= 4.5
        sh.wait(rf"^lab\[03 hello-host :{port}\]>$", m.end())
        run(sh, "send pipelined", r"^--- closed by the server")
        at = run(sh, "trace", r"^connection 2 to 127\.0\.0\.1:\d+ \(lesson 03\)$")
        text = sh.screen()[at:]
        one = text[text.index("connection 1 to"):text.index("connection 2 to")]
        two = text[text.index("connection 2 to"):]
        assert re.search(r"\|--- connect -+>\|", one), one
        assert re.search(r"\|--- GET / HTTP/1\.1 \(\d+ bytes\) -+>\|", one), one
        assert re.search(r"\|\s+reused after \d\.\d\d s idle, for request 2\s+\|", one), one
        assert re.search(r"\|--- GET /again HTTP/1\.1 \(\d+ bytes\) -+>\|", one), one
        assert len(re.findall(r"\|<-+ 200 OK \(\d+ bytes\) ---\|", one)) == 2, one
        assert len(re.findall(r"kept open by the server", one)) == 2, one
        assert re.search(r"\d\.\d\d s  \|<-+ FIN: the server closes \(idle [56]\.\d\d s\) ---\|",
                         one), one
        assert re.search(r"\|--- GET /second HTTP/1\.1 \(60 bytes\) -+>\|", two), two
        assert re.search(r"\|<-+ FIN: the server closes ---\|", two), two
        assert "still open" not in text, text
        # colour on a terminal
        assert "\033[" in sh.screen(escapes=True).split("connection 2 to")[-1]
    finally:
        sh.close()


@h.case("NO_COLOR: no colour on a terminal either, in the trace or elsewhere", parallel=True)
def _():
    sh = Shell("nocolor", env={"NO_COLOR": "1"})
    try:
        start_lesson(sh)
        at = run(sh, "send pipelined --trace", r"^connection 1 to 127\.0\.0\.1:\d+",
                 r"\|<-+ FIN: the server closes ---\|$")
        assert at and "\033[" not in sh.screen(escapes=True), "colour despite NO_COLOR"
    finally:
        sh.close()


@h.case("post --file uploads a file to lesson 08, which saves it", parallel=True)
def _():
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)  # the server saves as nobody
        data = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
        with open(os.path.join(tmp, "pic.png"), "wb") as f:
            f.write(data)
        sh = Shell("upload", cwd=tmp)
        try:
            start_lesson(sh, 8, r"\S+")
            run(sh, "post / --file image_data=pic.png --field field1=value1",
                r'^> Content-Disposition: form-data; name="image_data"; filename="pic\.png"\\r\\n$',
                r"^saved uploads/pic\.png: 264 bytes")
            with open(os.path.join(tmp, "uploads", "pic.png"), "rb") as f:
                assert f.read() == data
        finally:
            sh.close()


@h.case("kill -9 of the lab takes its lesson server down", parallel=True)
def _():
    sh = Shell("kill9")
    try:
        port, pid = start_lesson(sh)
        guard = [k for k in children(sh.pid) if k != pid]
        assert len(guard) == 1, guard
        os.kill(sh.pid, signal.SIGKILL)
        assert sh.exited() == 137
        deadline = time.monotonic() + WAIT
        while not (gone(pid) and not listening(port)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gone(pid), f"lesson server {pid} outlived the lab"
        assert not listening(port), f"port {port} still listening"
    finally:
        sh.close()


@h.case("make lesson-1, then Ctrl-C: the server stops, and make says nothing about wait",
        parallel=True)
def _():
    build = os.path.dirname(h.bin_dir())
    flavour = {"build": [], "build-san": ["SAN=1"]}.get(os.path.basename(build))
    if flavour is None or os.path.dirname(build) != h.REPO or not shutil.which("make"):
        raise h.Skip("needs make and the repository's own build/ or build-san/")
    _keep_server()
    tmux("new-session", "-d", "-s", "make", "-x", "100", "-y", "40", "-c", h.REPO,
         "env -i PATH=/usr/bin:/bin HOME=/tmp TERM=screen bash --norc --noprofile")
    try:
        for i in range(4):
            before = len(tmux("capture-pane", "-p", "-S", "-", "-t", "make"))
            tmux("send-keys", "-t", "make", "-l",
                 f"make --no-print-directory lesson-1 PORT=0 {' '.join(flavour)}; echo done-{i}")
            tmux("send-keys", "-t", "make", "Enter")
            deadline = time.monotonic() + 60  # make checks that everything is built first
            while "Server bound to port" not in tmux("capture-pane", "-p", "-S", "-", "-t",
                                                     "make")[before:]:
                assert time.monotonic() < deadline, "make lesson-1 did not start the server"
                time.sleep(0.1)
            tmux("send-keys", "-t", "make", "C-c")
            deadline = time.monotonic() + WAIT
            while re.search(r"^\S*[#$] ?$", tmux("capture-pane", "-p", "-t", "make").rstrip(),
                            re.M | re.S) is None and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(0.5)
        text = tmux("capture-pane", "-p", "-S", "-", "-t", "make")
        assert text.count("Server bound to port") == 4, text
        assert "No child processes" not in text and "wait:" not in text, text
    finally:
        tmux("kill-session", "-t", "make", check=False)


h.run()
