# Asks on its terminal and prints the answer: an interactive process's prompt answered by input.
import sys
answer = input("continue? [y/N] ")
print("answer: " + answer + " tty=" + str(sys.stdin.isatty()), flush=True)
