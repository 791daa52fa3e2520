package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Cli;
import dev.pmj.testing.Cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate, config, init, --help and --version, run in-process as a user types them. */
class CommandsTest {
  @TempDir Path dir;

  private Run run(Path cwd, String... args) {
    return Cli.runWithOnly(cwd, Map.of("PATH", "/usr/bin:/bin", "SECRET_TOKEN", "hunter2"), args);
  }

  private void write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  @Test
  void validateSaysOkWithTheNumberOfProcessesAfterInstances() throws Exception {
    write("pmj.yaml", "processes:\n  web: {command: web, instances: 3}\n  db: {command: db}\n");
    assertEquals(new Run(0, "ok: 4 processes in pmj.yaml\n", ""), run(dir, "validate"));
  }

  @Test
  void theFileIsFoundInTheFolderOrItsParentsAndJsonWorksToo() throws Exception {
    write("pmj.json", "{\"processes\": {\"api\": {\"command\": [\"node\", \"api.js\"]}}}");
    Path deep = Files.createDirectories(dir.resolve("a/b/c"));
    assertEquals(
        new Run(0, "ok: 1 process in " + dir.resolve("pmj.json") + "\n", ""),
        run(deep, "validate"));
    write("a/pmj.yaml", "processes:\n  x: {command: x}\n  y: {command: y}\n");
    assertEquals(0, run(deep, "validate").code());
    assertTrue(run(deep, "validate").out().endsWith("a/pmj.yaml\n"));
  }

  @Test
  void dashFNamesTheFileAndAMissingOneIsSaidPlainly() throws Exception {
    write("other.yml", "processes:\n  x: {command: x}\n");
    assertEquals(
        new Run(0, "ok: 1 process in other.yml\n", ""), run(dir, "-f", "other.yml", "validate"));
    assertEquals(
        new Run(0, "ok: 1 process in other.yml\n", ""),
        run(dir, "validate", "--file", "other.yml"));
    assertEquals(
        new Run(2, "", "nope.yaml: no such file\n"), run(dir, "validate", "-f", "nope.yaml"));
  }

  @Test
  void aFileNamedLikeACommandIsAFile() throws Exception {
    write("ps", "processes:\n  x: {command: x}\n");
    assertEquals(new Run(0, "ok: 1 process in ps\n", ""), run(dir, "-f", "ps", "validate"));
    assertEquals(new Run(0, "ok: 1 process in ps\n", ""), run(dir, "-fps", "validate"));
    assertEquals(
        new Run(
            2,
            "",
            "pmj: missing command (up, ps, logs, restart, stop, start, down, validate, config,"
                + " init, completion)\nRun 'pmj --help' for usage.\n"),
        run(dir, "-f", "up"));
  }

  @Test
  void withNoFileAnywhereTheUserIsToldHowToMakeOne() {
    Run r = run(Path.of("/"), "validate");
    assertEquals(2, r.code());
    assertEquals(
        "pmj: no pmj.yaml, pmj.yml or pmj.json in / or its parents (create one with 'pmj init', or pass -f FILE)\n",
        r.err());
  }

