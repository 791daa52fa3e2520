package dev.pmj.console;

import dev.pmj.output.LineFormat;
import dev.pmj.output.PlainWriter;
import dev.pmj.supervisor.EventStream;
import dev.pmj.supervisor.ProcessEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The console's subscriber: writes output as plain mode does, in the console's lock so that a
 * footer redraw never lands inside it; keeps the footer's state; holds back the others' output
 * while one process is in focus, and shows it when focus ends.
 */
final class ConsoleOutput implements EventStream.Subscriber {
  private static final long HOLD_LIMIT_BYTES = 16L << 20;
  private static final long REDRAW_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final Console console;
  private final FooterState footer;
  private final boolean attached;
  private final PlainWriter plain;
  private final ArrayDeque<ProcessEvent.OutputLines> held = new ArrayDeque<>();
  private long heldBytes;
  private long heldLines;
  private long droppedLines;
  private long lastRedraw;

  /**
   * @param attached pmj's lines about events come as output from the pmj attached to
   */
  ConsoleOutput(
      Console console,
      FooterState footer,
      LineFormat format,
      OutputStream terminal,
      boolean attached) {
    this.console = console;
    this.footer = footer;
    this.attached = attached;
    this.plain = new PlainWriter(format, new Locked(terminal));
  }

  @Override
  public void onEvent(ProcessEvent event) {
    footer.update(event);
    if (event instanceof ProcessEvent.OutputLines lines) {
      String f = footer.focus();
      // pmj's own lines (a null id, when attached) are never held back.
      if (f != null && lines.id() != null && !f.equals(lines.id())) {
        hold(lines);
        return;
      }
    } else if (attached) {
      return; // pmj's lines about events come as output, from the pmj attached to
    }
    plain.onEvent(event);
    if (footer.focus() == null && !held.isEmpty()) replay();
  }

  private void hold(ProcessEvent.OutputLines lines) {
    held.add(lines);
    heldBytes += lines.data().length;
    heldLines += lines.count();
    while (heldBytes > HOLD_LIMIT_BYTES && held.size() > 1) {
      ProcessEvent.OutputLines old = held.removeFirst();
      heldBytes -= old.data().length;
      heldLines -= old.count();
      droppedLines += old.count();
    }
  }

  private void replay() {
    long shown = heldLines;
    while (!held.isEmpty()) plain.onEvent(held.removeFirst());
    String text = shown + (shown == 1 ? " line" : " lines") + " held back during focus shown above";
    if (droppedLines > 0)
      text += "; " + droppedLines + " older ones were dropped (over 16 MB held)";
    plain.onEvent(new ProcessEvent.Notice(null, text));
    heldBytes = 0;
    heldLines = 0;
    droppedLines = 0;
  }

  @Override
  public void onIdle() {
    plain.onIdle();
    long now = System.nanoTime();
    if (now - lastRedraw >= REDRAW_EVERY_NANOS) {
      lastRedraw = now;
      console.redraw(false);
    }
  }

  /** Output bytes to the terminal, in the console's lock. */
  private final class Locked extends OutputStream {
    private final OutputStream out;

    Locked(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      console.lock.lock();
      try {
        out.write(b, off, len);
      } finally {
        console.lock.unlock();
      }
    }

    @Override
    public void flush() throws IOException {
      console.lock.lock();
      try {
        out.flush();
      } finally {
        console.lock.unlock();
      }
    }
  }
}
