package dev.pmj.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.config.Project;
import dev.pmj.os.ProcessControl;
import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Leftovers;
import java.nio.charset.StandardCharsets;
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
 * interactive: true with real programs in real pseudo-terminals: a prompt and a debugger answered
 * through {@link Supervisor#input}, redraws folded into readable lines, the fallback to pipes.
 */
class InteractiveTest {
  @TempDir Path dir;
  private final String tag = "pmj-test-" + UUID.randomUUID();
  private final LinkedBlockingQueue<ProcessEvent> seen = new LinkedBlockingQueue<>();

  @AfterEach
  void nothingLeft() {
    System.clearProperty("pmj.test.noTerminal");
    Leftovers.assertNoneLeft(tag);
  }

  private Supervisor supervisor(String yaml, ProcessControl control) throws Exception {
    Project p = Fixtures.project(dir, System.getenv(), yaml);
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("PMJ_TEST_TAG", tag);
    List<String> ids = new ArrayList<>();
    p.processes().forEach(s -> ids.add(s.id()));
    EventStream events = new EventStream();
    Supervisor s =
        new Supervisor(
            p, ids, new Supervisor.Options(env, false), control, events, Clock.systemUTC());
    events.subscribe("test", seen::add, EventStream.Delivery.LOSSLESS, 1024);
    return s;
  }

  /** The output lines and notices of {@code id} until one that {@code last} accepts. */
  private List<String> linesUntil(String id, Predicate<String> last, String what)
      throws InterruptedException {
    List<String> lines = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      ProcessEvent e = seen.poll(100, TimeUnit.MILLISECONDS);
      List<String> now = new ArrayList<>();
      if (e instanceof ProcessEvent.OutputLines o && o.id().equals(id)) now.addAll(o.lines());
      if (e instanceof ProcessEvent.Notice n && id.equals(n.id())) now.add("notice: " + n.text());
      for (String line : now) {
        lines.add(line);
        if (last.test(line)) return lines;
      }
    }
    throw new AssertionError("no " + what + "; saw " + lines);
  }

  private static byte[] typed(String keys) {
    return keys.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aPromptIsAnsweredThroughTheTerminalAndARestartGetsANewOne() throws Exception {
    try (ProcessControl control = ProcessControl.create();
        Supervisor s =
            supervisor(
                """
                processes:
                  ask:
                    command: python3 @TESTDATA@/ask.py
                    interactive: true
                    restart: never
                """,
                control)) {
      s.up();
      linesUntil("ask", l -> l.equals("continue? [y/N] "), "the prompt");
      long firstPid = s.status("ask").pid();
      s.input("ask", typed("y\r"));
      // The terminal echoes what was typed; the program reads it from a terminal.
      List<String> lines = linesUntil("ask", l -> l.startsWith("answer:"), "the answer");
      assertEquals("answer: y tty=True", lines.get(lines.size() - 1));
      assertTrue(lines.contains("y"), lines.toString());

      s.restart("ask");
      linesUntil("ask", l -> l.equals("continue? [y/N] "), "the prompt after the restart");
      assertNotEquals(firstPid, s.status("ask").pid());
      s.input("ask", typed("again\r"));
      List<String> again = linesUntil("ask", l -> l.startsWith("answer:"), "the second answer");
      assertEquals("answer: again tty=True", again.get(again.size() - 1));
      s.shutdown().get(20, TimeUnit.SECONDS);
    }
    // Each terminal is closed once its output ended: none is left open in pmj.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (terminalsOpen() > terminalsBefore && System.nanoTime() < deadline) {
      Thread.sleep(20); // polling with a deadline
    }
    assertEquals(terminalsBefore, terminalsOpen());
  }

  private final long terminalsBefore = terminalsOpen();

  /** Masters of pseudo-terminals this JVM holds open. */
  private static long terminalsOpen() {
    try (java.util.stream.Stream<Path> fds = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(
              fd -> {
                try {
                  return java.nio.file.Files.readSymbolicLink(fd).toString().equals("/dev/ptmx");
                } catch (java.io.IOException e) {
                  return false; // closed while listed
                }
              })
          .count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void ctrlCTypedReachesTheProgramAsSigint() throws Exception {
    try (ProcessControl control = ProcessControl.create();
        Supervisor s =
            supervisor(
                """
                processes:
                  loop:
                    command: python3 @TESTDATA@/interrupt.py
                    interactive: true
                    restart: never
                """,
                control)) {
      s.up();
      linesUntil("loop", l -> l.equals("waiting"), "waiting");
      s.input("loop", new byte[] {3});
      List<String> lines = linesUntil("loop", l -> l.endsWith("interrupted"), "the interrupt");
      // The terminal echoes the key as ^C, on the line the program writes next.
      assertEquals("^Cinterrupted", String.join("", lines));
      s.shutdown().get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void stdinIsATerminal() throws Exception {
    try (ProcessControl control = ProcessControl.create();
        Supervisor s =
            supervisor(
                """
                processes:
                  tty:
                    command: python3 -c 'import sys; print(sys.stdin.isatty())'
                    interactive: true
                    restart: never
                  pipe:
                    command: python3 -c 'import sys; print(sys.stdin.isatty())'
                    restart: never
                """,
                control)) {
      s.up();
      assertEquals(List.of("True"), linesUntil("tty", l -> true, "tty's line"));
      s.shutdown().get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void redrawsFoldIntoReadableLinesWithTheirColoursAndTheRawBytesAreKept() throws Exception {
    try (ProcessControl control = ProcessControl.create();
        Supervisor s =
            supervisor(
                """
                processes:
                  bar:
                    command: python3 @TESTDATA@/progress.py
                    interactive: true
                    restart: never
                """,
                control)) {
      s.up();
      List<String> lines = linesUntil("bar", l -> l.equals("last line"), "the last line");
      assertEquals(
          List.of(
              "progress 100%", "\u001b[32mdone\u001b[0m in \u001b[1m3\u001b[0m steps", "last line"),
          lines);
      String raw = new String(s.terminalOutput("bar"), StandardCharsets.UTF_8);
      assertTrue(raw.startsWith("\u001b]0;building\u0007\u001b[?25l\r\u001b[Kprogress   0%"), raw);
      assertTrue(raw.endsWith("\u001b[?25hlast line\r\n"), raw);
      s.shutdown().get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDebuggerBreakpointIsAnswered() throws Exception {
    try (ProcessControl control = ProcessControl.create();
        Supervisor s =
            supervisor(
                """
                processes:
                  debug:
                    command: python3 @TESTDATA@/breakpoint.py
                    interactive: true
                    restart: never
                """,
                control)) {
      s.up();
      linesUntil("debug", l -> l.startsWith("(Pdb)"), "the pdb prompt");
      s.input("debug", typed("p x\r"));
      linesUntil("debug", l -> l.equals("42"), "x printed");
      s.input("debug", typed("c\r"));
      linesUntil("debug", l -> l.equals("after the breakpoint"), "the program going on");
      s.shutdown().get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFollowerIsToldARunThatCrashesRestartsAndAFinalExitIsFinal() throws Exception {
    try (ProcessControl control = ProcessControl.create();
        Supervisor s =
            supervisor(
                """
                processes:
                  crashy:
                    command: sh -c 'echo run; sleep 0.3; exit 3'
                    interactive: true
                    backoff: 100ms
                    maxRetries: 1
                """,
                control)) {
      LinkedBlockingQueue<String> marks = new LinkedBlockingQueue<>();
      Control.TerminalFollower follower =
          new Control.TerminalFollower() {
            @Override
            public void output(byte[] bytes) {}

            @Override
            public void exited(ProcessState state, Integer code) {
              marks.add("exit " + state.word() + " " + code);
            }

            @Override
            public void restarted(long pid) {
              marks.add("restart");
            }

            @Override
            public void ended(boolean dropped) {}
          };
      s.up();
      try (TerminalFollow f = TerminalFollow.start(s, "crashy", follower)) {
        List<String> seenMarks = new ArrayList<>();
        while (!seenMarks.contains("exit exited 3")) {
          String m = marks.poll(20, TimeUnit.SECONDS);
          if (m == null) throw new AssertionError("no final exit; saw " + seenMarks);
          seenMarks.add(m);
        }
        // Its first run's end says a restart is coming (backoff), its last (maxRetries reached)
        // that it is over; a new terminal came between them.
        assertEquals(
            List.of("exit backoff 3", "exit exited 3"),
            seenMarks.stream().filter(m -> m.startsWith("exit")).toList());
        assertEquals("restart", seenMarks.get(seenMarks.indexOf("exit backoff 3") + 1));
      }
      s.shutdown().get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void whereNoTerminalCanBeHadItGetsPipesAndIsTypedIntoALineAtATime() throws Exception {
    // Forces the failure a noexec temporary folder or another system would give (os.Ptys).
    System.setProperty("pmj.test.noTerminal", "forced by the test");
    try (ProcessControl control = ProcessControl.create();
        Supervisor s =
            supervisor(
                """
                processes:
                  repl:
                    command: python3 @TESTDATA@/read_lines.py
                    interactive: true
                    restart: never
                  waiter:
                    command: python3 @TESTDATA@/interrupt.py
                    interactive: true
                    restart: never
                  plain:
                    command: sleep 1000
                """,
                control)) {
      s.up();
      List<String> lines = linesUntil("repl", l -> l.equals("tty=False"), "repl's first line");
      assertEquals(
          List.of(
              "notice: no terminal could be had (forced by the test); its input is a pipe, a line"
                  + " at a time"),
          lines.subList(0, lines.size() - 1));
      // Backspace edits the line before it goes; a cursor key is dropped; Enter sends it.
      s.input("repl", typed("ab\u007fc\u001b[Dd\r"));
      assertEquals(
          List.of("got 'acd\\n'"), linesUntil("repl", l -> l.startsWith("got"), "the line"));
      // Ctrl-U drops what was typed; a line may come in several writes.
      s.input("repl", typed("wrong\u0015ri"));
      s.input("repl", typed("ght\n"));
      assertEquals(
          List.of("got 'right\\n'"), linesUntil("repl", l -> l.startsWith("got"), "the line"));
      // The raw view shows the output as a terminal would, and pmj's echo of what was typed.
      String raw = new String(s.terminalOutput("repl"), StandardCharsets.UTF_8);
      assertEquals(
          "tty=False\r\nab\b \bcd\r\ngot 'acd\\n'\r\nwrong\b \b\b \b\b \b\b \b\b \bright\r\n"
              + "got 'right\\n'\r\n",
          raw);
      // Ctrl-D on an empty line ends its input.
      s.input("repl", typed("\u0004"));
      linesUntil("repl", l -> l.equals("end of input"), "the end of its input");
      // Ctrl-C reaches the program as SIGINT.
      // (Its first line may have gone by among repl's: its raw output keeps it. The whole line:
      // unbuffered, Python writes the text and its newline apart, and a SIGINT between the two
      // would join "interrupted" to it.)
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!new String(s.terminalOutput("waiter"), StandardCharsets.UTF_8).contains("waiting\r\n")
          && System.nanoTime() < deadline) {
        Thread.sleep(20); // polling interval of a wait with a deadline
      }
      s.input("waiter", typed("\u0003"));
      linesUntil("waiter", l -> l.equals("interrupted"), "the interrupt");
      ControlException notInteractive =
          assertThrows(ControlException.class, () -> s.input("plain", typed("x\r")));
      assertEquals("plain is not interactive", notInteractive.getMessage());
      ControlException unknown =
          assertThrows(ControlException.class, () -> s.input("nope", typed("x")));
      assertEquals(ControlException.Kind.NOT_FOUND, unknown.kind());
      s.shutdown().get(20, TimeUnit.SECONDS);
    }
  }
}
