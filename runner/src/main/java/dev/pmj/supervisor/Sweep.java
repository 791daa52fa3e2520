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
import java.util.function.Predicate;

/**
 * Stops the processes that carry a pmj process's marker, which no group signal reaches: the stop
 * signal, then SIGKILL once the stop timeout has passed, as for a process group (README, "`pmj
 * up`": programs that leave their group). It looks again until none is left, so a daemon that forks
 * once more while it is being stopped is stopped too.
 */
final class Sweep {
  /** How often pmj looks whether they are gone. */
  static final Duration POLL = Duration.ofMillis(100);

  /** How long to wait for a killed process to be gone before giving up on it. */
  private static final Duration AFTER_KILL = Duration.ofSeconds(2);

  private final ProcessControl control;
  private final Timers timers;
  private final Clock clock;
  private final String id;
  private final Predicate<Marked> which;
  private final Signal signal;
  private final Instant killAt;
  private final List<Marked> seen = new ArrayList<>();
  private final CompletableFuture<List<Marked>> done = new CompletableFuture<>();
  private boolean killed;

  private Sweep(Services rt, String id, Predicate<Marked> which, Signal signal, Instant killAt) {
    this.control = rt.control();
    this.timers = rt.timers();
    this.clock = rt.clock();
    this.id = id;
    this.which = which;
    this.signal = signal;
    this.killAt = killAt;
  }

  /**
   * Sends {@code signal} to every live process of pmj process {@code id} that {@code which}
   * accepts, and to any that appears while it waits; SIGKILL to those left at {@code killAt}.
   * Completes with every process it signalled once none is left (or, after SIGKILL, a short while
   * later at most). It never fails.
   */
  static CompletableFuture<List<Marked>> stop(
      Services rt, String id, Predicate<Marked> which, Signal signal, Instant killAt) {
    Sweep s = new Sweep(rt, id, which, signal, killAt);
    s.look();
    return s.done;
  }

  /** The live marked processes of pmj process {@code id}. */
  static List<Marked> of(Map<String, List<Marked>> all, String id) {
    List<Marked> l = all == null ? null : all.get(id);
    return l == null ? List.of() : l;
  }

  private void look() {
    try {
      control.marked().whenComplete((all, e) -> check(all));
    } catch (RuntimeException e) {
      done.complete(seen);
    }
  }

  private void check(Map<String, List<Marked>> all) {
    try {
      if (all == null) {
        done.complete(seen); // the OS would not say: nothing more to do
        return;
      }
      List<Marked> left = new ArrayList<>();
      for (Marked m : of(all, id)) if (which.test(m)) left.add(m);
      if (left.isEmpty()) {
        done.complete(seen);
        return;
      }
      Instant now = clock.instant();
      if (killed && now.isAfter(killAt.plus(AFTER_KILL))) {
        done.complete(seen);
        return;
      }
      boolean killNow = !killed && !now.isBefore(killAt);
      if (killNow) killed = true;
      for (Marked m : left) {
        boolean fresh = !seen.contains(m);
        if (fresh) seen.add(m);
        if (killNow || (killed && fresh)) control.signal(m, Signal.KILL);
        else if (fresh) control.signal(m, signal);
      }
      timers.schedule(POLL, this::look);
    } catch (RuntimeException e) {
      // A timer pool already shut down (pmj is ending): the watchdog ends what is left.
      done.complete(seen);
    }
  }
}
