package dev.pmj.supervisor;

import static dev.pmj.supervisor.ProcessState.BACKOFF;
import static dev.pmj.supervisor.ProcessState.EXITED;
import static dev.pmj.supervisor.ProcessState.FAILED;
import static dev.pmj.supervisor.ProcessState.READY;
import static dev.pmj.supervisor.ProcessState.RUNNING;
import static dev.pmj.supervisor.ProcessState.STARTING;
import static dev.pmj.supervisor.ProcessState.STOPPED;
import static dev.pmj.supervisor.ProcessState.STOPPING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.os.Marked;
import dev.pmj.os.ProcessControl;
import dev.pmj.os.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state machine of one process, one test per edge of {@link ProcessState}'s table and per
 * interaction that matters, on fakes: the test decides when a child exits and with what, what it
 * prints, which signals it ignores, and when time passes. No process, no sleep, no thread: every
 * message runs on the test's thread, so each assertion sees the whole effect of what came before.
 * What is asserted is what users see: the states and pmj's own lines.
 */
class ProcessStateMachineTest {
  @TempDir Path dir;
  private Fakes f;

  private Fakes fakes() {
    if (f == null) f = new Fakes(dir);
    return f;
  }

  @AfterEach
  void noMessageFailed() {
    if (f != null) assertEquals(List.of(), f.errors);
  }

  /** Process {@code svc} ({@code command: server}) with these lines of its definition. */
  private ProcessSupervisor svc(String... lines) throws Exception {
    StringBuilder yaml = new StringBuilder("processes:\n  svc:\n    command: server\n");
    for (String l : lines) yaml.append("    ").append(l).append('\n');
    return fakes().process(yaml.toString());
  }

  private List<ProcessState> states() {
    return f.states("svc");
  }

  private List<String> lines() {
    return f.lines();
  }

  private FakeChild child() {
    return f.control.last();
  }

  // ---- pending ----

  @Test
  void pendingToStartingToRunningToReadyWithoutAProbe() throws Exception {
    ProcessSupervisor p = svc();
    p.start();
    assertEquals(List.of(STARTING, RUNNING, READY), states());
    assertEquals(List.of("svc: started (pid 1001)"), lines());
    assertEquals(READY, p.status().state());
    assertEquals(1001, p.status().pid());
    // Every child carries this pmj's marker, by which escaped ones are found.
    assertEquals("fake-run", child().env.get(ProcessControl.MARKER));
  }

  @Test
  void pendingToStoppedWhenStoppedBeforeItStarted() throws Exception {
    ProcessSupervisor p = svc();
    CompletableFuture<Void> stopped = p.stop();
    assertTrue(stopped.isDone());
    assertEquals(List.of(STOPPED), states());
    assertEquals(List.of(), lines());
    assertEquals(List.of(), f.control.started);
  }

  // ---- starting ----

  @Test
  void startingToFailedWhenTheProgramCannotStartThenFailedToStartingByHand() throws Exception {
    ProcessSupervisor p = svc();
    f.control.failNextStart("No such file or directory");
    p.start();
    assertEquals(List.of(STARTING, FAILED), states());
    assertEquals(List.of("svc: failed: cannot start: No such file or directory"), lines());
    assertEquals(List.of(), f.timers.pending(), "a start that failed is not retried");
    p.start();
    assertEquals(List.of(STARTING, FAILED, STARTING, RUNNING, READY), states());
  }

  @Test
  void failedToStoppedWhenStopped() throws Exception {
    ProcessSupervisor p = svc();
    f.control.failNextStart("Permission denied");
    p.start();
    assertTrue(p.stop().isDone());
    assertEquals(List.of(STARTING, FAILED, STOPPED), states());
  }

  // ---- running: readiness ----

  @Test
  void runningToReadyWhenTheProbePassesAfterAFailedOne() throws Exception {
    ProcessSupervisor p = svc("readiness:", "  exec: check-it", "  interval: 2s");
    p.start();
    assertEquals(List.of(STARTING, RUNNING), states());
    assertEquals(0, f.probes.waiting(), "the first probe runs on a timer, at once");
    f.timers.runDue();
    f.probes.answer(false);
    assertEquals(List.of(STARTING, RUNNING), states());
    f.advance(Duration.ofMillis(1999));
    assertEquals(0, f.probes.waiting(), "the next probe waits for the interval");
    f.advance(Duration.ofMillis(1));
    f.probes.answer(true);
    assertEquals(List.of(STARTING, RUNNING, READY), states());
    assertEquals(List.of("svc: started (pid 1001)", "svc: ready (exec probe passed)"), lines());
    assertEquals(READY, p.status().state());
  }

