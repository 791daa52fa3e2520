package dev.pmj.supervisor;

import java.time.Duration;

/** Schedules work later; tests substitute a fake that runs on command. */
interface Timers {
  /** A scheduled task that can be cancelled. */
  interface Cancellable {
    void cancel();
  }

  Cancellable schedule(Duration delay, Runnable task);
}
