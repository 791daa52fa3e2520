package dev.pmj.supervisor;

import java.time.Instant;

/**
 * What is known of one process at one moment.
 *
 * @param pid the OS pid while it has a process, else 0
 * @param restarts how many times it was restarted after its first start (by pmj after an exit, by a
 *     person's restart, by a file change); a person's start after a stop is not counted
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

  /** Its last exit as every view spells it ({@code exit 3}, {@code SIGTERM}), or null. */
  public String lastExit() {
    return Messages.lastExit(exitCode);
  }

  /** Why it is failed or waiting to restart, or "" in any other state. */
  public String reason() {
    return state == ProcessState.FAILED || state == ProcessState.BACKOFF ? message : "";
  }
}
