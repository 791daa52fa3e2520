# Prints its terminal's size ("size COLS ROWS") at start and on each SIGWINCH: a resize seen by
# the program in the terminal.
import os
import signal
import sys


def show(*_):
    s = os.get_terminal_size(sys.stdout.fileno())
    print("size %d %d" % (s.columns, s.lines), flush=True)


signal.signal(signal.SIGWINCH, show)
show()
while True:
    signal.pause()
