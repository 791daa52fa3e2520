package dev.pmj.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Leftovers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Children in pseudo-terminals of their own, on real processes. */
class TerminalTest {
  private final String tag = "pmj-test-" + UUID.randomUUID();

  @AfterEach
  void nothingLeft() {
    System.clearProperty(Ptys.FAIL_PROPERTY);
    Leftovers.assertNoneLeft(tag);
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("PMJ_TEST_TAG", tag);
    return env;
  }

  private static BufferedReader lines(Child child) {
    return new BufferedReader(new InputStreamReader(child.output(), StandardCharsets.UTF_8));
  }

  @Test
  void theChildLeadsASessionWhoseTerminalIsItsOwnAndFollowsAResize() throws Exception {
    String program =
        "import os, sys\n"
            + "def size(): s = os.get_terminal_size(); return '%dx%d' % (s.columns, s.lines)\n"
            + "print(size(), os.getsid(0) == os.getpid(), os.tcgetpgrp(0) == os.getpid(),"
            + " sys.stdout.isatty(), sys.stderr.isatty(), flush=True)\n"
            + "input()\n"
            + "print(size(), flush=True)\n";
    try (ProcessControl control = new PosixProcessControl()) {
      Child child =
          control.startInTerminal(List.of("python3", "-c", program), Path.of("."), env(), 100, 30);
      BufferedReader out = lines(child);
      assertEquals("100x30 True True True True", out.readLine());
      child.terminal().resize(120, 40);
      child.terminal().write("go\r".getBytes(StandardCharsets.UTF_8));
      assertEquals("go", out.readLine()); // the terminal's echo
      assertEquals("120x40", out.readLine());
      assertEquals(0, child.exit().get(10, TimeUnit.SECONDS));
      control.forget(child.pid());
      child.channel().close();
    }
  }

  @Test
  void aStopOfItsGroupReachesTheGrandchild() throws Exception {
    try (ProcessControl control = new PosixProcessControl()) {
      Child child =
          control.startInTerminal(
              List.of("sh", Fixtures.testdata("grandchild.sh")), Path.of("."), env(), 80, 24);
      assertTrue(lines(child).readLine().startsWith("grandchild: parent"));
      control.signalGroup(child.pid(), Signal.TERM);
      assertEquals(128 + 15, child.exit().get(10, TimeUnit.SECONDS));
      assertEquals(List.of(), Leftovers.awaitNone(tag, Duration.ofSeconds(5)));
      control.forget(child.pid());
      child.channel().close();
    }
  }

  @Test
  void inputToAChildThatDoesNotReadNeverBlocksPmj() throws Exception {
    try (ProcessControl control = new PosixProcessControl()) {
      Child child = control.startInTerminal(List.of("sleep", "1000"), Path.of("."), env(), 80, 24);
      // Far more than the kernel holds for a terminal that nobody reads (about 4 KB).
      byte[] line = "x".repeat(200).concat("\r").getBytes(StandardCharsets.UTF_8);
      long start = System.nanoTime();
      for (int i = 0; i < 500; i++) child.terminal().write(line);
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "writing waited");
      assertTrue(child.terminal().pending());
      control.signalGroup(child.pid(), Signal.KILL);
      child.exit().get(10, TimeUnit.SECONDS);
      control.forget(child.pid());
      child.terminal().close();
      child.channel().close();
    }
  }

  @Test
  void whereNoTerminalCanBeHadNothingStartsAndTheReasonIsSaid() throws Exception {
    System.setProperty(Ptys.FAIL_PROPERTY, "forced by the test");
    try (ProcessControl control = new PosixProcessControl()) {
      NoTerminalException e =
          assertThrows(
              NoTerminalException.class,
              () -> control.startInTerminal(List.of("sleep", "1000"), Path.of("."), env(), 80, 24));
      assertEquals("forced by the test", e.getMessage());
      assertEquals(List.of(), Leftovers.find(tag));
    }
  }

  @Test
  void aProgramThatCannotRunIsAStartProblemNotATerminalOne() throws Exception {
    try (ProcessControl control = new PosixProcessControl()) {
      StartException e =
          assertThrows(
              StartException.class,
              () ->
                  control.startInTerminal(
                      List.of("no-such-program-xyz"), Path.of("."), env(), 80, 24));
      assertTrue(e.getMessage().contains("no-such-program-xyz"), e.getMessage());
    }
  }
}
