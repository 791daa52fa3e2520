# Reads its input a line at a time and says what it got, then that the input ended: an
# interactive process on a pipe (no terminal) typed into a line at a time.
import sys

print("tty=" + str(sys.stdin.isatty()), flush=True)
for line in sys.stdin:
    print("got " + repr(line), flush=True)
print("end of input", flush=True)
