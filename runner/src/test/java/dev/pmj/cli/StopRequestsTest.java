package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmj.cli.StopRequests.Kind;
import dev.pmj.cli.StopRequests.Outcome;
import java.time.Clock;
import java.time.Duration;
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

  private void after(Duration d) {
    now = now.plus(d);
  }

  @Test
  void aSecondSignalWithinASecondOfTheFirstIsTheSameRequest() {
    assertEquals(Outcome.STOP, requests.request(Kind.SIGNAL));
    after(Duration.ofMillis(10));
    assertEquals(Outcome.SAME, requests.request(Kind.SIGNAL));
    after(Duration.ofMillis(980));
    assertEquals(Outcome.SAME, requests.request(Kind.SIGNAL));
  }

  @Test
  void aSignalASecondOrMoreAfterTheFirstKillsEveryProcess() {
    assertEquals(Outcome.STOP, requests.request(Kind.SIGNAL));
    after(StopRequests.SAME);
    assertEquals(Outcome.KILL, requests.request(Kind.SIGNAL));
    after(Duration.ofSeconds(5));
    assertEquals(Outcome.KILL, requests.request(Kind.SIGNAL));
  }

  @Test
  void theWindowCountsFromTheFirstRequestNotFromTheLastSignal() {
    assertEquals(Outcome.STOP, requests.request(Kind.SIGNAL));
    after(Duration.ofMillis(900));
    assertEquals(Outcome.SAME, requests.request(Kind.SIGNAL));
    after(Duration.ofMillis(200));
    assertEquals(Outcome.KILL, requests.request(Kind.SIGNAL));
  }

  @Test
  void aSignalJustAfterAQuietStopIsTheSameRequest() {
    // pmj down (or q), then systemd's SIGTERM to pmj and its group as the unit stops.
    assertEquals(Outcome.STOP, requests.request(Kind.QUIET));
    after(Duration.ofMillis(20));
    assertEquals(Outcome.SAME, requests.request(Kind.SIGNAL));
  }

  @Test
  void ctrlCPressedAgainKillsAtOnceButQuietRequestsNeverDo() {
    assertEquals(Outcome.STOP, requests.request(Kind.CTRL_C));
    after(Duration.ofMillis(100));
    assertEquals(Outcome.SAME, requests.request(Kind.QUIET));
    assertEquals(Outcome.KILL, requests.request(Kind.CTRL_C));
  }

  @Test
  void quietRequestsAfterTheFirstChangeNothing() {
    assertEquals(Outcome.STOP, requests.request(Kind.QUIET));
    after(Duration.ofSeconds(10));
    assertEquals(Outcome.SAME, requests.request(Kind.QUIET));
  }
}