  @Test
  void runningToReadyWhenTheLogLineIsPrinted() throws Exception {
    svc("readiness:", "  logLine: ^listening on").start();
    child().print("starting up\n");
    assertEquals(List.of(STARTING, RUNNING), states());
    child().print("listening on 8080\nlistening on 8080\n");
    assertEquals(List.of(STARTING, RUNNING, READY), states());
    assertEquals(
        List.of(
            "svc: started (pid 1001)",
            "svc| starting up",
            "svc| listening on 8080",
            "svc| listening on 8080",
            "svc: ready (log line matched)"),
        lines());
  }

  @Test
  void runningToExitedWhenItCrashesDuringReadinessAndALateProbeAnswerIsIgnored() throws Exception {
    ProcessSupervisor p = svc("readiness:", "  exec: check-it", "backoff: 1s");
    p.start();
    f.timers.runDue();
    assertEquals(1, f.probes.waiting());
    child().exit(1);
    assertEquals(List.of(STARTING, RUNNING, EXITED, BACKOFF), states());
    f.probes.answer(true);
    assertEquals(List.of(STARTING, RUNNING, EXITED, BACKOFF), states());
    assertEquals(
        List.of(
            "svc: started (pid 1001)",
            "svc: exited with code 1",
            "svc: restarting in 1s (retry 1)"),
        lines());
    assertEquals(List.of(Duration.ofSeconds(1)), f.timers.pending(), "no probe timer left");
  }

  @Test
  void runningToStoppingWhenStoppedBeforeReadyAndALateProbeAnswerIsIgnored() throws Exception {
    ProcessSupervisor p = svc("readiness:", "  exec: check-it");
    p.start();
    f.timers.runDue();
    CompletableFuture<Void> stopped = p.stop();
    assertEquals(List.of(STARTING, RUNNING, STOPPING, STOPPED), states());
    assertTrue(stopped.isDone());
    f.probes.answer(true);
    assertEquals(STOPPED, p.status().state());
  }

  // ---- stopping ----

  @Test
  void readyToStoppingToStoppedBySignal() throws Exception {
    ProcessSupervisor p = svc();
    p.start();
    CompletableFuture<Void> stopped = p.stop();
    assertEquals(List.of(STARTING, RUNNING, READY, STOPPING, STOPPED), states());
    assertTrue(stopped.isDone());
    assertEquals(
        List.of(
            "svc: started (pid 1001)",
            "svc: stopping (sending SIGTERM)",
            "svc: stopped (killed by SIGTERM)"),
        lines());
    // The stop signal, then SIGKILL to whatever is left of the group once the leader is gone.
    assertEquals(List.of(Signal.TERM, Signal.KILL), child().signals);
    assertEquals(List.of(1001L), f.control.forgotten);
    assertEquals(143, p.status().exitCode());
    assertEquals(0, p.status().pid());
  }

  @Test
  void stoppingSendsSigkillAfterStopTimeoutToAProcessThatIgnoresTheSignal() throws Exception {
    ProcessSupervisor p = svc("stopSignal: INT", "stopTimeout: 5s");
    p.start();
    child().ignoring(Signal.INT);
    CompletableFuture<Void> stopped = p.stop();
    f.advance(Duration.ofMillis(4999));
    assertEquals(STOPPING, p.status().state());
    assertEquals(List.of(Signal.INT), child().signals);
    f.advance(Duration.ofMillis(1));
    assertEquals(List.of(STARTING, RUNNING, READY, STOPPING, STOPPED), states());
    assertTrue(stopped.isDone());
    assertEquals(
        List.of(
            "svc: started (pid 1001)",
            "svc: stopping (sending SIGINT)",
            "svc: still running 5.0s after SIGINT; sending SIGKILL",
            "svc: stopped (killed by SIGKILL)"),
        lines());
  }

