# Waits until interrupted: Ctrl-C typed into its terminal arrives as SIGINT.
import time

try:
    print("waiting", flush=True)
    time.sleep(1000)
except KeyboardInterrupt:
    print("interrupted", flush=True)
