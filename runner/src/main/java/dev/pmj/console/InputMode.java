package dev.pmj.console;

import dev.pmj.supervisor.Control;
import dev.pmj.supervisor.ControlException;
import dev.pmj.supervisor.ProcessState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The console typing to one interactive process (README, "The console"): its terminal's recent
 * output, then its live output, fills the screen above a one-line footer; every byte read from the
 * console's stdin goes to it unchanged but Ctrl-], which leaves. Runs on the keys' thread; the
 * process's output comes on its follow's thread.
 *
 * <p>It leaves on its own when the process ends for good (exited and not restarted, or failed):
 * there is nothing left to type to, as when a tmux pane's command ends. A process that restarts, or
 * is stopped and may be started again, keeps the screen: its next run's terminal follows, as in
 * {@code pmj connect}.
 */
final class InputMode {
  /** Ctrl-]: leaves, as telnet's escape; the one byte never sent to the process. */
  static final byte LEAVE = 0x1d;

  /** Rows kept for the footer below the process's terminal. */
  static final int FOOTER_ROWS = 1;

  final String id;
  private final Console console;
  private final Control control;
  private final AtomicBoolean over = new AtomicBoolean();
  private volatile AutoCloseable follow;

  /** Whether the process's last output byte ended a line (in the console's lock). */
  private boolean atLineStart = true;

  /** Whether the process switched to the alternate screen and has not switched back. */
  private boolean altScreen;

  InputMode(Console console, Control control, String id) {
    this.console = console;
    this.control = control;
    this.id = id;
  }

  /**
   * Types to the process until Ctrl-], its end, or the console's; returns when input mode is over,
   * with the bytes read after it ended on its own (keys of the console again), or null.
   */
  byte[] run(KeyInput in) {
    if (!console.enterInput(this)) return null;
    resize();
    try {
      follow = control.followTerminal(id, follower());
    } catch (ControlException e) {
      leave("left " + id + ": " + e.getMessage());
      return null;
    }
    if (over.get()) close(follow);
    try {
      while (!over.get() && !console.closed()) {
        byte[] keys = in.readChunk(100L); // a tenth of a second: to see input mode end on its own
        if (keys == null) continue;
        if (keys.length == 0) {
          leave("left " + id + " (end of input)");
          return null;
        }
        if (over.get()) return keys; // typed as the process ended
        int leaveAt = indexOf(keys, keys.length, LEAVE);
        int send = leaveAt < 0 ? keys.length : leaveAt;
        if (send > 0) input(leaveAt < 0 ? keys : Arrays.copyOf(keys, send));
        if (leaveAt >= 0) {
          leave("left " + id + " (Ctrl-]); i types to it again");
          return null;
        }
      }
    } catch (IOException e) {
      leave("left " + id + ": cannot read the terminal (" + e.getMessage() + ")");
    }
    return null;
  }

  static int indexOf(byte[] buf, int n, byte b) {
    for (int i = 0; i < n; i++) if (buf[i] == b) return i;
    return -1;
  }

  private void input(byte[] bytes) {
    try {
      control.input(id, bytes);
    } catch (ControlException e) {
      // Between runs there is no terminal to type into: said, and the keys go on.
      notice("pmj: " + e.getMessage());
    }
  }

  /** Gives the process's terminal the console's size less the footer. */
  void resize() {
    org.jline.terminal.Size s = console.size();
    if (s.getColumns() <= 0 || s.getRows() <= FOOTER_ROWS) return;
    try {
      control.resize(id, s.getColumns(), s.getRows() - FOOTER_ROWS);
    } catch (ControlException e) {
      // gone meanwhile: the follow says so
    }
  }

  /**
   * A state of the process, from the console's events: input mode ends with the process's last run
   * (it exited and is not restarted, or gave up).
   */
  void state(dev.pmj.supervisor.ProcessStatus s) {
    if (!s.id().equals(id)) return;
    lastRun =
        (s.state() == ProcessState.EXITED && !s.willRestart()) || s.state() == ProcessState.FAILED;
    if (lastRun && runEnded) leave("left " + id + ": it ended");
  }

  /** The process's last run ended, as its states say (on the writer's thread). */
  private volatile boolean lastRun;

  /** The follow delivered the end of a run, after all of its output (on the follow's thread). */
  private volatile boolean runEnded;

  /** Ends input mode once; {@code text} is pmj's line about it. */
  void leave(String text) {
    if (!over.compareAndSet(false, true)) return;
    close(follow);
    console.leaveInput(this, text, atLineStartLocked(), altScreen);
  }

  private boolean atLineStartLocked() {
    console.lock.lock();
    try {
      return atLineStart;
    } finally {
      console.lock.unlock();
    }
  }

  boolean over() {
    return over.get();
  }

  /** The process's bytes as they came; in the console's lock. */
  void output(byte[] bytes) {
    if (bytes.length == 0) return;
    console.lock.lock();
    try {
      if (over.get() || console.input() != this) return;
      console.raw(bytes);
      atLineStart = bytes[bytes.length - 1] == '\n';
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      int on = text.lastIndexOf("\033[?1049h");
      int off = text.lastIndexOf("\033[?1049l");
      if (on >= 0 || off >= 0) altScreen = on > off;
      // A clear or a reset of the scroll region took the footer with it: drawn again.
      if (text.contains("\033[2J") || text.contains("\033[J") || text.contains("\033[r"))
        console.footerLost();
    } finally {
      console.lock.unlock();
    }
  }

  /** One line of pmj's among the process's output, as {@code pmj connect} says it. */
  private void notice(String line) {
    console.lock.lock();
    try {
      if (over.get() || console.input() != this) return;
      console.raw(((atLineStart ? "" : "\r\n") + line + "\r\n").getBytes(StandardCharsets.UTF_8));
      atLineStart = true;
    } finally {
      console.lock.unlock();
    }
  }

  private Control.TerminalFollower follower() {
    return new Control.TerminalFollower() {
      @Override
      public void output(byte[] bytes) {
        InputMode.this.output(bytes);
      }

      @Override
      public void exited(ProcessState state, Integer code) {
        // Whether it restarts, the writer learns from the states (state(), above): input mode
        // ends when both know, so that the run's last output is on the screen first.
        runEnded = true;
        if (lastRun) {
          leave("left " + id + ": it ended");
        } else if (state == ProcessState.STOPPED) {
          notice("pmj: " + id + " stopped; it shows here when it starts again (Ctrl-] leaves)");
        }
      }

      @Override
      public void idle() {
        console.redraw(false); // the footer again, if the process cleared the screen
      }

      @Override
      public void restarted(long pid) {
        runEnded = false;
        notice("pmj: " + id + " restarted (pid " + pid + ")");
      }

      @Override
      public void ended(boolean dropped) {
        leave(
            dropped
                ? "left " + id + ": it wrote faster than this terminal showed (i types to it again)"
                : "left " + id + ": its terminal is gone");
      }
    };
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
