#!/usr/bin/env python3
"""What a start-up trick saves (docs/startup.md): two or more pmj builds measured in alternating
rounds, so that the load of a shared machine falls on all of them alike.

  RUNS=15 bench/startup-ab.py base=/tmp/v-base/bin/pmj off=/tmp/v-off/bin/pmj

Each round runs every build once, in turn (the order reversed every other round), on a project of
10 processes `sh -c 'echo ready-N; exec sleep 1000'`:
  version_ms    pmj --version
  validate_ms   pmj validate
  ready_ms      pmj up (no terminal): launch -> all 10 ready-N lines on its stdout
  dashboard_ms  ... -> its `dashboard:` line (the API is serving)
  stop_ms       SIGINT -> pmj gone
and the CPU time (user + system, pmj's JVM and what it waited for) of each:
  version_cpu, validate_cpu, up_cpu (the whole pmj up: start, ready, stop)
On a shared machine the CPU times move far less with other programs' load than the wall times:
what a trick saves is mostly work done at start, which both show.
One untimed round first makes each build's start-up caches (each build has its own
XDG_CACHE_HOME beside it). Printed per build and figure: the median, the quartiles and the range;
per other build, the median of its difference to the first build within the same round (negative:
faster than the first). PMJ_JAVA is passed on (e.g. /usr/lib/jvm/java-17-openjdk-amd64).
Run by hand, not in CI. Every child carries a tag in its environment; one left behind is reported
and killed."""
import os
import resource
import signal
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import startup_project  # noqa: E402 (beside this script)
import time
import uuid

RUNS = int(os.environ.get("RUNS", "15"))
FIGURES = ["version_ms", "validate_ms", "ready_ms", "dashboard_ms", "stop_ms",
           "version_cpu", "validate_cpu", "up_cpu"]
builds = startup_project.builds(__doc__)

work, project = startup_project.project_of_ten("pmj-startup-")

tag = "pmj-bench-" + uuid.uuid4().hex


def env_of(pmj):
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = os.path.join(os.path.dirname(os.path.dirname(pmj)), "cache")
    env["PMJ_BENCH_TAG"] = tag
    env.pop("NO_COLOR", None)
    return env


def leftovers():
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                if tag.encode() not in f.read():
                    continue
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] in "ZX":
                    continue
            found.append(int(pid))
        except OSError:
            pass
    return found


def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (r.ru_utime + r.ru_stime) * 1000


def timed(pmj, *args):
    c = cpu()
    t = time.perf_counter()
    r = subprocess.run([pmj, *args], cwd=project, env=env_of(pmj), stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode != 0:
        sys.exit(f"{pmj} {' '.join(args)} exited {r.returncode}: {r.stderr.decode()}")
    return (time.perf_counter() - t) * 1000, cpu() - c


def up(pmj):
    c = cpu()
    t = time.perf_counter()
    p = subprocess.Popen([pmj, "up"], cwd=project, env=env_of(pmj), stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    ready, seen, dashboard, lines = None, set(), None, []
    deadline = t + 30
    for raw in p.stdout:
        line = raw.decode(errors="replace")
        lines.append(line)
        now = time.perf_counter()
        if "| ready-" in line:
            seen.add(line.rsplit("ready-", 1)[1].strip())
            if len(seen) == 10 and ready is None:
                ready = now
        if "dashboard:" in line and dashboard is None:
            dashboard = now
        if (ready and dashboard) or now > deadline:
            break
    s = time.perf_counter()
    p.send_signal(signal.SIGINT)
    p.stdout.close()
    p.wait(20)
    stop = time.perf_counter()
    used = cpu() - c
    if ready is None or dashboard is None:
        sys.exit(f"{pmj} up: not all ready within 30 s:\n{''.join(lines)}")
    left = leftovers()
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    if left:
        print(f"# {pmj}: {len(left)} processes left behind (killed)", file=sys.stderr)
    return (ready - t) * 1000, (dashboard - t) * 1000, (stop - s) * 1000, used


def once(pmj):
    v, vc = timed(pmj, "--version")
    val, valc = timed(pmj, "validate")
    r, d, s, uc = up(pmj)
    return dict(zip(FIGURES, (v, val, r, d, s, vc, valc, uc)))


def load():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


print(f"# {RUNS} rounds, load {load()} at start, java {os.environ.get('PMJ_JAVA', '(newest)')}")
for _, pmj in builds:
    once(pmj)  # makes the caches
results = {name: {k: [] for k in FIGURES} for name, _ in builds}
for i in range(RUNS):
    order = builds if i % 2 == 0 else list(reversed(builds))
    for name, pmj in order:
        for k, v in once(pmj).items():
            results[name][k].append(v)
print(f"# load {load()} at end")


def q(xs):
    s = sorted(xs)
    qs = statistics.quantiles(s, n=4) if len(s) > 1 else [s[0]] * 3
    return f"{statistics.median(s):7.1f} [{qs[0]:.1f}-{qs[2]:.1f}] ({s[0]:.1f}-{s[-1]:.1f})"


first = builds[0][0]
for k in FIGURES:
    for name, _ in builds:
        line = f"{name:>14} {k:<13} {q(results[name][k])}"
        if name != first:
            d = [b - a for a, b in zip(results[first][k], results[name][k])]
            line += f"   diff to {first}: {statistics.median(d):+.1f} [{statistics.quantiles(d, n=4)[0]:+.1f} {statistics.quantiles(d, n=4)[2]:+.1f}]"
        print(line)
