#!/bin/sh
# Appends a line to FILE (default out.txt, in its cwd) every 100 ms: a process that writes into
# its own watched folder.
echo "append_loop: writing ${1:-out.txt}"
while :; do echo x >> "${1:-out.txt}"; sleep 0.1; done
