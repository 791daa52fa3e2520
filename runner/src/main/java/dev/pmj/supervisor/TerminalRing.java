package dev.pmj.supervisor;

/**
 * The latest raw bytes of a process's terminal (64 KiB), as the program wrote them, to replay in a
 * terminal view; kept across restarts (a new terminal's bytes follow the old one's). Written by the
 * output reader, read by anyone.
 */
final class TerminalRing {
  static final int SIZE = 64 * 1024;

  private final byte[] bytes = new byte[SIZE];
  private long written;

  synchronized void write(byte[] buf, int n) {
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
