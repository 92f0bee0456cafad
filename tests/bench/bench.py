#!/usr/bin/python3
"""bench.py — the lesson servers against nginx and Python's http.server (make bench).

Starts, on 127.0.0.1 and free ports: lesson 03, lesson 05 (when it is built and
answers), the Python peer (tests/bench/peer.py: ThreadingHTTPServer, HTTP/1.0 and
HTTP/1.1 keep-alive) and nginx (a generated config in a temporary folder). Runs
wrk with keep-alive and with "Connection: close" at 1, 64 and 256 connections,
the servers of one test taking turns (A B C, then C B A in the next round), and
reports medians over the rounds: requests/s (2xx/3xx answers only), p50/p99
latency, the server's peak RSS (VmHWM, reset before each run), thread count and
CPU time per request, and the ratio of each lesson server to each peer (the
median of per-round ratios, so that a noisy machine still gives a fair
comparison). Then a normal client's requests/s while tests/bench/loris.py holds
500 slow-loris connections.

Writes build/bench/results.csv (medians), runs.csv (every run), ratios.csv,
report.txt (the terminal report) and chart.png (gnuplot).

Environment: BENCH_SECONDS (each wrk run, default 2), BENCH_ROUNDS (default 3),
BENCH_CONNS (default "1,64,256"), BENCH_LORIS (slow connections, default 500;
0 skips that part), BENCH_TESTS (default "hello,index-gz,logo,loris": a subset
runs only those parts), BENCH_BIN (the folder of lesson-NN binaries, default
build/bin: point it at a patched build for a before/after), BENCH_OUT (where the
files go, default build/bench). Python 3 standard library only.
"""
import csv
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
BIN = os.path.abspath(os.environ.get("BENCH_BIN") or os.path.join(ROOT, "build", "bin"))
OUT = os.path.abspath(os.environ.get("BENCH_OUT") or os.path.join(ROOT, "build", "bench"))
PYTHON = "/usr/bin/python3"
LESSON05_PUBLIC = os.path.join(ROOT, "lessons", "05-caching", "public")

# Lesson 05's page, byte for byte, as common/lesson/site.h writes it (read by site_page.py).
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from site_page import PAGE  # noqa: E402 (the path above first)


def env_int(name, default, low):
    raw = os.environ.get(name, "")
    try:
        value = int(raw) if raw else default
    except ValueError:
        sys.exit("bench: %s must be a whole number, not %r" % (name, raw))
    if value < low:
        sys.exit("bench: %s must be at least %d" % (name, low))
    return value


SECONDS = env_int("BENCH_SECONDS", 2, 1)
ROUNDS = env_int("BENCH_ROUNDS", 3, 1)
LORIS = env_int("BENCH_LORIS", 500, 0)
try:
    CONNS = [int(c) for c in os.environ.get("BENCH_CONNS", "1,64,256").split(",") if c.strip()]
except ValueError:
    sys.exit("bench: BENCH_CONNS is a comma-separated list of numbers, e.g. 1,64,256")
if not CONNS or min(CONNS) < 1:
    sys.exit("bench: BENCH_CONNS needs at least one number of connections, each >= 1")
TESTS = [t.strip() for t in os.environ.get("BENCH_TESTS", "hello,index-gz,logo,loris").split(",")
         if t.strip()]
LORIS_CLIENT_CONNS = 8  # the normal client during the slow-loris test


def progress(msg):
    print(msg, file=sys.stderr, flush=True)


# ---- processes --------------------------------------------------------------------

def children(pid):
    """children — the pids whose parent is pid (nginx's workers)."""
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
        except OSError:
            continue
        # pid (comm) state ppid …; comm may hold spaces and parentheses.
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            kids.append(int(entry))
    return kids


def proc_status(pid):
    """proc_status — VmHWM and VmRSS in KiB and Threads of one process, or {}."""
    out = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmHWM", "VmRSS", "Threads"):
                    out[key] = int(value.split()[0])
    except (OSError, ValueError):
        pass
    return out


