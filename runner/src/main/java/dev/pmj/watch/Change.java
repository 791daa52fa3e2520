package dev.pmj.watch;

import java.nio.file.Path;

/**
 * Files of one process changed and have settled: restart it.
 *
 * @param processId the process whose watched files changed
 * @param first the first file that changed in the burst
 * @param more how many other files changed in the same burst
 */
public record Change(String processId, Path first, int more) {
  /** "src/app.py changed (+12 more)", paths relative to {@code base} when inside it. */
  public String describe(Path base) {
    Path shown = first.startsWith(base) && !first.equals(base) ? base.relativize(first) : first;
    String name = shown.toString().replace('\\', '/');
    return name + " changed" + (more > 0 ? " (+" + more + " more)" : "");
  }
}
