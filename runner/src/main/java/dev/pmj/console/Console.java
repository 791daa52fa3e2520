package dev.pmj.console;

import dev.pmj.output.LineFormat;
import dev.pmj.supervisor.Control;
import dev.pmj.supervisor.EventStream;
import dev.pmj.supervisor.ProcessEvent;
import dev.pmj.supervisor.ProcessState;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jline.keymap.BindingReader;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.InfoCmp;
import org.jline.utils.NonBlocking;
import org.jline.utils.Status;

/**
 * {@code pmj up} in a terminal. Output goes to the terminal as in plain mode (the same writer and
 * format), above a status footer that JLine keeps in the bottom lines through a scroll region; one
 * lock orders output bytes and footer redraws, so neither tears the other. Keys are read raw (no
 * echo, no line editing, no signals from Ctrl-C: it arrives as a key) on their own thread and
 * become commands on the {@link Control}, each echoed as one pmj line.
 *
 * <p>The terminal is always restored: by {@link #close()}, or by a shutdown hook when the JVM ends
 * any other way short of SIGKILL.
 */
public final class Console implements AutoCloseable {
  /** Decides what a quit key does: {@code escalate} is true for Ctrl-C (a second one kills). */
  public interface Quit {
    void quit(String why, boolean escalate);

    /** Q: stop pmj itself (the same as quit for pmj up; for attach, quit only detaches). */
    default void stopPmj(String why) {
      quit(why, false);
    }
  }

  private final Terminal terminal;
  private final java.io.File tty;
  private final String sttySaved;
  private Status status;
  private final LineFormat format;
  private final EventStream events;

  /**
   * Attached to a pmj in another process: its lines come as output (pmj's own under a null id) and
   * its events only keep the footer; q detaches.
   */
  private final boolean attached;

  /** Orders output bytes and footer redraws, so that neither tears the other. */
  final ReentrantLock lock = new ReentrantLock();

  private final AtomicBoolean restored = new AtomicBoolean();
  private final CountDownLatch restoreDone = new CountDownLatch(1);
  private final Thread hook = new Thread(this::restore, "pmj-console-restore");
  private final Thread keys;
  private final Thread ticker;
  private final FooterState footer;
  private final Prompts prompts;
  private List<String> drawn = List.of();
  private volatile boolean closed;

  /** The input mode going on, or null. */
  private volatile InputMode input;

  /**
   * The process whose input mode holds the others' output back, from its start until the writer
   * shows the line that ended it (events queued before that line are still held).
   */
  private volatile String holdFor;

  /** The line that ended input mode, until the writer has shown it. */
  private volatile ProcessEvent leaving;

  private Console(
      Terminal terminal,
      java.io.File tty,
      List<String> processes,
      LineFormat format,
      Control control,
      EventStream events,
      Quit quit,
      boolean attached) {
    this.terminal = terminal;
    this.format = format;
    this.events = events;
    this.attached = attached;
    this.tty = tty;
    this.sttySaved = tty == null ? null : Stty.run(tty, "-g");
    // Raw mode through stty on the terminal device, synchronously: no echo, no line editing,
    // no signals from keys (Ctrl-C arrives as byte 3), reads of single bytes.
    if (sttySaved == null
        || Stty.run(
                tty, "-icanon", "-echo", "-isig", "-iexten", "-ixon", "-icrnl", "min", "1", "time",
                "0")
            == null) {
      throw new IllegalStateException("cannot switch the terminal to raw mode (stty failed)");
    }
    Runtime.getRuntime().addShutdownHook(hook);
    this.footer = new FooterState(processes, format, terminal.getSize());
    this.prompts = new Prompts(control);
    footer.waits(prompts::waits);
    this.status = Status.getStatus(terminal, true);
    this.keys = new Thread(new Keys(this, footer, control, quit, attached)::read, "pmj-keys");
    this.keys.setDaemon(true);
    this.ticker = new Thread(this::tick, "pmj-console-tick");
    this.ticker.setDaemon(true);
  }

  /**
   * Opens the console on the terminal pmj runs in. Call only when stdin and stdout are both
   * terminals and {@code TERM} is not {@code dumb}. {@code tty} is stdin's terminal device
   * (/dev/pts/N), which stty opens by name: the terminal library closes stdin when it closes.
   */
  public static Console open(
      java.io.File tty,
      List<String> processes,
      LineFormat format,
      Control control,
      EventStream events,
      Quit quit)
      throws IOException {
    return open(tty, processes, format, control, events, quit, false);
  }

