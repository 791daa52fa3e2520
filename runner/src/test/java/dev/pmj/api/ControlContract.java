package dev.pmj.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.supervisor.Control;
import dev.pmj.supervisor.ControlException;
import dev.pmj.supervisor.EventStream;
import dev.pmj.supervisor.LogStore;
import dev.pmj.supervisor.ProcessEvent;
import dev.pmj.supervisor.ProcessInfo;
import dev.pmj.supervisor.ProcessState;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every {@link Control} does, in the process and over HTTP alike: each implementation runs
 * this same suite against real processes.
 */
abstract class ControlContract {
  static final String YAML =
      """
      processes:
        ticker:
          command: python3 @TESTDATA@/ticker.py 0.05
        quiet:
          command: python3 @TESTDATA@/echo.py quiet here
        gated:
          command: sh -c 'echo starting; sleep 0.3; echo now ready; exec sleep 1000'
          readiness:
            logLine: now ready
        later:
          command: python3 @TESTDATA@/echo.py later
          autostart: false
      """;

  @RegisterExtension
  final RunningApi api = RunningApi.of(YAML).withoutServer().ready("gated", "quiet");

  Stack stack;
  Control control;

  /** The control under test, for a running stack. */
  abstract Control control(Stack stack) throws Exception;

  @BeforeEach
  void start() throws Exception {
    stack = api.stack();
    control = control(stack);
  }

  private ProcessInfo awaitInfo(String id, java.util.function.Predicate<ProcessInfo> test)
      throws InterruptedException {
    return stack.until(() -> control.process(id), test);
  }

  @Test
  void processesAreListedInFileOrderWithTheirStateAndFacts() {
    List<ProcessInfo> list = control.processes();
    assertEquals(
        List.of("ticker", "quiet", "gated", "later"), list.stream().map(ProcessInfo::id).toList());
    ProcessInfo gated = list.get(2);
    assertEquals(ProcessState.READY, gated.state());
    assertTrue(gated.pid() > 0);
    assertEquals("logLine", gated.readiness());
    assertTrue(gated.ready());
    assertFalse(gated.adHoc());
    assertTrue(gated.startedAt() != null);
    ProcessInfo later = list.get(3);
    assertEquals(ProcessState.STOPPED, later.state(), "autostart: false: not started");
    assertEquals(0, later.pid());
    assertEquals("none", control.process("ticker").readiness());
  }

  @Test
  void anUnknownProcessIsNotFoundAndNothingHappens() {
    ControlException e = assertThrows(ControlException.class, () -> control.process("nope"));
    assertEquals(ControlException.Kind.NOT_FOUND, e.kind());
    assertTrue(e.getMessage().contains("no process \"nope\""), e.getMessage());
    long pid = control.process("quiet").pid();
    List<org.junit.jupiter.api.function.Executable> commands =
        List.of(
            () -> control.start("nope", "test"),
            () -> control.stop("nope", "test"),
            () -> control.restart("nope", "test"));
    for (var command : commands) {
      assertEquals(
          ControlException.Kind.NOT_FOUND, assertThrows(ControlException.class, command).kind());
    }
    assertEquals(pid, control.process("quiet").pid());
  }

  @Test
  void restartRunsTheProcessAgainWithANewPid() throws Exception {
    long before = control.process("quiet").pid();
    Control.CommandResult r = control.restart("quiet", "test");
    assertTrue(r.changed());
    assertEquals("quiet", r.processes().get(0).id());
    ProcessInfo after =
        awaitInfo("quiet", p -> p.state() == ProcessState.READY && p.pid() != before);
    assertEquals(1, after.restarts());
    stack.await(ProcessEvent.Notice.class, n -> "restarting (test)".equals(n.text()));
  }

  @Test
  void stopStopsAndStartStartsAndRepeatingEitherChangesNothing() throws Exception {
    assertTrue(control.stop("quiet", "test").changed());
    awaitInfo("quiet", p -> p.state() == ProcessState.STOPPED);
    Control.CommandResult again = control.stop("quiet", "test");
    assertFalse(again.changed());
    assertEquals(ProcessState.STOPPED, again.processes().get(0).state());
    assertTrue(control.start("quiet", "test").changed());
    ProcessInfo running = awaitInfo("quiet", p -> p.state() == ProcessState.READY);
    assertFalse(control.start("quiet", "test").changed());
    assertEquals(running.pid(), control.process("quiet").pid());
  }

