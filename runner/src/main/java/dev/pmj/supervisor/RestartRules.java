package dev.pmj.supervisor;

import dev.pmj.config.RestartPolicy;
import java.time.Duration;

/**
 * What happens after a process exits on its own (README, "`pmj up`"): pure, tested without
 * processes.
 */
final class RestartRules {
  private RestartRules() {}

  /** The decision: restart after {@code delay}, stay exited, or give up (failed). */
  public record Plan(Action action, Duration delay, int failures) {}

  public enum Action {
    RESTART,
    STAY_EXITED,
    GIVE_UP
  }

  /**
   * @param failuresBefore consecutive failures before this exit
   * @param ranFor how long the run that just ended lasted
   */
  public static Plan afterExit(
      RestartPolicy policy,
      int exitCode,
      int failuresBefore,
      Duration ranFor,
      Duration healthyAfter,
      int maxRetries,
      Backoff backoff) {
    boolean wanted =
        switch (policy) {
          case ALWAYS -> true;
          case ON_FAILURE -> exitCode != 0;
          case NEVER -> false;
        };
    // A long enough run proves the process healthy: its earlier failures no longer count.
    int before = ranFor.compareTo(healthyAfter) >= 0 ? 0 : failuresBefore;
    if (!wanted) return new Plan(Action.STAY_EXITED, Duration.ZERO, exitCode == 0 ? 0 : before + 1);
    int failures = before + 1;
    if (maxRetries >= 0 && failures > maxRetries)
      return new Plan(Action.GIVE_UP, Duration.ZERO, failures);
    return new Plan(Action.RESTART, backoff.delayFor(failures), failures);
  }
}
