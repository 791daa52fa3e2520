#!/usr/bin/env python3
"""Which classes each pmj build loads, and from where (docs/startup.md): a count that does not
move with the machine's load, beside the times of bench/startup-ab.py.

  bench/startup-classes.py base=/tmp/v-base/bin/pmj off=/tmp/v-off/bin/pmj

For `pmj validate` and `pmj up` (10 processes, until all are ready, then SIGINT) of each build,
run with -Xlog:class+load (through PMJ_JAVA_OPTS: the launcher makes a start-up cache for those
options first, untimed), counts the classes loaded:
  archived   from the start-up cache or the JDK's own archive (mapped, not parsed)
  generated  made at run time (lambda forms, lambda proxies, records' methods: hidden classes)
  read       parsed from the jar or the JDK's modules
PMJ_JAVA is passed on. Run by hand, not in CI."""
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import startup_project  # noqa: E402 (beside this script)

builds = startup_project.builds(__doc__)
work, project = startup_project.project_of_ten("pmj-classes-")
log = os.path.join(work, "classes.log")


def env_of(pmj):
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = os.path.join(os.path.dirname(os.path.dirname(pmj)), "cache")
    env["PMJ_JAVA_OPTS"] = f"-Xlog:class+load=info:file={log}"
    env.pop("NO_COLOR", None)
    return env


def count():
    archived = generated = read = 0
    with open(log, errors="replace") as f:
        for line in f:
            if "[class,load]" not in line:
                continue
            if "shared objects file" in line:
                archived += 1
            elif "/0x" in line or "__JVM_LookupDefineClass__" in line or "__Lookup_defineClass__" in line:
                generated += 1
            else:
                read += 1
    return archived, generated, read


def validate(pmj):
    subprocess.run([pmj, "validate"], cwd=project, env=env_of(pmj), check=True,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    return count()


def up(pmj):
    p = subprocess.Popen([pmj, "up"], cwd=project, env=env_of(pmj), stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    seen, dashboard = set(), False
    for raw in p.stdout:
        line = raw.decode(errors="replace")
        if "| ready-" in line:
            seen.add(line.rsplit("ready-", 1)[1].strip())
        dashboard = dashboard or "dashboard:" in line
        if len(seen) == 10 and dashboard:
            break
    p.send_signal(signal.SIGINT)
    p.stdout.close()
    p.wait(20)
    return count()


print(f"# java {os.environ.get('PMJ_JAVA', '(newest)')}; classes loaded: archived generated read")
for name, pmj in builds:
    validate(pmj)  # makes the cache for these options
    v = validate(pmj)
    up(pmj)  # makes pmj up's cache
    u = up(pmj)
    print(f"{name:>14} validate {v[0]:5d} {v[1]:4d} {v[2]:5d}   up {u[0]:5d} {u[1]:4d} {u[2]:5d}")
