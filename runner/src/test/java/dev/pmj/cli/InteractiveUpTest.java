package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Cli;
import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Leftovers;
import dev.pmj.testing.PmjProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** interactive: true as a user of pmj up sees it (README, "`pmj up`"). */
class InteractiveUpTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void terminalOutputShowsAsReadablePrefixedLinesAndCtrlCLeavesNothing() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          bar:
            command: python3 @TESTDATA@/progress.py
            interactive: true
            restart: never
          ask:
            command: python3 @TESTDATA@/ask.py
            interactive: true
          esc:
            command: sh @TESTDATA@/escape.sh setsid
            interactive: true
            stopTimeout: 2s
        """);
    try (PmjProcess pmj = PmjProcess.start(dir, "up")) {
      pmj.awaitLine("^bar +\\| last line$", WAIT);
      pmj.awaitLine("^ask +\\| continue\\? \\[y/N\\] $", WAIT);
      String escaped = pmj.awaitLine("^esc +\\| escaped: [0-9]+$", WAIT);
      long escapedPid = Long.parseLong(escaped.substring(escaped.lastIndexOf(' ') + 1));
      assertEquals(
          List.of(
              "bar | progress 100%",
              "bar | \u001b[32mdone\u001b[0m in \u001b[1m3\u001b[0m steps", "bar | last line"),
          pmj.lines().stream().filter(l -> l.startsWith("bar ")).toList());
      // pmj logs reads the same folded lines, and the prompt's partial line.
      assertEquals(
          new Cli.Run(
              0,
              "bar | progress 100%\n"
                  + "bar | \u001b[32mdone\u001b[0m in \u001b[1m3\u001b[0m steps\n"
                  + "bar | last line\n",
              ""),
          Cli.run(dir, "logs", "bar", "--no-pmj"));
      assertTrue(
          Cli.run(dir, "logs", "ask", "--json").out().contains("\"text\":\"continue? [y/N] \"}"));
      pmj.signal("INT");
      assertEquals(0, pmj.awaitExit(WAIT), pmj.stderr());
      assertEquals(List.of(), Leftovers.awaitNone(pmj.tag, WAIT));
      assertFalse(Leftovers.alive(escapedPid), "the escaped process is left");
      assertTrue(
          pmj.lines().stream()
              .anyMatch(
                  l ->
                      l.matches(
                          "^pmj +\\| esc: stopped 1 process that had left its process group: "
                              + escapedPid
                              + " [a-z0-9]+$")),
          pmj.stdout());
    }
  }

  @Test
  void whereNoTerminalCanBeHadOneLineSaysSoAndItRunsOnPipes() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          repl:
            command: python3 -c 'import sys; print(sys.stdin.isatty())'
            interactive: true
            restart: never
        """);
    // Forces what a noexec temporary folder gives (os.Ptys).
    try (PmjProcess pmj =
        PmjProcess.start(dir, Map.of("PMJ_TEST_NO_TERMINAL", "forced by the test"), "up")) {
      pmj.awaitLine("^repl +\\| False$", WAIT);
      assertEquals(
          List.of(
              "pmj  | repl: no terminal could be had (forced by the test); its input is a pipe, a line"
                  + " at a time"),
          pmj.lines().stream().filter(l -> l.contains("terminal")).toList());
      pmj.signal("INT");
      assertEquals(0, pmj.awaitExit(WAIT), pmj.stderr());
      assertEquals(List.of(), Leftovers.awaitNone(pmj.tag, WAIT));
    }
  }

  @Test
  void configShowsIt() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          repl:
            command: python3
            interactive: true
          web:
            command: python3 -m http.server
        """);
    Cli.Run r = Cli.run(dir, "config");
    assertEquals(0, r.code(), r.err());
    String repl = r.out().substring(r.out().indexOf("  repl:"), r.out().indexOf("  web:"));
    assertTrue(repl.contains("\n    interactive: true\n"), r.out());
    assertFalse(r.out().substring(r.out().indexOf("  web:")).contains("interactive"), r.out());
  }
}
