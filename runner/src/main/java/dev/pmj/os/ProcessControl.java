package dev.pmj.os;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The only code that spawns, signals and kills OS processes. Every process starts in a group of its
 * own, so that stopping it reaches its whole tree; if pmj dies without stopping them, the groups
 * are still ended.
 */
public interface ProcessControl extends AutoCloseable {

  /**
   * Starts {@code argv} in {@code cwd} with exactly {@code env}, stdin from /dev/null, stdout and
   * stderr into one pipe.
   *
   * @throws StartException with the OS's reason when the program cannot be run
   */
  default Child start(List<String> argv, Path cwd, Map<String, String> env) throws StartException {
    return start(argv, cwd, env, false);
  }

  /**
   * Starts {@code argv} as {@link #start(List, Path, Map)} does; {@code withInput}: with a pipe as
   * stdin instead of /dev/null, typed into through {@link Child#terminal()} a line at a time (for
   * an interactive process where no pseudo-terminal can be had).
   */
  Child start(List<String> argv, Path cwd, Map<String, String> env, boolean withInput)
      throws StartException;

  /**
   * Starts {@code argv} as {@link #start} does, but in a pseudo-terminal of its own ({@code cols}
   * by {@code rows}): stdin, stdout and stderr are the terminal, which is also the controlling
   * terminal of the child's session (so a debugger or a prompt can be answered through {@link
   * Child#terminal()}). Its group is stopped as any other.
   *
   * @throws NoTerminalException when no terminal can be had here, before anything was started
   */
  default Child startInTerminal(
      List<String> argv, Path cwd, Map<String, String> env, int cols, int rows)
      throws StartException, NoTerminalException {
    throw new NoTerminalException("not supported on this system");
  }

  /**
   * Sends {@code signal} to every process of the group led by {@code pid}; no error if none is
   * left. It may arrive just after this returns; signals arrive in the order they were sent.
   */
  void signalGroup(long pid, Signal signal);

  /**
   * The variable every child gets, with this pmj's own value ({@link #runId()}): descendants
   * inherit it, so a program that leaves its process group can still be found (README, "`pmj up`").
   */
  String MARKER = "PMJ_RUN";

  /** This pmj's value of {@link #MARKER}, unique to this run of pmj on this machine. */
  String runId();

  /**
   * Every live process that carries this pmj's marker, by the pmj process it belongs to ({@code
   * PMJ_PROCESS_ID}); empty where the OS does not show other processes' environments.
   */
  CompletableFuture<Map<String, List<Marked>>> marked();

  /** Whether {@link #marked()} can find processes here (Linux: {@code /proc/PID/environ}). */
  boolean findsMarked();

  /**
   * Sends {@code signal} to one marked process; nothing when it is gone or its pid now belongs to
   * another process.
   */
  void signal(Marked process, Signal signal);

  /** The group of {@code pid} is gone: pmj no longer needs to end it if pmj itself dies. */
  void forget(long pid);

  /** Stops watching over the groups (call after every group was stopped). */
  @Override
  void close();

  /** The implementation for this operating system. */
  static ProcessControl create() {
    if (Platform.isWindows()) return new TreeProcessControl();
    return new PosixProcessControl();
  }
}
