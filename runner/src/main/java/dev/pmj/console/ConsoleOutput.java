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
 * while one process is in focus, and everything while a process is typed to in input mode, and
 * shows what it held, in order, when that ends.
 */
final class ConsoleOutput implements EventStream.Subscriber {
  private static final long HOLD_LIMIT_BYTES = 16L << 20;
  private static final long REDRAW_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final Console console;
  private final FooterState footer;
  private final boolean attached;
  private final PlainWriter plain;
  private final Locked locked;
  private final Held focusHeld = new Held();
  private final Held typingHeld = new Held();
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
    this.locked = new Locked(terminal);
    this.plain = new PlainWriter(format, locked);
  }

  @Override
  public void onEvent(ProcessEvent event) {
    footer.update(event);
    console.seen(event);
    if (event == console.leaving()) {
      // Input mode ended with this line: it is said, then what was held during it.
      console.leavingShown();
      if (console.input() == null) {
        console.holdFor(null);
        locked.release();
        show(event);
        replay(typingHeld, "while typing to " + typingId);
        return;
      }
      // already typing again, to this process or another: still held
    }
    String typing = console.holdFor();
    if (typing != null) {
      typingId = typing;
      // Its own lines were on the screen as its terminal showed them.
      if (event instanceof ProcessEvent.OutputLines l && typing.equals(l.id())) return;
      if (attached && !(event instanceof ProcessEvent.OutputLines)) return;
      typingHeld.add(event);
      return;
    }
    show(event);
  }

  private String typingId;

  private void show(ProcessEvent event) {
    if (event instanceof ProcessEvent.OutputLines lines) {
      String f = footer.focus();
      // pmj's own lines (a null id, when attached) are never held back.
      if (f != null && lines.id() != null && !f.equals(lines.id())) {
        focusHeld.add(lines);
        return;
      }
    } else if (attached) {
      return; // pmj's lines about events come as output, from the pmj attached to
    }
    plain.onEvent(event);
    if (footer.focus() == null && !focusHeld.events.isEmpty()) replay(focusHeld, "during focus");
  }

  /** What was held, in order, then how much: focus may hold some of it again. */
  private void replay(Held held, String when) {
    long lines = held.lines;
    long dropped = held.dropped;
    ArrayDeque<ProcessEvent> events = held.events;
    held.clear();
    while (!events.isEmpty()) show(events.removeFirst());
    if (lines == 0 && dropped == 0) return;
    String text = lines + (lines == 1 ? " line" : " lines") + " held back " + when + " shown above";
    if (dropped > 0) text += "; " + dropped + " older ones were dropped (over 16 MB held)";
    plain.onEvent(new ProcessEvent.Notice(null, text));
  }

  /** Events held back, the oldest output dropped beyond 16 MB (pmj's own lines kept). */
  static final class Held {
    ArrayDeque<ProcessEvent> events = new ArrayDeque<>();
    long bytes;
    long lines;
    long dropped;

    void add(ProcessEvent e) {
      events.add(e);
      if (!(e instanceof ProcessEvent.OutputLines l)) return;
      bytes += l.data().length;
      lines += l.count();
      // The oldest output goes first; pmj's own lines stay (few, and they say what happened), and
      // so does the newest batch.
      java.util.Iterator<ProcessEvent> it = events.iterator();
      while (bytes > HOLD_LIMIT_BYTES && it.hasNext()) {
        ProcessEvent old = it.next();
        if (old == e) break;
        if (old instanceof ProcessEvent.OutputLines o) {
          it.remove();
          bytes -= o.data().length;
          lines -= o.count();
          dropped += o.count();
        }
      }
    }

    void clear() {
      events = new ArrayDeque<>();
      bytes = 0;
      lines = 0;
      dropped = 0;
    }
  }

  /**
   * pmj ends (or this view of it): input mode ends here, and what it held is shown now, after the
   * processes' last lines, since no later event will show it.
   */
  @Override
  public void onEnd(boolean dropped) {
    InputMode m = console.input();
    if (m != null) m.leave("left " + m.id + ": pmj stops");
    if (console.holdFor() == null) return;
    ProcessEvent said = console.leaving();
    console.leavingShown();
    console.holdFor(null);
    locked.release();
    if (said != null) show(said);
    replay(typingHeld, "while typing to " + typingId);
    plain.onIdle();
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
    private final java.io.ByteArrayOutputStream early = new java.io.ByteArrayOutputStream();

    Locked(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (console.holdFor() != null) {
        // Formatted before input mode began, written after: kept for when it ends.
        early.write(b, off, len);
        return;
      }
      release();
      console.lock.lock();
      try {
        out.write(b, off, len);
      } finally {
        console.lock.unlock();
      }
    }

    /** Writes what came while input mode held the terminal. */
    void release() {
      if (early.size() == 0) return;
      console.lock.lock();
      try {
        early.writeTo(out);
      } catch (IOException e) {
        // the terminal is gone: nothing to show it on
      } finally {
        console.lock.unlock();
        early.reset();
      }
    }

    @Override
    public void flush() throws IOException {
      if (console.holdFor() != null) return;
      console.lock.lock();
      try {
        out.flush();
      } finally {
        console.lock.unlock();
      }
    }
  }
}
