package dev.pmj.supervisor;

import dev.pmj.os.Marked;
import dev.pmj.os.ProcessControl;
import dev.pmj.os.Signal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Stops processes found by pmj's marker, which no group signal reaches: the stop signal, then
 * SIGKILL after the stop timeout, as for a process group (SPEC §4, "Escaped descendants").
 */
final class Sweep {
  /** How often pmj looks whether they are gone. */
  static final Duration POLL = Duration.ofMillis(100);

  /** How long to wait for a killed process to be gone before giving up on it. */
  private static final Duration AFTER_KILL = Duration.ofSeconds(2);

  private final ProcessControl control;
  private final Timers timers;
  private final Clock clock;
  private final List<Marked> targets;
  private final Signal signal;
  private final Duration timeout;
  private final Instant started;
  private final CompletableFuture<List<Marked>> done = new CompletableFuture<>();
  private boolean killed;

  private Sweep(
      ProcessControl control,
      Timers timers,
      Clock clock,
      List<Marked> targets,
      Signal signal,
      Duration timeout) {
    this.control = control;
    this.timers = timers;
    this.clock = clock;
    this.targets = targets;
    this.signal = signal;
    this.timeout = timeout;
    this.started = clock.instant();
  }

  /**
   * Sends {@code signal} to each of {@code targets} and completes with them once every one is gone
   * (after SIGKILL at {@code timeout}, if need be).
   */
  static CompletableFuture<List<Marked>> stop(
      Runtime rt, List<Marked> targets, Signal signal, Duration timeout) {
    if (targets.isEmpty()) return CompletableFuture.completedFuture(List.of());
    Sweep s = new Sweep(rt.control(), rt.timers(), rt.clock(), targets, signal, timeout);
    for (Marked m : targets) s.control.signal(m, signal);
    s.later();
    return s.done;
  }

  /** The live marked processes of pmj process {@code id}. */
  static List<Marked> of(Map<String, List<Marked>> all, String id) {
    List<Marked> l = all.get(id);
    return l == null ? List.of() : l;
  }

  private void later() {
    timers.schedule(POLL, () -> control.marked().whenComplete((all, e) -> check(all)));
  }

  private void check(Map<String, List<Marked>> all) {
    List<Marked> left = new ArrayList<>();
    if (all != null) {
      for (List<Marked> l : all.values()) {
        for (Marked m : l) {
          for (Marked t : targets) {
            if (t.pid() == m.pid() && t.startTicks() == m.startTicks()) left.add(t);
          }
        }
      }
    }
    Duration spent = Duration.between(started, clock.instant());
    if (left.isEmpty()
        || all == null
        || (killed && spent.compareTo(timeout.plus(AFTER_KILL)) >= 0)) {
      done.complete(targets);
      return;
    }
    if (!killed && spent.compareTo(timeout) >= 0 && signal != Signal.KILL) {
      killed = true;
      for (Marked m : left) control.signal(m, Signal.KILL);
    } else if (signal == Signal.KILL) {
      killed = true;
    }
    later();
  }
}
