package dev.pmj.console;

import dev.pmj.output.LineFormat;
import dev.pmj.output.PlainWriter;
import dev.pmj.supervisor.Control;
import dev.pmj.supervisor.EventStream;
import dev.pmj.supervisor.ProcessEvent;
import dev.pmj.supervisor.ProcessState;
import dev.pmj.supervisor.ProcessStatus;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jline.keymap.BindingReader;
import org.jline.keymap.KeyMap;
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

  private enum Action {
    UP,
    DOWN,
    SELECT,
    RESTART,
    RESTART_ALL,
    STOP_START,
    FOCUS,
    CLEAR,
    HELP,
    QUIT,
    STOP_PMJ,
    RELOAD,
    INTERRUPT,
    NONE
  }

  static final String[] HELP = {
    "keys: Up/Down or Tab/Shift-Tab select a process, 1-9 select it directly",
    "keys: r restarts it, R restarts all, s stops or starts it, f shows only its output (f again: all)",
    "keys: c clears the screen, L reloads the file, ? shows this, q or Ctrl-C quits (Ctrl-C again kills at once)",
  };

  static final String[] ATTACHED_HELP = {
    HELP[0],
    HELP[1],
    "keys: c clears the screen, L reloads the file, ? shows this, q or Ctrl-C detaches (pmj runs on), Q stops pmj",
  };

  /**
   * Attached to a pmj in another process: its lines come as output (pmj's own under a null id) and
   * its events only keep the footer; q detaches.
   */
  private boolean attached;

  private static final long HOLD_LIMIT_BYTES = 16L << 20;
  private static final long REDRAW_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final Terminal terminal;
  private final java.io.File tty;
  private final String sttySaved;
  private Status status;
  private final LineFormat format;
  private final Control control;
  private final EventStream events;
  private final Quit quit;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicBoolean restored = new AtomicBoolean();
  private final CountDownLatch restoreDone = new CountDownLatch(1);
  private final Thread hook = new Thread(this::restore, "pmj-console-restore");
  private final Thread keys;
  private final Thread ticker;

  // Footer model, guarded by `this`.
  private final Map<String, Footer.Entry> entries = new LinkedHashMap<>();
  private final List<String> order = new ArrayList<>();
  private int selected;
  private volatile String focus;
  private Size size;
  private List<String> drawn = List.of();
  private volatile boolean closed;

  private Console(
      Terminal terminal,
      java.io.File tty,
      List<String> processes,
      LineFormat format,
      Control control,
      EventStream events,
      Quit quit) {
    this.terminal = terminal;
    this.format = format;
    this.control = control;
    this.events = events;
    this.quit = quit;
    this.tty = tty;
    this.sttySaved = tty == null ? null : stty(tty, "-g");
    for (String id : processes) {
      order.add(id);
      entries.put(id, new Footer.Entry(id, format.color(id), ProcessState.PENDING, 0, null, null));
    }
    // Raw mode through stty on the terminal device, synchronously: no echo, no line editing,
    // no signals from keys (Ctrl-C arrives as byte 3), reads of single bytes.
    if (sttySaved == null
        || stty(
                tty, "-icanon", "-echo", "-isig", "-iexten", "-ixon", "-icrnl", "min", "1", "time",
                "0")
            == null) {
      throw new IllegalStateException("cannot switch the terminal to raw mode (stty failed)");
    }
    Runtime.getRuntime().addShutdownHook(hook);
    this.size = terminal.getSize();
    this.status = Status.getStatus(terminal, true);
    this.keys = new Thread(this::readKeys, "pmj-keys");
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
      c = new Console(terminal, tty, processes, format, control, events, quit);
      c.attached = attached;
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
      List<AttributedString> styled = new ArrayList<>();
      for (String l : lines) styled.add(AttributedString.fromAnsi(l));
      status.update(styled);
      status.update(List.of());
      status.close();
      keyMap();
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
    return new Writer();
  }

  /** Starts reading keys and the footer's clock. */
  public void start() {
    redraw(true);
    keys.start();
    ticker.start();
  }

  // ---- output ----

  /** Output bytes to the terminal, in the lock so that a footer redraw never lands inside them. */
  private final class Locked extends OutputStream {
    private final OutputStream out = terminal.output();

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      lock.lock();
      try {
        out.write(b, off, len);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void flush() throws IOException {
      lock.lock();
      try {
        out.flush();
      } finally {
        lock.unlock();
      }
    }
  }

  private final class Writer implements EventStream.Subscriber {
    private final PlainWriter plain = new PlainWriter(format, new Locked());
    private final ArrayDeque<ProcessEvent.OutputLines> held = new ArrayDeque<>();
    private long heldBytes;
    private long heldLines;
    private long droppedLines;
    private long lastRedraw;

    @Override
    public void onEvent(ProcessEvent event) {
      update(event);
      if (event instanceof ProcessEvent.OutputLines lines) {
        String f = focus;
        // pmj's own lines (a null id, when attached) are never held back.
        if (f != null && lines.id() != null && !f.equals(lines.id())) {
          hold(lines);
          return;
        }
      } else if (attached) {
        return; // pmj's lines about events come as output, from the pmj attached to
      }
      plain.onEvent(event);
      if (focus == null && !held.isEmpty()) replay();
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
      String text =
          shown + (shown == 1 ? " line" : " lines") + " held back during focus shown above";
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
        redraw(false);
      }
    }
  }

  private synchronized void update(ProcessEvent event) {
    if (event instanceof ProcessEvent.Added a) {
      format.color(a.id(), a.color());
      if (!entries.containsKey(a.id())) {
        order.add(a.id());
        entries.put(
            a.id(),
            new Footer.Entry(a.id(), format.color(a.id()), a.status().state(), 0, null, null));
      }
    } else if (event instanceof ProcessEvent.Removed r) {
      if (entries.remove(r.id()) != null) {
        String was = order.get(selected);
        order.remove(r.id());
        int at = order.indexOf(was);
        selected = at >= 0 ? at : Math.max(0, Math.min(selected, order.size() - 1));
      }
    } else if (event instanceof ProcessEvent.Snapshot s) {
      for (ProcessStatus p : s.processes()) put(p);
    } else if (event instanceof ProcessEvent.StateChanged c) {
      put(c.status());
    } else if (event instanceof ProcessEvent.RestartScheduled r) {
      Footer.Entry e = entries.get(r.id());
      if (e != null) {
        entries.put(
            r.id(),
            new Footer.Entry(
                e.id(),
                e.color(),
                ProcessState.BACKOFF,
                e.restarts(),
                e.exitCode(),
                Instant.now().plus(r.delay())));
      }
    }
  }

  /** The footer entry from a status; a backoff keeps the end time its RestartScheduled set. */
  private void put(ProcessStatus p) {
    Footer.Entry e = entries.get(p.id());
    if (e == null) return;
    Instant until = p.state() == ProcessState.BACKOFF ? e.backoffUntil() : null;
    entries.put(
        p.id(), new Footer.Entry(p.id(), e.color(), p.state(), p.restarts(), p.exitCode(), until));
  }

  // ---- footer ----

  private synchronized List<String> footerLines() {
    int width = size.getColumns() > 0 ? size.getColumns() : 80;
    int height = size.getRows() > 0 ? size.getRows() : 24;
    int maxLines = Math.max(1, Math.min(3, height / 4));
    return Footer.render(
        new ArrayList<>(entries.values()),
        selected,
        focus,
        width - 1,
        maxLines,
        format.style().color(),
        Instant.now());
  }

  /** Draws the footer when it changed (or always, with {@code force}). */
  private void redraw(boolean force) {
    if (closed) return;
    List<String> lines = footerLines();
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
    Size now = terminal.getSize();
    synchronized (this) {
      size = now;
    }
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

  // ---- keys ----

  private static KeyMap<Action> keyMap() {
    KeyMap<Action> map = new KeyMap<>();
    map.bind(Action.UP, "\033[A", "\033OA", "k");
    map.bind(Action.DOWN, "\033[B", "\033OB", "j");
    map.bind(Action.DOWN, "\t");
    map.bind(Action.UP, "\033[Z");
    for (char d = '1'; d <= '9'; d++) map.bind(Action.SELECT, Character.toString(d));
    map.bind(Action.RESTART, "r");
    map.bind(Action.RESTART_ALL, "R");
    map.bind(Action.STOP_START, "s");
    map.bind(Action.FOCUS, "f");
    map.bind(Action.CLEAR, "c");
    map.bind(Action.HELP, "?");
    map.bind(Action.QUIT, "q");
    map.bind(Action.STOP_PMJ, "Q");
    map.bind(Action.RELOAD, "L");
    map.bind(Action.INTERRUPT, KeyMap.ctrl('C'));
    map.setNomatch(Action.NONE);
    map.setUnicode(Action.NONE);
    map.setAmbiguousTimeout(50);
    return map;
  }

  private void readKeys() {
    // Keys come from pmj's stdin directly, not through the terminal library's reader: that
    // reader switches the terminal to "min 0 time 1" by running stty from this thread, which
    // could race with restore() and leave the terminal changed after pmj ends.
    BindingReader reader =
        new BindingReader(
            NonBlocking.nonBlocking(
                "pmj-keys",
                NonBlocking.nonBlocking("pmj-keys", new FileInputStream(FileDescriptor.in)),
                StandardCharsets.UTF_8));
    KeyMap<Action> map = keyMap();
    while (!closed) {
      Action a;
      try {
        a = reader.readBinding(map);
      } catch (RuntimeException e) {
        return; // the terminal was closed under the reader
      }
      if (a == null || closed) return;
      try {
        act(a, reader.getLastBinding());
      } catch (RuntimeException e) {
        say(null, "key " + reader.getLastBinding() + " failed: " + e.getMessage());
      }
    }
  }

  private void act(Action a, String key) {
    String id = selectedId();
    switch (a) {
      case UP -> select(selected() - 1);
      case DOWN -> select(selected() + 1);
      case SELECT -> {
        int n = key.charAt(0) - '1';
        if (n < order.size()) select(n);
      }
      case RESTART -> control.restart(id, "key r");
      case RESTART_ALL -> control.restart(Control.ALL, "key R");
      case STOP_START -> {
        ProcessState s = state(id);
        if (s == ProcessState.STOPPED || s == ProcessState.EXITED || s == ProcessState.FAILED) {
          control.start(id, "key s");
        } else if (s == ProcessState.STOPPING) {
          say(id, "already stopping (key s)");
        } else {
          control.stop(id, "key s");
        }
      }
      case FOCUS -> {
        if (focus == null) {
          focus = id;
          say(
              null,
              "focus on "
                  + id
                  + ": the others' output is held back until f is pressed again (key f)");
        } else {
          focus = null;
          say(null, "focus off: all output shown again (key f)");
        }
        redraw(true);
      }
      case CLEAR -> {
        lock.lock();
        try {
          terminal.puts(InfoCmp.Capability.clear_screen);
          terminal.flush();
          status.reset(); // the footer is gone with the rest: draw it anew
        } finally {
          lock.unlock();
        }
        redraw(true);
        say(null, "screen cleared (key c)");
      }
      case HELP -> {
        for (String line : attached ? ATTACHED_HELP : HELP) say(null, line);
      }
      case RELOAD -> {
        try {
          control.reload("key L");
        } catch (dev.pmj.supervisor.ControlException e) {
          // the reload said what is wrong, in pmj's lines
        }
      }
      case STOP_PMJ -> quit.stopPmj("key Q");
      case QUIT -> quit.quit("key q", false);
      case INTERRUPT -> quit.quit("Ctrl-C", true);
      default -> {
        // an unbound key: nothing
      }
    }
  }

  private void say(String id, String text) {
    if (attached) {
      // Only this terminal shows what its keys do; pmj says what they did.
      byte[] b = (id == null ? text : id + ": " + text).getBytes(StandardCharsets.UTF_8);
      events.publish(
          new ProcessEvent.OutputLines(
              null, Instant.now(), b, new int[] {0}, new int[] {b.length}));
    } else {
      events.publish(new ProcessEvent.Notice(id, text));
    }
  }

  private synchronized int selected() {
    return selected;
  }

  private synchronized String selectedId() {
    return order.get(selected);
  }

  private synchronized ProcessState state(String id) {
    Footer.Entry e = entries.get(id);
    return e == null ? null : e.state();
  }

  private void select(int index) {
    synchronized (this) {
      int n = order.size();
      selected = ((index % n) + n) % n;
    }
    redraw(false);
  }

  // ---- the end ----

  /** Removes the footer and gives the terminal back as it was. */
  @Override
  public void close() {
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
      if (sttySaved != null) stty(tty, sttySaved);
      if (locked) lock.unlock();
      restoreDone.countDown();
    }
  }

  /** Runs stty on the terminal; its output, or null when it failed. */
  private static String stty(java.io.File tty, String... args) {
    try {
      List<String> cmd = new ArrayList<>();
      cmd.add("stty");
      cmd.addAll(List.of(args));
      Process p =
          new ProcessBuilder(cmd)
              .redirectInput(tty)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
              .trim();
      return p.waitFor() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
