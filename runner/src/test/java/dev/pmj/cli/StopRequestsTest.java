package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmj.cli.StopRequests.Kind;
import dev.pmj.cli.StopRequests.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The pure decision behind the README's signals (under "`pmj up`"), on a clock the test moves. */
class StopRequestsTest {
  private Instant now = Instant.parse("2026-12-06T10:00:00Z");

  private final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now;
        }

        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };

  private final StopRequests requests = new StopRequests(clock);

  /**
   * Each step in turn: {@code "KIND OUTCOME"} is a request of that kind and the outcome it must
   * have; {@code "+250ms"}, {@code "+5s"} or {@code "+window"} ({@link StopRequests#SAME}) moves
   * the clock.
   */
  private void steps(String... steps) {
    for (int i = 0; i < steps.length; i++) {
      String step = steps[i];
      if (step.equals("+window")) {
        now = now.plus(StopRequests.SAME);
      } else if (step.endsWith("ms")) {
        now = now.plusMillis(Long.parseLong(step.substring(1, step.length() - 2)));
      } else if (step.endsWith("s")) {
        now = now.plusSeconds(Long.parseLong(step.substring(1, step.length() - 1)));
      } else {
        String[] w = step.split(" ");
        assertEquals(
            Outcome.valueOf(w[1]), requests.request(Kind.valueOf(w[0])), "step " + i + ": " + step);
      }
    }
  }

  @Test
  void aSecondSignalWithinASecondOfTheFirstIsTheSameRequest() {
    steps("SIGNAL STOP", "+10ms", "SIGNAL SAME", "+980ms", "SIGNAL SAME");
  }

  @Test
  void aSignalASecondOrMoreAfterTheFirstKillsEveryProcess() {
    steps("SIGNAL STOP", "+window", "SIGNAL KILL", "+5s", "SIGNAL KILL");
  }

  @Test
  void theWindowCountsFromTheFirstRequestNotFromTheLastSignal() {
    steps("SIGNAL STOP", "+900ms", "SIGNAL SAME", "+200ms", "SIGNAL KILL");
  }

  @Test
  void aSignalJustAfterAQuietStopIsTheSameRequest() {
    // pmj down (or q), then systemd's SIGTERM to pmj and its group as the unit stops.
    steps("QUIET STOP", "+20ms", "SIGNAL SAME");
  }

  @Test
  void ctrlCPressedAgainKillsAtOnceButQuietRequestsNeverDo() {
    steps("CTRL_C STOP", "+100ms", "QUIET SAME", "CTRL_C KILL");
  }

  @Test
  void quietRequestsAfterTheFirstChangeNothing() {
    steps("QUIET STOP", "+10s", "QUIET SAME");
  }
}