def listen_port(pid):
    """listen_port — the TCP port process pid listens on (read from /proc), or None."""
    inodes = set()
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except OSError:
        return None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    cols = line.split()
                    if cols[3] == "0A" and cols[9] in inodes:  # 0A: LISTEN
                        return int(cols[1].rsplit(":", 1)[1], 16)
        except OSError:
            continue
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """Server — one server process on 127.0.0.1 and the scenarios it can answer."""

    def __init__(self, name, cmd, port=None, note=""):
        self.name, self.cmd, self.port, self.note = name, cmd, port, note
        self.proc = None
        self.broken = {}  # scenario key -> why it is not benchmarked

    def start(self):
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("%s exited with status %d" % (self.name, self.proc.returncode))
            if self.port is None:
                self.port = listen_port(self.proc.pid)
            if self.port is not None:
                try:
                    socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                    return
                except OSError:
                    pass
            time.sleep(0.05)
        raise RuntimeError("%s did not start listening within 10 s" % self.name)

    def pids(self):
        return [self.proc.pid]

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def reset_peak(self):
        # Writing 5 to clear_refs sets VmHWM back to the current RSS (Linux 4.0 on).
        for pid in self.pids():
            try:
                with open("/proc/%d/clear_refs" % pid, "w") as f:
                    f.write("5")
            except OSError:
                pass

    def usage(self):
        """usage — (peak RSS KiB, threads), summed over the server's processes."""
        rss = threads = 0
        for pid in self.pids():
            st = proc_status(pid)
            rss += st.get("VmHWM", 0)
            threads += st.get("Threads", 0)
        return rss, threads

    def cpu_seconds(self):
        """cpu_seconds — user + system time of the server's processes so far (threads
        that have ended included), so a run's CPU cost per request can be told."""
        ticks = 0
        for pid in self.pids():
            try:
                with open("/proc/%d/stat" % pid) as f:
                    stat = f.read()
                fields = stat[stat.rfind(")") + 2:].split()
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
            except (OSError, ValueError, IndexError):
                pass
        return ticks / float(os.sysconf("SC_CLK_TCK"))

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Nginx(Server):
    """Nginx — a master and 2 workers, access log off, gzip on, from a temp folder."""

    def __init__(self, tmp):
        port = free_port()
        public = os.path.join(tmp, "public")
        os.makedirs(public)
        with open(os.path.join(public, "index.html"), "wb") as f:
            f.write(PAGE)
        logo = os.path.join(LESSON05_PUBLIC, "logo.png")
        if os.path.exists(logo):
            shutil.copy2(logo, os.path.join(public, "logo.png"))
        else:
            with open(os.path.join(public, "logo.png"), "wb") as f:
                f.write(b"\x89PNG\r\n\x1a\n" + bytes(1888))
        # The workers run as nobody when we are root: let them read the copy.
        for path in (os.path.dirname(tmp), tmp, public, os.path.join(public, "index.html"),
                     os.path.join(public, "logo.png")):
            os.chmod(path, 0o755 if os.path.isdir(path) else 0o644)
        user = "user nobody nogroup;" if os.geteuid() == 0 else ""
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(tmp=tmp, port=port, user=user, public=public))
        super().__init__("nginx", ["nginx", "-p", tmp, "-c", conf, "-e",
                                   os.path.join(tmp, "error.log")], port=port)

    def pids(self):
        return children(self.proc.pid) or [self.proc.pid]  # the workers serve

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: the workers go too
            try:
                self.proc.wait(timeout=5)
                return
            except subprocess.TimeoutExpired:
                pass
        super().stop()


NGINX_CONF = """\
# Generated by tests/bench/bench.py: the peer a reader would deploy.
daemon off;
master_process on;
worker_processes 2;
{user}
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 2048; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    gzip on;
    gzip_comp_level 6;   # zlib's default, as the lessons use
    gzip_vary on;
    server {{
        listen 127.0.0.1:{port};
        # lesson 03: "Hello <Host>"
        location / {{
            default_type "text/plain; charset=utf-8";
            return 200 "Hello $http_host\\n";
        }}
        # lesson 05: the page (gzip when accepted) and the logo with its caching headers
        location = /index.html {{ root {public}; default_type text/html; }}
        location = /python-logo/ {{
            root {public};
            try_files /logo.png =404;
            default_type image/png;
            expires 10s;
        }}
    }}
}}
"""


# ---- what is measured ----------------------------------------------------------------

class Scenario:
    def __init__(self, key, title, path, headers, lesson):
        self.key, self.title, self.path, self.headers, self.lesson = (key, title, path,
                                                                      headers, lesson)


HELLO = Scenario("hello", 'lesson 03: GET / ("Hello <Host>")', "/", [], "lesson-03")
INDEX = Scenario("index-gz", "lesson 05: GET /index.html, Accept-Encoding: gzip", "/index.html",
                 ["Accept-Encoding: gzip"], "lesson-05")
LOGO = Scenario("logo", "lesson 05: GET /python-logo/ (1896-byte PNG)", "/python-logo/", [], "lesson-05")
SCENARIOS = [HELLO, INDEX, LOGO]
MODES = ("keep-alive", "close")
SHORT = {"keep-alive": "ka", "close": "close"}


def plan():
    """plan — [(scenario, mode, conns, [server names])] in running order."""
    tests = []
    for sc in SCENARIOS:
        if sc.key not in TESTS:
            continue
        for mode in MODES:
            for c in CONNS:
                if sc is LOGO and mode == "close" and c != 64 and 64 in CONNS:
                    continue  # the logo: keep-alive at every count, close at 64 only
                names = [sc.lesson]
                if sc is HELLO and c == 64:
                    names.append("lesson-03-quiet")
                names.append("nginx")
                # Python as the article runs it (HTTP/1.0, a connection per request)
                # for close, and at 64 keep-alive connections for the target (it
                # closes after each answer all the same); its HTTP/1.1 keep-alive
                # mode for keep-alive.
                if mode == "close" or (sc is HELLO and c == 64):
                    names.append("python-1.0")
                if mode == "keep-alive":
                    names.append("python-1.1")
                tests.append((sc, mode, c, names))
    return tests


