package dev.pmj.supervisor;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The lifecycle of one process (README, "`pmj up`"). */
public enum ProcessState {
  /** Waiting for its dependencies. */
  PENDING,
  /** Being spawned. */
  STARTING,
  /** Has a pid; not ready yet (its readiness probe has not passed). */
  RUNNING,
  /** Passed its readiness probe, or has none. */
  READY,
  /** Asked to stop; waiting for it to exit. */
  STOPPING,
  /** Stopped on request. */
  STOPPED,
  /** Exited on its own. */
  EXITED,
  /** Waiting to be restarted after a failure. */
  BACKOFF,
  /** Could not start, or gave up after maxRetries. */
  FAILED;

  private Set<ProcessState> next;

  static {
    PENDING.next = EnumSet.of(STARTING, STOPPED);
    STARTING.next = EnumSet.of(RUNNING, FAILED);
    RUNNING.next = EnumSet.of(READY, STOPPING, EXITED);
    READY.next = EnumSet.of(STOPPING, EXITED);
    STOPPING.next = EnumSet.of(STOPPED);
    // BACKOFF and FAILED: stopped for using too much memory, which counts as a failure.
    STOPPED.next = EnumSet.of(STARTING, BACKOFF, FAILED);
    EXITED.next = EnumSet.of(BACKOFF, FAILED, STARTING, STOPPED);
    BACKOFF.next = EnumSet.of(STARTING, STOPPED);
    FAILED.next = EnumSet.of(STARTING, STOPPED);
  }

  /** Whether a process in this state may move to {@code to}. */
  public boolean canMoveTo(ProcessState to) {
    return next.contains(to);
  }

  /** Whether the process has a live OS process. */
  public boolean hasProcess() {
    return this == RUNNING || this == READY || this == STOPPING;
  }

  /** The word shown to users. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
