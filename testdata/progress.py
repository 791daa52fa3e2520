# A progress bar drawn in place, as terminal programs do: \r redraws, erase to end of line,
# a coloured word, a hidden cursor, a title; each step is its own write.
import sys, os
w = lambda s: (os.write(1, s.encode()))
w("\x1b]0;building\x07\x1b[?25l")
for p in (0, 50, 100):
    w("\r\x1b[Kprogress %3d%%" % p)
w("\r\n")
w("\x1b[32mdone\x1b[0m in \x1b[1m3\x1b[0m steps\r\n")
w("\x1b[?25h")
w("last line\n")
