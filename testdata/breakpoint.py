# Stops at a debugger breakpoint: answered through the terminal (p x, then c).
x = 41 + 1
breakpoint()
print("after the breakpoint", flush=True)