  @Test
  void stopCommandRunsFirstThenTheStopSignalFollowsAfterStopTimeout() throws Exception {
    ProcessSupervisor p = svc("stopCommand: pg-stop --fast", "stopTimeout: 3s");
    p.start();
    FakeChild main = child();
    CompletableFuture<Void> stopped = p.stop();
    FakeChild stopCommand = child();
    assertEquals(List.of("pg-stop", "--fast"), stopCommand.argv.subList(0, 2));
    assertFalse(
        stopCommand.env.containsKey(ProcessControl.MARKER),
        "the stopCommand is not one of its own");
    assertEquals(List.of(), main.signals, "no signal while the stopCommand has its time");
    stopCommand.print("stopping the server\n");
    stopCommand.exit(0);
    f.advance(Duration.ofMillis(2999));
    assertEquals(STOPPING, p.status().state());
    f.advance(Duration.ofMillis(1));
    assertEquals(List.of(Signal.TERM, Signal.KILL), main.signals);
    assertTrue(stopped.isDone());
    assertEquals(
        List.of(
            "svc: started (pid 1001)",
            "svc: stopping (running stopCommand)",
            "svc| stopping the server",
            "svc: still running 3.0s after stopCommand; sending SIGTERM",
            "svc: stopped (killed by SIGTERM)"),
        lines());
  }

  @Test
  void aStopCommandThatStopsTheProcessMeansNoSignalAndFailingItIsSaid() throws Exception {
    ProcessSupervisor p = svc("stopCommand: pg-stop", "stopTimeout: 3s");
    p.start();
    FakeChild main = child();
    p.stop();
    child().exit(2);
    main.exit(0);
    assertEquals(List.of(STARTING, RUNNING, READY, STOPPING, STOPPED), states());
    assertEquals(
        List.of(
            "svc: started (pid 1001)",
            "svc: stopping (running stopCommand)",
            "svc: stopCommand exited with code 2",
            "svc: stopped (exited with code 0)"),
        lines());
    f.advance(Duration.ofSeconds(10));
    assertEquals(List.of(Signal.KILL), main.signals, "only the group's SIGKILL after its exit");
  }

  @Test
  void restartWhileStoppingStartsOnceTheStopEnds() throws Exception {
    ProcessSupervisor p = svc("stopTimeout: 2s");
    p.start();
    child().ignoring(Signal.TERM);
    CompletableFuture<Void> stop = p.stop();
    p.restart();
    assertEquals(List.of(STARTING, RUNNING, READY, STOPPING), states());
    f.advance(Duration.ofSeconds(2));
    assertEquals(
        List.of(STARTING, RUNNING, READY, STOPPING, STOPPED, STARTING, RUNNING, READY), states());
    assertTrue(stop.isDone());
    assertEquals(1, p.status().restarts());
    assertEquals(2, f.control.started.size());
  }

  @Test
  void stoppedToStartingByHandIsAStartNotARestart() throws Exception {
    ProcessSupervisor p = svc();
    p.start();
    p.stop();
    p.start();
    assertEquals(
        List.of(STARTING, RUNNING, READY, STOPPING, STOPPED, STARTING, RUNNING, READY), states());
    assertEquals(0, p.status().restarts(), "a person's start after a stop is not a restart");
    p.restart();
    assertEquals(1, p.status().restarts(), "a person's restart is one");
    child().exit(1);
    f.advance(Duration.ofSeconds(1));
    assertEquals(2, p.status().restarts(), "and so is pmj's after a crash");
    p.stop();
    p.start();
    assertEquals(2, p.status().restarts());
  }

  @Test
  void aStartAskedForWhileStoppingIsNotARestartEither() throws Exception {
    ProcessSupervisor p = svc("stopTimeout: 2s");
    p.start();
    child().ignoring(Signal.TERM);
    p.stop();
    p.start();
    f.advance(Duration.ofSeconds(2));
    assertEquals(READY, p.status().state());
    assertEquals(0, p.status().restarts());
  }

  // ---- exits, backoff, retries ----

