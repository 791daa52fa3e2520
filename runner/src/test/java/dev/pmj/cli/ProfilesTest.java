package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.pmj.testing.Cli;
import dev.pmj.testing.PmjProcess;
import dev.pmj.testing.PmjRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which processes a run has: profiles (--profile, PMJ_PROFILES, naming one) and --except, with a
 * real pmj up. A process left out is not part of the run: pmj ps does not list it.
 */
class ProfilesTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension final PmjRun run = new PmjRun();
  private final Path dir = run.dir();

  private static String process(String id, String extra) {
    return "  " + id + ":\n    command: python3 @TESTDATA@/echo.py " + id + "-up\n" + extra;
  }

  private static final String FILE =
      "processes:\n"
          + process("web", "")
          + process("debugger", "    profiles: [debug]\n")
          + process("docs", "    profiles: [docs, debug]\n")
          + process("mailer", "    profiles: [mail]\n");

  /** The ids pmj ps lists, in its order. */
  private List<String> psIds() {
    Cli.Run r = Cli.run(dir, "ps", "--json");
    assertEquals(0, r.code(), r.err());
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\\{\"id\":\"([^\"]+)\"").matcher(r.out());
    while (m.find()) out.add(m.group(1));
    return out;
  }

  /** Runs pmj up, waits for each of {@code started} to print, checks what ps lists, stops it. */
  private PmjProcess upAndCheck(
      Map<String, String> env, List<String> started, List<String> listed, String... args)
      throws Exception {
    String[] full = new String[args.length + 1];
    full[0] = "up";
    System.arraycopy(args, 0, full, 1, args.length);
    PmjProcess pmj = run.start(env, full);
    for (String id : started) pmj.awaitLine("^" + id + " +\\| " + id + "-up$", WAIT);
    pmj.awaitLine("^pmj +\\| dashboard: ", WAIT);
    assertEquals(listed, psIds());
    assertEquals(0, Cli.run(dir, "down").code());
    assertEquals(0, pmj.awaitExit(WAIT), pmj.stderr());
    for (String id : List.of("web", "debugger", "docs", "mailer")) {
      if (!started.contains(id)) assertFalse(pmj.stdout().contains(id + "-up"), pmj.stdout());
    }
    return pmj;
  }

  @Test
  void aProcessWithProfilesStartsOnlyWhenOneIsActiveOrItIsNamed() throws Exception {
    run.write(FILE);
    // No profile: only what has none; the others are not part of the run.
    upAndCheck(Map.of(), List.of("web"), List.of("web"));
    // --profile, repeatable; a process is in when any of its profiles is active.
    upAndCheck(
        Map.of(),
        List.of("web", "debugger", "docs", "mailer"),
        List.of("web", "debugger", "docs", "mailer"),
        "--profile",
        "debug",
        "--profile",
        "mail");
    // PMJ_PROFILES, comma separated.
    upAndCheck(Map.of("PMJ_PROFILES", "docs"), List.of("web", "docs"), List.of("web", "docs"));
    // Naming a process activates its profiles (compose's rule): docs shares one with it, and is
    // part of the run, not started (it is not named).
    upAndCheck(Map.of(), List.of("debugger"), List.of("web", "debugger", "docs"), "debugger");
  }

  @Test
  void aDependencyOnAProcessOfAnInactiveProfileIsRefusedNamingTheProfile() throws Exception {
    run.write(
        "processes:\n"
            + process("web", "    dependsOn: [db]\n")
            + process("db", "    profiles: [dev]\n"));
    assertEquals(
        new Cli.Run(
            2, "", "pmj: web depends on db, whose profile dev is not active (add --profile dev)\n"),
        Cli.run(dir, "up"));
    assertFalse(Files.exists(dir.resolve(".pmj/state.json")));
  }

  @Test
  void exceptLeavesOutTheProcessesAndTheirDependentsSaidInOneLine() throws Exception {
    run.write(
        "processes:\n"
            + process("api", "")
            + process("web", "    dependsOn: [api]\n")
            + process("worker", "    dependsOn: {web: started}\n")
            + process("db", "")
            + process("cache", ""));
    PmjProcess pmj =
        upAndCheck(Map.of(), List.of("db"), List.of("db"), "--except", "api", "--except", "cache");
    assertEquals(
        1,
        pmj.lines().stream().filter(l -> l.matches("^pmj +\\| --except .*")).count(),
        pmj.stdout());
    pmj.awaitLine(
        "^pmj +\\| --except api,cache leaves out web \\(depends on api\\), worker \\(depends on web\\)$",
        WAIT);
  }

  @Test
  void anUnknownIdOrANamedProcessLeftOutIsAOneLineUsageError() throws Exception {
    run.write(
        "processes:\n"
            + process("api", "")
            + process("web", "")
            + process("ui", "    dependsOn: [web]\n"));
    assertEquals(
        new Cli.Run(2, "", "pmj: --except: unknown process \"apu\" (did you mean \"api\"?)\n"),
        Cli.run(dir, "up", "--except", "apu"));
    assertEquals(
        new Cli.Run(
            2, "", "pmj: --except: unknown process \"zzz\" (processes are: api, web, ui)\n"),
        Cli.run(dir, "up", "--except", "web,zzz"));
    assertEquals(
        new Cli.Run(2, "", "pmj: api is named and left out by --except; say one or the other\n"),
        Cli.run(dir, "up", "api", "--except", "api"));
    assertEquals(
        new Cli.Run(2, "", "pmj: nothing to start: --except leaves out every process\n"),
        Cli.run(dir, "up", "--except", "api,web"));
    assertEquals(
        new Cli.Run(2, "", "pmj: ui is named but depends on web, which --except leaves out\n"),
        Cli.run(dir, "up", "ui", "--except", "web"));
    assertFalse(Files.exists(dir.resolve(".pmj/state.json")));
  }
}
