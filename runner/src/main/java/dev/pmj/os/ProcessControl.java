package dev.pmj.os;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
  Child start(List<String> argv, Path cwd, Map<String, String> env) throws StartException;

  /**
   * Sends {@code signal} to every process of the group led by {@code pid}; no error if none is
   * left. It may arrive just after this returns; signals arrive in the order they were sent.
   */
  void signalGroup(long pid, Signal signal);

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