  @Test
  void readyToExitedToBackoffThenBackoffToStartingWhenTheDelayHasPassed() throws Exception {
    ProcessSupervisor p = svc("backoff: 1s");
    p.start();
    child().exit(3);
    assertEquals(List.of(STARTING, RUNNING, READY, EXITED, BACKOFF), states());
    assertTrue(p.status().willRestart());
    assertEquals(List.of(Duration.ofSeconds(1)), f.timers.pending());
    f.advance(Duration.ofMillis(999));
    assertEquals(BACKOFF, p.status().state());
    f.advance(Duration.ofMillis(1));
    assertEquals(
        List.of(STARTING, RUNNING, READY, EXITED, BACKOFF, STARTING, RUNNING, READY), states());
    assertEquals(
        List.of(
            "svc: started (pid 1001)",
            "svc: exited with code 3",
            "svc: restarting in 1s (retry 1)",
            "svc: started (pid 1002)"),
        lines());
    assertEquals(1, p.status().restarts());
  }

  @Test
  void exitedToFailedWhenMaxRetriesIsReached() throws Exception {
    ProcessSupervisor p = svc("backoff: 10ms", "maxRetries: 1");
    p.start();
    child().exit(1);
    f.advance(Duration.ofMillis(10));
    child().exit(1);
    assertEquals(
        List.of(
            STARTING, RUNNING, READY, EXITED, BACKOFF, STARTING, RUNNING, READY, EXITED, FAILED),
        states());
    assertEquals(
        List.of(
            "svc: started (pid 1001)",
            "svc: exited with code 1",
            "svc: restarting in 10ms (retry 1 of 1)",
            "svc: started (pid 1002)",
            "svc: exited with code 1",
            "svc: failed: exited with code 1 after 1 retry"),
        lines());
    assertEquals(1, p.status().restarts());
    assertEquals(List.of(), f.timers.pending());
  }

  @Test
  void maxRetriesCountsRetriesTheFailureAfterTheLastIsFailedAndSaysWhy() throws Exception {
    ProcessSupervisor p = svc("backoff: 1s", "maxRetries: 3");
    p.start();
    for (int retry = 1; retry <= 3; retry++) {
      child().exit(3);
      assertEquals(BACKOFF, p.status().state());
      String why = "exited with code 3, restarting in " + (1 << (retry - 1)) + "s";
      assertEquals(why + " (retry " + retry + " of 3)", p.status().message(), "pmj ps's reason");
      f.advance(Duration.ofSeconds(1L << (retry - 1)));
      assertEquals(READY, p.status().state());
    }
    child().exit(3);
    assertEquals(FAILED, p.status().state());
    assertEquals("exited with code 3 after 3 retries", p.status().message());
    assertEquals(3, p.status().restarts(), "the first start and 3 retries");
    assertEquals(4, f.control.started.size());
    assertEquals(List.of(), f.timers.pending());
    assertEquals(
        List.of(
            "svc: restarting in 1s (retry 1 of 3)",
            "svc: restarting in 2s (retry 2 of 3)",
            "svc: restarting in 4s (retry 3 of 3)",
            "svc: failed: exited with code 3 after 3 retries"),
        lines().stream().filter(l -> l.contains("restarting") || l.contains("failed")).toList());
  }

  @Test
  void aCleanExitUnderAlwaysIsAnExitNotAFailureAndTheDelayStillGrows() throws Exception {
    ProcessSupervisor p = svc("backoff: 1s", "maxRetries: 1");
    p.start();
    child().exit(0);
    assertEquals(BACKOFF, p.status().state());
    assertEquals("exited with code 0, restarting in 1s", p.status().message());
    f.advance(Duration.ofSeconds(1));
    child().exit(0);
    f.advance(Duration.ofSeconds(2));
    child().exit(0);
    assertEquals(BACKOFF, p.status().state(), "clean exits use no retry: never failed");
    f.advance(Duration.ofSeconds(4));
    child().exit(1); // a failure after clean exits: retry 1, and the delay goes on growing
    f.advance(Duration.ofSeconds(8));
    child().exit(1);
    assertEquals(FAILED, p.status().state());
    assertEquals(
        List.of(
            "svc: started (pid 1001)",
            "svc: exited with code 0",
            "svc: restarting in 1s",
            "svc: started (pid 1002)",
            "svc: exited with code 0",
            "svc: restarting in 2s",
            "svc: started (pid 1003)",
            "svc: exited with code 0",
            "svc: restarting in 4s",
            "svc: started (pid 1004)",
            "svc: exited with code 1",
            "svc: restarting in 8s (retry 1 of 1)",
            "svc: started (pid 1005)",
            "svc: exited with code 1",
            "svc: failed: exited with code 1 after 1 retry"),
        lines());
    assertEquals(4, p.status().restarts());
  }

