package dev.pmj.supervisor;

import dev.pmj.config.RestartPolicy;
import java.time.Duration;

/**
 * What happens after a process exits on its own (README, "`pmj up`"): pure, tested without
 * processes. Two counts: the failures in a row (a non-zero exit or a signal), which {@code
 * maxRetries} limits and pmj's lines number as retries; and the quick exits in a row (failures and
 * clean exits alike), which set the delay, so a program that exits 0 at once under {@code restart:
 * always} cannot storm either.
 */
final class RestartRules {
  private RestartRules() {}

  /**
   * The decision: restart after {@code delay}, stay exited, or give up (failed); {@code failures}
   * and {@code exits} are the counts in a row after this exit.
   */
  public record Plan(Action action, Duration delay, int failures, int exits) {
    /** The retry this restart is (1 for the first after a failure), or 0 after a clean exit. */
    int retry() {
      return action == Action.RESTART ? failures : 0;
    }
  }

  public enum Action {
    RESTART,
    STAY_EXITED,
    GIVE_UP
  }

  /**
   * @param failuresBefore consecutive failures before this exit
   * @param exitsBefore consecutive quick exits (of any kind) before this exit
   * @param ranFor how long the run that just ended lasted
   */
  public static Plan afterExit(
      RestartPolicy policy,
      int exitCode,
      int failuresBefore,
      int exitsBefore,
      Duration ranFor,
      Duration healthyAfter,
      int maxRetries,
      Backoff backoff) {
    boolean failed = exitCode != 0;
    boolean wanted =
        switch (policy) {
          case ALWAYS -> true;
          case ON_FAILURE -> failed;
          case NEVER -> false;
        };
    // A long enough run proves the process healthy: its earlier exits no longer count.
    boolean healthy = ranFor.compareTo(healthyAfter) >= 0;
    int before = healthy ? 0 : failuresBefore;
    // A clean exit ends a row of failures; it still counts for the delay.
    int failures = failed ? before + 1 : 0;
    int exits = (healthy ? 0 : exitsBefore) + 1;
    if (!wanted) return new Plan(Action.STAY_EXITED, Duration.ZERO, failures, 0);
    if (failed && maxRetries >= 0 && failures > maxRetries)
      return new Plan(Action.GIVE_UP, Duration.ZERO, failures, exits);
    return new Plan(Action.RESTART, backoff.delayFor(exits), failures, exits);
  }
}
