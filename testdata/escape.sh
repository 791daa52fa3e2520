#!/bin/sh
# Leaves a process outside its own process group in one of three ways, then waits (or exits):
#   setsid       a child that starts a new session (setsid sleep)
#   doublefork   a grandchild whose parent exits at once (it stays in the group, orphaned)
#   daemon       python's classic daemon: fork, setsid, fork, then the starter exits 0
# The escaped process prints "escaped: PID" so tests can check that it is gone.
mode=$1; shift
case $mode in
  setsid)
    setsid sh -c 'echo "escaped: $$"; exec sleep 1000' &
    ;;
  doublefork)
    ( sh -c 'echo "escaped: $$"; exec sleep 1000' & ) &
    ;;
  daemon)
    exec python3 "$(dirname "$0")/daemon.py" "$@"
    ;;
esac
[ "$1" = exit ] && exit 0
exec sleep 1000
