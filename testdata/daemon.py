"""A daemon as daemon.py recipes make one: fork, setsid, fork; the starter exits 0 at once.

The daemon prints "escaped: PID" (through the inherited output, as many daemons do before they
close it), writes its pid to ./daemon.pid and runs until a signal ends it. With "stubborn" it
ignores SIGTERM; with "brief" it ends by itself after two seconds; with "stay" the starter does not
exit but waits, as a supervisor-style program would.
"""
import os
import signal
import sys
import time

args = sys.argv[1:]
if os.path.exists("daemon.pid"):
    os.remove("daemon.pid")
if os.fork() > 0:
    if "stay" in args:
        while True:
            time.sleep(1000)
    # As real daemons' starters do, return once the daemon runs (its pid file is written).
    deadline = time.time() + 10
    while not os.path.exists("daemon.pid") and time.time() < deadline:
        time.sleep(0.01)
    sys.exit(0)
os.setsid()
if os.fork() > 0:
    os._exit(0)
if "stubborn" in args:
    signal.signal(signal.SIGTERM, lambda *_: print("daemon: ignoring TERM", flush=True))
else:
    signal.signal(signal.SIGTERM, lambda *_: (print("daemon: bye", flush=True), os._exit(0)))
with open("daemon.pid.tmp", "w") as f:
    f.write(str(os.getpid()))
os.rename("daemon.pid.tmp", "daemon.pid")
print("escaped: %d" % os.getpid(), flush=True)
end = time.time() + (2 if "brief" in args else 1000)
while time.time() < end:
    time.sleep(0.05)
