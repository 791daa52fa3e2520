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
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pmj scale ID=N on a pmj running in the background, as a person types it. */
class ScaleTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String YAML =
      """
      processes:
        web:
          command: python3 @TESTDATA@/echo.py web ${PMJ_INSTANCE} of ${PMJ_PROCESS_ID}
        other.18:
          command: python3 @TESTDATA@/echo.py other
        api:
          command: python3 @TESTDATA@/echo.py api
          instances: 2
      """;

  @TempDir Path dir;
  private String tag;
  private String file;

  @BeforeEach
  void up() throws Exception {
    Fixtures.writeConfig(dir, YAML);
    file = Files.readString(dir.resolve("pmj.yaml"));
    PmjProcess pmj = PmjProcess.start(dir, "up", "-d");
    tag = pmj.tag;
    assertEquals(0, pmj.awaitExit(WAIT), pmj.stderr());
  }

  @AfterEach
  void down() {
    Cli.run(dir, "down");
    Leftovers.assertNoneLeft(tag);
  }

  private String ps() {
    Cli.Run ps = Cli.run(dir, "ps");
    assertEquals(0, ps.code(), ps.err());
    return ps.out();
  }

  /** The ids of pmj ps, in its order. */
  private List<String> ids(String table) {
    return table.lines().skip(1).map(l -> l.split(" +")[0]).toList();
  }

  private String awaitPs(Predicate<String> test) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String table = ps();
    while (!test.test(table) && System.nanoTime() < deadline) {
      Thread.sleep(100); // polling interval of a wait with a deadline
      table = ps();
    }
    assertTrue(test.test(table), table);
    return table;
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void scalingAddsAndRemovesInstancesAndLeavesTheOthersAndTheFileAlone() throws Exception {
    String before = ps();
    long web = Cli.pidOf("web", before);
    long other = Cli.pidOf("other.18", before);
    long api1 = Cli.pidOf("api.1", before);
    assertEquals(
        new Cli.Run(0, "web: 1 → 3 instances (started web.2, web.3)\n", ""),
        Cli.run(dir, "scale", "web=3"));
    String table =
        awaitPs(t -> t.lines().filter(l -> l.matches("web(\\.[23])? +ready .*")).count() == 3);
    assertEquals(List.of("web", "web.2", "web.3", "other.18", "api.1", "api.2"), ids(table));
    assertEquals(web, Cli.pidOf("web", table));
    assertEquals(other, Cli.pidOf("other.18", table));
    assertEquals(api1, Cli.pidOf("api.1", table));
    // Each new instance is the file's process with its own PMJ_INSTANCE and id.
    long deadline = System.nanoTime() + WAIT.toNanos();
    String logs = Cli.run(dir, "logs", "web.3", "--no-pmj").out();
    while (!logs.contains("web 3 of web.3") && System.nanoTime() < deadline) {
      Thread.sleep(100); // polling interval of a wait with a deadline
      logs = Cli.run(dir, "logs", "web.3", "--no-pmj").out();
    }
    assertTrue(logs.matches("web\\.3 +\\| web 3 of web\\.3\n"), logs);
    long web3 = Cli.pidOf("web.3", table);
    long web2 = Cli.pidOf("web.2", table);

    assertEquals(
        new Cli.Run(0, "web: 3 → 1 instance (stopped and removed web.3, web.2)\n", ""),
        Cli.run(dir, "scale", "web=1"));
    assertFalse(alive(web3));
    assertFalse(alive(web2));
    table = ps();
    assertEquals(List.of("web", "other.18", "api.1", "api.2"), ids(table));
    assertEquals(web, Cli.pidOf("web", table));

    assertEquals(
        new Cli.Run(
            0,
            "web: 1 → 0 instances (stopped web); api: 2 → 1 instance (stopped and removed api.2)\n"
                .replace("; ", "\n"),
            ""),
        Cli.run(dir, "scale", "web=0", "api=1"));
    table = ps();
    assertTrue(table.lines().anyMatch(l -> l.matches("web +stopped .*")), table);
    assertEquals(List.of("web", "other.18", "api.1"), ids(table));
    assertEquals(
        new Cli.Run(0, "web: 0 → 2 instances (started web, web.2)\n", ""),
        Cli.run(dir, "scale", "web=2"));
    assertEquals(new Cli.Run(0, "web: already 2 instances\n", ""), Cli.run(dir, "scale", "web=2"));
    awaitPs(t -> t.lines().filter(l -> l.matches("web(\\.2)? +ready .*")).count() == 2);
    assertEquals(other, Cli.pidOf("other.18", ps()));
    assertEquals(file, Files.readString(dir.resolve("pmj.yaml")), "nothing is written to the file");

    // A reload brings the running set to the file again, its counts of instances included.
    Cli.Run reload = Cli.run(dir, "reload");
    assertEquals(0, reload.code(), reload.err());
    assertEquals(
        "api.2: added\nweb.2: removed\nreloaded: 1 added, 1 removed, 0 changed, 3 unchanged\n",
        reload.out());
    table = awaitPs(t -> t.contains("api.2"));
    assertEquals(List.of("web", "other.18", "api.1", "api.2"), ids(table));
    assertEquals(other, Cli.pidOf("other.18", table));
  }

  @Test
  void aWrongArgumentSaysSoInOneLineAndChangesNothing() throws Exception {
    String before = ps();
    List<String[]> cases =
        List.of(
            new String[] {
              "web",
              "2",
              "pmj: scale takes ID=N with N a whole number from 0 to 64, such as web=3 (got \"web\")\n"
            },
            new String[] {
              "web=-1",
              "2",
              "pmj: scale takes ID=N with N a whole number from 0 to 64, such as web=3 (got \"web=-1\")\n"
            },
            new String[] {
              "web=65",
              "2",
              "pmj: scale takes ID=N with N a whole number from 0 to 64, such as web=3 (got \"web=65\")\n"
            },
            new String[] {
              "web=+2",
              "2",
              "pmj: scale takes ID=N with N a whole number from 0 to 64, such as web=3 (got \"web=+2\")\n"
            },
            new String[] {"wbe=2", "1", "pmj: no process \"wbe\" (did you mean \"web\"?)\n"},
            new String[] {
              "api.2=3",
              "1",
              "pmj: api.2 is an instance of api; scale the process: pmj scale api=N\n"
            });
    for (String[] c : cases) {
      Cli.Run r = Cli.run(dir, "scale", "other.18=2", c[0]);
      assertEquals(new Cli.Run(Integer.parseInt(c[1]), "", c[2]), r, c[0]);
    }
    // other.18=2 came first (a name with a dot and a number, not an instance): every argument is
    // checked before anything is done.
    String after = ps();
    assertEquals(Cli.pidOf("web", before), Cli.pidOf("web", after));
    assertEquals(Cli.pidOf("other.18", before), Cli.pidOf("other.18", after));
    assertEquals(Cli.pidOf("api.2", before), Cli.pidOf("api.2", after));
    assertEquals(ids(before), ids(after));
  }
}
