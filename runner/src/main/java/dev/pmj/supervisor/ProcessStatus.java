package dev.pmj.supervisor;

import java.time.Instant;

/**
 * What is known of one process at one moment.
 *
 * @param pid the OS pid while it has a process, else 0
 * @param restarts how many times it was started again after its first start
 * @param exitCode the code of its last exit, or null
 * @param willRestart whether a restart is scheduled (in EXITED and BACKOFF)
 * @param message why it is in this state, for people (exit reason, failure reason), or ""
 * @param startedAt when the running process started (while it has one), else null
 */
public record ProcessStatus(
    String id,
    ProcessState state,
    long pid,
    int restarts,
    Integer exitCode,
    boolean willRestart,
    Instant since,
    String message,
    Instant startedAt) {

  /** A status without a running process. */
  public ProcessStatus(
      String id,
      ProcessState state,
      long pid,
      int restarts,
      Integer exitCode,
      boolean willRestart,
      Instant since,
      String message) {
    this(id, state, pid, restarts, exitCode, willRestart, since, message, null);
  }
}
