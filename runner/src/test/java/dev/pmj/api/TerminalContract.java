package dev.pmj.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.supervisor.Control;
import dev.pmj.supervisor.ControlException;
import dev.pmj.supervisor.ProcessState;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The terminals of interactive processes through {@link Control}, in the process and over HTTP
 * alike: real programs in real pseudo-terminals, answered and resized, followed across a restart.
 */
abstract class TerminalContract {
  static final String YAML =
      """
      processes:
        ask:
          command: python3 @TESTDATA@/ask.py
          interactive: true
          restart: never
        size:
          command: python3 @TESTDATA@/winsize.py
          interactive: true
        plain:
          command: python3 @TESTDATA@/echo.py plain here
      """;

  @RegisterExtension final RunningApi api = RunningApi.of(YAML).withoutServer();

  Stack stack;
  Control control;

  abstract Control control(Stack stack) throws Exception;

  @BeforeEach
  void start() throws Exception {
    stack = api.stack();
    control = control(stack);
  }

  /** What a follower got: the bytes as text, and the marks ("exit exited 0", "restart PID"). */
  static final class Seen implements Control.TerminalFollower {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<String> marks = new ArrayList<>();
    private boolean ended;

    @Override
    public synchronized void output(byte[] b) {
      bytes.writeBytes(b);
      marks.add("output");
      notifyAll();
    }

    @Override
    public synchronized void exited(ProcessState state, Integer code) {
      marks.add("exit " + state.word() + " " + code);
      notifyAll();
    }

    @Override
    public synchronized void restarted(long pid) {
      marks.add("restart " + pid);
      notifyAll();
    }

    @Override
    public synchronized void ended(boolean dropped) {
      ended = true;
      notifyAll();
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }

    synchronized List<String> marks() {
      return List.copyOf(marks);
    }

    /** Waits (20 s at most) until the text holds {@code part} at least {@code times} times. */
    synchronized void awaitText(String part, int times) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (count(text(), part) < times) {
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new AssertionError("no \"" + part + "\" x" + times + " in " + text());
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    synchronized String awaitMark(String prefix) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (true) {
        for (String m : marks) if (m.startsWith(prefix)) return m;
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new AssertionError("no mark " + prefix + " in " + marks);
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    synchronized boolean ended() {
      return ended;
    }

    private static int count(String text, String part) {
      int n = 0;
      for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
      return n;
    }
  }

  @Test
  void aPromptIsAnsweredByInputAndTheAnswerAndTheExitAreFollowed() throws Exception {
    Seen seen = new Seen();
    try (AutoCloseable f = control.followTerminal("ask", seen)) {
      seen.awaitText("continue? [y/N] ", 1);
      control.input("ask", "y\r".getBytes(StandardCharsets.UTF_8));
      seen.awaitText("answer: y tty=True", 1);
      assertEquals("exit exited 0", seen.awaitMark("exit"));
    }
    stack.until(() -> seen.ended(), e -> e);
    // A run that is over takes no input.
    ControlException e =
        assertThrows(
            ControlException.class,
            () -> control.input("ask", "n\r".getBytes(StandardCharsets.UTF_8)));
    assertEquals(ControlException.Kind.CONFLICT, e.kind());
    assertEquals("ask is not running", e.getMessage());
  }

  @Test
  void aFollowerStartingLateGetsTheKeptOutputFirst() throws Exception {
    stack.until(
        () -> new String(stack.supervisor.terminalOutput("ask"), StandardCharsets.UTF_8),
        t -> t.contains("continue?"));
    Seen seen = new Seen();
    try (AutoCloseable f = control.followTerminal("ask", seen)) {
      seen.awaitText("continue? [y/N] ", 1);
      assertEquals("output", seen.marks().get(0), "the kept bytes come first");
    }
  }

  @Test
  void aResizeReachesTheProgramAndItsNextRuns() throws Exception {
    Seen seen = new Seen();
    try (AutoCloseable f = control.followTerminal("size", seen)) {
      seen.awaitText("size 80 24", 1);
      control.resize("size", 100, 30);
      seen.awaitText("size 100 30", 1);
      long before = control.process("size").pid();
      control.restart("size", "test");
      String restart = seen.awaitMark("restart");
      assertNotEquals("restart " + before, restart);
      // The new terminal starts at the size asked for last; both runs' bytes are on one stream.
      seen.awaitText("size 100 30", 2);
      assertEquals(1, seen.marks().stream().filter(m -> m.startsWith("exit")).count());
    }
  }

  @Test
  void whetherAProcessIsInteractiveIsReported() {
    assertTrue(control.process("ask").interactive());
    assertFalse(control.process("plain").interactive());
  }

  @Test
  void aProcessThatIsNotInteractiveHasNoTerminalAndAnUnknownOneIsNotFound() {
    byte[] keys = "x".getBytes(StandardCharsets.UTF_8);
    for (org.junit.jupiter.api.function.Executable call :
        List.<org.junit.jupiter.api.function.Executable>of(
            () -> control.input("plain", keys),
            () -> control.resize("plain", 100, 30),
            () -> control.followTerminal("plain", new Seen()))) {
      ControlException e = assertThrows(ControlException.class, call);
      assertEquals(ControlException.Kind.CONFLICT, e.kind());
      assertEquals("plain is not interactive", e.getMessage());
    }
    for (org.junit.jupiter.api.function.Executable call :
        List.<org.junit.jupiter.api.function.Executable>of(
            () -> control.input("nope", keys),
            () -> control.resize("nope", 100, 30),
            () -> control.followTerminal("nope", new Seen()))) {
      ControlException e = assertThrows(ControlException.class, call);
      assertEquals(ControlException.Kind.NOT_FOUND, e.kind());
      assertEquals("no process \"nope\" (processes: ask, size, plain)", e.getMessage());
    }
  }
}
