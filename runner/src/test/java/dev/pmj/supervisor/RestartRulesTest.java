package dev.pmj.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmj.config.RestartPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartRulesTest {
  private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
  private static final Duration HEALTHY = Duration.ofSeconds(10);
  private static final Duration SHORT = Duration.ofMillis(100);

  @Test
  void restartsWithDoublingDelayCappedAtBackoffMax() {
    assertEquals(Duration.ofSeconds(1), BACKOFF.delayFor(1));
    assertEquals(Duration.ofSeconds(2), BACKOFF.delayFor(2));
    assertEquals(Duration.ofSeconds(4), BACKOFF.delayFor(3));
    assertEquals(Duration.ofSeconds(16), BACKOFF.delayFor(5));
    assertEquals(Duration.ofSeconds(30), BACKOFF.delayFor(6));
    assertEquals(Duration.ofSeconds(30), BACKOFF.delayFor(1000));
    assertEquals(
        Duration.ofMillis(700),
        new Backoff(Duration.ofMillis(200), Duration.ofMillis(700)).delayFor(3));
  }

  @Test
  void consecutiveFailuresCountUpAndSetTheDelay() {
    int failures = 0;
    Duration[] expected = {
      Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8)
    };
    for (Duration d : expected) {
      RestartRules.Plan plan =
          RestartRules.afterExit(
              RestartPolicy.ALWAYS, 1, failures, failures, SHORT, HEALTHY, -1, BACKOFF);
      assertEquals(RestartRules.Action.RESTART, plan.action());
      assertEquals(d, plan.delay());
      failures = plan.failures();
    }
    assertEquals(4, failures);
  }

  @Test
  void aRunOfHealthyAfterOrLongerResetsTheCount() {
    RestartRules.Plan plan =
        RestartRules.afterExit(RestartPolicy.ALWAYS, 1, 7, 7, HEALTHY, HEALTHY, -1, BACKOFF);
    assertEquals(1, plan.failures());
    assertEquals(Duration.ofSeconds(1), plan.delay());
  }

  @Test
  void givesUpWhenFailuresExceedMaxRetries() {
    assertEquals(
        RestartRules.Action.RESTART,
        RestartRules.afterExit(RestartPolicy.ALWAYS, 1, 2, 2, SHORT, HEALTHY, 3, BACKOFF).action());
    RestartRules.Plan plan =
        RestartRules.afterExit(RestartPolicy.ALWAYS, 1, 3, 3, SHORT, HEALTHY, 3, BACKOFF);
    assertEquals(RestartRules.Action.GIVE_UP, plan.action());
    assertEquals(4, plan.failures());
    assertEquals(
        RestartRules.Action.GIVE_UP,
        RestartRules.afterExit(RestartPolicy.ON_FAILURE, 2, 0, 0, SHORT, HEALTHY, 0, BACKOFF)
            .action());
  }

  @Test
  void onFailureRestartsOnlyNonZeroExitsAndNeverNever() {
    assertEquals(
        RestartRules.Action.STAY_EXITED,
        RestartRules.afterExit(RestartPolicy.ON_FAILURE, 0, 0, 0, SHORT, HEALTHY, -1, BACKOFF)
            .action());
    assertEquals(
        RestartRules.Action.RESTART,
        RestartRules.afterExit(RestartPolicy.ON_FAILURE, 143, 0, 0, SHORT, HEALTHY, -1, BACKOFF)
            .action());
    assertEquals(
        RestartRules.Action.STAY_EXITED,
        RestartRules.afterExit(RestartPolicy.NEVER, 1, 0, 0, SHORT, HEALTHY, -1, BACKOFF).action());
  }

  @Test
  void alwaysRestartsCleanExitsTooWithBackoffSoAQuickExiterCannotStorm() {
    RestartRules.Plan plan =
        RestartRules.afterExit(RestartPolicy.ALWAYS, 0, 3, 3, SHORT, HEALTHY, -1, BACKOFF);
    assertEquals(RestartRules.Action.RESTART, plan.action());
    assertEquals(Duration.ofSeconds(8), plan.delay());
  }

  @Test
  void aCleanExitIsNoFailureUsesNoRetryAndEndsARowOfFailures() {
    RestartRules.Plan plan =
        RestartRules.afterExit(RestartPolicy.ALWAYS, 0, 3, 3, SHORT, HEALTHY, 3, BACKOFF);
    assertEquals(RestartRules.Action.RESTART, plan.action(), "maxRetries limits failures only");
    assertEquals(0, plan.failures());
    assertEquals(0, plan.retry());
    assertEquals(4, plan.exits());
    RestartRules.Plan next =
        RestartRules.afterExit(RestartPolicy.ALWAYS, 1, 0, 4, SHORT, HEALTHY, 3, BACKOFF);
    assertEquals(1, next.retry());
    assertEquals(Duration.ofSeconds(16), next.delay());
  }
}
