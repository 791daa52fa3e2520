package dev.pmj.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Leftovers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Signals to real process groups through the long-lived helper shell, the helper's replacement when
 * it died, kill(1) when no helper can run, and the watchdog's lists with many groups.
 */
class GroupSignallerTest {
  private final String tag = "pmj-test-" + UUID.randomUUID();
  private final List<ProcessControl> controls = new ArrayList<>();

  @AfterEach
  void nothingLeft() {
    for (ProcessControl c : controls) c.close();
    Leftovers.assertNoneLeft(tag);
  }

  /** A child running testdata/traps.sh, past its "ready" line. */
  private record Trapper(Child child, BufferedReader out) {
    String nextLine() throws IOException {
      return out.readLine();
    }

    int exit() throws Exception {
      return child.exit().get(10, TimeUnit.SECONDS);
    }
  }

  private Trapper trapper(ProcessControl control) throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("PMJ_TEST_TAG", tag);
    Child child = control.start(List.of("sh", Fixtures.testdata("traps.sh")), Path.of("."), env);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.output(), StandardCharsets.UTF_8));
    assertEquals("ready", out.readLine());
    return new Trapper(child, out);
  }

  private PosixProcessControl control() {
    PosixProcessControl c = new PosixProcessControl();
    controls.add(c);
    return c;
  }

  /**
   * Signals this JVM ignores: its children start with them ignored, and a shell cannot trap a
   * signal ignored when it started (a JVM started in the background by a script ignores INT).
   */
  private static List<Signal> ignoredHere() throws IOException {
    List<Signal> ignored = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (!line.startsWith("SigIgn:")) continue;
      long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
      for (Signal s : Signal.values()) if ((mask & (1L << (s.number() - 1))) != 0) ignored.add(s);
    }
    return ignored;
  }

  @Test
  void everySignalKindReachesItsGroup() throws Exception {
    PosixProcessControl control = control();
    List<Signal> kinds = new ArrayList<>(List.of(Signal.values()));
    kinds.removeAll(ignoredHere());
    Map<Signal, Trapper> bySignal = new LinkedHashMap<>();
    for (Signal s : kinds) bySignal.put(s, trapper(control));
    // All at once, as a stop of many processes sends them.
    bySignal.forEach((s, t) -> control.signalGroup(t.child().pid(), s));
    for (Map.Entry<Signal, Trapper> e : bySignal.entrySet()) {
      Trapper t = e.getValue();
      if (e.getKey() == Signal.KILL) {
        assertEquals(128 + 9, t.exit());
      } else {
        assertEquals("got " + e.getKey(), t.nextLine());
        assertEquals(0, t.exit());
      }
      control.forget(t.child().pid());
    }
  }

  @Test
  void aHelperThatDiedIsReplaced() throws Exception {
    PosixProcessControl starter = control();
    try (GroupSignaller signaller =
        new GroupSignaller(PosixProcessControl.newSessionCommand(), "/bin/kill")) {
      Trapper first = trapper(starter);
      signaller.signal(first.child().pid(), Signal.USR1);
      assertEquals("got USR1", first.nextLine());
      Process helper = signaller.helper();
      assertNotNull(helper);
      helper.destroyForcibly().onExit().get(10, TimeUnit.SECONDS);

      Trapper second = trapper(starter);
      signaller.signal(second.child().pid(), Signal.TERM);
      assertEquals("got TERM", second.nextLine());
      assertEquals(0, second.exit());
      assertNotSame(helper, signaller.helper());
      assertTrue(signaller.helper().isAlive());
      starter.forget(first.child().pid());
      starter.forget(second.child().pid());
    }
  }

  @Test
  void withoutAHelperKillRunsForEachSignal() throws Exception {
    PosixProcessControl starter = control();
    try (GroupSignaller signaller =
        new GroupSignaller(List.of("/nonexistent/setsid"), "/bin/kill")) {
      Trapper t = trapper(starter);
      signaller.signal(t.child().pid(), Signal.HUP);
      assertEquals("got HUP", t.nextLine());
      assertEquals(0, t.exit());
      assertNull(signaller.helper());
      starter.forget(t.child().pid());
    }
  }

  @Test
  void closingEndsTheHelperAndLaterSignalsStillArrive() throws Exception {
    PosixProcessControl starter = control();
    GroupSignaller signaller =
        new GroupSignaller(PosixProcessControl.newSessionCommand(), "/bin/kill");
    Trapper first = trapper(starter);
    signaller.signal(first.child().pid(), Signal.USR2);
    Process helper = signaller.helper();
    signaller.close();
    // What it was sent before it closed is carried out; then it ends by itself.
    assertEquals("got USR2", first.nextLine());
    assertTrue(helper.onExit().get(10, TimeUnit.SECONDS) != null);
    assertNull(signaller.helper());

    Trapper late = trapper(starter);
    signaller.signal(late.child().pid(), Signal.TERM);
    assertEquals("got TERM", late.nextLine());
    assertEquals(0, late.exit());
    starter.forget(first.child().pid());
    starter.forget(late.child().pid());
  }

  @Test
  void noGroupBelowTwoIsSignalled() {
    try (GroupSignaller signaller =
        new GroupSignaller(PosixProcessControl.newSessionCommand(), "/bin/kill")) {
      for (long pgid : new long[] {1, 0, -7}) {
        assertEquals(
            "not a process group: " + pgid,
            assertThrows(IllegalArgumentException.class, () -> signaller.signal(pgid, Signal.KILL))
                .getMessage());
        assertEquals(
            "not a process: " + pgid,
            assertThrows(
                    IllegalArgumentException.class,
                    () -> signaller.signalProcess(pgid, Signal.KILL))
                .getMessage());
      }
      assertNull(signaller.helper());
    }
  }

  @Test
  void aSingleProcessIsSignalledByItsPid() throws Exception {
    PosixProcessControl starter = control();
    try (GroupSignaller signaller =
        new GroupSignaller(PosixProcessControl.newSessionCommand(), "/bin/kill")) {
      Trapper t = trapper(starter);
      signaller.signalProcess(t.child().pid(), Signal.USR2);
      assertEquals("got USR2", t.nextLine());
      assertEquals(0, t.exit());
      starter.forget(t.child().pid());
    }
  }

  @Test
  void theWatchdogEndsExactlyTheGroupsStillListedAfterManyComeAndGo() throws Exception {
    PosixProcessControl starter = control();
    Trapper kept1 = trapper(starter);
    Trapper forgotten = trapper(starter);
    Trapper kept2 = trapper(starter);
    Watchdog dog =
        Watchdog.start(
            PosixProcessControl.newSessionCommand(),
            "PMJ_TEST_WATCHDOG=" + java.util.UUID.randomUUID());
    // 2,000 groups that cannot exist (above any pid_max), listed and forgotten in other orders.
    List<Long> fake = new ArrayList<>();
    for (long p = 5_000_000; p < 5_002_000; p++) fake.add(p);
    Random random = new Random(18);
    Collections.shuffle(fake, random);
    for (long p : fake) dog.watch(p);
    dog.watch(kept1.child().pid());
    dog.watch(forgotten.child().pid());
    dog.watch(kept2.child().pid());
    Collections.shuffle(fake, random);
    for (long p : fake) dog.forget(p);
    dog.forget(forgotten.child().pid());
    dog.close();
    assertEquals("got TERM", kept1.nextLine());
    assertEquals("got TERM", kept2.nextLine());
    assertEquals(0, kept1.exit());
    assertEquals(0, kept2.exit());
    assertTrue(forgotten.child().pid() > 0 && !forgotten.child().exit().isDone());
    starter.signalGroup(forgotten.child().pid(), Signal.USR1);
    assertEquals("got USR1", forgotten.nextLine());
    for (Trapper t : List.of(kept1, forgotten, kept2)) starter.forget(t.child().pid());
  }
}