  @Test
  void theBackoffDoublesUpToBackoffMaxAndARunOfHealthyAfterResetsIt() throws Exception {
    ProcessSupervisor p = svc("backoff: 1s", "backoffMax: 3s", "healthyAfter: 10s");
    p.start();
    child().exit(1); // failure 1: 1 s
    f.advance(Duration.ofSeconds(1));
    child().exit(1); // failure 2: 2 s
    f.advance(Duration.ofSeconds(2));
    child().exit(1); // failure 3: 4 s, capped at 3 s
    f.advance(Duration.ofSeconds(3));
    f.advance(Duration.ofMillis(9999));
    child().exit(1); // ran just short of healthyAfter: failure 4
    f.advance(Duration.ofSeconds(3));
    f.advance(Duration.ofSeconds(10));
    child().exit(1); // ran healthyAfter: the earlier failures no longer count
    List<String> restarting =
        lines().stream().filter(l -> l.startsWith("svc: restarting")).toList();
    assertEquals(
        List.of(
            "svc: restarting in 1s (retry 1)",
            "svc: restarting in 2s (retry 2)",
            "svc: restarting in 3s (retry 3)",
            "svc: restarting in 3s (retry 4)",
            "svc: restarting in 1s (retry 1)"),
        restarting);
    assertEquals(List.of(Duration.ofSeconds(1)), f.timers.pending());
  }

  @Test
  void backoffToStoppedWhenStoppedDuringBackoffAndTheRestartNeverComes() throws Exception {
    ProcessSupervisor p = svc("backoff: 1s");
    p.start();
    child().exit(1);
    CompletableFuture<Void> stopped = p.stop();
    assertTrue(stopped.isDone());
    assertEquals(List.of(STARTING, RUNNING, READY, EXITED, BACKOFF, STOPPED), states());
    assertEquals(List.of(), f.timers.pending());
    f.advance(Duration.ofHours(1));
    assertEquals(STOPPED, p.status().state());
    assertEquals(1, f.control.started.size());
  }

  @Test
  void exitedStaysUnderRestartNeverThenExitedToStartingByHand() throws Exception {
    ProcessSupervisor p = svc("restart: never");
    p.start();
    child().exit(0);
    assertEquals(List.of(STARTING, RUNNING, READY, EXITED), states());
    assertFalse(p.status().willRestart());
    assertEquals(List.of(), f.timers.pending());
    p.start();
    assertEquals(List.of(STARTING, RUNNING, READY, EXITED, STARTING, RUNNING, READY), states());
  }

  @Test
  void exitedToStoppedWhenStopped() throws Exception {
    ProcessSupervisor p = svc("restart: on-failure");
    p.start();
    child().exit(0);
    assertTrue(p.stop().isDone());
    assertEquals(List.of(STARTING, RUNNING, READY, EXITED, STOPPED), states());
    assertEquals(
        List.of("svc: started (pid 1001)", "svc: exited with code 0"),
        lines(),
        "a stop of what is not running has no line");
  }

  @Test
  void aRestartByHandIsImmediateAndResetsTheFailureCount() throws Exception {
    ProcessSupervisor p = svc("backoff: 1s");
    p.start();
    child().exit(1);
    f.advance(Duration.ofSeconds(1));
    child().exit(1);
    f.advance(Duration.ofSeconds(2));
    int mark = lines().size();
    p.restart();
    assertEquals(
        List.of(STOPPING, STOPPED, STARTING, RUNNING, READY),
        states().subList(states().size() - 5, states().size()));
    assertEquals(3, p.status().restarts());
    child().exit(1);
    assertEquals(
        List.of(
            "svc: stopping (sending SIGTERM)",
            "svc: stopped (killed by SIGTERM)",
            "svc: started (pid 1004)",
            "svc: exited with code 1",
            "svc: restarting in 1s (retry 1)"),
        f.linesSince(mark));
  }

  @Test
  void aRestartByHandDuringBackoffStartsAtOnce() throws Exception {
    ProcessSupervisor p = svc("backoff: 10s");
    p.start();
    child().exit(1);
    p.restart();
    assertEquals(
        List.of(STARTING, RUNNING, READY, EXITED, BACKOFF, STARTING, RUNNING, READY), states());
    assertEquals(List.of(), f.timers.pending(), "the backoff timer was cancelled");
  }

