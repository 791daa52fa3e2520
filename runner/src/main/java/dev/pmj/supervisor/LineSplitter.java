package dev.pmj.supervisor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;

/**
 * Turns the bytes of a pipe into whole lines. Only {@code \n} ends a line ({@code \r} is progress
 * output, kept as is); a blank line is a line; bytes are never decoded or changed. The bytes after
 * the last newline wait for the rest of their line, until {@link #flushPartial} (a prompt with no
 * newline is shown after a short delay) or until they reach {@code maxLine}.
 */
final class LineSplitter {
  private final String id;
  private final int maxLine;
  private byte[] pending = new byte[0];
  private int pendingLength;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private int[] ends = new int[256];

  LineSplitter(String id, int maxLine) {
    this.id = id;
    this.maxLine = maxLine;
  }

  /** The complete lines in {@code buf[off, off+len)} with what was pending; null when none. */
  ProcessEvent.OutputLines feed(byte[] buf, int off, int len, Instant at) {
    int end = off + len;
    int count = findNewlines(buf, off, end);
    if (count == 0) {
      append(buf, off, len);
      return pendingLength >= maxLine ? flushPartial(at) : null;
    }
    int lastNewline = ends[count - 1];
    int head = lastNewline + 1 - off;
    int shift = pendingLength - off; // position in data of buf[i] is i + shift
    byte[] data = new byte[pendingLength + head];
    System.arraycopy(pending, 0, data, 0, pendingLength);
    System.arraycopy(buf, off, data, pendingLength, head);
    pendingLength = 0;
    int[] starts = new int[count];
    int[] lengths = new int[count];
    int start = 0;
    for (int n = 0; n < count; n++) {
      int nl = ends[n] + shift;
      starts[n] = start;
      lengths[n] = nl - start;
      start = nl + 1;
    }
    append(buf, lastNewline + 1, end - lastNewline - 1);
    return new ProcessEvent.OutputLines(id, at, data, starts, lengths);
  }

  /**
   * Records the position of every newline in {@code ends}; returns how many. Eight bytes at a time:
   * the launcher runs pmj on the C1 compiler for a fast start, and C1 does not vectorize a byte
   * loop, which made this scan pmj's hottest code at millions of lines per second. The zero-byte
   * test is the exact one (no carry crosses a byte: the usual {@code (v - 0x01…) & ~v} also flags a
   * 0x0b right after a newline), and a found byte's index comes from one multiplication (C1 has no
   * intrinsic for {@code numberOfTrailingZeros}).
   */
  private int findNewlines(byte[] buf, int off, int end) {
    // Grown by the newlines found, not by the bytes read: a 64 KB read of 85-byte lines has 770.
    int[] e = ends;
    int count = 0;
    int i = off;
    for (; i + 8 <= end; i += 8) {
      long v = (long) LONGS.get(buf, i) ^ 0x0a0a0a0a0a0a0a0aL;
      long t = ~(((v & LOW7) + LOW7) | v | LOW7);
      while (t != 0) {
        long lowest = t & -t;
        if (count == e.length) ends = e = Arrays.copyOf(e, e.length * 2);
        e[count++] = i + (int) (((lowest >>> 7) * BYTE_INDEX) >>> 56);
        t ^= lowest;
      }
    }
    for (; i < end; i++) {
      if (buf[i] != '\n') continue;
      if (count == e.length) ends = e = Arrays.copyOf(e, e.length * 2);
      e[count++] = i;
    }
    return count;
  }

  private static final long LOW7 = 0x7f7f7f7f7f7f7f7fL;

  /** Times {@code 1 << 8k}, its top byte is {@code k}. */
  private static final long BYTE_INDEX = 0x0001020304050607L;

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
      pending =
          Arrays.copyOf(pending, Math.max(pendingLength + len, Math.max(256, pending.length * 2)));
    }
    System.arraycopy(buf, off, pending, pendingLength, len);
    pendingLength += len;
  }
}
