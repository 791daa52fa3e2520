package dev.pmj.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.config.ConfigLoader;
import dev.pmj.config.LoadResult;
import dev.pmj.config.Project;
import dev.pmj.os.ProcessControl;
import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Leftovers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor in-process, observed the way every view observes it: through the event stream. */
class SupervisorTest {
  @TempDir Path dir;
  private final String tag = "pmj-test-" + UUID.randomUUID();
  private final LinkedBlockingQueue<ProcessEvent> seen = new LinkedBlockingQueue<>();

  @AfterEach
  void nothingLeft() {
    List<String> left = Leftovers.awaitNone(tag, Duration.ofSeconds(10));
    Leftovers.killAll(tag);
    assertEquals(List.of(), left);
  }

  private Project load(String yaml) throws Exception {
    Path f = Fixtures.writeConfig(dir, yaml);
    LoadResult r = new ConfigLoader(System.getenv(), dir, false).load(f);
    assertEquals(List.of(), r.problems());
    return r.project();
  }

  private Supervisor supervisor(Project p, ProcessControl control, EventStream events) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("PMJ_TEST_TAG", tag);
    List<String> ids = new ArrayList<>();
    p.processes().forEach(s -> ids.add(s.id()));
    Supervisor s =
        new Supervisor(
            p, ids, new Supervisor.Options(env, false), control, events, Clock.systemUTC());
    events.subscribe("test", seen::add, EventStream.Delivery.LOSSLESS, 1024);
    return s;
  }

  /** The states {@code id} goes through until it reaches {@code last}. */
  private List<ProcessState> statesUntil(String id, ProcessState last) throws InterruptedException {
    List<ProcessState> states = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      ProcessEvent e = seen.poll(100, TimeUnit.MILLISECONDS);
      if (e instanceof ProcessEvent.StateChanged c && c.id().equals(id)) {
        states.add(c.to());
        if (c.to() == last) return states;
      }
    }
    throw new AssertionError("no " + last + " for " + id + "; saw " + states);
  }

  @Test
  void aNewSubscriberSeesASnapshotThenEveryTransitionOfALifecycle() throws Exception {
    Project p =
        load(
            """
        processes:
          svc:
            command: python3 @TESTDATA@/echo.py hi
            readiness:
              logLine: ^hi$
        """);
    try (ProcessControl control = ProcessControl.create();
        Supervisor s = supervisor(p, control, new EventStream())) {
      ProcessEvent first = seen.poll(5, TimeUnit.SECONDS);
      assertTrue(
          first instanceof ProcessEvent.Snapshot snap
              && snap.processes().get(0).state() == ProcessState.PENDING);
      s.up();
      assertEquals(
          List.of(ProcessState.STARTING, ProcessState.RUNNING, ProcessState.READY),
          statesUntil("svc", ProcessState.READY));
      s.shutdown().get(20, TimeUnit.SECONDS);
      assertEquals(
          List.of(ProcessState.STOPPING, ProcessState.STOPPED),
          statesUntil("svc", ProcessState.STOPPED));
    }
  }

  @Test
  void aShutdownStopsDependentsFirstAndWhatIsUnrelatedAtOnce() throws Exception {
    // api ignores TERM: its stop takes its stopTimeout. db waits for it; other does not.
    Project p =
        load(
            """
        processes:
          db:
            command: sleep 1000
          api:
            command: sh @TESTDATA@/ignore_term.sh
            dependsOn: {db: started}
            stopTimeout: 5s
          other:
            command: sleep 1000
        """);
    try (ProcessControl control = ProcessControl.create();
        Supervisor s = supervisor(p, control, new EventStream())) {
      s.up();
      statesUntil("api", ProcessState.READY);
      seen.clear();
      s.shutdown().get(20, TimeUnit.SECONDS);
      List<String> order = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!order.contains("db STOPPED") && System.nanoTime() < deadline) {
        ProcessEvent e = seen.poll(100, TimeUnit.MILLISECONDS);
        if (e instanceof ProcessEvent.StateChanged c) order.add(c.id() + " " + c.to());
      }
      assertTrue(
          order.indexOf("api STOPPED") < order.indexOf("db STOPPING"),
          "db stopped before api: " + order);
      assertTrue(
          order.indexOf("other STOPPED") >= 0
              && order.indexOf("other STOPPED") < order.indexOf("api STOPPED"),
          "other waited for api: " + order);
    }
  }

  @Test
  void aCrashGoesThroughExitedAndBackoffThenFailedAfterMaxRetries() throws Exception {
    Project p =
        load(
            """
        processes:
          crash:
            command: python3 @TESTDATA@/crash.py
            backoff: 10ms
            maxRetries: 1
        """);
    try (ProcessControl control = ProcessControl.create();
        Supervisor s = supervisor(p, control, new EventStream())) {
      s.up();
      assertEquals(
          List.of(
              ProcessState.STARTING,
              ProcessState.RUNNING,
              ProcessState.READY,
              ProcessState.EXITED,
              ProcessState.BACKOFF,
              ProcessState.STARTING,
              ProcessState.RUNNING,
              ProcessState.READY,
              ProcessState.EXITED,
              ProcessState.FAILED),
          statesUntil("crash", ProcessState.FAILED));
      assertEquals(new Supervisor.Outcome(true), s.finished().get(20, TimeUnit.SECONDS));
      assertEquals(1, s.snapshot().get(0).restarts());
    }
  }

  @Test
  void aRestartByHandIsImmediateAndResetsTheFailureCount() throws Exception {
    Project p =
        load(
            """
        processes:
          svc:
            command: python3 @TESTDATA@/echo.py hi
        """);
    try (ProcessControl control = ProcessControl.create();
        Supervisor s = supervisor(p, control, new EventStream())) {
      s.up();
      statesUntil("svc", ProcessState.READY);
      s.restart("svc");
      assertEquals(
          List.of(
              ProcessState.STOPPING,
              ProcessState.STOPPED,
              ProcessState.STARTING,
              ProcessState.RUNNING,
              ProcessState.READY),
          statesUntil("svc", ProcessState.READY));
      assertEquals(1, s.snapshot().get(0).restarts());
      s.shutdown().get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFileChangeRestartsAtOnceAndSaysWhichFile() throws Exception {
    Project p =
        load(
            """
        processes:
          svc:
            command: python3 @TESTDATA@/echo.py hi
        """);
    try (ProcessControl control = ProcessControl.create();
        Supervisor s = supervisor(p, control, new EventStream())) {
      s.up();
      statesUntil("svc", ProcessState.READY);
      s.restartForChange("svc", "src/app.py changed (+12 more)");
      List<Object> seenNow = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        ProcessEvent e = seen.poll(100, TimeUnit.MILLISECONDS);
        if (e instanceof ProcessEvent.Notice n) seenNow.add(n.text());
        if (e instanceof ProcessEvent.StateChanged c) seenNow.add(c.to());
        if (e instanceof ProcessEvent.StateChanged c && c.to() == ProcessState.READY) break;
      }
      assertEquals(
          List.of(
              "restarting: src/app.py changed (+12 more)",
              ProcessState.STOPPING,
              ProcessState.STOPPED,
              ProcessState.STARTING,
              ProcessState.RUNNING,
              ProcessState.READY),
          seenNow);
      s.shutdown().get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void changesDuringARestartCauseExactlyOneMoreRestartOnceItIsUp() throws Exception {
    Project p =
        load(
            """
        processes:
          slow:
            command: sh @TESTDATA@/ignore_term.sh
            stopTimeout: 1s
        """);
    try (ProcessControl control = ProcessControl.create();
        Supervisor s = supervisor(p, control, new EventStream())) {
      s.up();
      statesUntil("slow", ProcessState.READY);
      s.restartForChange("slow", "a changed");
      assertEquals(List.of(ProcessState.STOPPING), statesUntil("slow", ProcessState.STOPPING));
      // It ignores SIGTERM, so it stays stopping for 1 s: three more changes arrive meanwhile.
      s.restartForChange("slow", "b changed");
      s.restartForChange("slow", "c changed");
      s.restartForChange("slow", "d changed");
      assertEquals(
          List.of(
              ProcessState.STOPPED,
              ProcessState.STARTING,
              ProcessState.RUNNING,
              ProcessState.READY,
              ProcessState.STOPPING,
              ProcessState.STOPPED,
              ProcessState.STARTING,
              ProcessState.RUNNING,
              ProcessState.READY),
          statesUntilSecondReady("slow"));
      // No third restart follows: a bounded quiet period after the positive event above.
      long quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
      while (System.nanoTime() < quietUntil) {
        ProcessEvent e = seen.poll(100, TimeUnit.MILLISECONDS);
        if (e instanceof ProcessEvent.StateChanged c)
          throw new AssertionError("unexpected " + c.to());
      }
      assertEquals(2, s.snapshot().get(0).restarts());
      s.kill();
      s.shutdown().get(20, TimeUnit.SECONDS);
    }
  }

  private List<ProcessState> statesUntilSecondReady(String id) throws InterruptedException {
    List<ProcessState> states = new ArrayList<>(statesUntil(id, ProcessState.READY));
    states.addAll(statesUntil(id, ProcessState.READY));
    return states;
  }

  @Test
  void restartDependentsRestartsWhatDependsOnItOnceItIsReadyAgain() throws Exception {
    Project p =
        load(
            """
        processes:
          db:
            command: python3 @TESTDATA@/echo.py db
            restartDependents: true
          api:
            command: python3 @TESTDATA@/echo.py api
            dependsOn: {db: ready}
          other:
            command: python3 @TESTDATA@/echo.py other
        """);
    try (ProcessControl control = ProcessControl.create();
        Supervisor s = supervisor(p, control, new EventStream())) {
      s.up();
      statesUntil("api", ProcessState.READY);
      s.restart("db");
      statesUntil("api", ProcessState.STOPPED);
      statesUntil("api", ProcessState.READY);
      List<ProcessStatus> snap = s.snapshot();
      assertEquals(1, snap.get(0).restarts());
      assertEquals(1, snap.get(1).restarts());
      assertEquals(0, snap.get(2).restarts());
      s.shutdown().get(20, TimeUnit.SECONDS);
    }
  }
}