def check(server, sc):
    """check — None if server answers sc as the lesson does, else why not."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        headers = dict(h.split(": ", 1) for h in sc.headers)
        conn.request("GET", sc.path, headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
    except (OSError, http.client.HTTPException) as e:
        return "no answer (%s)" % e
    if resp.status != 200:
        return "answers %d" % resp.status
    if sc is HELLO and not body.startswith(b"Hello 127.0.0.1:"):
        return "unexpected body %r" % body[:40]
    if sc is INDEX and resp.getheader("Content-Encoding") != "gzip":
        return "no gzip"
    if sc is LOGO and not body.startswith(b"\x89PNG"):
        return "not a PNG"
    return None


UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_wrk(text):
    m = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m),", text)
    if not m:
        raise RuntimeError("wrk printed no summary:\n" + text)
    requests = int(m.group(1))
    seconds = float(m.group(2)) * UNITS_MS[m.group(3)] / 1000.0
    lat = {p: float(v) * UNITS_MS[u] for p, v, u in
           re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)}
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    non2xx = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors = sum(int(x) for x in m.groups()) if m else 0
    return {"requests": requests, "rps": (requests - non2xx) / seconds if seconds else 0.0,
            "p50": lat.get("50"), "p99": lat.get("99"), "non2xx": non2xx, "errors": errors}


class Sampler(threading.Thread):
    """Sampler — the most threads the server had while wrk ran (10 looks a second)."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server, self.peak, self.done = server, 0, threading.Event()

    def run(self):
        while not self.done.wait(0.1):
            self.peak = max(self.peak, self.server.usage()[1])


def wrk(server, path, headers, conns, close):
    cmd = ["wrk", "-t", str(min(2, conns)), "-c", str(conns), "-d", "%ds" % SECONDS,
           "--latency", "--timeout", "5s"]
    for h in headers + (["Connection: close"] if close else []):
        cmd += ["-H", h]
    cmd.append("http://127.0.0.1:%d%s" % (server.port, path))
    server.reset_peak()
    cpu = server.cpu_seconds()
    sampler = Sampler(server)
    sampler.start()
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=SECONDS + 60)
    finally:
        sampler.done.set()
        sampler.join()
    if out.returncode != 0:
        raise RuntimeError("wrk failed (%d): %s" % (out.returncode, out.stderr.strip()))
    r = parse_wrk(out.stdout)
    # CPU per request: less swayed than req/s by whatever else the machine runs.
    r["cpu_us"] = ((server.cpu_seconds() - cpu) * 1e6 / r["requests"]
                   if r["requests"] else None)
    rss, threads = server.usage()
    r["rss_kib"] = rss
    r["threads"] = max(threads, sampler.peak)
    return r


