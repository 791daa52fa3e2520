#!/bin/sh
# A stopCommand for daemon.py: says so, then ends the daemon named in ./daemon.pid.
echo "stop command: stopping $(cat daemon.pid)"
kill -TERM "$(cat daemon.pid)"
