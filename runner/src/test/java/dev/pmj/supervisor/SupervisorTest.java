package dev.pmj.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.config.Project;
import dev.pmj.os.ProcessControl;
import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Leftovers;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor in-process with real processes, observed the way every view observes it: through
 * the event stream. What the state machine decides is tested on fakes, without processes or time
 * ({@link ProcessStateMachineTest}, {@link SupervisorDependenciesTest}); these few show that the
 * real OS, pipes, signals and timers drive it the same way.
 */
class SupervisorTest {
  @TempDir Path dir;
  private final String tag = "pmj-test-" + UUID.randomUUID();
  private final LinkedBlockingQueue<ProcessEvent> seen = new LinkedBlockingQueue<>();

  @AfterEach
  void nothingLeft() {
    Leftovers.assertNoneLeft(tag);
  }

  private Project load(String yaml) throws Exception {
    return Fixtures.project(dir, System.getenv(), yaml);
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

  /**
   * The events seen until one that {@code last} accepts (included), waiting up to 20 s: the one
   * wait of these tests.
   */
  private List<ProcessEvent> eventsUntil(Predicate<ProcessEvent> last, String what)
      throws InterruptedException {
    List<ProcessEvent> events = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      ProcessEvent e = seen.poll(100, TimeUnit.MILLISECONDS);
      if (e == null) continue;
      events.add(e);
      if (last.test(e)) return events;
    }
    throw new AssertionError("no " + what + "; saw " + events);
  }

  /** The states {@code id} goes through until it reaches {@code last}. */
  private List<ProcessState> statesUntil(String id, ProcessState last) throws InterruptedException {
    List<ProcessState> states = new ArrayList<>();
    for (ProcessEvent e :
        eventsUntil(
            e -> e instanceof ProcessEvent.StateChanged c && c.id().equals(id) && c.to() == last,
            last + " for " + id)) {
      if (e instanceof ProcessEvent.StateChanged c && c.id().equals(id)) states.add(c.to());
    }
    return states;
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
            # ready once its trap is set, so the TERM of the shutdown is surely ignored
            readiness:
              logLine: ignoring TERM
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
      for (ProcessEvent e :
          eventsUntil(
              e ->
                  e instanceof ProcessEvent.StateChanged c
                      && c.id().equals("db")
                      && c.to() == ProcessState.STOPPED,
              "db STOPPED")) {
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
}
