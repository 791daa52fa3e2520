package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Cli;
import dev.pmj.testing.Fixtures;
import dev.pmj.testing.PmjProcess;
import dev.pmj.testing.PmjRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reload reads every team file again: the override file (also one created after pmj started), each
 * -f file, and chooses the run's processes as pmj up did (its profiles).
 */
class TeamReloadTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension final PmjRun run = new PmjRun();
  private final Path dir = run.dir();

  private static final String FILE =
      """
      processes:
        web:
          command: python3 @TESTDATA@/echo.py web
          args: [v1]
        debugger:
          command: python3 @TESTDATA@/echo.py debugger-up
          profiles: [debug]
      """;

  /** Writes {@code name} beside and renames it over, as editors save. */
  private void save(String name, String yaml) throws Exception {
    Path tmp = dir.resolve(name + ".tmp");
    Files.writeString(tmp, yaml.replace("@TESTDATA@", Fixtures.testdataDir().toString()));
    Files.move(
        tmp,
        dir.resolve(name),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** Waits until pmj watches its files: saves {@code name} unchanged until a reload says so. */
  private void awaitWatching(PmjProcess pmj, String name, String yaml) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String said = "reload (changed: " + name + "): 0 added, 0 removed, 0 changed, ";
    while (!pmj.stdout().contains(said) && System.nanoTime() < deadline) {
      save(name, yaml);
      long until = System.nanoTime() + 1_000_000_000L;
      while (!pmj.stdout().contains(said) && System.nanoTime() < until) Thread.sleep(20);
    }
    assertTrue(pmj.stdout().contains(said), pmj.stdout());
  }

  /** Waits until {@code line} is on pmj's stdout {@code times} times. */
  private static void awaitCount(PmjProcess pmj, String line, int times) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (pmj.lines().stream().filter(line::equals).count() >= times) return;
      Thread.sleep(20);
    }
    throw new AssertionError(times + " times " + line + " in\n" + pmj.stdout());
  }

  @Test
  void anOverrideFileCreatedEditedAndEmptiedIsReloadedAndProfilesStillChoose() throws Exception {
    save("pmj.yaml", FILE);
    try (PmjProcess pmj = run.up()) {
      pmj.awaitLine("^web +\\| web v1$", WAIT);
      awaitWatching(pmj, "pmj.yaml", FILE);

      // Created after the start: read by the reload its creation makes.
      save(
          "pmj.override.yaml",
          "processes:\n  web:\n    args: [v2]\n  extra:\n    command: python3 @TESTDATA@/echo.py extra-up\n");
      // "created", or "changed" when the reload of the save above was still running as it came.
      pmj.awaitLine(
          "^pmj +\\| reload \\((created|changed): pmj\\.override\\.yaml\\): 1 added, 0 removed, 1 changed, 0"
              + " unchanged$",
          WAIT);
      pmj.awaitLine(
          "^pmj +\\| web: changed in pmj\\.yaml \\+ pmj\\.override\\.yaml \\(command, args\\); restarting$",
          WAIT);
      pmj.awaitLine("^web +\\| web v2$", WAIT);
      pmj.awaitLine("^extra +\\| extra-up$", WAIT);

      // Edited: a process set to null leaves; the one of an inactive profile is still not in.
      save("pmj.override.yaml", "processes:\n  web:\n    args: [v2]\n  debugger:\n    args: [x]\n");
      pmj.awaitLine(
          "^pmj +\\| reload \\(changed: pmj\\.override\\.yaml\\): 0 added, 1 removed, 0 changed, 1 unchanged$",
          WAIT);
      pmj.awaitLine("^pmj +\\| extra: stopped ", WAIT);

      // A problem in it changes nothing and is said at its line.
      save("pmj.override.yaml", "processes:\n  web:\n    restart: sometimes\n");
      pmj.awaitLine(
          "^pmj +\\| reload \\(changed: pmj\\.override\\.yaml\\): pmj\\.override\\.yaml has 1 problem; nothing changed$",
          WAIT);
      pmj.awaitLine(
          "^pmj +\\|   pmj\\.override\\.yaml:3:14: processes\\.web\\.restart: must be one of always, on-failure, never \\(got \"sometimes\"\\)$",
          WAIT);
      Cli.Run refused = Cli.run(dir, "reload");
      assertEquals(2, refused.code());
      assertTrue(refused.err().startsWith("pmj.override.yaml:3:14: "), refused.err());

      // Removed: pmj.yaml alone again.
      Files.delete(dir.resolve("pmj.override.yaml"));
      pmj.awaitLine(
          "^pmj +\\| reload \\(changed: pmj\\.override\\.yaml\\): 0 added, 0 removed, 1 changed, 0 unchanged$",
          WAIT);
      awaitCount(pmj, "web | web v1", 2);
      assertEquals(
          new Cli.Run(0, "reloaded: 0 added, 0 removed, 0 changed, 1 unchanged\n", ""),
          Cli.run(dir, "reload"),
          pmj.stdout());
      assertTrue(!pmj.stdout().contains("debugger-up"), pmj.stdout());
    }
  }

  @Test
  void theSecondDashFFileIsWatchedAndTheRunningPmjIsFoundFromTheFirstsFolder() throws Exception {
    save("pmj.yaml", FILE);
    Files.createDirectories(dir.resolve("me"));
    String mine = "processes:\n  web:\n    args: [mine]\n";
    save("me/local.yaml", mine);
    try (PmjProcess pmj = run.up("-f", "pmj.yaml", "-f", "me/local.yaml", "--profile", "debug")) {
      pmj.awaitLine("^web +\\| web mine$", WAIT);
      pmj.awaitLine("^debugger +\\| debugger-up$", WAIT);
      awaitWatching(pmj, "me/local.yaml", mine);
      save("me/local.yaml", "processes:\n  web:\n    args: [edited]\n");
      pmj.awaitLine(
          "^pmj +\\| reload \\(changed: me/local\\.yaml\\): 0 added, 0 removed, 1 changed, 1 unchanged$",
          WAIT);
      pmj.awaitLine("^web +\\| web edited$", WAIT);
      // The control commands find the running pmj from the first file's folder.
      Cli.Run ps = Cli.run(dir.resolve("me"), "ps", "-f", "../pmj.yaml", "-f", "local.yaml");
      assertEquals(0, ps.code(), ps.err());
      assertTrue(ps.out().contains("\nweb ") && ps.out().contains("\ndebugger "), ps.out());
      // pmj reload reads both again, with the profile pmj up was given.
      assertEquals(
          new Cli.Run(0, "reloaded: 0 added, 0 removed, 0 changed, 2 unchanged\n", ""),
          Cli.run(dir, "reload"));
    }
  }
}
