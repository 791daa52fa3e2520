package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pmj.testing.Cli;
import dev.pmj.testing.PmjProcess;
import dev.pmj.testing.PmjRun;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Why did it die?" against a real {@code pmj up}: {@code pmj ps} says why a process is failed or
 * waiting to restart, {@code pmj logs ID} carries pmj's lines about it, retries are counted as
 * README, "`pmj up`" says, and a last exit is spelled one way in the table and the JSON.
 */
class WhyItStoppedTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension final PmjRun run = new PmjRun();

  private PmjProcess up() throws Exception {
    run.write(
        """
        processes:
          nope:
            command: ./nope
          crash:
            command: python3 @TESTDATA@/crash.py
            backoff: 100ms
            maxRetries: 2
          loop:
            command: python3 @TESTDATA@/crash.py
            backoff: 20s
            maxRetries: 3
          quiet:
            command: python3 @TESTDATA@/echo.py quiet here
        """);
    return run.upUntil(
        WAIT,
        "^pmj +\\| nope: failed: cannot start: ",
        "^pmj +\\| crash: failed: exited with code 1 after 2 retries$",
        "^pmj +\\| loop: restarting in 20s \\(retry 1 of 3\\)$",
        "^quiet +\\| quiet here$");
  }

  @Test
  void healthSaysWhatIsNotUpInTheWordsOfPmjPs() throws Exception {
    try (PmjProcess pmj = up()) {
      dev.pmj.api.Instance.State s =
          dev.pmj.api.Instance.readState(run.dir().resolve(".pmj")).orElseThrow();
      java.net.http.HttpResponse<String> r =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + s.port() + "/api/health"))
                      .header("Authorization", "Bearer " + s.token())
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(503, r.statusCode(), r.body());
      assertTrue(
          r.body().contains("\"loop: exited with code 1, restarting in 20s (retry 1 of 3)\""),
          r.body());
      assertTrue(
          r.body().contains("\"crash: failed: exited with code 1 after 2 retries\""), r.body());
    }
  }

  @Test
  void psSaysWhyAProcessFailedOrWaitsAndLogsOfOneCarryPmjsLinesAboutIt() throws Exception {
    try (PmjProcess pmj = up()) {
      Cli.Run ps = run.cli("ps");
      assertEquals(0, ps.code(), ps.err());
      List<String> rows = ps.out().lines().toList();
      assertEquals(5, rows.size(), ps.out());
      assertTrue(
          rows.get(0).matches("ID +STATE +PID +UPTIME +RESTARTS +CPU +MEMORY +LAST EXIT +REASON"),
          rows.get(0));
      int reason = rows.get(0).indexOf("REASON");
      assertTrue(
          rows.get(1)
              .matches("nope +failed +- +- +0 +- +- +- +cannot start: \\./nope: no such file"),
          rows.get(1));
      assertEquals("cannot start: ./nope: no such file", rows.get(1).substring(reason));
      assertTrue(
          rows.get(2)
              .matches("crash +failed +- +- +2 +- +- +exit 1 +exited with code 1 after 2 retries"),
          rows.get(2));
      assertEquals("exited with code 1 after 2 retries", rows.get(2).substring(reason));
      assertEquals(
          "exited with code 1, restarting in 20s (retry 1 of 3)", rows.get(3).substring(reason));
      assertTrue(rows.get(3).matches("loop +backoff +- +- +0 +- +- +exit 1 .*"), rows.get(3));
      assertTrue(rows.get(4).matches("quiet +ready +[0-9]+ .* +-$"), rows.get(4));

      JsonNode json = new ObjectMapper().readTree(run.cli("ps", "--json").out());
      assertEquals("cannot start: ./nope: no such file", json.get(0).get("reason").asText());
      assertTrue(json.get(0).get("lastExit").isNull());
      assertEquals("exited with code 1 after 2 retries", json.get(1).get("reason").asText());
      assertEquals("exit 1", json.get(1).get("lastExit").asText());
      assertEquals(1, json.get(1).get("exitCode").asInt());
      assertEquals(2, json.get(1).get("restarts").asInt());
      assertEquals(
          "exited with code 1, restarting in 20s (retry 1 of 3)",
          json.get(2).get("reason").asText());
      assertEquals("", json.get(3).get("reason").asText());

      Cli.Run logs = run.cli("logs", "crash");
      assertEquals(0, logs.code(), logs.err());
      List<String> lines = logs.out().lines().toList();
      List<String> expected =
          List.of(
              "pmj   \\| crash: started \\(pid [0-9]+\\)",
              "crash \\| crash: exiting with 1",
              "pmj   \\| crash: exited with code 1",
              "pmj   \\| crash: restarting in 0\\.1s \\(retry 1 of 2\\)",
              "pmj   \\| crash: started \\(pid [0-9]+\\)",
              "crash \\| crash: exiting with 1",
              "pmj   \\| crash: exited with code 1",
              "pmj   \\| crash: restarting in 0\\.2s \\(retry 2 of 2\\)",
              "pmj   \\| crash: started \\(pid [0-9]+\\)",
              "crash \\| crash: exiting with 1",
              "pmj   \\| crash: exited with code 1",
              "pmj   \\| crash: failed: exited with code 1 after 2 retries");
      assertEquals(expected.size(), lines.size(), logs.out());
      for (int i = 0; i < lines.size(); i++)
        assertTrue(lines.get(i).matches(expected.get(i)), i + ": " + logs.out());

      assertEquals(
          new Cli.Run(0, "pmj   | nope: failed: cannot start: ./nope: no such file\n", ""),
          run.cli("logs", "nope"));
      assertEquals(new Cli.Run(0, "", ""), run.cli("logs", "nope", "--no-pmj"));
      Cli.Run json2 = run.cli("logs", "nope", "--json");
      assertTrue(
          json2
              .out()
              .matches(
                  "\\{\"seq\":[0-9]+,\"id\":\"pmj\",\"at\":\"[^\"]+\",\"text\":\"nope: failed: cannot start: \\./nope: no such file\"}\n"),
          json2.out());
    }
  }

  @Test
  void aStartAfterAStopIsNoRestartAndTheLastExitIsSpelledOneWay() throws Exception {
    try (PmjProcess pmj = up()) {
      assertEquals(new Cli.Run(0, "quiet: stopping\n", ""), run.cli("stop", "quiet"));
      pmj.awaitLine("^pmj +\\| quiet: stopped \\(killed by SIGTERM\\)$", WAIT);
      String row = row(run.cli("ps").out(), "quiet");
      assertTrue(row.matches("quiet +stopped +- +- +0 +- +- +SIGTERM$"), row);
      JsonNode quiet = new ObjectMapper().readTree(run.cli("ps", "--json").out()).get(3);
      assertEquals("SIGTERM", quiet.get("lastExit").asText());
      assertEquals("TERM", quiet.get("exitSignal").asText());
      assertEquals(143, quiet.get("exitCode").asInt());

      assertEquals(new Cli.Run(0, "quiet: starting\n", ""), run.cli("start", "quiet"));
      pmj.awaitLine("^quiet +\\| quiet here$", WAIT);
      awaitRow("quiet", "quiet +ready +[0-9]+ +[0-9]+s +0 .*");

      assertEquals(new Cli.Run(0, "quiet: restarting\n", ""), run.cli("restart", "quiet"));
      awaitRow("quiet", "quiet +ready +[0-9]+ +[0-9]+s +1 .*");
    }
  }

  /** Waits until {@code pmj ps} shows {@code id}'s row as {@code regex}. */
  private void awaitRow(String id, String regex) throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    String last = null;
    while (System.nanoTime() < end) {
      last = row(run.cli("ps").out(), id);
      if (last.matches(regex)) return;
      Thread.sleep(100);
    }
    throw new AssertionError("no row like " + regex + " in time; last: " + last);
  }

  private static String row(String table, String id) {
    return table.lines().filter(l -> l.startsWith(id + " ")).findFirst().orElse("");
  }
}
