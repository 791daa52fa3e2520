package dev.pmj.supervisor;

/**
 * The latest raw bytes of a process's terminal (64 KiB) and the size of its next one, as the
 * program wrote them, to replay in a terminal view; kept across restarts (a new terminal's bytes
 * follow the old one's). Written by the output reader, read by anyone.
 */
final class TerminalRing {
  static final int SIZE = 64 * 1024;

  /** The size of its next terminal: 80x24 until one that types into it says otherwise. */
  private volatile int cols = 80;

  private volatile int rows = 24;

  private final byte[] bytes = new byte[SIZE];

  /** Whether the run now has a pipe, not a terminal, and the last byte of its output. */
  private boolean pipe;

  private byte last;
  private long written;
  private final java.util.List<Follower> followers =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Told on the writer's thread, which it must not hold up. */
  interface Follower {
    void bytes(byte[] chunk);

    /** A new terminal: its bytes come after this. */
    void started(long pid);
  }

  /**
   * The output of the run now: a terminal's as it is, a pipe's with each bare {@code \n} made
   * {@code \r\n}, as a terminal would show it, so that a view of the raw bytes does not staircase.
   */
  synchronized void write(byte[] buf, int n) {
    if (pipe) {
      byte[] shown = crlf(buf, n);
      keep(shown, shown.length);
    } else {
      keep(buf, n);
    }
  }

  /** The echo of what was typed to a pipe (pmj's own: the pipe has none); already {@code \r\n}. */
  synchronized void echo(byte[] bytes) {
    keep(bytes, bytes.length);
  }

  private byte[] crlf(byte[] buf, int n) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(n + 16);
    for (int i = 0; i < n; i++) {
      if (buf[i] == '\n' && last != '\r') out.write('\r');
      out.write(buf[i]);
      last = buf[i];
    }
    return out.toByteArray();
  }

  private void keep(byte[] buf, int n) {
    // Under the lock: a follower gets every byte after its replay, none twice.
    if (!followers.isEmpty()) {
      byte[] chunk = java.util.Arrays.copyOf(buf, n);
      for (Follower f : followers) f.bytes(chunk);
    }
    int off = 0;
    if (n > SIZE) {
      off = n - SIZE;
      written += off;
      n = SIZE;
    }
    int at = (int) (written % SIZE);
    int first = Math.min(n, SIZE - at);
    System.arraycopy(buf, off, bytes, at, first);
    System.arraycopy(buf, off + first, bytes, 0, n - first);
    written += n;
  }

  /**
   * Gives {@code follower} the bytes kept, then each write as it comes (on the writer's thread: it
   * must not wait), until {@link #unfollow}.
   */
  synchronized void follow(Follower follower) {
    follower.bytes(snapshot());
    followers.add(follower);
  }

  /**
   * A run starts in a new terminal, or with a pipe as stdin where none could be had (before any of
   * its bytes are read).
   */
  synchronized void started(long pid, dev.pmj.os.Terminal terminal) {
    pipe = !terminal.isPseudoTerminal();
    // A pipe's echo is pmj's: it goes where the output goes.
    terminal.echoTo(this::echo);
    last = 0;
    for (Follower f : followers) f.started(pid);
  }

  void unfollow(Follower follower) {
    followers.remove(follower);
  }

  void size(int cols, int rows) {
    this.cols = cols;
    this.rows = rows;
  }

  int cols() {
    return cols;
  }

  int rows() {
    return rows;
  }

  /** The bytes kept, oldest first. */
  synchronized byte[] snapshot() {
    int kept = (int) Math.min(written, SIZE);
    byte[] out = new byte[kept];
    int start = (int) ((written - kept) % SIZE);
    int first = Math.min(kept, SIZE - start);
    System.arraycopy(bytes, start, out, 0, first);
    System.arraycopy(bytes, 0, out, first, kept - first);
    return out;
  }
}
