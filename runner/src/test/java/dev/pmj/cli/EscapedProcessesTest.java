package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Cli;
import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Leftovers;
import dev.pmj.testing.PmjProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Programs that leave their process group (setsid, a double fork, a daemon) are still stopped with
 * their process, found by the marker every child inherits (README, "`pmj up`": programs that leave
 * their group).
 */
class EscapedProcessesTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern ESCAPED = Pattern.compile("escaped: ([0-9]+)");

  @TempDir Path dir;

  private static void awaitApi(PmjProcess pmj) {
    pmj.awaitLine("^pmj +\\| dashboard: ", WAIT);
  }

  /** Waits for the {@code n}th line that matches {@code regex}. */
  private static void awaitNth(PmjProcess pmj, String regex, int n) {
    Pattern p = Pattern.compile(regex);
    int[] seen = {0};
    pmj.awaitLine(l -> p.matcher(l).find() && ++seen[0] == n, regex + " #" + n, WAIT);
  }

  /** The pid the escaped process printed, from the line of {@code id} that says it. */
  private static long escapedPid(PmjProcess pmj, String id, int nth) {
    String line = null;
    for (int i = 0; i < nth; i++) {
      int skip = i;
      line =
          pmj.awaitLine(
              new java.util.function.Predicate<>() {
                int seen;

                @Override
                public boolean test(String l) {
                  return l.matches("^" + Pattern.quote(id) + " +\\| escaped: [0-9]+$")
                      && seen++ == skip;
                }
              },
              id + " escaped #" + (i + 1),
              WAIT);
    }
    Matcher m = ESCAPED.matcher(line);
    assertTrue(m.find(), line);
    return Long.parseLong(m.group(1));
  }

  private static void awaitGone(long pid) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (Leftovers.alive(pid) && System.nanoTime() < deadline)
      Thread.sleep(20); // polling with a deadline
    assertFalse(Leftovers.alive(pid), "process " + pid + " is still running");
  }

  private static long sessionOf(long pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[3]);
  }

  private void writeConfig(String mode) throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          esc:
            command: sh @TESTDATA@/escape.sh %s
            stopTimeout: 2s
          other:
            command: sh -c 'echo other up; exec sleep 1000'
        """
            .formatted(mode));
  }

  @ParameterizedTest
  @ValueSource(strings = {"setsid", "doublefork", "daemon stay"})
  void escapedProcessesGoWithTheirProcessOnRestartStopAndCtrlC(String mode) throws Exception {
    writeConfig(mode);
    boolean leaves = !mode.equals("doublefork");
    try (PmjProcess pmj = PmjProcess.start(dir, "up")) {
      long first = escapedPid(pmj, "esc", 1);
      pmj.awaitLine("^other +\\| other up$", WAIT);
      if (leaves) assertTrue(sessionOf(first) != sessionOf(pmj.pid()));
      awaitApi(pmj);

      assertEquals(0, Cli.run(dir, "restart", "esc").code());
      long second = escapedPid(pmj, "esc", 2);
      awaitGone(first);
      if (leaves) {
        pmj.awaitLine(
            "^pmj +\\| esc: stopped 1 process that had left its process group: "
                + first
                + " [a-z0-9]+$",
            WAIT);
      }

      Cli.Run stop = Cli.run(dir, "stop", "esc");
      assertEquals(0, stop.code(), stop.err());
      awaitGone(second);
      // The restart said "stopped" once already: this is the stop's.
      awaitNth(pmj, "^pmj +\\| esc: stopped \\(", 2);
      assertTrue(pmj.stdout().contains("other up"));

      assertEquals(0, Cli.run(dir, "start", "esc").code());
      long third = escapedPid(pmj, "esc", 3);
      pmj.signal("INT");
      assertEquals(0, pmj.awaitExit(WAIT), pmj.stdout());
      assertFalse(Leftovers.alive(third), "escaped process " + third + " outlived pmj");
      assertEquals(List.of(), Leftovers.awaitNone(pmj.tag, Duration.ofSeconds(5)));
    }
  }

  @Test
  void pmjDownStopsAProcessThatLeftItsGroup() throws Exception {
    writeConfig("setsid");
    try (PmjProcess pmj = PmjProcess.start(dir, "up")) {
      long escaped = escapedPid(pmj, "esc", 1);
      awaitApi(pmj);
      Cli.Run down = Cli.run(dir, "down");
      assertEquals(0, down.code(), down.err());
      assertEquals(0, pmj.awaitExit(WAIT), pmj.stdout());
      assertFalse(Leftovers.alive(escaped), "escaped process " + escaped + " outlived pmj down");
      assertTrue(
          pmj.stdout()
              .contains("esc: stopped 1 process that had left its process group: " + escaped),
          pmj.stdout());
      assertEquals(List.of(), Leftovers.awaitNone(pmj.tag, Duration.ofSeconds(5)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"setsid", "doublefork", "daemon stay"})
  void whenPmjIsKilledTheWatchdogEndsProcessesThatLeftTheirGroup(String mode) throws Exception {
    writeConfig(mode);
    try (PmjProcess pmj = PmjProcess.start(dir, "up")) {
      long escaped = escapedPid(pmj, "esc", 1);
      pmj.awaitLine("^other +\\| other up$", WAIT);
      pmj.signal("KILL");
      pmj.awaitExit(WAIT);
      // The requirement is 2 s; the bound here leaves room for a busy machine.
      assertEquals(List.of(), Leftovers.awaitNone(pmj.tag, Duration.ofSeconds(8)));
      assertFalse(Leftovers.alive(escaped));
    }
  }

  @Test
  void aProgramThatDaemonizesUnderRestartAlwaysLeaksNothingAndSaysWhatHappened() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          redis:
            command: sh @TESTDATA@/escape.sh daemon
            backoff: 100ms
            healthyAfter: 1m
        """);
    try (PmjProcess pmj = PmjProcess.start(dir, "up")) {
      for (int i = 1; i <= 3; i++) {
        long daemon = escapedPid(pmj, "redis", i);
        pmj.awaitLine(
            "^pmj +\\| redis: stopped [0-9]+ process(es)? that had left its process group: (.*, )?"
                + daemon
                + " python3(, .*)? \\(it exited and left them running; for a program that starts a"
                + " daemon and exits, set daemon: true\\)$",
            WAIT);
        awaitGone(daemon);
      }
      pmj.signal("INT");
      assertEquals(0, pmj.awaitExit(WAIT), pmj.stdout());
      assertEquals(List.of(), Leftovers.awaitNone(pmj.tag, Duration.ofSeconds(5)));
    }
  }

  @Test
  void aDaemonRunsWithItsOwnPidAndStopsByItsSignal() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          d:
            command: python3 @TESTDATA@/daemon.py
            daemon: true
        """);
    try (PmjProcess pmj = PmjProcess.start(dir, "up")) {
      long daemon = escapedPid(pmj, "d", 1);
      pmj.awaitLine("^pmj +\\| d: daemon running \\(pid " + daemon + " python3\\)$", WAIT);
      awaitApi(pmj);
      Cli.Run ps = Cli.run(dir, "ps", "--json");
      assertTrue(ps.out().contains("\"pid\":" + daemon), ps.out());
      assertTrue(
          ps.out().contains("\"state\":\"running\"") || ps.out().contains("\"state\":\"ready\""),
          ps.out());
      Cli.Run table = Cli.run(dir, "ps");
      assertTrue(table.out().contains(" " + daemon + " "), table.out());

      assertEquals(0, Cli.run(dir, "stop", "d").code());
      pmj.awaitLine("^d +\\| daemon: bye$", WAIT);
      pmj.awaitLine("^pmj +\\| d: stopped \\(its daemon stopped\\)$", WAIT);
      awaitGone(daemon);
      pmj.signal("INT");
      assertEquals(0, pmj.awaitExit(WAIT), pmj.stdout());
      assertFalse(pmj.stdout().contains("had left its process group"), pmj.stdout());
      assertEquals(List.of(), Leftovers.awaitNone(pmj.tag, Duration.ofSeconds(5)));
    }
  }

  @Test
  void aDaemonThatEndsIsRestartedByItsPolicy() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          d:
            command: python3 @TESTDATA@/daemon.py brief
            daemon: true
            restart: on-failure
            backoff: 100ms
        """);
    try (PmjProcess pmj = PmjProcess.start(dir, "up")) {
      long first = escapedPid(pmj, "d", 1);
      pmj.awaitLine("^pmj +\\| d: its daemon ended \\(pid " + first + " python3\\)$", WAIT);
      pmj.awaitLine("^pmj +\\| d: restarting in 0\\.1s", WAIT);
      long second = escapedPid(pmj, "d", 2);
      pmj.awaitLine("^pmj +\\| d: daemon running \\(pid " + second + " python3\\)$", WAIT);
      pmj.signal("INT");
      assertEquals(0, pmj.awaitExit(WAIT), pmj.stdout());
      assertEquals(List.of(), Leftovers.awaitNone(pmj.tag, Duration.ofSeconds(5)));
    }
  }

  @Test
  void stopCommandRunsFirstAndTheSignalsFollowWhenItIsNotEnough() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          pg:
            command: python3 @TESTDATA@/daemon.py
            daemon: true
            stopCommand: sh @TESTDATA@/daemon_stop.sh
          stubborn:
            command: python3 @TESTDATA@/daemon.py stubborn
            cwd: sub
            daemon: true
            stopCommand: sh @TESTDATA@/daemon_stop.sh
            stopTimeout: 500ms
        """);
    Files.createDirectories(dir.resolve("sub"));
    try (PmjProcess pmj = PmjProcess.start(dir, "up")) {
      long pg = escapedPid(pmj, "pg", 1);
      long stubborn = escapedPid(pmj, "stubborn", 1);
      pmj.awaitLine("^pmj +\\| pg: daemon running", WAIT);
      pmj.awaitLine("^pmj +\\| stubborn: daemon running", WAIT);
      awaitApi(pmj);

      assertEquals(0, Cli.run(dir, "stop", "pg").code());
      pmj.awaitLine("^pmj +\\| pg: stopping \\(running stopCommand\\)$", WAIT);
      pmj.awaitLine("^pg +\\| stop command: stopping " + pg + "$", WAIT);
      pmj.awaitLine("^pg +\\| daemon: bye$", WAIT);
      pmj.awaitLine("^pmj +\\| pg: stopped \\(its daemon stopped\\)$", WAIT);
      awaitGone(pg);
      assertFalse(pmj.stdout().contains("pg: still running"), pmj.stdout());

      assertEquals(0, Cli.run(dir, "stop", "stubborn").code());
      pmj.awaitLine("^stubborn +\\| stop command: stopping " + stubborn + "$", WAIT);
      pmj.awaitLine(
          "^pmj +\\| stubborn: still running 0\\.5s after stopCommand; sending SIGTERM$", WAIT);
      pmj.awaitLine("^pmj +\\| stubborn: stopped \\(its daemon stopped\\)$", WAIT);
      awaitGone(stubborn);
      pmj.signal("INT");
      assertEquals(0, pmj.awaitExit(WAIT), pmj.stdout());
      assertEquals(List.of(), Leftovers.awaitNone(pmj.tag, Duration.ofSeconds(5)));
    }
  }
}
