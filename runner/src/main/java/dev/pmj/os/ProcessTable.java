package dev.pmj.os;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/**
 * CPU time and memory of whole process trees, read from the OS in one pass per sample (README,
 * "From a second terminal"). A tree is a process and every descendant still alive.
 */
public interface ProcessTable {
  /**
   * What a tree uses.
   *
   * @param cpuNanos CPU time (user and system) of the tree's processes, including the children they
   *     already waited for
   * @param rssBytes resident memory of the tree's processes added up; -1 when the OS does not say
   * @param processes how many processes the tree has
   */
  record Usage(long cpuNanos, long rssBytes, int processes) {}

  /** The usage of each root's tree; a root that is gone is absent. */
  Map<Long, Usage> sample(Collection<Long> roots);

  /** The table for this operating system: {@code /proc} on Linux, else the JDK's process API. */
  static ProcessTable create() {
    if (Files.isReadable(Path.of("/proc/self/stat"))
        && Files.isReadable(Path.of("/proc/self/statm"))) {
      return new ProcProcessTable();
    }
    return new HandleProcessTable();
  }
}
