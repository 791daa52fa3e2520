package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pmj up -d: pmj in the background, reached by the other commands, and never orphaning. */
class BackgroundTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String YAML =
      """
      processes:
        setup:
          command: sh -c 'echo set up'
          restart: never
        ticker:
          command: python3 @TESTDATA@/ticker.py 0.05
          dependsOn: {setup: completed}
        quiet:
          command: python3 @TESTDATA@/echo.py quiet here
      """;

  @TempDir Path dir;
  private String tag;

  @AfterEach
  void nothingLeft() {
    if (tag == null) return;
    Leftovers.assertNoneLeft(tag);
  }

  /** Runs pmj up -d to its end; returns the launching pmj (already exited) and its exit code. */
  private PmjProcess upDetached(String yaml) throws Exception {
    Fixtures.writeConfig(dir, yaml);
    PmjProcess pmj = PmjProcess.start(dir, "up", "-d");
    tag = pmj.tag;
    pmj.awaitExit(WAIT);
    return pmj;
  }

  private long backgroundPid() throws Exception {
    Matcher m =
        Pattern.compile("\"pid\":([0-9]+)")
            .matcher(Files.readString(dir.resolve(".pmj/state.json")));
    assertTrue(m.find());
    return Long.parseLong(m.group(1));
  }

  @Test
  void startedFromAJvmOtherThanTheLaunchersItsBackgroundPmjStillGivesATerminal() throws Exception {
    // In-process, as a program embedding pmj would: the background pmj is then started with -cp,
    // which must be given what the jar's manifest gives java -jar.
    tag = "pmj-test-" + java.util.UUID.randomUUID();
    Fixtures.writeConfig(
        dir,
        """
        processes:
          ask:
            command: python3 @TESTDATA@/ask.py
            interactive: true
            restart: never
        """);
    Cli.Run up = Cli.run(dir, java.util.Map.of("PMJ_TEST_TAG", tag), "up", "-d");
    assertEquals(0, up.code(), up.err());
    Path log = dir.resolve(".pmj/logs/ask.log");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!(Files.exists(log) && Files.readString(log).contains("continue? [y/N]"))
        && System.nanoTime() < deadline) {
      Thread.sleep(20); // polling interval of a wait with a deadline
    }
    assertTrue(Files.readString(log).contains("continue? [y/N]"), Files.readString(log));
    String pmjLog = Files.readString(dir.resolve(".pmj/pmj.log"));
    assertTrue(!pmjLog.contains("no terminal could be had"), pmjLog);
    assertEquals(0, Cli.run(dir, "down").code());
  }

  @Test
  void itReturnsOnceEveryProcessStartedAndEveryCommandReachesIt() throws Exception {
    PmjProcess pmj = upDetached(YAML);
    assertEquals("", pmj.stderr());
    List<String> out = pmj.stdout().lines().toList();
    assertTrue(out.get(0).startsWith("ID "), pmj.stdout());
    assertTrue(out.get(1).matches("setup +exited .* 0$"), out.get(1));
    assertTrue(out.get(2).matches("ticker +ready +[0-9]+ .*"), out.get(2));
    assertTrue(out.get(3).matches("quiet +ready +[0-9]+ .*"), out.get(3));
    assertTrue(
        out.get(4).matches("dashboard: http://127\\.0\\.0\\.1:[0-9]+/\\?token=[A-Za-z0-9_-]{43}"),
        out.get(4));
    long pid = backgroundPid();
    assertEquals(
        "pmj runs in the background (pid "
            + pid
            + "): its lines are in .pmj/pmj.log, the processes' output in .pmj/logs unless logDir or logFile say otherwise; pmj down stops it",
        out.get(5));
    Cli.Run ps = Cli.run(dir, "ps");
    assertEquals(0, ps.code(), ps.err());
    assertTrue(ps.out().contains("quiet   ready"), ps.out());
    Cli.Run logs = Cli.run(dir, "logs", "quiet", "--no-pmj");
    assertEquals("quiet  | quiet here\n", logs.out());
    // Output goes to one file per process, with times; pmj's own lines to pmj.log.
    String quietLog = Files.readString(dir.resolve(".pmj/logs/quiet.log"));
    assertTrue(quietLog.matches("[0-9T:.Z-]+ quiet here\n"), quietLog);
    String pmjLog = Files.readString(dir.resolve(".pmj/pmj.log"));
    assertTrue(pmjLog.contains(" pmj    | quiet: started (pid "), pmjLog);
    assertTrue(!pmjLog.contains("quiet here"), "process output is not in pmj.log");
    assertEquals(new Cli.Run(0, "pmj: stopped pmj.yaml\n", ""), Cli.run(dir, "down"));
    assertTrue(
        Files.readString(dir.resolve(".pmj/pmj.log"))
            .contains("shutdown requested (pmj down), stopping every process"));
  }

  @Test
  void aProcessThatCannotStartMakesItExit1SayingWhich() throws Exception {
    PmjProcess pmj =
        upDetached(
            """
            processes:
              good:
                command: python3 @TESTDATA@/echo.py fine
              bad:
                command: /no/such/program
            """);
    assertEquals(1, pmj.awaitExit(WAIT));
    assertEquals(
        "pmj: bad failed: cannot start: /no/such/program: no such file; pmj logs bad shows why\n",
        pmj.stderr());
    assertTrue(pmj.stdout().lines().anyMatch(l -> l.matches("bad +failed .*")), pmj.stdout());
    assertTrue(pmj.stdout().lines().anyMatch(l -> l.matches("good +ready .*")), pmj.stdout());
    assertEquals(0, Cli.run(dir, "down").code());
  }

  @Test
  void aCrashLoopingProcessMakesItExit1SayingSoAndPmjStaysToShowWhy() throws Exception {
    PmjProcess pmj =
        upDetached(
            """
            processes:
              good:
                command: python3 @TESTDATA@/echo.py fine
              web:
                command: python3 @TESTDATA@/crash.py
                backoff: 2s
                backoffMax: 2s
            """);
    assertEquals(1, pmj.awaitExit(WAIT));
    assertEquals(
        "pmj: web is crash-looping: exited with code 1, restarting in 2s (retry 1); pmj logs web shows"
            + " why\n",
        pmj.stderr());
    assertTrue(pmj.stdout().lines().anyMatch(l -> l.matches("web +backoff .*")), pmj.stdout());
    assertTrue(pmj.stdout().lines().anyMatch(l -> l.matches("good +ready .*")), pmj.stdout());
    assertTrue(pmj.stdout().contains("; pmj down stops it\n"), pmj.stdout());
    // pmj stays, as compose's up --wait leaves its containers: the reason is one command away.
    Cli.Run logs = Cli.run(dir, "logs", "web");
    assertTrue(logs.out().contains("web  | crash: exiting with 1"), logs.out());
    assertEquals(0, Cli.run(dir, "down").code());
  }

  @Test
  void aProcessThatEndsWithAnErrorForGoodMakesItExit1() throws Exception {
    PmjProcess pmj =
        upDetached(
            """
            processes:
              once:
                command: sh -c 'exit 3'
                restart: never
              good:
                command: python3 @TESTDATA@/echo.py fine
            """);
    assertEquals(1, pmj.awaitExit(WAIT));
    assertEquals("pmj: once exited with code 3; pmj logs once shows why\n", pmj.stderr());
    assertEquals(0, Cli.run(dir, "down").code());
  }

  @Test
  void itWaitsForAProbeThatPassesLate() throws Exception {
    PmjProcess pmj =
        upDetached(
            """
            processes:
              slow:
                command: sh -c 'sleep 3; touch ready-now; exec sleep 600'
                readiness:
                  exec: test -f ready-now
                  interval: 200ms
              quick:
                command: python3 @TESTDATA@/echo.py fine
            """);
    assertEquals(0, pmj.awaitExit(WAIT), pmj.stderr());
    assertEquals("", pmj.stderr());
    // Returned only once the probe passed: the file it checks was there, the table says ready.
    assertTrue(Files.exists(dir.resolve("ready-now")));
    assertTrue(pmj.stdout().lines().anyMatch(l -> l.matches("slow +ready .*")), pmj.stdout());
    assertEquals(0, Cli.run(dir, "down").code());
  }

  @Test
  void aSigkillOfTheBackgroundPmjStillEndsEveryProcess() throws Exception {
    upDetached(YAML);
    long pid = backgroundPid();
    new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();
    // The watchdog ends the groups within about a second; pmj itself is gone at once.
    assertEquals(List.of(), Leftovers.awaitNone(tag, Duration.ofSeconds(10)));
  }

  @Test
  void aSigtermStopsItGracefully() throws Exception {
    upDetached(YAML);
    long pid = backgroundPid();
    new ProcessBuilder("kill", "-TERM", Long.toString(pid)).start().waitFor();
    assertEquals(List.of(), Leftovers.awaitNone(tag, Duration.ofSeconds(20)));
    String log = Files.readString(dir.resolve(".pmj/pmj.log"));
    assertTrue(log.contains("received SIGTERM, stopping every process"), log);
    assertTrue(log.contains("quiet: stopped (killed by SIGTERM)"), log);
  }

  @Test
  void aSecondOneSaysWhereTheFirstRuns() throws Exception {
    upDetached(YAML);
    try (PmjProcess second = PmjProcess.start(dir, "up", "-d")) {
      assertEquals(1, second.awaitExit(WAIT));
      assertTrue(
          second
              .stderr()
              .matches(
                  "pmj: already running pmj\\.yaml \\(pid "
                      + backgroundPid()
                      + ", dashboard http://127\\.0\\.0\\.1:[0-9]+/\\?token=[^)]+\\); reach it with pmj ps, pmj logs, pmj attach or pmj down\n"),
          second.stderr());
    }
    assertEquals(0, Cli.run(dir, "down").code());
  }
}