  @Test
  void configShowsWhereOutputIsWrittenAndTheLimitsOfEveryProcess() throws Exception {
    write(
        "pmj.yaml",
        """
        logDir: logs
        logMaxSize: 2MB
        processes:
          api:
            command: api
            maxMemory: 512MB
            logBuffer: 100
          web:
            command: web
            logFile: web-${PMJ_PROCESS_ID}.txt
            logMaxFiles: 2
        """);
    Run r = run(dir, "config");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("logDir: " + dir.resolve("logs") + "\n"), r.out());
    assertTrue(
        r.out()
            .contains(
                "    logFile: "
                    + dir.resolve("logs/api.log")
                    + "\n    logMaxSize: 2MB\n    logMaxFiles: 5\n    logBuffer: 100\n    maxMemory: 512MB\n"),
        r.out());
    assertTrue(
        r.out()
            .contains(
                "    logFile: "
                    + dir.resolve("web-web.txt")
                    + "\n    logMaxSize: 2MB\n    logMaxFiles: 2\n    logBuffer: 5000\n"),
        r.out());
  }

  @Test
  void configWritesEachProcessInFullWithoutAnchorsOrAliases() throws Exception {
    Files.createDirectories(dir.resolve("src"));
    write(
        "pmj.yaml",
        """
        processes:
          web:
            command: web
            instances: 2
            devMode: true
            watchPaths: [src]
        """);
    Run r = run(dir, "config");
    assertEquals(0, r.code(), r.err());
    assertFalse(r.out().contains("&id"), r.out());
    assertFalse(r.out().contains("*id"), r.out());
    assertEquals(2, r.out().split("\n    watchIgnore: \\[]\n", -1).length - 1, r.out());
  }

  @Test
  void configShowsTheResolvedModelWithValuesMaskedUnlessAsked() throws Exception {
    Files.createDirectories(dir.resolve("svc"));
    write("svc/app.py", "print('hi')\n");
    write(".env", "DB_PASSWORD=s3cret\n");
    write(
        "pmj.yaml",
        """
        processes:
          api:
            script: app.py
            cwd: svc
            args: [--port, "${PORT:-8000}"]
            env:
              TOKEN: ${SECRET_TOKEN}
        """);
    Run masked = run(dir, "config");
    assertEquals(0, masked.code(), masked.err());
    assertTrue(
        masked
            .out()
            .contains(
                """
          api:
            command:
            - python3
            - %s
            - --port
            - '8000'
            script: %s
            interpreter: python3
            cwd: %s
        """
                    .formatted(
                        dir.resolve("svc/app.py"), dir.resolve("svc/app.py"), dir.resolve("svc"))),
        masked.out());
    assertTrue(masked.out().contains("      DB_PASSWORD: '********'\n"), masked.out());
    assertTrue(masked.out().contains("      TOKEN: '********'\n"), masked.out());
    assertTrue(masked.out().contains("      PMJ_PROCESS_ID: api\n"), masked.out());
    assertTrue(!masked.out().contains("hunter2") && !masked.out().contains("s3cret"));
    Run shown = run(dir, "config", "--show-env");
    assertTrue(shown.out().contains("      TOKEN: hunter2\n"), shown.out());
    assertTrue(shown.out().contains("      DB_PASSWORD: s3cret\n"), shown.out());
  }

  @Test
  void initWritesAStarterThatValidatesAndNeverOverwrites() throws Exception {
    // A pmj installed on this machine, with its schema beside it: a path the file must not name.
    Path home = Files.createDirectories(dir.resolve("installed/pmj/schemas")).getParent();
    Files.writeString(home.resolve("schemas/pmj.schema.json"), "{}");
    String before = System.getProperty("pmj.home");
    System.setProperty("pmj.home", home.toString());
    Run r;
    try {
      r = run(dir, "init");
    } finally {
      if (before == null) System.clearProperty("pmj.home");
      else System.setProperty("pmj.home", before);
    }
    assertEquals(
        new Run(0, "wrote pmj.yaml: edit it, then run 'pmj validate' and 'pmj up'\n", ""), r);
    String text = Files.readString(dir.resolve("pmj.yaml"));
    // The file is committed: no path of this machine in it, whichever pmj wrote it.
    assertTrue(
        text.startsWith(
            "# yaml-language-server: $schema=https://pmj.dev/schemas/pmj.schema.json\n"),
        text);
    assertFalse(text.contains("installed"), text);
    assertEquals(0, run(dir, "validate").code());
    assertEquals(
        new Run(1, "", "pmj: " + dir.resolve("pmj.yaml") + " already exists; not overwriting it\n"),
        run(dir, "init"));
    assertEquals(text, Files.readString(dir.resolve("pmj.yaml")));
  }

  @Test
  void helpWrapsAtSpacesWithinEightyColumnsNeverInsideAFileName() throws Exception {
    Run up = run(dir, "up", "--help");
    assertEquals(0, up.code(), up.err());
    assertTrue(up.out().contains(" .pmj/logs/ID.log, pmj's own lines to .pmj/pmj.log."), up.out());
    assertTrue(up.out().startsWith("Usage: pmj up [-dhV]"), up.out());
    assertTrue(up.out().contains("(default: pmj.yaml, pmj.yml or pmj.json"), up.out());
    assertTrue(up.out().contains("\n  -d, --detach            Run in the background:"), up.out());
    for (String command : PmjCommand.COMMANDS.keySet()) {
      if (command.startsWith("__")) continue;
      Run r = run(dir, command, "--help");
      assertEquals(0, r.code(), command + ": " + r.err());
      StringBuilder joined = new StringBuilder();
      for (String line : r.out().split("\n")) {
        assertTrue(line.length() <= 80, command + ": " + line);
        joined.append(line.strip()).append(' ');
      }
      // A wrapped line never ends inside a name such as pmj.json or .pmj/logs/ID.log.
      for (String split :
          java.util.List.of("pmj. json", "pmj. yml", "pmj. yaml", " . pmj", "ID. log")) {
        assertFalse(joined.toString().contains(split), command + ": " + joined);
      }
    }
    Run all = run(dir, "--help");
    for (String line : all.out().split("\n")) assertTrue(line.length() <= 80, line);
  }

  @Test
  void aPlainCommandLineDoesWhatTheParsedOneDoes() throws Exception {
    // Plain lines run without picocli's model; the same with an option go through it.
    assertEquals(run(dir, "up", "--file=nope.yaml"), run(dir, "up", "-f", "nope.yaml"));
    assertEquals(run(dir, "ps", "--file=nope.yaml"), run(dir, "ps", "-f", "nope.yaml"));
    assertEquals(run(dir, "--debug", "down"), run(dir, "down"));
    assertEquals(run(dir, "restart", "--debug", "web"), run(dir, "restart", "web"));
    Run missing = run(dir, "restart");
    assertEquals(2, missing.code());
    assertTrue(missing.err().startsWith("pmj: Missing required parameter: 'ID'"), missing.err());
  }

  @Test
  void helpListsTheCommandsAndVersionPrintsIt() {
    Run help = run(dir, "--help");
    assertEquals(0, help.code());
    for (String c : new String[] {"up", "validate", "config", "init"})
      assertTrue(help.out().contains("\n  " + c + " "), help.out());
    assertTrue(!help.out().contains("__warmup"));
    // In-process here: the JVM of the tests, without the launcher's start-up cache.
    assertEquals(
        new Run(
            0,
            "pmj 0.1.0\nJava "
                + System.getProperty("java.version")
                + " ("
                + System.getProperty("java.home")
                + "), no start-up cache (not started by the pmj launcher)\n",
            ""),
        run(dir, "--version"));
  }

  @Test
  void aMistypedCommandOrOptionIsAUsageErrorWithASuggestion() {
    Run r = run(dir, "valdate");
    assertEquals(2, r.code());
    assertEquals(
        "pmj: Unmatched argument at index 0: 'valdate'\nDid you mean: pmj validate?\nRun 'pmj --help' for usage.\n",
        r.err());
    // Past --, where pmj takes no word, the same one suggestion.
    Run past = run(dir, "--", "valdate");
    assertEquals(2, past.code());
    assertEquals(
        "pmj: Unmatched argument at index 1: 'valdate'\nDid you mean: pmj validate?\nRun 'pmj --help' for usage.\n",
        past.err());
    Run o = run(dir, "validate", "--fiel", "x");
    assertEquals(2, o.code());
    assertTrue(o.err().startsWith("pmj: Unknown options: '--fiel', 'x'\n"), o.err());
  }
}
