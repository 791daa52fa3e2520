package dev.pmj.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor's dependency handling on fakes (see {@link Fakes}): what starts when, what can
 * never start and what pmj says about it, and how {@code up} ends. No process, no sleep.
 */
class SupervisorDependenciesTest {
  @TempDir Path dir;

  private static final String DB_AND_API =
      """
      processes:
        db:
          command: database
          readiness:
            logLine: ^accepting connections
        api:
          command: server
          dependsOn: {db: ready}
      """;

  private static ProcessState state(Supervisor s, String id) {
    return s.status(id).state();
  }

  @Test
  void aDependentStartsOnceItsDependencyIsReady() throws Exception {
    Fakes f = new Fakes(dir);
    try (Supervisor s = f.supervisor(DB_AND_API)) {
      s.up();
      assertEquals(ProcessState.RUNNING, state(s, "db"));
      assertEquals(ProcessState.PENDING, state(s, "api"));
      assertFalse(s.settled().isDone(), "api has not started yet");
      f.control.byPid(1001).print("accepting connections\n");
      assertEquals(ProcessState.READY, state(s, "db"));
      assertEquals(ProcessState.READY, state(s, "api"));
      assertTrue(s.settled().isDone());
      assertFalse(s.finished().isDone());
      CompletableFuture<Void> down = s.shutdown();
      assertTrue(down.isDone());
      assertEquals(
          List.of(
              "db: started (pid 1001)",
              "db| accepting connections",
              "db: ready (log line matched)",
              "api: started (pid 1002)",
              "api: stopping (sending SIGTERM)",
              "api: stopped (killed by SIGTERM)",
              "db: stopping (sending SIGTERM)",
              "db: stopped (killed by SIGTERM)"),
          f.lines(),
          "api stops before what it depends on");
      assertEquals(List.of(), f.errors);
    }
  }

  @Test
  void aDependencyThatFailsLeavesItsDependentNotStartedAndSaysWhy() throws Exception {
    Fakes f = new Fakes(dir);
    try (Supervisor s = f.supervisor(DB_AND_API)) {
      f.control.failNextStart("No such file or directory");
      s.up();
      assertEquals(ProcessState.FAILED, state(s, "db"));
      assertEquals(ProcessState.PENDING, state(s, "api"));
      assertEquals(
          List.of(
              "db: failed: cannot start: No such file or directory",
              "api: not started: dependency db failed (cannot start: No such file or directory)"),
          f.lines());
      assertEquals(List.of(), f.control.started, "api was never tried, and db could not start");
      assertEquals(
          "db failed: cannot start: No such file or directory", s.firstFailure().getNow(null));
      assertTrue(s.settled().isDone());
      assertEquals(new Supervisor.Outcome(true), s.finished().getNow(null));
    }
  }

  @Test
  void aDependencyThatExitsBeforeReadyBlocksItsDependentUntilItIsReadyAfterAll() throws Exception {
    Fakes f = new Fakes(dir);
    try (Supervisor s =
        f.supervisor(
            """
            processes:
              db:
                command: database
                restart: never
                readiness:
                  logLine: ^accepting connections
              api:
                command: server
                dependsOn: {db: ready}
            """)) {
      s.up();
      f.control.byPid(1001).exit(1);
      assertEquals(
          List.of(
              "db: started (pid 1001)",
              "db: exited with code 1",
              "api: not started: dependency db exited with code 1 before it was ready"),
          f.lines());
      assertEquals(new Supervisor.Outcome(true), s.finished().getNow(null));
      s.start("db");
      f.control.byPid(1002).print("accepting connections\n");
      assertEquals(ProcessState.READY, state(s, "api"));
      assertTrue(f.lines().contains("api: dependencies satisfied now; starting"));
    }
  }

  @Test
  void aCrashThatUsesUpMaxRetriesEndsUpWithAFailure() throws Exception {
    Fakes f = new Fakes(dir);
    try (Supervisor s =
        f.supervisor(
            """
            processes:
              crash:
                command: crasher
                backoff: 10ms
                maxRetries: 1
            """)) {
      s.up();
      f.control.last().exit(1);
      assertFalse(s.finished().isDone(), "it will restart");
      f.timers.advance(Duration.ofMillis(10));
      f.control.last().exit(1);
      assertEquals(ProcessState.FAILED, state(s, "crash"));
      assertEquals(1, s.status("crash").restarts());
      assertEquals(new Supervisor.Outcome(true), s.finished().getNow(null));
    }
  }

  @Test
  void restartDependentsRestartsWhatDependsOnItOnceItIsReadyAgain() throws Exception {
    Fakes f = new Fakes(dir);
    try (Supervisor s =
        f.supervisor(
            """
            processes:
              db:
                command: database
                restartDependents: true
                readiness:
                  logLine: ^up
              api:
                command: server
                dependsOn: {db: ready}
              other:
                command: other
            """)) {
      s.up();
      f.control.byPid(1001).print("up\n");
      assertEquals(ProcessState.READY, state(s, "api"));
      int mark = f.lines().size();
      s.restart("db");
      assertEquals(ProcessState.READY, state(s, "api"), "api waits for db to be ready again");
      assertEquals(0, s.status("api").restarts());
      f.control.last().print("up\n");
      assertEquals(
          List.of(
              "db: stopping (sending SIGTERM)",
              "db: stopped (killed by SIGTERM)",
              "db: started (pid 1004)",
              "db| up",
              "db: ready (log line matched)",
              "api: restarting: its dependency db restarted",
              "api: stopping (sending SIGTERM)",
              "api: stopped (killed by SIGTERM)",
              "api: started (pid 1005)"),
          f.linesSince(mark));
      assertEquals(1, s.status("db").restarts());
      assertEquals(1, s.status("api").restarts());
      assertEquals(0, s.status("other").restarts());
    }
  }
}
