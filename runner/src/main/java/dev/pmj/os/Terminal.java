package dev.pmj.os;

import java.util.function.Consumer;

/**
 * Where what is typed to an interactive child goes: its pseudo-terminal ({@link PtyTerminal}), or,
 * where none can be had, a pipe on its stdin behind a line discipline of pmj's own ({@link
 * LineTerminal}), so that a prompt can still be answered a line at a time.
 */
public abstract class Terminal {
  Terminal() {}

  /** Sends {@code bytes} to the child as if typed; never waits for it to read them. */
  public abstract void write(byte[] bytes);

  /** Whether input still waits for the child to read it. */
  public abstract boolean pending();

  /** Sets the terminal's size; the child gets SIGWINCH. Nothing for a pipe. */
  public abstract void resize(int cols, int rows);

  /** No more input: the child's run is over. */
  public abstract void close();

  /**
   * Whether this is a real terminal. A pipe's output has bare {@code \n} line ends, and the echo of
   * what is typed comes from pmj ({@link #echoTo}), not from the child's output.
   */
  public boolean isPseudoTerminal() {
    return true;
  }

  /**
   * Where the echo of what is typed goes, where pmj (not the kernel) echoes it; called on the
   * writer's thread, must not wait.
   */
  public void echoTo(Consumer<byte[]> echo) {}
}
