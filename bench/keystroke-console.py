#!/usr/bin/env python3
"""Keystroke round trip through pmj to an interactive process and back, in a terminal.

Two paths, each in a pseudo-terminal this script drives (pty.fork), to an interactive process that
echoes every byte itself (its terminal raw, no line discipline in between):
  console  `pmj up` in the pty; `i` enters input mode on the process; a byte is written to the
           pty (as a key typed into the console) and timed until pmj writes its echo back.
  connect  `pmj up -d`, then `pmj connect echo` in the pty; the same byte and echo.
Each path: ROUNDS rounds (default 200) after 20 warm-up ones; prints median, p90, p99, max in ms.

Usage: bench/keystroke-console.py [ROUNDS]   (from the repository root; uses ./pmj)
"""
import fcntl
import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PMJ = os.path.join(ROOT, "pmj")
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
WARMUP = 20
# Bytes that neither the footer's text nor the escape sequences of a redraw contain.
KEYS = b"QXZJWV"

ECHO = (
    "import os, tty; tty.setraw(0); print('echo-ready', end='', flush=True)\n"
    "while True:\n"
    "    b = os.read(0, 1024)\n"
    "    if not b: break\n"
    "    os.write(1, b)\n"
)

YAML = """processes:
  echo:
    command: python3 echo.py
    interactive: true
"""


def spawn(args, cwd):
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(cwd)
        env = dict(os.environ, TERM="xterm-256color")
        os.execve(PMJ, [PMJ] + args, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
    return pid, fd


def read_until(fd, needle, timeout=60.0):
    """Reads the pty until needle shows (bytes); returns what was read."""
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise SystemExit("never saw %r; last output: %r" % (needle, seen[-400:]))
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                raise SystemExit("pty closed before %r; last output: %r" % (needle, seen[-400:]))
            seen += chunk
    return seen


def drain(fd, quiet=0.3):
    while True:
        r, _, _ = select.select([fd], [], [], quiet)
        if not r:
            return
        try:
            os.read(fd, 65536)
        except OSError:
            return


def rounds(fd):
    times = []
    for n in range(WARMUP + ROUNDS):
        key = KEYS[n % len(KEYS) : n % len(KEYS) + 1]
        t0 = time.perf_counter()
        os.write(fd, key)
        read_until(fd, key, timeout=10)
        dt = (time.perf_counter() - t0) * 1000
        if n >= WARMUP:
            times.append(dt)
    return times


def report(name, times):
    s = sorted(times)
    p = lambda q: s[min(len(s) - 1, int(q * len(s)))]
    print(
        "%-8s rounds=%d median=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms"
        % (name, len(s), statistics.median(s), p(0.90), p(0.99), s[-1])
    )


def wait_exit(pid, fd, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return
        drain(fd, 0.1)
    os.kill(pid, 9)
    os.waitpid(pid, 0)


def console(project):
    pid, fd = spawn(["up"], project)
    read_until(fd, b"? keys")
    os.write(fd, b"i")
    read_until(fd, b"echo-ready")
    drain(fd)
    times = rounds(fd)
    os.write(fd, b"\x1d")  # Ctrl-]
    read_until(fd, b"left echo")
    os.write(fd, b"q")
    wait_exit(pid, fd)
    os.close(fd)
    return times


def connect(project):
    up = subprocess.run([PMJ, "up", "-d"], cwd=project, capture_output=True, text=True)
    if up.returncode != 0:
        raise SystemExit("pmj up -d: " + up.stderr)
    try:
        pid, fd = spawn(["connect", "echo"], project)
        read_until(fd, b"echo-ready")
        drain(fd)
        times = rounds(fd)
        os.write(fd, b"\x1d")
        wait_exit(pid, fd)
        os.close(fd)
        return times
    finally:
        subprocess.run([PMJ, "down"], cwd=project, capture_output=True)


def main():
    project = tempfile.mkdtemp(prefix="pmj-keystroke-")
    try:
        with open(os.path.join(project, "pmj.yaml"), "w") as f:
            f.write(YAML)
        with open(os.path.join(project, "echo.py"), "w") as f:
            f.write(ECHO)
        report("console", console(project))
        report("connect", connect(project))
    finally:
        shutil.rmtree(project, ignore_errors=True)


if __name__ == "__main__":
    main()
