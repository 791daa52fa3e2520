package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Cli;
import dev.pmj.testing.Leftovers;
import dev.pmj.testing.PmjProcess;
import dev.pmj.testing.PmjRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reload: an edited file (or env file) applied as exactly its difference to a running pmj. */
class ReloadTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension final PmjRun run = new PmjRun();
  private final Path dir = run.dir();

  private String process(String id, String line, String extra) {
    return "  "
        + id
        + ":\n    command: python3 @TESTDATA@/echo.py "
        + line
        + "\n    env: {MARKER_FILE: "
        + dir.resolve(id + ".starts")
        + "}\n"
        + extra;
  }

  private String version(String changing, int copies, boolean withLeaving, boolean withJoining) {
    return "processes:\n"
        + process("same", "same-up", "")
        + process("changing", changing, "")
        + (withLeaving ? process("leaving", "leaving-up", "") : "")
        + (withJoining ? process("joining", "joining-up", "") : "")
        + "  copies:\n    command: python3 @TESTDATA@/echo.py copy-${PMJ_INSTANCE}\n    instances: "
        + copies
        + "\n"
        + "  greeter:\n    command: sh -c 'echo hello $GREETING; exec sleep 1000'\n    envFile: greet.env\n";
  }

  /** Every process's pid, from pmj ps --json. */
  private Map<String, Long> pids() {
    Cli.Run r = Cli.run(dir, "ps", "--json");
    assertEquals(0, r.code(), r.err());
    Map<String, Long> out = new LinkedHashMap<>();
    Matcher m =
        Pattern.compile("\\{\"id\":\"([^\"]+)\",\"state\":\"[a-z]+\",\"pid\":([0-9]+)")
            .matcher(r.out());
    while (m.find()) out.put(m.group(1), Long.parseLong(m.group(2)));
    return out;
  }

  private long starts(String id) throws Exception {
    Path f = dir.resolve(id + ".starts");
    return Files.exists(f) ? Files.readAllLines(f).size() : 0;
  }

  @Test
  void eachEditIsAppliedAsExactlyItsDifference() throws Exception {
    Files.writeString(dir.resolve("greet.env"), "GREETING=world\n");
    run.save(version("changing-v1", 2, true, false));
    try (PmjProcess pmj = run.up()) {
      for (String l :
          new String[] {
            "same +\\| same-up",
            "changing +\\| changing-v1",
            "leaving +\\| leaving-up",
            "copies\\.2 +\\| copy-2",
            "greeter +\\| hello world"
          }) {
        pmj.awaitLine("^" + l + "$", WAIT);
      }
      pmj.awaitLine("^pmj +\\| dashboard: ", WAIT);
      Map<String, Long> before = pids();

      // Changed, removed, added, one more copy; the rest untouched.
      run.save(version("changing-v2", 3, false, true));
      pmj.awaitLine(
          "^pmj +\\| reload \\(changed: pmj\\.yaml\\): 2 added, 1 removed, 1 changed, 4 unchanged$",
          WAIT);
      pmj.awaitLine("^changing +\\| changing-v2$", WAIT);
      pmj.awaitLine("^joining +\\| joining-up$", WAIT);
      pmj.awaitLine("^copies\\.3 +\\| copy-3$", WAIT);
      pmj.awaitLine("^pmj +\\| leaving: stopped ", WAIT);
      assertTrue(
          pmj.stdout().contains("pmj      | changing: changed in pmj.yaml (command); restarting\n"),
          pmj.stdout());
      assertTrue(
          pmj.stdout().contains("pmj      | leaving: removed from pmj.yaml (reload); stopping\n"));
      assertTrue(pmj.stdout().contains("pmj      | joining: added to pmj.yaml (reload)\n"));
      Map<String, Long> after = pids();
      assertEquals(before.get("same"), after.get("same"));
      assertEquals(before.get("copies.1"), after.get("copies.1"));
      assertEquals(before.get("copies.2"), after.get("copies.2"));
      assertEquals(before.get("greeter"), after.get("greeter"));
      assertNotEquals(before.get("changing"), after.get("changing"));
      assertFalse(after.containsKey("leaving"));
      assertTrue(after.containsKey("joining") && after.containsKey("copies.3"));
      assertEquals(1, starts("same"));
      assertEquals(2, starts("changing"));
      assertEquals(1, starts("leaving"));
      assertFalse(Leftovers.alive(before.get("leaving")), "a removed process is stopped");

      // Fewer copies: three go, one takes their place under the plain id.
      run.save(version("changing-v2", 1, false, true));
      pmj.awaitLine(
          "^pmj +\\| reload \\(changed: pmj\\.yaml\\): 1 added, 3 removed, 0 changed, 4 unchanged$",
          WAIT);
      pmj.awaitLine("^copies +\\| copy-1$", WAIT);

      // A broken file changes nothing, and says where it is broken.
      Map<String, Long> steady = pids();
      run.save("processes:\n  same: [unclosed\n");
      pmj.awaitLine(
          "^pmj +\\| reload \\(changed: pmj\\.yaml\\): pmj\\.yaml has 1 problem; nothing changed$",
          WAIT);
      pmj.awaitLine("^pmj +\\|   pmj\\.yaml:[0-9]+:[0-9]+: ", WAIT);
      assertEquals(steady, pids());
      Cli.Run broken = Cli.run(dir, "reload");
      assertEquals(2, broken.code());
      assertTrue(broken.err().startsWith("pmj.yaml:"), broken.err());
      assertTrue(broken.err().endsWith("pmj: nothing changed\n"), broken.err());

      // The same file again: nothing to do.
      run.save(version("changing-v2", 1, false, true));
      pmj.awaitLine(
          "^pmj +\\| reload \\(changed: pmj\\.yaml\\): 0 added, 0 removed, 0 changed, 5 unchanged$",
          WAIT);
      assertEquals(steady, pids());

      // An env file is watched too: its change restarts the processes that read it.
      Files.writeString(dir.resolve("greet.env"), "GREETING=there\n");
      pmj.awaitLine("^pmj +\\| greeter: changed in pmj\\.yaml \\(env\\); restarting$", WAIT);
      pmj.awaitLine("^greeter +\\| hello there$", WAIT);
      assertEquals(steady.get("same"), pids().get("same"));

      Cli.Run again = Cli.run(dir, "reload");
      assertEquals(
          new Cli.Run(0, "reloaded: 0 added, 0 removed, 0 changed, 5 unchanged\n", ""), again);
    }
  }

  @Test
  void withNoReloadAnEditWaitsForPmjReload() throws Exception {
    run.save("processes:\n  ticker:\n    command: python3 @TESTDATA@/ticker.py 0.05\n");
    try (PmjProcess pmj = run.up("--no-reload")) {
      pmj.awaitLine("^pmj +\\| dashboard: ", WAIT);
      pmj.awaitLine("^ticker \\| tick 2$", WAIT);
      run.save(
          "processes:\n  ticker:\n    command: python3 @TESTDATA@/ticker.py 0.05\n  extra:\n    command: python3 @TESTDATA@/echo.py extra-up\n");
      // Well past the watch's quiet period: a watching pmj would have reloaded by now.
      pmj.awaitLine("^ticker \\| tick 20$", WAIT);
      assertFalse(pmj.stdout().contains("reload"), pmj.stdout());
      Cli.Run r = Cli.run(dir, "reload");
      assertEquals(
          new Cli.Run(
              0, "extra: added\nreloaded: 1 added, 0 removed, 0 changed, 1 unchanged\n", ""),
          r);
      pmj.awaitLine(
          "^pmj +\\| reload \\(pmj reload\\): 1 added, 0 removed, 0 changed, 1 unchanged$", WAIT);
      pmj.awaitLine("^extra +\\| extra-up$", WAIT);
    }
  }

  /**
   * Waits until pmj watches its file: saves it unchanged until a reload says so (pmj prints nothing
   * when its watch starts, a moment after the processes).
   */
  private void awaitWatching(PmjProcess pmj, String yaml) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String said = "reload (changed: pmj.yaml): 0 added, 0 removed, 0 changed, ";
    while (!pmj.stdout().contains(said) && System.nanoTime() < deadline) {
      run.save(yaml);
      long until = System.nanoTime() + 1_000_000_000L;
      while (!pmj.stdout().contains(said) && System.nanoTime() < until) Thread.sleep(20);
    }
    assertTrue(pmj.stdout().contains(said), pmj.stdout());
  }

  @Test
  void anEnvFileTheFileNamesBeforeItExistsIsLoadedOnceCreated() throws Exception {
    String first =
        "processes:\n  greeter:\n    command: sh -c 'echo \"hello [$GREETING]\"; exec sleep 1000'\n";
    run.save(first);
    try (PmjProcess pmj = run.up()) {
      pmj.awaitLine("^greeter +\\| hello \\[\\]$", WAIT);
      awaitWatching(pmj, first);
      run.save(
          "processes:\n  greeter:\n    command: sh -c 'echo \"hello [$GREETING]\"; exec sleep 1000'\n"
              + "    envFile: local.env\n");
      pmj.awaitLine(
          "^pmj +\\| reload \\(changed: pmj\\.yaml\\): pmj\\.yaml has 1 problem; nothing changed$",
          WAIT);
      pmj.awaitLine(
          "^pmj +\\|   pmj\\.yaml:4:14: processes\\.greeter\\.envFile: env file does not exist: "
              + Pattern.quote(dir.resolve("local.env").toString())
              + "$",
          WAIT);
      Files.writeString(dir.resolve("local.env"), "GREETING=local\n");
      pmj.awaitLine(
          "^pmj +\\| reload \\(created: local\\.env\\): 0 added, 0 removed, 1 changed, 0 unchanged$",
          WAIT);
      pmj.awaitLine("^greeter +\\| hello \\[local\\]$", WAIT);
      // From now on it is one of the file's env files, watched as such.
      Files.writeString(dir.resolve("local.env"), "GREETING=edited\n");
      pmj.awaitLine(
          "^pmj +\\| reload \\(changed: local\\.env\\): 0 added, 0 removed, 1 changed, 0 unchanged$",
          WAIT);
      pmj.awaitLine("^greeter +\\| hello \\[edited\\]$", WAIT);
    }
  }
}
