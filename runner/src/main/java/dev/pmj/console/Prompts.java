package dev.pmj.console;

import dev.pmj.supervisor.Control;
import dev.pmj.supervisor.ControlException;
import dev.pmj.supervisor.ProcessInfo;
import dev.pmj.supervisor.ProcessState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Knows which interactive processes wait at a prompt, for the footer's hint: their terminal's last
 * output ends with text and no newline, and nothing came for {@link #IDLE_NANOS}. The prefixed
 * lines cannot tell (a prompt is flushed there as a whole line), so each interactive process's
 * terminal is followed, and only theirs: a follow costs a thread (a connection when attached).
 */
final class Prompts implements AutoCloseable {
  static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

  /** What was last seen of one process's terminal. */
  private static final class Seen {
    volatile boolean partial;
    volatile long lastNanos = System.nanoTime();
    volatile AutoCloseable follow;
  }

  private final Control control;
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();

  /** Asks the control on a thread of its own: when attached, each question is a request. */
  private final ExecutorService asks =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "pmj-console-prompts");
            t.setDaemon(true);
            return t;
          });

  private volatile boolean closed;

  Prompts(Control control) {
    this.control = control;
  }

  /** Follows every interactive process there is now. */
  void start() {
    submit(
        () -> {
          for (ProcessInfo p : control.processes()) if (p.interactive()) follow(p.id());
        });
  }

  /** A process was added at run time: followed when it is interactive. */
  void added(String id) {
    submit(
        () -> {
          if (control.process(id).interactive()) follow(id);
        });
  }

  void removed(String id) {
    Seen s = seen.remove(id);
    if (s != null) close(s.follow);
  }

  /** Whether {@code id} shows a prompt and has been quiet since. */
  boolean waits(String id) {
    Seen s = seen.get(id);
    return s != null && s.partial && System.nanoTime() - s.lastNanos >= IDLE_NANOS;
  }

  private void submit(Runnable r) {
    if (closed) return;
    try {
      asks.execute(
          () -> {
            try {
              r.run();
            } catch (ControlException | IllegalStateException e) {
              // gone meanwhile, or pmj is: no hint, nothing else changes
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  private void follow(String id) {
    if (closed || seen.containsKey(id)) return;
    Seen s = new Seen();
    seen.put(id, s);
    try {
      s.follow = follow(id, s);
    } catch (ControlException e) {
      seen.remove(id, s);
      throw e;
    }
    if (closed) close(s.follow);
  }

  private AutoCloseable follow(String id, Seen s) {
    return control.followTerminal(
        id,
        new Control.TerminalFollower() {
          @Override
          public void output(byte[] bytes) {
            s.lastNanos = System.nanoTime();
            s.partial = endsPartial(s.partial, bytes);
          }

          @Override
          public void exited(ProcessState state, Integer code) {
            s.partial = false;
          }

          @Override
          public void restarted(long pid) {
            s.partial = false;
          }

          @Override
          public void ended(boolean dropped) {
            seen.remove(id, s);
          }
        });
  }

  /**
   * Whether the terminal ends with a partial line after {@code bytes}: text after the last newline
   * (escape sequences and control characters are not text). With no newline in them, a partial line
   * stays one.
   */
  static boolean endsPartial(boolean before, byte[] bytes) {
    int from = 0;
    boolean partial = before;
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        from = i + 1;
        partial = false;
        break;
      }
    }
    int i = from;
    while (i < bytes.length) {
      int b = bytes[i] & 0xff;
      if (b == 0x1b) {
        i = skipEscape(bytes, i);
      } else {
        if (b >= 0x20 && b != 0x7f) return true;
        i++;
      }
    }
    return partial;
  }

  /** The index after the escape sequence at {@code i} (CSI, OSC, or ESC and one byte). */
  private static int skipEscape(byte[] b, int i) {
    if (i + 1 >= b.length) return b.length;
    int kind = b[i + 1];
    int j = i + 2;
    if (kind == '[') {
      while (j < b.length && (b[j] < 0x40 || b[j] > 0x7e)) j++;
      return j + 1;
    }
    if (kind == ']') {
      for (; j < b.length; j++) {
        if (b[j] == 0x07) return j + 1;
        if (b[j] == 0x1b) return j + 2;
      }
    }
    return j;
  }

  @Override
  public void close() {
    closed = true;
    asks.shutdownNow();
    for (Seen s : seen.values()) close(s.follow);
    seen.clear();
  }

  private static void close(AutoCloseable c) {
    if (c == null) return;
    try {
      c.close();
    } catch (Exception e) {
      // ended already
    }
  }
}
