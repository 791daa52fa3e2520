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
      byte[] prefix = format.prefix(lines.id());
      byte[] time = format.timestamp(lines.at());
      boolean color = format.style().color();
      byte[] data = lines.data();
      for (int i = 0; i < lines.count(); i++) {
        put(time, 0, time.length);
        put(prefix, 0, prefix.length);
        int start = lines.starts()[i];
        int len = lines.lengths()[i];
        put(data, start, len);
        // A child's color left on at the end of its line must not bleed into the next prefix.
        if (color && contains(data, start, len, (byte) 0x1b))
          put(RESET_NEWLINE, 0, RESET_NEWLINE.length);
        else put(NEWLINE, 0, 1);
      }
      return;
    }
    if (event instanceof ProcessEvent.Added a) format.color(a.id(), a.color());
    String text = Messages.describe(event);
    if (text != null) writePmjLine(text, Instant.now());
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