  @Test
  void allActsOnEveryProcess() throws Exception {
    Control.CommandResult r = control.stop(Control.ALL, "test");
    assertTrue(r.changed());
    assertEquals(4, r.processes().size());
    for (String id : List.of("ticker", "quiet", "gated")) {
      awaitInfo(id, p -> p.state() == ProcessState.STOPPED);
    }
    control.start(Control.ALL, "test");
    for (String id : List.of("ticker", "quiet", "gated", "later")) {
      awaitInfo(id, p -> p.state() == ProcessState.READY);
    }
  }

  @Test
  void anAddedProcessRunsIsMarkedAndCanBeRemoved() throws Exception {
    ProcessInfo added =
        control.add(
            "{\"id\": \"extra\", \"command\": [\"python3\", \""
                + dev.pmj.testing.Fixtures.testdata("echo.py")
                + "\", \"extra says hi\"], \"restart\": \"never\"}",
            "test");
    assertEquals("extra", added.id());
    assertTrue(added.adHoc());
    awaitInfo("extra", p -> p.state() == ProcessState.READY);
    List<String> ids = control.processes().stream().map(ProcessInfo::id).toList();
    assertEquals("extra", ids.get(ids.size() - 1));
    awaitLine("extra", "extra says hi");
    ProcessInfo removed = control.remove("extra", "test");
    assertEquals("extra", removed.id());
    stack.until(
        () -> control.processes().stream().map(ProcessInfo::id).toList(),
        ids2 -> !ids2.contains("extra"));
    assertEquals(
        ControlException.Kind.NOT_FOUND,
        assertThrows(ControlException.class, () -> control.process("extra")).kind());
  }

  @Test
  void anAddedProcessIsCheckedLikeTheFilesAndABadOneChangesNothing() {
    ControlException e =
        assertThrows(
            ControlException.class,
            () ->
                control.add(
                    "{\"id\": \"x\", \"command\": \"true\", \"restart\": \"sometimes\"}", "test"));
    assertEquals(ControlException.Kind.INVALID, e.kind());
    assertEquals(
        "request body:1:43: processes.x.restart: must be one of always, on-failure, never (got \"sometimes\")",
        e.getMessage());
    ControlException missing =
        assertThrows(ControlException.class, () -> control.add("{\"command\": \"true\"}", "test"));
    assertEquals("request body:1:1: id: missing: every process needs an id", missing.getMessage());
    ControlException twice =
        assertThrows(
            ControlException.class,
            () -> control.add("{\"id\": \"quiet\", \"command\": \"true\"}", "test"));
    assertEquals(ControlException.Kind.CONFLICT, twice.kind());
    ControlException declared =
        assertThrows(ControlException.class, () -> control.remove("quiet", "test"));
    assertEquals(ControlException.Kind.CONFLICT, declared.kind());
    assertEquals(
        List.of("ticker", "quiet", "gated", "later"),
        control.processes().stream().map(ProcessInfo::id).toList());
    assertEquals(ProcessState.READY, control.process("quiet").state());
  }

  private List<String> ids() {
    return control.processes().stream().map(ProcessInfo::id).toList();
  }

  @Test
  void scaleAddsAndRemovesInstancesExactlyAndTouchesNothingElse() throws Exception {
    long ticker = control.process("ticker").pid();
    long quiet = control.process("quiet").pid();
    Control.Scaled up = control.scale("quiet", 3, "test");
    assertEquals(
        new Control.Scaled("quiet", 1, 3, List.of("quiet.2", "quiet.3"), List.of(), List.of()), up);
    // New instances show beside their first; instance 1 keeps its id and its run.
    assertEquals(List.of("ticker", "quiet", "quiet.2", "quiet.3", "gated", "later"), ids());
    awaitInfo("quiet.3", p -> p.state() == ProcessState.READY);
    awaitLine("quiet.3", "quiet here");
    assertEquals(quiet, control.process("quiet").pid());
    assertEquals(ticker, control.process("ticker").pid());
    long quiet2 = control.process("quiet.2").pid();
    assertEquals(
        new Control.Scaled("quiet", 3, 3, List.of(), List.of(), List.of()),
        control.scale("quiet", 3, "test"));
    Control.Scaled down = control.scale("quiet", 2, "test");
    assertEquals(new Control.Scaled("quiet", 3, 2, List.of(), List.of(), List.of("quiet.3")), down);
    assertEquals(List.of("ticker", "quiet", "quiet.2", "gated", "later"), ids());
    assertEquals(quiet2, control.process("quiet.2").pid());
    Control.Scaled off = control.scale("quiet", 0, "test");
    assertEquals(
        new Control.Scaled("quiet", 2, 0, List.of(), List.of("quiet"), List.of("quiet.2")), off);
    assertEquals(List.of("ticker", "quiet", "gated", "later"), ids());
    assertEquals(ProcessState.STOPPED, control.process("quiet").state());
    Control.Scaled on = control.scale("quiet", 1, "test");
    assertEquals(new Control.Scaled("quiet", 0, 1, List.of("quiet"), List.of(), List.of()), on);
    awaitInfo("quiet", p -> p.state() == ProcessState.READY);
    assertEquals(ticker, control.process("ticker").pid());
  }