  // ---- file changes (devMode) ----

  @Test
  void aFileChangeRestartsAtOnceAndSaysWhichFile() throws Exception {
    ProcessSupervisor p = svc();
    p.start();
    p.restartForChange("src/app.py changed (+12 more)");
    assertEquals(
        List.of(STARTING, RUNNING, READY, STOPPING, STOPPED, STARTING, RUNNING, READY), states());
    assertEquals(
        List.of(
            "svc: started (pid 1001)",
            "svc: restarting: src/app.py changed (+12 more)",
            "svc: stopping (sending SIGTERM)",
            "svc: stopped (killed by SIGTERM)",
            "svc: started (pid 1002)"),
        lines());
  }

  @Test
  void changesDuringARestartCauseExactlyOneMoreRestartOnceItIsUp() throws Exception {
    ProcessSupervisor p = svc("stopTimeout: 1s");
    p.start();
    child().ignoring(Signal.TERM);
    p.restartForChange("a changed");
    assertEquals(STOPPING, p.status().state());
    p.restartForChange("b changed");
    p.restartForChange("c changed");
    p.restartForChange("d changed");
    f.advance(Duration.ofSeconds(1));
    assertEquals(
        List.of(
            STARTING, RUNNING, READY, STOPPING, STOPPED, STARTING, RUNNING, READY, STOPPING,
            STOPPED, STARTING, RUNNING, READY),
        states());
    f.advance(Duration.ofHours(1));
    assertEquals(13, states().size(), "no third restart");
    assertEquals(2, p.status().restarts());
    assertEquals(
        1,
        lines().stream()
            .filter(l -> l.equals("svc: restarting: files changed while it was restarting"))
            .count());
  }

  @Test
  void aFileChangeDuringBackoffStartsAtOnceAndOneAfterAStopByHandDoesNothing() throws Exception {
    ProcessSupervisor p = svc("backoff: 10s");
    p.start();
    child().exit(1);
    p.restartForChange("a.py changed");
    assertEquals(
        List.of(STARTING, RUNNING, READY, EXITED, BACKOFF, STARTING, RUNNING, READY), states());
    assertTrue(lines().contains("svc: starting: a.py changed"));
    assertEquals(List.of(), f.timers.pending());
    p.stop();
    p.restartForChange("b.py changed");
    assertEquals(STOPPED, p.status().state());
    assertEquals(2, f.control.started.size());
  }

  // ---- maxMemory: a stop that counts as a failure ----

  @Test
  void stoppedToBackoffWhenStoppedForUsingTooMuchMemory() throws Exception {
    ProcessSupervisor p = svc("maxMemory: 100MB", "backoff: 1s");
    p.start();
    p.memorySample(1001, 200L << 20);
    assertEquals(READY, p.status().state(), "one sample above is not enough");
    p.memorySample(1001, 200L << 20);
    assertEquals(List.of(STARTING, RUNNING, READY, STOPPING, STOPPED, BACKOFF), states());
    assertEquals(
        List.of(
            "svc: started (pid 1001)",
            "svc: using 200.0 MB of memory, above maxMemory (100.0 MB) for two samples in a row;"
                + " restarting it",
            "svc: stopping (sending SIGTERM)",
            "svc: stopped (killed by SIGTERM)",
            "svc: restarting in 1s (retry 1)"),
        lines());
    f.advance(Duration.ofSeconds(1));
    assertEquals(READY, p.status().state());
  }

  @Test
  void stoppedToFailedWhenTheMemoryStopUsesUpMaxRetries() throws Exception {
    ProcessSupervisor p = svc("maxMemory: 100MB", "maxRetries: 0");
    p.start();
    p.memorySample(1001, 200L << 20);
    p.memorySample(1001, 50L << 20);
    p.memorySample(1001, 200L << 20);
    assertEquals(READY, p.status().state(), "two samples in a row, not two in all");
    p.memorySample(1001, 200L << 20);
    assertEquals(List.of(STARTING, RUNNING, READY, STOPPING, STOPPED, FAILED), states());
    assertEquals(
        "svc: failed: above maxMemory (100.0 MB); not restarted (maxRetries: 0)",
        lines().get(lines().size() - 1));
  }

