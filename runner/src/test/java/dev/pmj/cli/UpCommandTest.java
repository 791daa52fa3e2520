package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Bytes;
import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Leftovers;
import dev.pmj.testing.PmjProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** `pmj up` end to end: a real pmj JVM running real processes from testdata/. */
class UpCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  /** pmj as users run it on Linux (output polled by one thread), or read by a thread each. */
  private PmjProcess start(boolean polled, String... args) throws java.io.IOException {
    return polled ? PmjProcess.start(dir, args) : PmjProcess.startReadingByThreads(dir, args);
  }

  @ParameterizedTest(name = "polled: {0}")
  @ValueSource(booleans = {true, false})
  void everyLineOfThreeProducersArrivesWholeAndInOrder(boolean polled) throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        version: 1
        processes:
          big:
            command: python3 @TESTDATA@/lines.py 200000 big
            restart: never
          b:
            command: python3 @TESTDATA@/lines.py 50000 b
            restart: never
          c:
            command: python3 @TESTDATA@/lines.py 50000 c
            restart: never
        """);
    try (PmjProcess pmj = start(polled, "up")) {
      assertEquals(0, pmj.awaitExit(Duration.ofSeconds(120)), pmj.stderr());
      // stdin is /dev/null and stdout a pipe: no console, and nothing at all on stderr.
      assertEquals("", pmj.stderr());
      Map<String, Integer> next = new java.util.HashMap<>(Map.of("big", 1, "b", 1, "c", 1));
      String pad = "x".repeat(40);
      int other = 0;
      for (String line : pmj.lines()) {
        if (line.isEmpty() || line.startsWith("pmj ")) continue;
        String[] parts = line.split(" \\| ", 2);
        String id = parts[0].trim();
        String[] words = parts[1].split(" ");
        assertEquals(3, words.length, "torn line: " + line);
        assertEquals(id, words[0], "line under the wrong prefix: " + line);
        assertEquals(pad, words[2], "torn line: " + line);
        int n = Integer.parseInt(words[1]);
        assertEquals(next.get(id), n, "out of order or lost before: " + line);
        next.put(id, n + 1);
        other++;
      }
      assertEquals(200001, next.get("big"));
      assertEquals(50001, next.get("b"));
      assertEquals(50001, next.get("c"));
      assertEquals(300000, other);
    }
  }

  /** The names of pmj's threads whose name starts with pmj-out. */
  private static List<String> outputThreads(long pid) throws java.io.IOException {
    List<String> names = new ArrayList<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String name = Files.readString(t.resolve("comm")).strip();
          if (name.startsWith("pmj-out")) names.add(name);
        } catch (java.io.IOException e) {
          // the thread ended meanwhile
        }
      }
    }
    java.util.Collections.sort(names);
    return names;
  }

  @ParameterizedTest(name = "polled: {0}")
  @ValueSource(booleans = {true, false})
  void oneThreadReadsEveryProcesssOutputWhereThePipesCanBePolled(boolean polled) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/task")));
    Fixtures.writeConfig(
        dir,
        """
        processes:
          a:
            command: sh -c 'echo a-up; exec sleep 60'
          b:
            command: sh -c 'echo b-up; exec sleep 60'
          c:
            command: sh -c 'echo c-up; exec sleep 60'
        """);
    try (PmjProcess pmj = start(polled, "up")) {
      pmj.awaitLine("^a +\\| a-up$", WAIT);
      pmj.awaitLine("^b +\\| b-up$", WAIT);
      pmj.awaitLine("^c +\\| c-up$", WAIT);
      // Polled: one thread per core (at most four), the three pipes dealt to them in turn.
      int pollers = Math.min(3, Runtime.getRuntime().availableProcessors());
      List<String> expected = new ArrayList<>();
      for (int i = 1; i <= pollers; i++) expected.add("pmj-out-" + i);
      assertEquals(
          polled ? expected : List.of("pmj-out-a", "pmj-out-b", "pmj-out-c"),
          outputThreads(pmj.pid()));
      pmj.signal("TERM");
      assertEquals(0, pmj.awaitExit(WAIT), pmj.stderr());
    }
  }

  @ParameterizedTest(name = "polled: {0}")
  @ValueSource(booleans = {true, false})
  void aPromptWithoutNewlineIsShownWhileTheProcessWaits(boolean polled) throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          prompt:
            command: sh @TESTDATA@/prompt.sh
        """);
    try (PmjProcess pmj = start(polled, "up")) {
      pmj.awaitLine("^prompt \\| name\\? $", WAIT);
      assertTrue(pmj.isAlive());
      pmj.signal("TERM");
      assertEquals(0, pmj.awaitExit(WAIT));
    }
  }

  @Test
  void longLinesBinaryAndInvalidUtf8PassThroughByteForByte() throws Exception {
    Path producer = dir.resolve("bytes.py");
    Files.writeString(
        producer,
        """
        import sys
        out = sys.stdout.buffer
        out.write(b"L" * 1048576 + b"\\n")
        out.write(b"bad \\xff\\xfe\\xc3( utf8\\n")
        out.write(b"cr \\rprogress\\x1b[31mred\\n")
        out.write(b"\\n")
        out.flush()
        """);
    Fixtures.writeConfig(
        dir,
        """
        processes:
          bin:
            command: python3 bytes.py
            restart: never
        """);
    try (PmjProcess pmj = PmjProcess.start(dir, "up", "--color=never")) {
      assertEquals(0, pmj.awaitExit(WAIT), pmj.stderr());
      byte[] out = pmj.stdoutBytes();
      String expected = "bin | " + "L".repeat(1048576) + "\n";
      assertTrue(
          Bytes.indexOf(out, expected.getBytes(StandardCharsets.US_ASCII)) >= 0,
          "1 MB line not intact");
      assertTrue(
          Bytes.indexOf(out, bytes("bin | bad \\xff\\xfe\\xc3( utf8\n")) >= 0,
          "invalid UTF-8 changed");
      assertTrue(
          Bytes.indexOf(out, bytes("bin | cr \rprogress\u001b[31mred\n")) >= 0,
          "\\r or ANSI changed");
      assertTrue(Bytes.indexOf(out, bytes("bin | \n")) >= 0, "blank line lost");
    }
  }

  @Test
  void crashingProcessBacksOffDoublingThenFailsAfterMaxRetries() throws Exception {
    Path marker = dir.resolve("starts");
    Fixtures.writeConfig(
        dir,
        """
        processes:
          crash:
            command: python3 @TESTDATA@/crash.py
            env:
              MARKER_FILE: %s
            backoff: 200ms
            backoffMax: 700ms
            maxRetries: 4
          steady:
            command: python3 @TESTDATA@/echo.py steady
        """
            .formatted(marker));
    try (PmjProcess pmj = PmjProcess.start(dir, "up")) {
      pmj.awaitLine("^pmj +\\| crash: restarting in 0\\.2s \\(retry 1 of 4\\)$", WAIT);
      pmj.awaitLine("^pmj +\\| crash: restarting in 0\\.4s \\(retry 2 of 4\\)$", WAIT);
      pmj.awaitLine("^pmj +\\| crash: restarting in 0\\.7s \\(retry 3 of 4\\)$", WAIT);
      pmj.awaitLine("^pmj +\\| crash: restarting in 0\\.7s \\(retry 4 of 4\\)$", WAIT);
      pmj.awaitLine("^pmj +\\| crash: failed: exited with code 1 after 4 retries$", WAIT);
      List<String> starts = Files.readAllLines(marker);
      assertEquals(5, starts.size());
      // Each restart waited at least its delay (lower bounds only: a busy machine adds time).
      double[] delays = {0.2, 0.4, 0.7, 0.7};
      for (int i = 0; i < delays.length; i++) {
        double gap = time(starts.get(i + 1)) - time(starts.get(i));
        assertTrue(
            gap >= delays[i] - 0.02,
            "restart " + (i + 1) + " after " + gap + "s, before its delay " + delays[i]);
        assertTrue(gap < delays[i] + 5, "restart " + (i + 1) + " after " + gap + "s");
      }
      assertTrue(pmj.isAlive(), "the other process keeps pmj running");
      assertTrue(pmj.stdout().contains("steady | steady\n"));
      pmj.signal("INT");
      assertEquals(0, pmj.awaitExit(WAIT));
    }
  }

  @Test
  void aProgramThatCannotStartFailsWithTheReasonAndTheOthersRunOn() throws Exception {
    Files.writeString(dir.resolve("notexec.sh"), "echo hi\n");
    Fixtures.writeConfig(
        dir,
        """
        processes:
          missing:
            command: no-such-program-xyz --flag
          notexec:
            command: ./notexec.sh
          fine:
            command: python3 @TESTDATA@/echo.py still here
        """);
    try (PmjProcess pmj = PmjProcess.start(dir, "up")) {
      pmj.awaitLine(
          "^pmj +\\| missing: failed: cannot start: no-such-program-xyz: command not found in PATH$",
          WAIT);
      pmj.awaitLine(
          "^pmj +\\| notexec: failed: cannot start: ./notexec.sh: permission denied \\(not executable\\)$",
          WAIT);
      pmj.awaitLine("^fine +\\| still here$", WAIT);
      pmj.signal("TERM");
      assertEquals(0, pmj.awaitExit(WAIT));
    }
  }

  @Test
  void dependentsStartOnlyAfterTheirConditionAndAFailedDependencyKeepsThemPending()
      throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          setup:
            command: sh -c 'echo setting up'
            restart: never
          server:
            command: python3 @TESTDATA@/echo.py serving
            dependsOn:
              setup: completed
            readiness:
              logLine: ^serving$
          client:
            command: python3 @TESTDATA@/echo.py client up
            dependsOn:
              server: ready
          broken:
            command: sh -c 'exit 3'
            restart: never
          blocked:
            command: python3 @TESTDATA@/echo.py never printed
            dependsOn:
              broken: completed
        """);
    try (PmjProcess pmj = PmjProcess.start(dir, "up")) {
      pmj.awaitLine("^client +\\| client up$", WAIT);
      pmj.awaitLine(
          "^pmj +\\| blocked: not started: dependency broken exited with code 3, not 0$", WAIT);
      List<String> lines = pmj.lines();
      assertTrue(index(lines, "setup: exited with code 0") < index(lines, "server: started"));
      assertTrue(
          index(lines, "server: ready (log line matched)") < index(lines, "client: started"));
      assertFalse(pmj.stdout().contains("never printed"));
      pmj.signal("INT");
      assertEquals(0, pmj.awaitExit(WAIT));
      List<String> after = pmj.lines();
      assertTrue(
          index(after, "client: stopped") < index(after, "server: stopping"),
          "dependents stop before their dependencies:\n" + pmj.stdout());
    }
  }

  @Test
  void httpTcpAndExecProbesMakeProcessesReady() throws Exception {
    int httpPort = freePort();
    int tcpPort = freePort();
    Fixtures.writeConfig(
        dir,
        """
        processes:
          web:
            command: node @TESTDATA@/server.js
            env:
              PORT: "%d"
            readiness:
              http: http://127.0.0.1:%d/health
              interval: 100ms
          tcp:
            command: python3 -m http.server %d --bind 127.0.0.1
            readiness:
              tcp: 127.0.0.1:%d
              interval: 100ms
          file:
            command: sh -c 'sleep 0.3; touch made; exec sleep 1000'
            readiness:
              exec: test -f made
              interval: 100ms
          after:
            command: python3 @TESTDATA@/echo.py all ready
            dependsOn:
              web: ready
              tcp: ready
              file: ready
        """
            .formatted(httpPort, httpPort, tcpPort, tcpPort));
    try (PmjProcess pmj = PmjProcess.start(dir, "up")) {
      pmj.awaitLine("^after +\\| all ready$", WAIT);
      String out = pmj.stdout();
      assertTrue(out.contains("web: ready (http probe passed)"), out);
      assertTrue(out.contains("tcp: ready (tcp probe passed)"), out);
      assertTrue(out.contains("file: ready (exec probe passed)"), out);
      pmj.signal("TERM");
      assertEquals(0, pmj.awaitExit(WAIT));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"INT", "TERM", "HUP"})
  void aSignalToPmjAloneStopsEveryProcessAndGrandchild(String signal) throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          gc:
            command: sh @TESTDATA@/grandchild.sh
          a:
            command: sh -c 'echo ready-a; exec sleep 1000'
          stubborn:
            command: sh @TESTDATA@/ignore_term.sh
            stopTimeout: 500ms
        """);
    try (PmjProcess pmj = PmjProcess.start(dir, "up")) {
      pmj.awaitLine("^gc +\\| grandchild: parent", WAIT);
      pmj.awaitLine("^a +\\| ready-a$", WAIT);
      pmj.awaitLine("^stubborn +\\| ignore_term: ignoring TERM$", WAIT);
      assertTrue(Leftovers.find(pmj.tag).size() >= 5, Leftovers.find(pmj.tag).toString());
      pmj.signal(signal);
      assertEquals(0, pmj.awaitExit(WAIT), pmj.stdout());
      assertTrue(
          pmj.stdout().contains("stubborn: still running 0.5s after SIGTERM; sending SIGKILL"),
          pmj.stdout());
      assertEquals(List.of(), Leftovers.awaitNone(pmj.tag, Duration.ofSeconds(5)));
    }
  }

  @Test
  void whenPmjIsKilledItsProcessesAreEndedByTheWatchdog() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          gc:
            command: sh @TESTDATA@/grandchild.sh
          a:
            command: sh -c 'echo ready-a; exec sleep 1000'
        """);
    try (PmjProcess pmj = PmjProcess.start(dir, "up")) {
      pmj.awaitLine("^gc +\\| grandchild: parent", WAIT);
      pmj.awaitLine("^a +\\| ready-a$", WAIT);
      pmj.signal("KILL");
      pmj.awaitExit(WAIT);
      // The requirement is 2 s; the bound here leaves room for a busy machine.
      assertEquals(List.of(), Leftovers.awaitNone(pmj.tag, Duration.ofSeconds(6)));
    }
  }

  @Test
  void exitOnFailureStopsEverythingAndExitsOne() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          crash:
            command: python3 @TESTDATA@/crash.py
            maxRetries: 0
          steady:
            command: python3 @TESTDATA@/echo.py steady
        """);
    try (PmjProcess pmj = PmjProcess.start(dir, "up", "--exit-on-failure")) {
      assertEquals(1, pmj.awaitExit(WAIT), pmj.stdout());
      pmj.awaitLine(
          "^pmj +\\| --exit-on-failure: crash failed: exited with code 1; not restarted \\(maxRetries: 0\\); stopping every process$",
          WAIT);
      pmj.awaitLine("^pmj +\\| steady: stopped", WAIT);
    }
  }

  @Test
  void pmjExitsByItselfWhenEveryProcessHasEnded() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          one:
            command: sh -c 'echo one'
            restart: never
          two:
            command: sh -c 'echo two; exit 4'
            restart: on-failure
            maxRetries: 1
            backoff: 10ms
        """);
    try (PmjProcess pmj = PmjProcess.start(dir, "up")) {
      assertEquals(1, pmj.awaitExit(WAIT), pmj.stdout());
      assertTrue(pmj.stdout().contains("pmj | every process has ended"), pmj.stdout());
    }
  }

  @Test
  void namedProcessesStartWithTheirDependenciesOnly() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          db:
            command: python3 @TESTDATA@/echo.py db up
          api:
            command: python3 @TESTDATA@/echo.py api up
            dependsOn: [db]
          web:
            command: python3 @TESTDATA@/echo.py web up
        """);
    try (PmjProcess pmj = PmjProcess.start(dir, "up", "api")) {
      pmj.awaitLine("^api +\\| api up$", WAIT);
      pmj.awaitLine("^db +\\| db up$", WAIT);
      pmj.signal("INT");
      assertEquals(0, pmj.awaitExit(WAIT));
      assertFalse(pmj.stdout().contains("web"), pmj.stdout());
    }
  }

  @Test
  void unknownProcessNameIsAUsageError() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          api:
            command: python3 @TESTDATA@/echo.py
        """);
    try (PmjProcess pmj = PmjProcess.start(dir, "up", "apj")) {
      assertEquals(2, pmj.awaitExit(WAIT));
      assertEquals("pmj: unknown process \"apj\" (did you mean \"api\"?)\n", pmj.stderr());
    }
  }

  @Test
  void colorsTimestampsAndPrefixFollowTheOptions() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          env:
            command: sh -c 'echo "force=$${FORCE_COLOR:-unset}"'
            restart: never
            color: magenta
        """);
    try (PmjProcess pmj = PmjProcess.start(dir, "up", "--color=always")) {
      assertEquals(0, pmj.awaitExit(WAIT));
      assertTrue(pmj.stdout().contains("\033[35menv |\033[0m force=1\n"), pmj.stdout());
    }
    try (PmjProcess pmj = PmjProcess.start(dir, Map.of("NO_COLOR", "1"), "up", "--timestamps")) {
      assertEquals(0, pmj.awaitExit(WAIT));
      assertTrue(
          pmj.stdout().matches("(?s).*\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d env \\| force=unset\n.*"),
          pmj.stdout());
      assertFalse(pmj.stdout().contains("\033["));
    }
    try (PmjProcess pmj = PmjProcess.start(dir, "up", "--no-prefix")) {
      assertEquals(0, pmj.awaitExit(WAIT));
      assertTrue(pmj.stdout().contains("\nforce=unset\n"), pmj.stdout());
      assertFalse(pmj.stdout().contains(" | "), pmj.stdout());
    }
  }

  // ---- helpers ----

  private static double time(String markerLine) {
    return Double.parseDouble(markerLine.split(" ")[1]);
  }

  private static int index(List<String> lines, String fragment) {
    for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains(fragment)) return i;
    throw new AssertionError("no line with \"" + fragment + "\" in\n" + String.join("\n", lines));
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static byte[] bytes(String latin1) {
    List<Byte> out = new ArrayList<>();
    for (int i = 0; i < latin1.length(); i++) {
      char c = latin1.charAt(i);
      if (c == '\\' && i + 3 < latin1.length() && latin1.charAt(i + 1) == 'x') {
        out.add((byte) Integer.parseInt(latin1.substring(i + 2, i + 4), 16));
        i += 3;
      } else {
        out.add((byte) c);
      }
    }
    byte[] b = new byte[out.size()];
    for (int i = 0; i < b.length; i++) b[i] = out.get(i);
    return b;
  }

  /**
   * Four fast producers whose log files cannot be written (their folder is a file): the files'
   * notices are published from the files' own thread while the producers fill every queue. pmj once
   * hung there (about one run in three), deaf to SIGTERM.
   */
  @Test
  void logFilesThatCannotBeWrittenUnderHeavyOutputNeverHangPmj() throws Exception {
    Files.writeString(dir.resolve("blocked"), "a file where the folder should be");
    StringBuilder yaml = new StringBuilder("processes:\n");
    for (int i = 1; i <= 4; i++)
      yaml.append(
          "  y" + i + ":\n    command: yes y" + i + "\n    logFile: blocked/y" + i + ".log\n");
    Fixtures.writeConfig(dir, yaml.toString());
    for (int run = 1; run <= 3; run++) {
      try (PmjProcess pmj = PmjProcess.startKeeping(dir, l -> l.startsWith("pmj "), "up")) {
        for (int i = 1; i <= 4; i++)
          pmj.awaitLine("^pmj +\\| y" + i + ": cannot write .*blocked/y" + i + "\\.log: ", WAIT);
        pmj.signal("TERM");
        long t0 = System.nanoTime();
        // Required: pmj stops within 2 s; the bound leaves room for a busy machine.
        assertEquals(0, pmj.awaitExit(Duration.ofSeconds(10)), "run " + run);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 10_000, "run " + run + ": " + ms + " ms");
        pmj.awaitLine("^pmj +\\| received SIGTERM, stopping every process$", WAIT);
      }
    }
  }

  /**
   * timeout, systemd and other supervisors send SIGTERM to pmj and then to its group: the second,
   * milliseconds later, is the same request, not "again: kill everything".
   */
  @Test
  void twoSigtermsMillisecondsApartStopGracefully() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          polite:
            command: sh @TESTDATA@/goodbye_on_term.sh
            stopTimeout: 30s
        """);
    try (PmjProcess pmj = PmjProcess.start(dir, "up")) {
      pmj.awaitLine("^polite +\\| goodbye_on_term: ready$", WAIT);
      String pid = Long.toString(pmj.pid());
      new ProcessBuilder("sh", "-c", "kill -s TERM " + pid + "; sleep 0.01; kill -s TERM " + pid)
          .inheritIO()
          .start()
          .waitFor();
      assertEquals(0, pmj.awaitExit(WAIT), pmj.stdout());
      assertTrue(pmj.stdout().contains("polite | goodbye_on_term: goodbye\n"), pmj.stdout());
      assertTrue(
          pmj.stdout().contains("pmj    | received SIGTERM, stopping every process\n"),
          pmj.stdout());
      assertFalse(pmj.stdout().contains("again"), pmj.stdout());
    }
  }

  @Test
  void aSecondSigintMoreThanASecondAfterTheFirstKillsAtOnce() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          stubborn:
            command: sh @TESTDATA@/ignore_term.sh
            stopTimeout: 60s
        """);
    try (PmjProcess pmj = PmjProcess.start(dir, "up")) {
      pmj.awaitLine("^stubborn +\\| ignore_term: ignoring TERM$", WAIT);
      pmj.signal("INT");
      pmj.awaitLine("^pmj +\\| stubborn: stopping \\(sending SIGTERM\\)$", WAIT);
      // Not a wait for something: the second Ctrl-C must come after the 1 s window, which pmj
      // opened before it said "stopping" (timed from here, however late the line came).
      Thread.sleep(StopRequests.SAME.toMillis() + 300);
      pmj.signal("INT");
      long second = System.nanoTime();
      pmj.awaitLine("^pmj +\\| received SIGINT again: killing every process now$", WAIT);
      assertEquals(0, pmj.awaitExit(WAIT), pmj.stdout());
      // Long before its stopTimeout of 60 s.
      assertTrue((System.nanoTime() - second) / 1_000_000_000 < 15, "pmj took too long to kill it");
      assertFalse(pmj.stdout().contains("sending SIGKILL"), pmj.stdout());
    }
  }
}
