package dev.pmj.supervisor;

import java.time.Instant;

/**
 * One process as the API, the CLI and the dashboard show it.
 *
 * @param pid the OS pid while it runs, else 0
 * @param startedAt when the running process started, or null
 * @param restarts how many times pmj or a person restarted it (a crash's restart, {@code pmj
 *     restart}, a file change); a person's start after a stop is not one
 * @param exitCode the code of its last exit, or null; 128 + n when signal n ended it
 * @param readiness how readiness is checked: http, tcp, exec, logLine or none
 * @param ready whether it is ready (passed its probe, or has none and runs)
 * @param cpuPercent CPU of its whole tree at the last sample, in percent of one core
 * @param memoryBytes resident memory of its whole tree at the last sample
 * @param outputLines lines of output read from it since pmj started
 * @param adHoc added at run time, not declared in the file
 * @param interactive runs in a terminal of its own that can be typed into ({@code interactive:
 *     true})
 * @param message why it is in this state ("exited with code 1"), or ""
 * @param color the color of its prefix in pmj's output (a word of the file's {@code color})
 */
public record ProcessInfo(
    String id,
    ProcessState state,
    long pid,
    Instant startedAt,
    int restarts,
    Integer exitCode,
    String readiness,
    boolean ready,
    double cpuPercent,
    double cpuSeconds,
    long memoryBytes,
    long outputLines,
    boolean devMode,
    boolean adHoc,
    boolean interactive,
    String message,
    Instant since,
    String color) {

  /** Its last exit as every view spells it ({@code exit 3}, {@code SIGTERM}), or null. */
  public String lastExit() {
    return Messages.lastExit(exitCode);
  }

  /**
   * Why it is failed or waiting to restart ("cannot start: …", "exited with code 1, restarting in
   * 2s (retry 2 of 3)"), or "" in any other state.
   */
  public String reason() {
    return state == ProcessState.FAILED || state == ProcessState.BACKOFF ? message : "";
  }

  /** The signal that ended the last run (TERM, KILL…), or null. */
  public String exitSignal() {
    if (exitCode == null || exitCode <= 128) return null;
    dev.pmj.os.Signal s = dev.pmj.os.Signal.ofNumber(exitCode - 128);
    return s == null ? null : s.name();
  }
}