  @Test
  void scaleRefusesWhatIsNotAProcessOfTheFileAndChangesNothing() throws Exception {
    control.scale("quiet", 2, "test");
    awaitInfo("quiet.2", p -> p.state() == ProcessState.READY);
    List<String> before = ids();
    ControlException unknown =
        assertThrows(ControlException.class, () -> control.scale("nope", 2, "test"));
    assertEquals(ControlException.Kind.NOT_FOUND, unknown.kind());
    assertEquals(
        "no process \"nope\" (processes: ticker, quiet, gated, later)", unknown.getMessage());
    ControlException instance =
        assertThrows(ControlException.class, () -> control.scale("quiet.2", 3, "test"));
    assertEquals(ControlException.Kind.CONFLICT, instance.kind());
    assertEquals(
        "quiet.2 is an instance of quiet; scale the process: pmj scale quiet=N",
        instance.getMessage());
    ControlException tooMany =
        assertThrows(ControlException.class, () -> control.scale("quiet", 65, "test"));
    assertEquals(ControlException.Kind.INVALID, tooMany.kind());
    assertEquals("instances must be a whole number from 0 to 64 (got 65)", tooMany.getMessage());
    control.add("{\"id\": \"extra\", \"command\": \"sleep 1000\"}", "test");
    ControlException adHoc =
        assertThrows(ControlException.class, () -> control.scale("extra", 2, "test"));
    assertEquals(ControlException.Kind.CONFLICT, adHoc.kind());
    assertEquals(
        "extra was added at run time; only processes of the file can be scaled",
        adHoc.getMessage());
    List<String> withExtra = new ArrayList<>(before);
    withExtra.add("extra");
    assertEquals(withExtra, ids());
  }

  private void awaitLine(String id, String text) throws InterruptedException {
    stack.until(
        () -> control.logs(new LogStore.Query(Set.of(id), 0, -1, false)),
        lines -> lines.stream().anyMatch(l -> l.text().equals(text)));
  }

  @Test
  void logsAreMergedInSeqOrderAndTailAndSinceSelectThem() throws Exception {
    awaitLine("ticker", "tick 5");
    List<LogStore.Line> all = control.logs(LogStore.Query.all());
    for (int i = 1; i < all.size(); i++) assertTrue(all.get(i - 1).seq() < all.get(i).seq());
    assertTrue(
        all.stream()
            .anyMatch(l -> l.id().equals("pmj") && l.text().startsWith("quiet: started (pid")));
    assertTrue(all.stream().anyMatch(l -> l.id().equals("quiet") && l.text().equals("quiet here")));
    List<LogStore.Line> ticks = control.logs(new LogStore.Query(Set.of("ticker"), 0, -1, false));
    assertTrue(ticks.stream().allMatch(l -> l.id().equals("ticker")));
    assertEquals("tick 1", ticks.get(0).text());
    List<LogStore.Line> last2 = control.logs(new LogStore.Query(Set.of("ticker"), 0, 2, false));
    assertEquals(2, last2.size());
    long since = ticks.get(2).seq();
    List<LogStore.Line> after =
        control.logs(new LogStore.Query(Set.of("ticker"), since, -1, false));
    assertEquals("tick 4", after.get(0).text());
    assertEquals(
        ControlException.Kind.NOT_FOUND,
        assertThrows(
                ControlException.class,
                () -> control.logs(new LogStore.Query(Set.of("nope"), 0, -1, false)))
            .kind());
  }

