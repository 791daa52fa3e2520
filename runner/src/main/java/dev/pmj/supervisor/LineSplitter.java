package dev.pmj.supervisor;

import java.time.Instant;
import java.util.Arrays;

/**
 * Turns the bytes of a pipe into whole lines. Only {@code \n} ends a line ({@code \r} is
 * progress output, kept as is); a blank line is a line; bytes are never decoded or changed. The
 * bytes after the last newline wait for the rest of their line, until {@link #flushPartial} (a
 * prompt with no newline is shown after a short delay) or until they reach {@code maxLine}.
 */
final class LineSplitter {
  private final String id;
  private final int maxLine;
  private byte[] pending = new byte[0];
  private int pendingLength;

  LineSplitter(String id, int maxLine) {
    this.id = id;
    this.maxLine = maxLine;
  }

  /** The complete lines in {@code buf[off, off+len)} with what was pending; null when none. */
  ProcessEvent.OutputLines feed(byte[] buf, int off, int len, Instant at) {
    int lastNewline = -1;
    int count = 0;
    for (int i = off + len - 1; i >= off; i--) {
      if (buf[i] == '\n') {
        if (lastNewline < 0) lastNewline = i;
        count++;
      }
    }
    if (lastNewline < 0) {
      append(buf, off, len);
      return pendingLength >= maxLine ? flushPartial(at) : null;
    }
    int head = lastNewline + 1 - off;
    byte[] data = new byte[pendingLength + head];
    System.arraycopy(pending, 0, data, 0, pendingLength);
    System.arraycopy(buf, off, data, pendingLength, head);
    pendingLength = 0;
    int[] starts = new int[count];
    int[] lengths = new int[count];
    int start = 0;
    int n = 0;
    for (int i = 0; i < data.length; i++) {
      if (data[i] == '\n') {
        starts[n] = start;
        lengths[n] = i - start;
        n++;
        start = i + 1;
      }
    }
    append(buf, lastNewline + 1, off + len - lastNewline - 1);
    return new ProcessEvent.OutputLines(id, at, data, starts, lengths);
  }

  /** The pending bytes as a line of their own; null when nothing is pending. */
  ProcessEvent.OutputLines flushPartial(Instant at) {
    if (pendingLength == 0) return null;
    byte[] data = Arrays.copyOf(pending, pendingLength);
    pendingLength = 0;
    if (pending.length > 65536) pending = new byte[0];
    return new ProcessEvent.OutputLines(id, at, data, new int[] {0}, new int[] {data.length});
  }

  boolean hasPartial() {
    return pendingLength > 0;
  }

  private void append(byte[] buf, int off, int len) {
    if (len <= 0) return;
    if (pendingLength + len > pending.length) {
      pending = Arrays.copyOf(pending, Math.max(pendingLength + len, Math.max(256, pending.length * 2)));
    }
    System.arraycopy(buf, off, pending, pendingLength, len);
    pendingLength += len;
  }
}
