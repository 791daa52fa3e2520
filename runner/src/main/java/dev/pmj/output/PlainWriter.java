package dev.pmj.output;

import dev.pmj.supervisor.EventStream;
import dev.pmj.supervisor.Messages;
import dev.pmj.supervisor.ProcessEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Writes the stream as lines to one output (stdout, a pipe, a file): the single writer, so lines
 * are whole and never interleaved. Bytes go into one buffer of our own, written when full and
 * whenever the queue runs empty.
 */
public final class PlainWriter implements EventStream.Subscriber {
  private static final byte[] RESET_NEWLINE = "\033[0m\n".getBytes(StandardCharsets.US_ASCII);

  private final LineFormat format;
  private final OutputStream out;
  private final byte[] buf = new byte[1 << 16];
  private int used;
  private boolean broken;
  private final Runnable onBroken;

  public PlainWriter(LineFormat format, OutputStream out) {
    this(format, out, () -> {});
  }

  /**
   * @param onBroken called once when the output is gone (a closed pipe, a hung-up terminal)
   */
  public PlainWriter(LineFormat format, OutputStream out, Runnable onBroken) {
    this.format = format;
    this.out = out;
    this.onBroken = onBroken;
  }

  private void broke() {
    if (broken) return;
    broken = true;
    onBroken.run();
  }

  @Override
  public void onEvent(ProcessEvent event) {
    if (event instanceof ProcessEvent.OutputLines lines) {
      writeLines(lines);
      return;
    }
    if (event instanceof ProcessEvent.Added a) format.color(a.id(), a.color());
    String text = Messages.describe(event);
    if (text != null) writePmjLine(text, Instant.now());
  }

  /**
   * The hot loop of pmj's output (millions of lines a second): each line is its prefix (time and
   * name, made once for the batch) and its bytes with the newline that follows them in the batch,
   * two copies into the buffer.
   */
  private void writeLines(ProcessEvent.OutputLines lines) {
    byte[] time = format.timestamp(lines.at());
    byte[] name = format.prefix(lines.id());
    byte[] prefix = name;
    if (time.length > 0) {
      prefix = java.util.Arrays.copyOf(time, time.length + name.length);
      System.arraycopy(name, 0, prefix, time.length, name.length);
    }
    int pl = prefix.length;
    boolean color = format.style().color();
    byte[] data = lines.data();
    int[] starts = lines.starts();
    int[] lengths = lines.lengths();
    int count = lines.count();
    byte[] b = buf;
    for (int i = 0; i < count; i++) {
      int start = starts[i];
      int len = lengths[i];
      // A child's color left on at the end of its line must not bleed into the next prefix.
      if (color && contains(data, start, len, (byte) 0x1b)) {
        put(prefix, 0, pl);
        put(data, start, len);
        put(RESET_NEWLINE, 0, RESET_NEWLINE.length);
        continue;
      }
      boolean newline = start + len < data.length && data[start + len] == '\n';
      int need = pl + len + 1;
      if (need > b.length - used) {
        flushBuffer();
        if (need > b.length) {
          put(prefix, 0, pl);
          put(data, start, len);
          put(NEWLINE, 0, 1);
          continue;
        }
      }
      System.arraycopy(prefix, 0, b, used, pl);
      used += pl;
      if (newline) {
        System.arraycopy(data, start, b, used, len + 1);
        used += len + 1;
      } else {
        System.arraycopy(data, start, b, used, len);
        used += len;
        b[used++] = '\n';
      }
    }
  }

  private void writePmjLine(String text, Instant at) {
    byte[] time = format.timestamp(at);
    byte[] prefix = format.prefix(null);
    put(time, 0, time.length);
    put(prefix, 0, prefix.length);
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    put(b, 0, b.length);
    put(NEWLINE, 0, 1);
  }

  private static final byte[] NEWLINE = {'\n'};

  private static boolean contains(byte[] data, int start, int len, byte b) {
    for (int i = start; i < start + len; i++) if (data[i] == b) return true;
    return false;
  }

  private void put(byte[] b, int off, int len) {
    if (len > buf.length - used) {
      flushBuffer();
      if (len > buf.length) {
        write(b, off, len);
        return;
      }
    }
    System.arraycopy(b, off, buf, used, len);
    used += len;
  }

  @Override
  public void onIdle() {
    flushBuffer();
    if (broken) return;
    try {
      out.flush();
      if (out instanceof java.io.PrintStream ps && ps.checkError()) broke();
    } catch (IOException e) {
      broke();
    }
  }

  private void flushBuffer() {
    if (used > 0) write(buf, 0, used);
    used = 0;
  }

  private void write(byte[] b, int off, int len) {
    if (broken) return;
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      // The terminal or pipe is gone (SIGHUP, a closed pager): stop writing, and say so.
      broke();
    }
  }
}
