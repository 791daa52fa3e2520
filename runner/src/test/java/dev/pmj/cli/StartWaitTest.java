package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.supervisor.ProcessInfo;
import dev.pmj.supervisor.ProcessState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When pmj up -d returns and what it says, from snapshots of the processes (pure). */
class StartWaitTest {
  private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");

  private static ProcessInfo info(
      String id,
      ProcessState state,
      Instant startedAt,
      Integer exit,
      String readiness,
      String why) {
    return new ProcessInfo(
        id,
        state,
        42,
        startedAt,
        0,
        exit,
        readiness,
        state == ProcessState.READY,
        0,
        0,
        0,
        0,
        false,
        false,
        false,
        why,
        T0,
        "white");
  }

  private static Instant at(long millis) {
    return T0.plusMillis(millis);
  }

  @Test
  void aProcessWithoutAProbeIsUpOnceItRanForTheSettle() {
    StartWait w = new StartWait(List.of("web"), T0);
    ProcessInfo web = info("web", ProcessState.READY, T0, null, "none", "");
    assertFalse(w.look(List.of(web), at(500)).done());
    assertEquals(new StartWait.Verdict(true, List.of()), w.look(List.of(web), at(1000)));
  }

  @Test
  void aProbeMustPassAndACleanExitForGoodHasCompleted() {
    StartWait w = new StartWait(List.of("api", "setup"), T0);
    ProcessInfo setup = info("setup", ProcessState.EXITED, null, 0, "none", "exited with code 0");
    ProcessInfo running = info("api", ProcessState.RUNNING, T0, null, "http", "");
    assertFalse(w.look(List.of(running, setup), at(5000)).done());
    ProcessInfo ready = info("api", ProcessState.READY, T0, null, "http", "");
    assertEquals(new StartWait.Verdict(true, List.of()), w.look(List.of(ready, setup), at(5100)));
  }

  @Test
  void anExitWithAnErrorCountsOnlyWhenItStaysSoABackoffIsNamedAsACrashLoop() {
    StartWait w = new StartWait(List.of("once", "web", "slow"), T0);
    ProcessInfo once = info("once", ProcessState.EXITED, null, 3, "none", "exited with code 3");
    ProcessInfo loop =
        info(
            "web",
            ProcessState.BACKOFF,
            null,
            1,
            "none",
            "exited with code 1, restarting in 2s (retry 1)");
    ProcessInfo slow = info("slow", ProcessState.RUNNING, T0, null, "http", "");
    // Seen once, an exit may be the moment before a backoff; the others get the settle too.
    assertFalse(w.look(List.of(once, loop, slow), at(100)).done());
    assertFalse(w.look(List.of(once, loop, slow), at(200)).done());
    assertEquals(
        new StartWait.Verdict(
            true,
            List.of(
                "pmj: once exited with code 3; pmj logs once shows why",
                "pmj: web is crash-looping: exited with code 1, restarting in 2s (retry 1); pmj logs web shows why",
                "pmj: slow is not up after 1s: running, not ready yet (http probe); pmj logs slow shows why")),
        w.look(List.of(once, loop, slow), at(1100)));
  }

  @Test
  void itNeverWaitsPastTheCapAndNamesWhatIsNotUp() {
    StartWait w = new StartWait(List.of("api"), T0);
    ProcessInfo api = info("api", ProcessState.RUNNING, T0, null, "tcp", "");
    assertFalse(w.look(List.of(api), T0.plus(StartWait.CAP).minusMillis(1)).done());
    StartWait.Verdict v = w.look(List.of(api), T0.plus(StartWait.CAP));
    assertTrue(v.done());
    assertEquals(
        List.of(
            "pmj: api is not up after 60s: running, not ready yet (tcp probe); pmj logs api shows why"),
        v.problems());
    assertEquals(Duration.ofSeconds(60), StartWait.CAP);
  }

  @Test
  void aProcessSomeoneStoppedOrOneNotStartedHereIsNotItsBusiness() {
    StartWait w = new StartWait(List.of("web"), T0);
    ProcessInfo other = info("other", ProcessState.BACKOFF, null, 1, "none", "restarting in 1s");
    ProcessInfo web = info("web", ProcessState.STOPPED, null, null, "none", "");
    assertEquals(new StartWait.Verdict(true, List.of()), w.look(List.of(web, other), at(10)));
  }
}