  /**
   * @param attached the console of a pmj in another process (pmj attach): {@code events} carries
   *     its lines as output, pmj's own under a null id, and its events only for the footer
   */
  public static Console open(
      java.io.File tty,
      List<String> processes,
      LineFormat format,
      Control control,
      EventStream events,
      Quit quit,
      boolean attached)
      throws IOException {
    Terminal terminal =
        TerminalBuilder.builder().system(true).provider("exec").nativeSignals(false).build();
    Console c;
    try {
      c = new Console(terminal, tty, processes, format, control, events, quit, attached);
    } catch (RuntimeException e) {
      terminal.close();
      throw e;
    }
    installResizeHandler(c);
    return c;
  }

  @SuppressWarnings("restriction")
  private static void installResizeHandler(Console c) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> c.resized());
    } catch (IllegalArgumentException e) {
      // no SIGWINCH here: the footer keeps its first size
    }
  }

  /**
   * Loads the console's classes on a terminal made of byte streams, so that the launcher's
   * class-data archive (recorded by a warm-up run, never in a terminal) holds them too.
   */
  public static void warmUp() {
    try (Terminal t =
        TerminalBuilder.builder()
            .system(false)
            .streams(new java.io.ByteArrayInputStream(new byte[0]), OutputStream.nullOutputStream())
            .type("xterm-256color")
            .size(new Size(120, 30))
            .nativeSignals(false)
            .build()) {
      Attributes saved = t.enterRawMode();
      Status status = Status.getStatus(t, true);
      List<String> lines =
          Footer.render(
              List.of(
                  new Footer.Entry(
                      "warm", dev.pmj.config.Color.CYAN, ProcessState.READY, 1, null, null)),
              0,
              null,
              119,
              3,
              true,
              Instant.now());
      new FooterState(
              List.of("warm"),
              new LineFormat(
                  java.util.Map.of("warm", dev.pmj.config.Color.CYAN),
                  new LineFormat.Style(true, false, true)),
              t.getSize())
          .lines();
      List<AttributedString> styled = new ArrayList<>();
      for (String l : lines) styled.add(AttributedString.fromAnsi(l));
      status.update(styled);
      status.update(List.of());
      status.close();
      Keys.keyMap();
      Prompts.endsPartial(false, "(Pdb) \033[K".getBytes(StandardCharsets.US_ASCII));
      new KeyInput(new java.io.ByteArrayInputStream(new byte[] {'i'}), "warm").readChunk(100L);
      new BindingReader(
          NonBlocking.nonBlocking(
              "warm",
              NonBlocking.nonBlocking("warm", new java.io.ByteArrayInputStream(new byte[0])),
              StandardCharsets.UTF_8));
      t.setAttributes(saved);
    } catch (IOException | RuntimeException e) {
      // a smaller archive only
    }
  }

  /**
   * The subscriber that writes output and keeps the footer; subscribe it, then call {@link
   * #start()}.
   */
  public EventStream.Subscriber writer() {
    return new ConsoleOutput(this, footer, format, terminal.output(), attached);
  }

  /** Starts reading keys and the footer's clock. */
  public void start() {
    redraw(true);
    keys.start();
    ticker.start();
    prompts.start();
  }

  // ---- footer ----

  /** Draws the footer when it changed (or always, with {@code force}). */
  void redraw(boolean force) {
    if (closed) return;
    if (footerLost) {
      footerLost = false;
      lock.lock();
      try {
        status.reset();
      } finally {
        lock.unlock();
      }
      force = true;
    }
    List<String> lines = footer.lines();
    if (!force && lines.equals(drawn)) return;
    lock.lock();
    try {
      if (closed) return;
      List<AttributedString> styled = new ArrayList<>();
      for (String l : lines) styled.add(AttributedString.fromAnsi(l));
      status.update(styled);
      terminal.flush();
      drawn = lines;
    } finally {
      lock.unlock();
    }
  }

  private void resized() {
    footer.size(terminal.getSize());
    InputMode m = input;
    if (m != null) m.resize();
    lock.lock();
    try {
      if (closed) return;
      // A new footer for the new size: the old one is erased first, and the new one makes
      // room for itself below the output as at start, so output never lands in its lines.
      status.update(List.of());
      status.close();
      status = new Status(terminal);
      drawn = List.of();
    } finally {
      lock.unlock();
    }
    redraw(true);
  }

  private void tick() {
    while (!closed) {
      try {
        Thread.sleep(250); // the footer's clock: backoff seconds count down
      } catch (InterruptedException e) {
        return;
      }
      redraw(false);
    }
  }

  /** Clears the screen, output and footer, and draws the footer anew. */
  void clearScreen() {
    lock.lock();
    try {
      terminal.puts(InfoCmp.Capability.clear_screen);
      terminal.flush();
      status.reset(); // the footer is gone with the rest: draw it anew
    } finally {
      lock.unlock();
    }
    redraw(true);
  }

  /** One line of pmj's about what a key did. */
  void say(String id, String text) {
    events.publish(line(id, text));
  }

  private ProcessEvent line(String id, String text) {
    if (attached) {
      // Only this terminal shows what its keys do; pmj says what they did.
      byte[] b = (id == null ? text : id + ": " + text).getBytes(StandardCharsets.UTF_8);
      return new ProcessEvent.OutputLines(
          null, Instant.now(), b, new int[] {0}, new int[] {b.length});
    }
    return new ProcessEvent.Notice(id, text);
  }

  // ---- input mode ----

  /**
   * The writer saw an event: the prompts follow processes added and removed, input mode ends with
   * its process.
   */
  void seen(ProcessEvent e) {
    if (e instanceof ProcessEvent.Added a) prompts.added(a.id());
    else if (e instanceof ProcessEvent.Removed r) prompts.removed(r.id());
    InputMode m = input;
    if (m != null && e instanceof ProcessEvent.StateChanged c) m.state(c.status());
  }

  InputMode input() {
    return input;
  }

  String holdFor() {
    return holdFor;
  }

  void holdFor(String id) {
    holdFor = id;
  }

  ProcessEvent leaving() {
    return leaving;
  }

  void leavingShown() {
    leaving = null;
  }

  Size size() {
    return terminal.getSize();
  }

  /**
   * Gives the screen to input mode: output held from now, the screen cleared, the footer down to
   * its one line, output bytes as they are (no newline translation: the process's terminal did it).
   * False when the console is closing.
   */
  boolean enterInput(InputMode m) {
    lock.lock();
    try {
      if (closed) return false;
      holdFor = m.id;
      input = m;
      footer.typing(m.id);
      Stty.run(tty, "-opost");
      terminal.puts(InfoCmp.Capability.clear_screen);
      terminal.flush();
      status.reset();
    } finally {
      lock.unlock();
    }
    redraw(true);
    return true;
  }

  /** Writes the typed-to process's bytes; in the lock. */
  void raw(byte[] bytes) {
    try {
      terminal.output().write(bytes);
      terminal.output().flush();
    } catch (IOException e) {
      // the terminal is gone: the console is closing
    }
  }

  /** The process cleared the screen: the footer is drawn anew once the lock is free. */
  void footerLost() {
    footerLost = true;
  }

  private volatile boolean footerLost;

  /**
   * Gives the screen back: the terminal's modes the process may have changed are reset, the footer
   * is the processes' again, and {@code text} is said first among the held lines.
   */
  void leaveInput(InputMode m, String text, boolean atLineStart, boolean altScreen) {
    ProcessEvent said;
    lock.lock();
    try {
      if (input != m) return;
      if (!closed) {
        StringBuilder reset = new StringBuilder();
        if (altScreen) reset.append("\033[?1049l");
        if (!atLineStart) reset.append("\r\n");
        // colors off, cursor shown, cursor keys and keypad normal, bracketed paste off
        reset.append("\033[0m\033[?25h\033[?1l\033>\033[?2004l");
        raw(reset.toString().getBytes(StandardCharsets.US_ASCII));
        Stty.run(tty, "opost");
      }
      footer.typing(null);
      said = line(null, text);
      leaving = said;
      input = null;
    } finally {
      lock.unlock();
    }
    // Outside the lock: publishing may wait for the writer, which may wait for the lock.
    events.publish(said);
    redraw(true);
  }

  boolean closed() {
    return closed;
  }

  // ---- the end ----

  /** Removes the footer and gives the terminal back as it was. */
  @Override
  public void close() {
    prompts.close();
    InputMode m = input;
    if (m != null) m.leave("left " + m.id + ": pmj stops");
    restore();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs restore(), which is done
    }
  }

  private void restore() {
    if (!restored.compareAndSet(false, true)) {
      // Another thread restores (the shutdown hook or close()): wait for it, so that the JVM
      // does not end halfway through.
      try {
        restoreDone.await(3, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    closed = true;
    boolean locked = false;
    try {
      locked = lock.tryLock(500, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      try {
        status.update(List.of()); // erases the footer's lines
        status.close(); // gives the whole screen back to scrolling
        terminal.flush();
      } catch (RuntimeException e) {
        // the footer could not be removed; the attributes below matter more
      }
      terminal.close();
    } catch (IOException | RuntimeException | java.io.IOError e) {
      // the exact settings below still apply
    } finally {
      // The settings as `stty -g` printed them at start, last: whatever happened before, the
      // terminal ends as it began.
      if (sttySaved != null) Stty.run(tty, sttySaved);
      if (locked) lock.unlock();
      restoreDone.countDown();
    }
  }
}
