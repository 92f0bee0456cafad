"""test_privileges — started as root, a lesson server may bind a port below 1024,
then runs as --user (default nobody): no supplementary groups, gid then uid set,
umask 007 (README.md, "A five-minute tour"). Read from /proc while it serves.

Not root: the cases report SKIP, never a pass."""

from __future__ import annotations

import os
import pwd
import subprocess

from harness import HOST, Server, Skip, bin_dir, case, exchange, run


def need_root():
    if os.geteuid() != 0:
        raise Skip("needs root to bind port 80 and drop privileges")


def proc_status(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/status") as f:
        return dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)


def assert_dropped(pid: int, user: str):
    pw = pwd.getpwnam(user)
    st = proc_status(pid)
    assert st["Uid"].split() == [str(pw.pw_uid)] * 4, st["Uid"]
    assert st["Gid"].split() == [str(pw.pw_gid)] * 4, st["Gid"]
    assert st.get("Groups", "").strip() == "", f"supplementary groups left: {st.get('Groups')!r}"
    assert st["Umask"] == "0007", st["Umask"]
    # Every thread, not just the main one (glibc applies setuid to all threads).
    for tid in os.listdir(f"/proc/{pid}/task"):
        assert proc_status(int(tid))["Uid"].split()[0] == str(pw.pw_uid)


@case("as root: lesson 03 binds port 80, then serves as nobody with no groups, umask 007")
def _():
    need_root()
    with Server(3, args=["--port", "80"]) as s:
        assert s.port == 80, s.port
        got, _, _ = exchange(80, b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        assert got.startswith(b"HTTP/1.1 200 OK\r\n"), got[:40]
        assert_dropped(s.proc.pid, "nobody")


@case("as root: lesson 01 (sequential) drops privileges too")
def _():
    need_root()
    with Server(1) as s:
        assert_dropped(s.proc.pid, "nobody")


@case("as root: --user picks the account to become")
def _():
    need_root()
    try:
        pwd.getpwnam("daemon")
    except KeyError:
        raise Skip("no 'daemon' account on this machine")
    with Server(3, args=["--user", "daemon"]) as s:
        assert_dropped(s.proc.pid, "daemon")


@case("as root: an unknown --user stops the server with a message and status 1")
def _():
    need_root()
    p = subprocess.run([os.path.join(bin_dir(), "lesson-03"), "--host", HOST, "--port", "0",
                        "--user", "no-such-user-wirelab"], capture_output=True, timeout=10)
    assert p.returncode == 1, p.returncode
    assert b"no such user 'no-such-user-wirelab'" in p.stderr, p.stderr


run()
