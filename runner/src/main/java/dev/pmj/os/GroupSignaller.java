package dev.pmj.os;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends signals to process groups (and to single processes that left theirs) through one shell that
 * lives as long as pmj: each signal is a line on its stdin ({@code TERM -1234}) that its builtin
 * {@code kill} carries out. Running kill(1) instead costs a fork and two execs per signal, and a
 * stop costs two signals (the stop signal, then KILL to what is left once the leader exited):
 * stopping 1,000 processes took 2,000 forks and seconds.
 *
 * <p>A signal is sent shortly after {@link #signal} returns, in the order of the calls; what is
 * written is carried out even if pmj exits right after. The shell has a session of its own, so a
 * Ctrl-C in pmj's terminal does not end it, and it ends when its stdin closes (pmj closed it or
 * died). If it is gone, the next signal starts another; if none can be started, kill(1) is run for
 * each signal as before.
 */
final class GroupSignaller implements AutoCloseable {
  /**
   * {@code kill -TERM -1234}: dash takes neither {@code kill -s TERM -1234} (the group as an
   * option) nor {@code kill -TERM -- -1234}; this form works in dash and bash.
   */
  static final String SCRIPT = "trap '' INT TERM HUP\nwhile read -r s g; do kill -$s $g; done\n";

  private static final File DEV_NULL = new File("/dev/null");

  private final List<String> newSession;
  private final String killProgram;

  // Guarded by this.
  private Process helper;
  private OutputStream in;
  private boolean closed;

  /** No helper could be started: kill(1) from now on. */
  private boolean broken;

  GroupSignaller(List<String> newSession, String killProgram) {
    this.newSession = List.copyOf(newSession);
    this.killProgram = killProgram;
  }

  /** Sends {@code signal} to the group {@code pgid}; no error if the group is gone. */
  void signal(long pgid, Signal signal) {
    // -1 would be every process pmj may signal, -0 pmj's own group.
    if (pgid <= 1) throw new IllegalArgumentException("not a process group: " + pgid);
    send("-" + pgid, signal);
  }

  /**
   * Sends {@code signal} to the one process {@code pid} (one that left its group); no error if it
   * is gone.
   */
  void signalProcess(long pid, Signal signal) {
    if (pid <= 1) throw new IllegalArgumentException("not a process: " + pid);
    send(Long.toString(pid), signal);
  }

  /** {@code target}: -PGID for a group, PID for one process, as kill takes them. */
  private void send(String target, Signal signal) {
    byte[] line = (signal.name() + " " + target + "\n").getBytes(StandardCharsets.US_ASCII);
    synchronized (this) {
      // A helper that died is replaced once per signal; the line goes to the new one.
      for (int attempt = 0; attempt < 2 && !closed && !broken; attempt++) {
        if (in == null && !startHelper()) break;
        try {
          in.write(line);
          in.flush();
          return;
        } catch (IOException e) {
          dropHelper();
        }
      }
    }
    runKill(target, signal);
  }

  /** The helper's process while one runs (for tests). */
  synchronized Process helper() {
    return helper;
  }

  private boolean startHelper() {
    List<String> command = new ArrayList<>(newSession);
    command.addAll(List.of("/bin/sh", "-c", SCRIPT));
    try {
      helper =
          new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      in = helper.getOutputStream();
      return true;
    } catch (IOException e) {
      broken = true;
      return false;
    }
  }

  private void dropHelper() {
    try {
      in.close();
    } catch (IOException e) {
      // it is gone already
    }
    helper.destroyForcibly();
    helper = null;
    in = null;
  }

  /** kill(1) for one signal: a fork and exec each time. */
  private void runKill(String target, Signal signal) {
    try {
      Process p =
          new ProcessBuilder(killProgram, "-s", signal.name(), "--", target)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .redirectInput(DEV_NULL)
              .start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
    } catch (IOException e) {
      // Fall back to the leader (or the process) alone: better than nothing when kill(1) cannot
      // run.
      ProcessHandle.of(Math.abs(Long.parseLong(target)))
          .ifPresent(
              h -> {
                if (signal == Signal.KILL) h.destroyForcibly();
                else h.destroy();
              });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Closes the helper's stdin: it carries out what it was sent, then ends. Signals sent later run
   * kill(1).
   */
  @Override
  public synchronized void close() {
    closed = true;
    if (in == null) return;
    try {
      in.close();
    } catch (IOException e) {
      // it is gone already
    }
    in = null;
    helper = null;
  }
}
