package dev.pmj.supervisor;

import java.util.List;

/**
 * What a person or a program can do to a running pmj (README, "From a second terminal"): one
 * interface, implemented in the process ({@link LocalControl}) and over HTTP, so that a key, a CLI
 * call, a button and a request behave the same. {@code by} says where a command came from ("key r",
 * "pmj restart"), for the one pmj line each command prints. Failures are {@link ControlException}s.
 */
public interface Control {
  /** The id that names every process in start, stop and restart. */
  String ALL = "all";

  ProjectInfo project();

  /** Every process, in file order then order of addition. */
  List<ProcessInfo> processes();

  ProcessInfo process(String id);

  /** Starts a process (or {@link #ALL}); a running one is left as it is. */
  CommandResult start(String id, String by);

  /** Stops a process (or {@link #ALL}); a stopped one is left as it is. */
  CommandResult stop(String id, String by);

  /** Restarts a process (or {@link #ALL}) now, not counted as a failure. */
  CommandResult restart(String id, String by);

  /**
   * Adds a process at run time from a JSON object with the keys of a process in the file plus
   * {@code id}; it is supervised like the others and not written to the file.
   */
  ProcessInfo add(String json, String by);

  /** Stops a process that was added at run time and removes it. */
  ProcessInfo remove(String id, String by);

  /** The most instances {@link #scale} gives a process: the file's own limit. */
  int MAX_INSTANCES = 64;

  /**
   * Runs {@code instances} instances of process {@code id} (a name of the file: {@code web}, not
   * {@code web.2}), as {@code pm2 scale} does, written nowhere: new ones ({@code web.2}…, built
   * from the file as it is now) start; the highest go first, stopped gracefully and removed; 0
   * stops the first too and keeps it, stopped. The others are not touched.
   *
   * @throws ControlException NOT_FOUND for an unknown id, CONFLICT for an instance's id or a
   *     process added at run time, INVALID for a count over {@link #MAX_INSTANCES} or a file that
   *     no longer loads
   */
  Scaled scale(String id, int instances, String by);

  List<LogStore.Line> logs(LogStore.Query query);

  /** Follows lines (those kept first) until closed or dropped for being too slow. */
  AutoCloseable followLogs(LogStore.Query query, LogStore.Follower follower);

  /**
   * Follows events without output lines: a snapshot first, then changes, until closed or dropped
   * for being too slow.
   */
  AutoCloseable events(EventStream.Subscriber subscriber);

  Health health();

  /**
   * Sends {@code bytes} to the terminal of interactive process {@code id} as if typed (README,
   * "`pmj up`", interactive); never waits for the process to read them.
   *
   * @throws ControlException NOT_FOUND for an unknown id, CONFLICT when the process is not
   *     interactive or not running
   */
  void input(String id, byte[] bytes);

  /**
   * Sets the size of an interactive process's terminal (the process gets SIGWINCH), kept for its
   * next runs too; when it is not running, only for those.
   *
   * @throws ControlException NOT_FOUND for an unknown id, CONFLICT when it is not interactive
   */
  void resize(String id, int cols, int rows);

  /**
   * Follows the terminal of interactive process {@code id}: its latest raw output (64 KiB, kept
   * across restarts) first, then each chunk as it comes, with a mark when a run ends and when a new
   * one starts in a new terminal, until closed, the process removed, or dropped for being too slow.
   *
   * @throws ControlException NOT_FOUND for an unknown id, CONFLICT when it is not interactive
   */
  AutoCloseable followTerminal(String id, TerminalFollower follower);

  /** Receives a followed terminal on one thread, in order. */
  interface TerminalFollower {
    /** Raw bytes as the process wrote them (the first call: those kept, if any). */
    void output(byte[] bytes);

    /**
     * A run ended ({@code code}: its exit code, null when a signal ended it or none is known);
     * {@code state} is where it went: EXITED or FAILED for good, BACKOFF when a restart is coming,
     * STOPPED when stopped by hand.
     */
    void exited(ProcessState state, Integer code);

    /** A new run started in a new terminal; its output follows. */
    void restarted(long pid);

    /** Nothing more to deliver for now: a moment to flush. */
    default void idle() {}

    /** Called once at the end: closed, the process removed, or dropped for being too slow. */
    void ended(boolean dropped);
  }

  /**
   * Reads the file again and brings the running set to it (README, "In the background"): added
   * processes start, removed ones stop, changed ones restart with their new definition, the rest
   * are untouched. A file with problems changes nothing: they come back as an {@code INVALID}
   * exception, one detail a problem.
   */
  Reloaded reload(String by);

  /** Stops every process; pmj then exits. */
  void shutdown(String by);

  /** The project pmj runs and pmj itself. */
  record ProjectInfo(
      String name,
      String file,
      String version,
      long pid,
      java.time.Instant startedAt,
      String dashboard,
      boolean starting) {}

  /**
   * What a command did: the processes it concerned, as they are after it was accepted; {@code
   * changed} is false when nothing had to change (starting a running process).
   */
  record CommandResult(List<ProcessInfo> processes, boolean changed) {
    public CommandResult {
      processes = List.copyOf(processes);
    }
  }

  /** What a reload did: ids added, removed, changed (with the keys that changed), unchanged. */
  record Reloaded(
      List<String> added,
      List<String> removed,
      java.util.Map<String, List<String>> changed,
      List<String> unchanged) {
    public Reloaded {
      added = List.copyOf(added);
      removed = List.copyOf(removed);
      changed = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(changed));
      unchanged = List.copyOf(unchanged);
    }
  }

  /**
   * What a scale did: the process's count of instances before and after, and the instances started,
   * stopped and removed (highest first), each in the order it was done.
   */
  record Scaled(
      String id,
      int from,
      int to,
      List<String> started,
      List<String> stopped,
      List<String> removed) {
    public Scaled {
      started = List.copyOf(started);
      stopped = List.copyOf(stopped);
      removed = List.copyOf(removed);
    }
  }

  /** Whether every autostart process is up (or completed as expected), and what is not. */
  record Health(boolean healthy, List<String> problems) {
    public Health {
      problems = List.copyOf(problems);
    }
  }
}
