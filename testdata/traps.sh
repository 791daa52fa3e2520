#!/bin/sh
# Says which signal reached it ("got USR1"), then exits 0; prints "ready" once its traps are set.
# The sleep it waits in is in its group too: a signal to the group ends it, and the trap runs
# (the shell's own note that the sleep was killed goes nowhere).
for s in INT HUP QUIT USR1 USR2 TERM; do
  trap "echo got $s; exit 0" "$s"
done
echo ready
exec 2>/dev/null
while :; do sleep 1; done
