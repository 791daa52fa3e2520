package dev.pmj.supervisor;

import java.time.Duration;
import java.util.Locale;

/** pmj's own lines about processes, as every view shows them. */
public final class Messages {
  private Messages() {}

  /** The line for an event, or null when the event has no pmj line. */
  public static String describe(ProcessEvent event) {
    if (event instanceof ProcessEvent.StateChanged c) return describe(c);
    if (event instanceof ProcessEvent.RestartScheduled r) {
      return r.id() + ": restarting in " + seconds(r.delay()) + retry(r.retry(), r.maxRetries());
    }
    if (event instanceof ProcessEvent.Notice n)
      return n.id() == null ? n.text() : n.id() + ": " + n.text();
    return null;
  }

  private static String describe(ProcessEvent.StateChanged c) {
    ProcessStatus s = c.status();
    String id = s.id();
    // The same state with news (a daemon's pid): the news is the line.
    if (c.from() == s.state()) return s.message().isEmpty() ? null : id + ": " + s.message();
    switch (s.state()) {
      case RUNNING:
        return id + ": started (pid " + s.pid() + ")";
      case READY:
        // Without a readiness probe a process is ready as soon as it runs: no line for that.
        return s.message().isEmpty() ? null : id + ": ready (" + s.message() + ")";
      case STOPPING:
        return id + ": stopping (" + s.message() + ")";
      case STOPPED:
        return c.from() == ProcessState.STOPPING ? id + ": stopped (" + s.message() + ")" : null;
      case EXITED:
        return id + ": " + s.message();
      case FAILED:
        return id + ": failed: " + s.message();
      default:
        return null;
    }
  }

  /**
   * The id of the process a line of pmj is about, or null when it is about pmj itself: {@code pmj
   * logs ID} shows it with the process's own lines.
   */
  static String about(ProcessEvent event) {
    if (event instanceof ProcessEvent.StateChanged c) return c.id();
    if (event instanceof ProcessEvent.RestartScheduled r) return r.id();
    if (event instanceof ProcessEvent.Notice n) return n.id();
    return null;
  }

  /** " (retry 2 of 3)", " (retry 2)" without a limit; "" for a restart after a clean exit. */
  static String retry(int retry, int maxRetries) {
    if (retry <= 0) return "";
    return " (retry " + retry + (maxRetries < 0 ? "" : " of " + maxRetries) + ")";
  }

  /** Why a process waits in backoff: "exited with code 1, restarting in 2s (retry 2 of 3)". */
  static String backingOff(String cause, Duration delay, int retry, int maxRetries) {
    return cause + ", restarting in " + seconds(delay) + retry(retry, maxRetries);
  }

  /** Why a process failed once its retries were used: "exited with code 3 after 3 retries". */
  static String outOfRetries(String cause, int retries) {
    if (retries == 0) return cause + "; not restarted (maxRetries: 0)";
    return cause + " after " + retries + (retries == 1 ? " retry" : " retries");
  }

  /**
   * A last exit as the CLI, the API and the dashboard spell it: {@code exit 3}, or the signal that
   * ended it by name ({@code SIGTERM}); null when it has not exited.
   */
  public static String lastExit(Integer exitCode) {
    if (exitCode == null) return null;
    dev.pmj.os.Signal s = exitCode > 128 ? dev.pmj.os.Signal.ofNumber(exitCode - 128) : null;
    return s != null ? "SIG" + s.name() : "exit " + exitCode;
  }

  /** Why a daemon that cannot be followed is not restarted. */
  static final String DAEMON_UNFOLLOWABLE =
      "daemon: true needs to find the daemon by its environment, which pmj reads on Linux"
          + " only; not restarted, so that no second daemon starts beside it";

  static String overMemory(long bytes, long max) {
    return "using "
        + megabytes(bytes)
        + " of memory, above maxMemory ("
        + megabytes(max)
        + ") for two samples in a row; restarting it";
  }

  static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
  }

  static String seconds(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 == 0) return ms / 1000 + "s";
    // Below a tenth of a second one decimal would say "0.0s": say the milliseconds.
    if (ms < 100) return ms + "ms";
    return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
  }
}