def settle(server, baseline_threads, timeout=8.0):
    """settle — waits until the server's connection threads have gone again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.usage()[1] > baseline_threads:
        time.sleep(0.1)


def loris_run(server, count, baseline_threads):
    """loris_run — the normal client's results while count slow connections are held."""
    proc = subprocess.Popen([PYTHON, os.path.join(HERE, "loris.py"), "--port",
                             str(server.port), "--count", str(count), "--seconds",
                             str(SECONDS + 30)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    held = []

    def read():
        for line in proc.stdout:
            m = re.match(r"held (\d+)", line)
            if m:
                held.append(int(m.group(1)))
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and (not held or held[-1] < count):
        time.sleep(0.05)
    # Let the server settle into its state under attack, and see what the attack alone
    # costs it: its CPU meanwhile, a share of one core.
    cpu = server.cpu_seconds()
    time.sleep(0.5)
    attack_cpu = (server.cpu_seconds() - cpu) / 0.5
    mark = len(held)
    try:
        r = wrk(server, "/", [], LORIS_CLIENT_CONNS, close=False)
    finally:
        during = held[mark:] or held[-1:] or [0]
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(timeout=2)
    r["held"] = statistics.median(during)
    r["attack_cpu"] = attack_cpu
    settle(server, baseline_threads)
    return r


# ---- summaries ---------------------------------------------------------------------

def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarise(runs):
    groups = {}
    for r in runs:
        groups.setdefault((r["test"], r["mode"], r["conns"], r["server"]), []).append(r)
    rows = []
    for (test, mode, conns, server), rs in groups.items():
        rows.append({
            "test": test, "mode": mode, "conns": conns, "server": server, "rounds": len(rs),
            "rps": med(r["rps"] for r in rs), "p50_ms": med(r["p50"] for r in rs),
            "p99_ms": med(r["p99"] for r in rs),
            "rss_kib": max(r["rss_kib"] for r in rs), "threads": max(r["threads"] for r in rs),
            "cpu_us": med(r.get("cpu_us") for r in rs),
            "non2xx": sum(r["non2xx"] for r in rs), "errors": sum(r["errors"] for r in rs),
            "held": med(r.get("held") for r in rs),
            "attack_cpu": med(r.get("attack_cpu") for r in rs),
        })
    return rows


def ratios(runs, tests):
    """ratios — per test, lesson/peer req/s and p99, medians of the per-round ratios."""
    by = {(r["test"], r["mode"], r["conns"], r["server"], r["round"]): r for r in runs}
    out = []
    for sc, mode, conns, names in tests:
        lessons = [n for n in names if n.startswith("lesson")]
        peers = [n for n in names if not n.startswith("lesson")]
        for les in lessons:
            for peer in peers:
                rps, p99, cpu = [], [], []
                for rnd in range(ROUNDS):
                    a = by.get((sc.key, mode, conns, les, rnd))
                    b = by.get((sc.key, mode, conns, peer, rnd))
                    if not a or not b:
                        continue
                    if b["rps"] > 0:
                        rps.append(a["rps"] / b["rps"])
                    if a["p99"] is not None and b["p99"]:
                        p99.append(a["p99"] / b["p99"])
                    if a.get("cpu_us") is not None and b.get("cpu_us"):
                        cpu.append(a["cpu_us"] / b["cpu_us"])
                if rps:
                    out.append({"test": sc.key, "mode": mode, "conns": conns, "lesson": les,
                                "peer": peer, "rps_ratio": med(rps), "p99_ratio": med(p99),
                                "cpu_ratio": med(cpu), "rounds": len(rps)})
    return out


def fmt_num(v, digits=0):
    if v is None:
        return "-"
    return "{:,.{}f}".format(v, digits)


def fmt_ms(v):
    if v is None:
        return "-"
    if v < 10:
        return "%.2f" % v
    if v < 100:
        return "%.1f" % v
    return "%.0f" % v


def report(rows, rats, tests, unavailable, loris_rows, elapsed):
    lines = []
    say = lines.append
    say("wirelab bench: %d round%s x %d s per wrk run, %d cores, medians of the rounds"
        % (ROUNDS, "" if ROUNDS == 1 else "s", SECONDS, os.cpu_count() or 0))
    say("req/s counts 2xx/3xx answers only; RSS is the peak (VmHWM) during the run,")
    say("summed over nginx's workers; thr: most threads seen; CPU us: the server's")
    say("user+system CPU per request (steadier than req/s on a busy machine);")
    say("bad: non-2xx answers + socket errors")
    index = {(r["test"], r["mode"], r["conns"], r["server"]): r for r in rows}
    for sc in SCENARIOS:
        say("")
        say(sc.title)
        if sc.lesson in unavailable and sc.key in unavailable[sc.lesson]:
            say("  %s: %s" % (sc.lesson, unavailable[sc.lesson][sc.key]))
        say("%-5s %3s  %-15s %9s %7s %7s %6s %4s %6s %6s" % (
            "mode", "c", "server", "req/s", "p50 ms", "p99 ms", "RSS Mi", "thr", "CPU us", "bad"))
        for t_sc, mode, conns, names in tests:
            if t_sc is not sc:
                continue
            for name in names:
                r = index.get((sc.key, mode, conns, name))
                if r is None:
                    why = unavailable.get(name, {}).get(sc.key, "not run")
                    say("%-5s %3d  %-15s %s" % (SHORT[mode], conns, name, why))
                    continue
                say("%-5s %3d  %-15s %9s %7s %7s %6.1f %4d %6s %6s" % (
                    SHORT[mode], conns, name, fmt_num(r["rps"]), fmt_ms(r["p50_ms"]),
                    fmt_ms(r["p99_ms"]), r["rss_kib"] / 1024.0, r["threads"],
                    fmt_num(r["cpu_us"], 1), fmt_num(r["non2xx"] + r["errors"])))
    # Ratios: one line per lesson/peer pair, one column per mode and count.
    cols = [(m, c) for m in MODES for c in CONNS]
    say("")
    say("ratio of req/s, lesson / peer (median of per-round ratios)")
    say("%-27s" % "" + "".join("%8s" % ("%s%d" % ("ka " if m == "keep-alive" else "cl ", c))
                               for m, c in cols))
    pairs = []
    for r in rats:
        key = (r["test"], r["lesson"], r["peer"])
        if key not in pairs:
            pairs.append(key)
    rat = {(r["test"], r["lesson"], r["peer"], r["mode"], r["conns"]): r for r in rats}
    for test, les, peer in pairs:
        label = "%s %s/%s" % (test, les.replace("lesson-", "L"), peer)
        cells = []
        for m, c in cols:
            r = rat.get((test, les, peer, m, c))
            cells.append("%8s" % ("%.2fx" % r["rps_ratio"] if r else "-"))
        say("%-27s" % label[:27] + "".join(cells))
    say("")
    say("ratio of CPU per request, lesson / nginx (lower is better)")
    for test, les, peer in pairs:
        if peer != "nginx":
            continue
        cells = []
        for m, c in cols:
            r = rat.get((test, les, peer, m, c))
            cells.append("%8s" % ("%.2fx" % r["cpu_ratio"] if r and r["cpu_ratio"] else "-"))
        say("%-27s" % ("%s %s" % (test, les.replace("lesson-", "L")))[:27] + "".join(cells))
    # What printing costs lesson 03: the same server with its printing stubbed out.
    # Both are compared with nginx in the same round, so the ratio of ratios is fair.
    to_nginx = {(r["lesson"], r["mode"], r["conns"]): r["rps_ratio"] for r in rats
                if r["test"] == "hello" and r["peer"] == "nginx"}
    shares = []
    for m, c in cols:
        loud, hush = to_nginx.get(("lesson-03", m, c)), to_nginx.get(("lesson-03-quiet", m, c))
        if loud and hush:
            shares.append("%s %d: %.0f%%" % (SHORT[m], c, 100.0 * (1 - loud / hush)))
    if shares:
        say("")
        say("printing (3 log lines + the headers a request) costs lesson 03 this share of")
        say("its req/s (lesson-03 against lesson-03-quiet; near 0 is noise):")
        say("  " + ", ".join(shares))
    # Slow loris.
    if loris_rows:
        say("")
        say("slow loris: %d connections trickle a header line a second; a normal client"
            % LORIS)
        say("(wrk, keep-alive, %d connections) measured alone and during the attack"
            % LORIS_CLIENT_CONNS)
        say("%-16s %12s %12s %7s %6s %9s %8s %11s" % ("server", "alone req/s", "attack req/s",
                                                      "ratio", "held", "bad", "RSS MiB",
                                                      "attack CPU"))
        for name in ("lesson-03", "nginx"):
            alone = index.get(("loris-alone", "keep-alive", LORIS_CLIENT_CONNS, name))
            under = index.get(("loris", "keep-alive", LORIS_CLIENT_CONNS, name))
            if not alone or not under:
                continue
            ratio = under["rps"] / alone["rps"] if alone["rps"] else 0.0
            say("%-16s %12s %12s %6.2fx %6d %9s %8.1f %10s%%" % (
                name, fmt_num(alone["rps"]), fmt_num(under["rps"]), ratio, under["held"] or 0,
                fmt_num(under["non2xx"] + under["errors"]), under["rss_kib"] / 1024.0,
                fmt_num(100 * under["attack_cpu"], 1) if under.get("attack_cpu") is not None
                else "-"))
        say("(attack CPU: the server's CPU, in % of one core, while the attack ran alone)")
    # Targets from issue 8.
    say("")
    say("targets (issues 8 and 17; medians of per-round ratios)")
    for status, text in targets(rows, rats, unavailable):
        say("  %-4s  %s" % (status, text))
    say("")
    say("bench took %d min %02d s" % (elapsed // 60, elapsed % 60))
    return lines


def targets(rows, rats, unavailable):
    rat = {(r["test"], r["lesson"], r["peer"], r["mode"], r["conns"]): r for r in rats}
    index = {(r["test"], r["mode"], r["conns"], r["server"]): r for r in rows}
    out = []

    def ratio_target(test, les, peer, field, op, bound, what):
        r = rat.get((test, les, peer, "keep-alive", 64))
        if r is None or r[field] is None:
            why = unavailable.get(les, {}).get(test, "not measured")
            out.append(("n/a", "%s (%s)" % (what, why)))
            return
        ok = r[field] >= bound if op == ">=" else r[field] <= bound
        out.append(("PASS" if ok else "MISS", "%s: %.2fx" % (what, r[field])))

    ratio_target("hello", "lesson-03", "nginx", "rps_ratio", ">=", 1.0,
                 "L03 ka c=64 req/s >= 1.0x nginx")
    ratio_target("hello", "lesson-03", "python-1.0", "rps_ratio", ">=", 30.0,
                 "L03 ka c=64 req/s >= 30x Python as in the article (1.0)")
    ratio_target("hello", "lesson-03", "python-1.1", "rps_ratio", ">=", 30.0,
                 "L03 ka c=64 req/s >= 30x Python, HTTP/1.1 keep-alive")
    ratio_target("hello", "lesson-03", "nginx", "p99_ratio", "<=", 1.5,
                 "L03 ka c=64 p99 <= 1.5x nginx's")
    ratio_target("index-gz", "lesson-05", "nginx", "rps_ratio", ">=", 1.0,
                 "L05 /index.html gzip ka c=64 req/s >= 1.0x nginx")
    for test, les in (("hello", "lesson-03"), ("index-gz", "lesson-05"), ("logo", "lesson-05")):
        r = index.get((test, "keep-alive", 256, les))
        what = "%s %s peak RSS, 256 ka connections < 16 MiB" % (
            les.replace("lesson-", "L"), test)
        if r is None and 256 not in CONNS:
            out.append(("n/a", "%s (not in BENCH_CONNS)" % what))
        elif r is None:
            out.append(("n/a", "%s (%s)" % (what, unavailable.get(les, {}).get(test, "not run"))))
        else:
            out.append(("PASS" if r["rss_kib"] < 16 * 1024 else "MISS",
                        "%s: %.1f MiB" % (what, r["rss_kib"] / 1024.0)))
    # Issue 17: well-behaved clients get only 2xx, at Connection: close c=256 and during
    # the slow loris (whose client must also keep 0.98 of its rate alone).
    for test, les in (("hello", "lesson-03"), ("index-gz", "lesson-05")):
        r = index.get((test, "close", 256, les))
        what = "%s %s close c=256 bad = 0" % (les.replace("lesson-", "L"), test)
        if r is None:
            why = "not in BENCH_CONNS" if 256 not in CONNS else unavailable.get(
                les, {}).get(test, "not run")
            out.append(("n/a", "%s (%s)" % (what, why)))
        else:
            bad = r["non2xx"] + r["errors"]
            out.append(("PASS" if bad == 0 else "MISS", "%s: %d" % (what, bad)))
    alone = index.get(("loris-alone", "keep-alive", LORIS_CLIENT_CONNS, "lesson-03"))
    under = index.get(("loris", "keep-alive", LORIS_CLIENT_CONNS, "lesson-03"))
    what = "L03 normal client during %d slow-loris connections >= 0.98x alone, bad = 0" % LORIS
    if not alone or not under or not alone["rps"]:
        out.append(("n/a", "%s (not run)" % what))
    else:
        ratio, bad = under["rps"] / alone["rps"], under["non2xx"] + under["errors"]
        out.append(("PASS" if ratio >= 0.98 and bad == 0 else "MISS",
                    "%s: %.2fx, bad %d" % (what, ratio, bad)))
    return out


# ---- files -------------------------------------------------------------------------

def shown(path):
    """shown — path relative to the repository when it is inside it."""
    rel = os.path.relpath(path, ROOT)
    return path if rel.startswith("..") else rel


def write_csv(path, rows, fields):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: (("%.3f" % v).rstrip("0").rstrip(".") if isinstance(v, float) else v)
                        for k, v in r.items()})


def chart(rows, unavailable):
    """chart — build/bench/chart.png through gnuplot; returns its path or None."""
    if not shutil.which("gnuplot"):
        return None
    data_dir = os.path.join(OUT, "chart")
    os.makedirs(data_dir, exist_ok=True)
    index = {(r["test"], r["mode"], r["conns"], r["server"]): r for r in rows}

    def table(name, cats, servers, field, scale=1.0):
        path = os.path.join(data_dir, name + ".dat")
        with open(path, "w") as f:
            f.write("# cat " + " ".join('"%s"' % s for s in servers) + "\n")
            for label, key in cats:
                vals = []
                for s in servers:
                    r = index.get(key + (s,))
                    v = r[field] if r and r[field] is not None else None
                    vals.append("%.6g" % (v * scale) if v is not None else "NaN")
                f.write('"%s" %s\n' % (label, " ".join(vals)))
        return path, len(servers)

    hello_ka = [("%d conn" % c, ("hello", "keep-alive", c)) for c in CONNS]
    hello_cl = [("%d conn" % c, ("hello", "close", c)) for c in CONNS]
    l05_ka = ([("index %d" % c, ("index-gz", "keep-alive", c)) for c in CONNS] +
              [("logo %d" % c, ("logo", "keep-alive", c)) for c in CONNS])
    l05_cl = ([("index %d" % c, ("index-gz", "close", c)) for c in CONNS] +
              [("logo %d" % c, ("logo", "close", c)) for c in CONNS
               if ("logo", "close", c, "nginx") in index])
    loris = [("alone", ("loris-alone", "keep-alive", LORIS_CLIENT_CONNS)),
             ("%d slow conns" % LORIS, ("loris", "keep-alive", LORIS_CLIENT_CONNS))]
    l05_note = ""
    if "lesson-05" in unavailable:
        l05_note = " (lesson 05: %s)" % "; ".join(sorted(set(unavailable["lesson-05"].values())))
    panels = [
        ("lesson 03 Hello <Host>, keep-alive: requests/s (log)", table(
            "hello_ka", hello_ka, ["lesson-03", "lesson-03-quiet", "nginx", "python-1.0",
                                   "python-1.1"], "rps"), 100),
        ("lesson 03 Hello <Host>, Connection: close: requests/s (log)", table(
            "hello_close", hello_cl, ["lesson-03", "lesson-03-quiet", "nginx", "python-1.0"],
            "rps"), 100),
        ("lesson 05 keep-alive: requests/s (log)" + l05_note, table(
            "l05_ka", l05_ka, ["lesson-05", "nginx", "python-1.1"], "rps"), 100),
        ("lesson 05 Connection: close: requests/s (log)" + l05_note, table(
            "l05_close", l05_cl, ["lesson-05", "nginx", "python-1.0"], "rps"), 100),
        ("lesson 03 Hello <Host>, keep-alive: p99 latency, ms (log)", table(
            "hello_p99", hello_ka, ["lesson-03", "lesson-03-quiet", "nginx", "python-1.1"],
            "p99_ms"), 0.1),
        ("normal client (wrk -c %d) with %d slow-loris connections: requests/s"
         % (LORIS_CLIENT_CONNS, LORIS), table("loris", loris, ["lesson-03", "nginx"], "rps"),
         None),
    ]
    colors = {"lesson-03": "#c0392b", "lesson-03-quiet": "#f1948a", "lesson-05": "#c0392b",
              "nginx": "#27ae60", "python-1.0": "#5dade2", "python-1.1": "#1f4e79"}
    gp = ["set terminal pngcairo size 1400,1300 font 'sans,10'",
          "set output '%s'" % os.path.join(OUT, "chart.png"),
          "set multiplot layout 3,2 title 'wirelab make bench — %d rounds x %d s, %d cores, medians' "
          "font 'sans,13'" % (ROUNDS, SECONDS, os.cpu_count() or 0),
          "set style data histograms", "set style histogram clustered gap 1",
          "set style fill solid 0.9 border -1", "set boxwidth 0.9", "set grid ytics",
          "set key below horizontal font 'sans,9'", "set xtics nomirror",
          "set datafile missing 'NaN'"]
    for title, (path, n), log_floor in panels:
        with open(path) as f:
            servers = re.findall(r'"([^"]+)"', f.readline())
            measured = any(re.search(r"\s[-0-9.]", line.split('"', 2)[-1]) and
                           any(v != "NaN" for v in line.split('"', 2)[-1].split()) for line in f)
        gp.append("set title \"%s\"" % title.replace('"', "'"))
        if not measured:  # this part was not run (BENCH_TESTS) or its server is missing
            gp += ["unset logscale y", "set yrange [0:1]", "unset xtics", "unset ytics",
                   "set label 1 'not measured in this run' at graph 0.5,0.5 center",
                   "plot NaN notitle", "unset label 1", "set xtics nomirror", "set ytics"]
            continue
        # A log axis for rates that span 100x; log_floor is its bottom, None: linear.
        gp.append("set logscale y" if log_floor else "unset logscale y")
        if log_floor:
            gp.append("set yrange [%s:*]" % log_floor)
        else:  # room above the tallest bar for its number
            top = max([float(v) for line in open(path) if not line.startswith("#")
                       for v in line.split('"', 2)[-1].split() if v != "NaN"] or [1.0])
            gp.append("set yrange [0:%.6g]" % (top * 1.15))
        plots = []
        for i, s in enumerate(servers):
            plots.append("'%s' using %d:xtic(1) title '%s' lc rgb '%s'"
                         % (path, i + 2, s, colors.get(s, "#888888")))
        if not log_floor:
            # Numbers over the bars: a zero has no bar to see. A bar of series i sits
            # (i - (n-1)/2) / (n+1) from its cluster's centre (gap 1).
            for i in range(n):
                plots.append("'%s' using ($0 + %.4f):%d:(sprintf('%%.0f', $%d)) with labels "
                             "offset 0,0.7 notitle" % (path, (i - (n - 1) / 2.0) / (n + 1),
                                                       i + 2, i + 2))
        gp.append("plot " + ", ".join(plots))
    gp.append("unset multiplot")
    script = os.path.join(data_dir, "chart.gp")
    with open(script, "w") as f:
        f.write("\n".join(gp) + "\n")
    out = subprocess.run(["gnuplot", script], capture_output=True, text=True)
    if out.returncode != 0:
        progress("bench: gnuplot failed: " + out.stderr.strip())
        return None
    return os.path.join(OUT, "chart.png")


# ---- main --------------------------------------------------------------------------

def make_servers(tmp, unavailable):
    servers = {}

    def lesson(name, binary, scenarios):
        path = os.path.join(BIN, binary) if "/" not in binary else binary
        if not os.access(path, os.X_OK):
            for sc in scenarios:
                unavailable.setdefault(name, {})[sc.key] = "not built"
            return
        servers[name] = Server(name, [path, "--port", "0"])
        servers[name].scenarios = scenarios

    lesson("lesson-03", "lesson-03", [HELLO])
    lesson("lesson-03-quiet", os.path.join(OUT, "lesson-03-quiet"), [HELLO])
    lesson("lesson-05", "lesson-05", [INDEX, LOGO])
    for v in ("1.0", "1.1"):
        name = "python-" + v
        servers[name] = Server(name, [PYTHON, os.path.join(HERE, "peer.py"), "--http", v])
        servers[name].scenarios = SCENARIOS
    servers["nginx"] = Nginx(os.path.join(tmp, "nginx"))
    servers["nginx"].scenarios = SCENARIOS
    return servers


def main():
    started = time.monotonic()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit("bench: %s is not installed (tools/scripts/packages-bench.txt)" % tool)
    os.makedirs(OUT, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="wirelab-bench-")
    unavailable = {}
    servers = make_servers(tmp, unavailable)
    runs = []
    try:
        for name, srv in list(servers.items()):
            try:
                srv.start()
            except (RuntimeError, OSError) as e:
                progress("bench: %s did not start: %s" % (name, e))
                if name in ("nginx", "lesson-03"):
                    raise
                for sc in srv.scenarios:
                    unavailable.setdefault(name, {})[sc.key] = "not built: does not start"
                del servers[name]
                continue
            for sc in srv.scenarios:
                why = check(srv, sc)
                if why:
                    unavailable.setdefault(name, {})[sc.key] = (
                        "not built: %s" % why if name == "lesson-05" else why)
                    progress("bench: %s %s: %s" % (name, sc.path, why))
        base_threads = {n: s.usage()[1] for n, s in servers.items()}
        tests = plan()

        def runnable(name, sc):
            return name in servers and sc.key not in unavailable.get(name, {})

        total = sum(1 for _, _, _, names in tests for _ in names) * ROUNDS
        progress("bench: %d rounds x %d s; %d wrk runs (about %d min) + slow loris"
                 % (ROUNDS, SECONDS, total, (total * (SECONDS + 0.4)) // 60 + 1))
        for rnd in range(ROUNDS):
            for sc, mode, conns, names in tests:
                order = names if rnd % 2 == 0 else list(reversed(names))
                cells = []
                for name in order:
                    if not runnable(name, sc):
                        continue
                    srv = servers[name]
                    if not srv.alive():
                        raise RuntimeError("%s died during the bench" % name)
                    r = wrk(srv, sc.path, sc.headers, conns, mode == "close")
                    r.update(round=rnd, test=sc.key, mode=mode, conns=conns, server=name)
                    runs.append(r)
                    cells.append("%s %s" % (name, fmt_num(r["rps"])))
                    if mode == "close" or conns > 64:
                        settle(srv, base_threads[name], timeout=3)
                progress("round %d/%d %-8s %-5s c=%-3d %s" % (rnd + 1, ROUNDS, sc.key,
                                                              SHORT[mode], conns,
                                                              "  ".join(cells)))
            if LORIS and "loris" in TESTS:
                for name in (("lesson-03", "nginx") if rnd % 2 == 0 else ("nginx", "lesson-03")):
                    if not runnable(name, HELLO):
                        continue
                    srv = servers[name]
                    for test in ("loris-alone", "loris"):
                        if test == "loris":
                            r = loris_run(srv, LORIS, base_threads[name])
                        else:
                            r = wrk(srv, "/", [], LORIS_CLIENT_CONNS, close=False)
                        r.update(round=rnd, test=test, mode="keep-alive",
                                 conns=LORIS_CLIENT_CONNS, server=name)
                        runs.append(r)
                    progress("round %d/%d loris    %-16s alone %s  under attack %s (held %d)" % (
                        rnd + 1, ROUNDS, name, fmt_num(runs[-2]["rps"]),
                        fmt_num(runs[-1]["rps"]), runs[-1]["held"]))
    finally:
        for srv in servers.values():
            srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    rows = summarise(runs)
    rats = ratios(runs, tests)
    fields = ["test", "mode", "conns", "server", "rounds", "rps", "p50_ms", "p99_ms", "rss_kib",
              "threads", "cpu_us", "non2xx", "errors", "held", "attack_cpu"]
    write_csv(os.path.join(OUT, "results.csv"), rows, fields)
    write_csv(os.path.join(OUT, "runs.csv"), runs,
              ["round", "test", "mode", "conns", "server", "requests", "rps", "p50", "p99",
               "non2xx", "errors", "rss_kib", "threads", "cpu_us", "held", "attack_cpu"])
    write_csv(os.path.join(OUT, "ratios.csv"), rats,
              ["test", "mode", "conns", "lesson", "peer", "rounds", "rps_ratio", "p99_ratio",
               "cpu_ratio"])
    png = chart(rows, unavailable)
    lines = report(rows, rats, tests, unavailable, LORIS, int(time.monotonic() - started))
    lines.append("")
    lines.append("results: %s (medians), runs.csv, ratios.csv" % shown(
        os.path.join(OUT, "results.csv")))
    lines.append("chart:   %s" % (shown(png) if png else "not drawn (gnuplot?)"))
    with open(os.path.join(OUT, "report.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
    except RuntimeError as e:
        sys.exit("bench: %s" % e)