  // ---- daemon: true ----

  private static Marked daemon(long pid) {
    return new Marked(pid, pid, 7, "postgres", "svc");
  }

  @Test
  void aDaemonThatStartedIsFollowedAndItsEndIsAFailure() throws Exception {
    ProcessSupervisor p = svc("daemon: true", "backoff: 1s");
    p.start();
    f.control.marked = Map.of("svc", List.of(daemon(2001)));
    child().exit(0);
    assertEquals(List.of(STARTING, RUNNING, READY), states(), "the run goes on with its daemon");
    assertEquals(2001, p.status().pid());
    assertEquals(List.of(), child().signals, "the group is left alone: the daemon may be in it");
    f.advance(Duration.ofSeconds(1));
    assertEquals(READY, p.status().state());
    f.control.marked = Map.of();
    f.advance(Duration.ofSeconds(1));
    assertEquals(List.of(STARTING, RUNNING, READY, EXITED, BACKOFF), states());
    assertEquals(
        List.of(
            "svc: started (pid 1001)",
            "svc: daemon running (pid 2001 postgres)",
            "svc: its daemon ended (pid 2001 postgres)",
            "svc: restarting in 1s (retry 1)"),
        lines());
  }

  @Test
  void aDaemonIsStoppedThroughItsMarkedProcesses() throws Exception {
    ProcessSupervisor p = svc("daemon: true", "stopTimeout: 5s");
    p.start();
    f.control.marked = Map.of("svc", List.of(daemon(2001)));
    child().exit(0);
    CompletableFuture<Void> stopped = p.stop();
    assertEquals(List.of("2001 TERM"), f.control.markedSignals);
    assertEquals(STOPPING, p.status().state());
    f.control.marked = Map.of();
    f.advance(Sweep.POLL);
    assertTrue(stopped.isDone());
    assertEquals(List.of(STARTING, RUNNING, READY, STOPPING, STOPPED), states());
    assertEquals("svc: stopped (its daemon stopped)", lines().get(lines().size() - 1));
  }

  @Test
  void aDaemonStarterThatExits0AndLeavesNoDaemonHasExited() throws Exception {
    ProcessSupervisor p = svc("daemon: true", "restart: on-failure");
    p.start();
    child().exit(0);
    assertEquals(List.of(STARTING, RUNNING, READY, EXITED), states());
    assertEquals(
        "svc: exited with code 0 and left no daemon running", lines().get(lines().size() - 1));
  }

  @Test
  void aDaemonPmjCannotFindFailsRatherThanStartASecondOne() throws Exception {
    ProcessSupervisor p = svc("daemon: true");
    f.control.findsMarked = false;
    p.start();
    child().exit(0);
    assertEquals(List.of(STARTING, RUNNING, READY, EXITED, FAILED), states());
    assertTrue(
        lines().get(lines().size() - 1).startsWith("svc: failed: daemon: true needs to find"),
        lines().toString());
    assertEquals(List.of(), f.timers.pending());
  }

  @Test
  void aDaemonStarterThatFailsIsACrashLikeAnyOther() throws Exception {
    ProcessSupervisor p = svc("daemon: true", "backoff: 1s");
    p.start();
    child().exit(1);
    assertEquals(List.of(STARTING, RUNNING, READY, EXITED, BACKOFF), states());
    assertEquals(List.of(Signal.KILL), child().signals, "its group goes with it");
  }

  // ---- processes that left the group ----

  @Test
  void processesThatLeftTheGroupAreStoppedWithItAndNamed() throws Exception {
    ProcessSupervisor p = svc("stopTimeout: 5s");
    p.start();
    child().ignoring(Signal.TERM);
    f.control.marked = Map.of("svc", List.of(new Marked(3001, 3001, 9, "worker", "svc")));
    CompletableFuture<Void> stopped = p.stop();
    assertEquals(List.of("3001 TERM"), f.control.markedSignals, "the signal reaches it too");
    f.control.marked = Map.of();
    child().exit(143);
    assertTrue(stopped.isDone());
    assertEquals(
        List.of(
            "svc: started (pid 1001)",
            "svc: stopping (sending SIGTERM)",
            "svc: stopped 1 process that had left its process group: 3001 worker",
            "svc: stopped (killed by SIGTERM)"),
        lines());
  }
}
