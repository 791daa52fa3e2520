package dev.pmj.watch;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Notices a process that changes keep restarting: more than {@value #MOST} restarts within {@link
 * #WINDOW_NANOS}, usually because it writes into its own watched folder (a log, a database, a
 * cache). Told once per storm, which ends when a whole window passes without a restart; the
 * restarts themselves go on. Pure: times are passed in, one thread owns it.
 */
final class RestartStorms {
  static final int MOST = 5;
  static final long WINDOW_NANOS = 10_000_000_000L;

  private static final class Restart {
    final long at;
    final Path file;

    Restart(long at, Path file) {
      this.at = at;
      this.file = file;
    }
  }

  private static final class History {
    final ArrayDeque<Restart> recent = new ArrayDeque<>();
    boolean told;
  }

  private final Map<String, History> histories = new HashMap<>();

  /** What to tell: how many restarts in the window, and the files that caused them, most first. */
  record Storm(int restarts, List<Path> files) {}

  /**
   * A restart of {@code processId} by a change to {@code file} at {@code now}; the storm to tell of
   * when this restart makes one that was not told yet, else null.
   */
  Storm restarted(String processId, Path file, long now) {
    History h = histories.computeIfAbsent(processId, id -> new History());
    while (!h.recent.isEmpty() && now - h.recent.peekFirst().at >= WINDOW_NANOS)
      h.recent.removeFirst();
    if (h.recent.isEmpty()) h.told = false;
    h.recent.addLast(new Restart(now, file));
    if (h.told || h.recent.size() <= MOST) return null;
    h.told = true;
    Map<Path, Integer> counts = new LinkedHashMap<>();
    for (Restart r : h.recent) counts.merge(r.file, 1, Integer::sum);
    List<Path> files = new ArrayList<>(counts.keySet());
    files.sort((a, b) -> counts.get(b) - counts.get(a));
    return new Storm(h.recent.size(), files);
  }

  /**
   * The line pmj says: which files keep changing (relative to {@code projectDir}), and the {@code
   * watchIgnore} that would leave them out (relative to the process's {@code cwd}).
   */
  static String describe(Storm s, Path projectDir, Path cwd) {
    List<String> shown = new ArrayList<>();
    List<String> patterns = new ArrayList<>();
    int most = 3;
    for (Path f : s.files().subList(0, Math.min(most, s.files().size()))) {
      shown.add(relative(projectDir, f));
      patterns.add(
          "\"" + (f.startsWith(cwd) && !f.equals(cwd) ? relative(cwd, f) : f.getFileName()) + "\"");
    }
    int more = s.files().size() - shown.size();
    boolean one = s.files().size() == 1;
    return "restarted "
        + s.restarts()
        + " times in "
        + WINDOW_NANOS / 1_000_000_000L
        + "s by changes to "
        + String.join(", ", shown)
        + (more > 0 ? " (+" + more + " more)" : "")
        + (one
            ? "; if the process writes that file itself, add it to watchIgnore: ["
            : "; if the process writes these files itself, add them to watchIgnore: [")
        + String.join(", ", patterns)
        + "]";
  }

  private static String relative(Path base, Path p) {
    Path shown = p.startsWith(base) && !p.equals(base) ? base.relativize(p) : p;
    return shown.toString().replace('\\', '/');
  }
}
