package dev.pmj.watch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a stream of changed paths into one {@link Change} per process once its changes have been
 * quiet for its debounce period. Pure: times are passed in (nanoseconds from any origin), nothing
 * here waits. Not thread-safe: one thread owns it.
 */
final class Debouncer {
  private static final class Burst {
    final Path first;
    final Set<Path> paths = new LinkedHashSet<>();
    long due;

    Burst(Path first) {
      this.first = first;
    }
  }

  private final Map<String, Burst> bursts = new HashMap<>();

  /** How much longer a burst waits per file beyond the first, and at most. */
  static final long EXTRA_PER_FILE_NANOS = 1_000_000;

  static final long EXTRA_MAX_NANOS = 250_000_000;

  /**
   * A path of {@code processId} changed at {@code now}; its burst is due {@code quietNanos} later,
   * plus 1 ms for each other file in the burst (at most 250 ms): a single save restarts after the
   * debounce alone, while a checkout of hundreds of files, whose events the OS may deliver with
   * pauses on a busy machine, waits a little longer and stays one restart.
   */
  public void changed(String processId, Path path, long quietNanos, long now) {
    Burst b = bursts.computeIfAbsent(processId, id -> new Burst(path));
    b.paths.add(path);
    long extra = Math.min(EXTRA_MAX_NANOS, (b.paths.size() - 1) * EXTRA_PER_FILE_NANOS);
    b.due = now + quietNanos + extra;
  }

  /** The bursts that have been quiet long enough at {@code now}, removed, in no set order. */
  public List<Change> due(long now) {
    return due(now, p -> true);
  }

  /**
   * The same, each naming the first of its paths that {@code prefer} accepts (a file that still
   * exists, rather than an editor's temporary file), else its first path.
   */
  public List<Change> due(long now, java.util.function.Predicate<Path> prefer) {
    List<Change> out = new ArrayList<>();
    var it = bursts.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      Burst b = e.getValue();
      if (b.due - now <= 0) {
        Path named = b.first;
        for (Path p : b.paths) {
          if (prefer.test(p)) {
            named = p;
            break;
          }
        }
        out.add(new Change(e.getKey(), named, b.paths.size() - 1));
        it.remove();
      }
    }
    return out;
  }

  /** When the next burst is due, or {@code Long.MAX_VALUE} when none waits. */
  public long nextDue(long now) {
    long next = Long.MAX_VALUE;
    for (Burst b : bursts.values()) {
      long wait = Math.max(0, b.due - now);
      next = Math.min(next, wait);
    }
    return next == Long.MAX_VALUE ? next : now + next;
  }

  /** Whether any change waits. */
  public boolean pending() {
    return !bursts.isEmpty();
  }
}
