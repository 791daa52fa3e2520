package dev.pmj.supervisor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Timers that fire only when the test advances the clock: each due task runs on the test's thread,
 * at its own time and in the order they fall due (the order of scheduling for the same time).
 */
final class ManualTimers implements Timers {
  private final SettableClock clock;
  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(Comparator.comparing(Task::at).thenComparingLong(Task::seq));
  private long seq;

  private record Task(Instant at, long seq, Runnable run) {}

  ManualTimers(SettableClock clock) {
    this.clock = clock;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable run) {
    Task t = new Task(clock.instant().plus(delay.isNegative() ? Duration.ZERO : delay), seq++, run);
    queue.add(t);
    return () -> queue.remove(t);
  }

  /** Moves the clock {@code by} on, firing every timer due on the way (and any they schedule). */
  void advance(Duration by) {
    Instant end = clock.instant().plus(by);
    while (!queue.isEmpty() && !queue.peek().at().isAfter(end)) {
      Task t = queue.poll();
      clock.set(t.at());
      t.run().run();
    }
    clock.set(end);
  }

  /** Fires what is due now (delay 0), without moving the clock. */
  void runDue() {
    advance(Duration.ZERO);
  }

  /** The delays from now of the timers waiting, soonest first. */
  List<Duration> pending() {
    List<Task> all = new ArrayList<>(queue);
    all.sort(queue.comparator());
    List<Duration> out = new ArrayList<>();
    for (Task t : all) out.add(Duration.between(clock.instant(), t.at()));
    return out;
  }
}
