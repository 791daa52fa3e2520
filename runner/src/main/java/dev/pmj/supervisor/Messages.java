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
      String of = r.maxRetries() < 0 ? "" : " of " + r.maxRetries();
      return r.id()
          + ": restarting in "
          + seconds(r.delay())
          + " (failure "
          + r.failures()
          + of
          + " in a row)";
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

  static String seconds(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 == 0) return ms / 1000 + "s";
    // Below a tenth of a second one decimal would say "0.0s": say the milliseconds.
    if (ms < 100) return ms + "ms";
    return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
  }
}