  @Test
  void followingLogsGivesTheKeptLinesThenNewOnesWithoutGapsOrRepeats() throws Exception {
    LinkedBlockingQueue<LogStore.Line> got = new LinkedBlockingQueue<>();
    try (AutoCloseable f =
        control.followLogs(new LogStore.Query(Set.of("ticker"), 0, -1, false), got::addAll)) {
      List<Integer> numbers = new ArrayList<>();
      long lastSeq = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (numbers.size() < 30) {
        LogStore.Line l = got.poll(100, TimeUnit.MILLISECONDS);
        assertTrue(System.nanoTime() < deadline, "only " + numbers);
        if (l == null) continue;
        assertTrue(l.seq() > lastSeq);
        lastSeq = l.seq();
        numbers.add(Integer.parseInt(l.text().substring("tick ".length())));
      }
      for (int i = 0; i < numbers.size(); i++) assertEquals(i + 1, numbers.get(i));
    }
  }

  @Test
  void eventsStartWithASnapshotThenFollowChanges() throws Exception {
    LinkedBlockingQueue<ProcessEvent> got = new LinkedBlockingQueue<>();
    try (AutoCloseable s =
        control.events(
            new EventStream.Subscriber() {
              @Override
              public void onEvent(ProcessEvent event) {
                got.add(event);
              }
            })) {
      ProcessEvent first = got.poll(20, TimeUnit.SECONDS);
      ProcessEvent.Snapshot snap = assertInstanceOf(ProcessEvent.Snapshot.class, first);
      assertEquals(4, snap.processes().size());
      long before = control.process("quiet").pid();
      control.restart("quiet", "test");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      List<ProcessState> states = new ArrayList<>();
      while (!states.contains(ProcessState.READY)) {
        ProcessEvent e = got.poll(100, TimeUnit.MILLISECONDS);
        assertTrue(System.nanoTime() < deadline, "saw " + states);
        assertFalse(e instanceof ProcessEvent.OutputLines, "output lines are not events");
        if (e instanceof ProcessEvent.StateChanged c && c.id().equals("quiet")) states.add(c.to());
      }
      assertEquals(
          List.of(
              ProcessState.STOPPING,
              ProcessState.STOPPED,
              ProcessState.STARTING,
              ProcessState.RUNNING,
              ProcessState.READY),
          states);
      assertNotEquals(before, control.process("quiet").pid());
    }
  }

  @Test
  void reloadAppliesTheEditedFileAndABrokenOneChangesNothing() throws Exception {
    long quiet = control.process("quiet").pid();
    java.nio.file.Files.writeString(
        api.dir().resolve("pmj.yaml"),
        YAML.replace("@TESTDATA@", dev.pmj.testing.Fixtures.root().resolve("testdata").toString())
                .replace("echo.py quiet here", "echo.py quiet again")
            + "  extra:\n    command: python3 "
            + dev.pmj.testing.Fixtures.testdata("echo.py")
            + " extra\n");
    Control.Reloaded r = control.reload("test");
    assertEquals(List.of("extra"), r.added());
    assertEquals(List.of(), r.removed());
    assertEquals(java.util.Map.of("quiet", List.of("command")), r.changed());
    assertEquals(List.of("ticker", "gated", "later"), r.unchanged());
    awaitInfo("quiet", p -> p.state() == ProcessState.READY && p.pid() != quiet);
    awaitInfo("extra", p -> p.state() == ProcessState.READY);
    java.nio.file.Files.writeString(
        api.dir().resolve("pmj.yaml"), "processes:\n  a: {command: x, restart: sometimes}\n");
    ControlException e = assertThrows(ControlException.class, () -> control.reload("test"));
    assertEquals(ControlException.Kind.INVALID, e.kind());
    assertEquals(
        List.of(
            "pmj.yaml:2:28: processes.a.restart: must be one of always, on-failure, never (got \"sometimes\")"),
        e.details());
    assertEquals(
        List.of("ticker", "quiet", "gated", "later", "extra"),
        control.processes().stream().map(ProcessInfo::id).toList());
  }

  @Test
  void healthNamesWhatIsNotUp() throws Exception {
    assertTrue(control.health().healthy(), control.health().problems().toString());
    control.stop("quiet", "test");
    awaitInfo("quiet", p -> p.state() == ProcessState.STOPPED);
    Control.Health h = control.health();
    assertFalse(h.healthy());
    assertEquals(List.of("quiet: stopped"), h.problems());
  }

  @Test
  void theProjectSaysWhatRunsAndShutdownAsksPmjToStop() throws Exception {
    Control.ProjectInfo p = control.project();
    assertEquals(api.dir().getFileName().toString(), p.name());
    assertEquals(api.dir().resolve("pmj.yaml").toString(), p.file());
    assertEquals(ProcessHandle.current().pid(), p.pid());
    control.shutdown("test");
    assertEquals("test", stack.shutdownAskedBy.get(20, TimeUnit.SECONDS));
  }
}
