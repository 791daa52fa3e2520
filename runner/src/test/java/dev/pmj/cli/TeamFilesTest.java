package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmj.testing.Cli;
import dev.pmj.testing.Cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Team files as a user meets them: the override file merged over pmj.yaml, several -f, problems
 * pointing at the file that holds the value, and pmj config --sources.
 */
class TeamFilesTest {
  @TempDir Path dir;

  private Run run(String... args) {
    return Cli.runWithOnly(dir, Map.of("PATH", "/usr/bin:/bin"), args);
  }

  private void write(String name, String text) throws Exception {
    Files.writeString(dir.resolve(name), text);
  }

  private static final String BASE =
      """
      name: shop
      env:
        LOG_LEVEL: info
        REGION: eu
      processes:
        web:
          command: node web.js
          args: [--port, "3000"]
          stopSignal: INT
          env:
            A: one
            B: two
        worker:
          command: python3 worker.py
          restart: never
          stopTimeout: 9s
        docs:
          command: mkdocs serve
      """;

  @Test
  void theOverrideFileMergesKeyByKeyReplacesScalarsAndListsAndNullRemoves() throws Exception {
    write("pmj.yaml", BASE);
    write(
        "pmj.override.yaml",
        """
        env:
          LOG_LEVEL: debug
        processes:
          web:
            args: [--port, "4000"]
            env:
              B: changed
              C: three
          worker:
            stopTimeout: null
          docs: null
        """);
    assertEquals(new Run(0, "ok: 2 processes in pmj.yaml\n", ""), run("validate"));
    Run r = run("config", "--sources", "--show-env");
    assertEquals("", r.err());
    assertEquals(
        """
        # pmj.yaml + pmj.override.yaml (merged in this order); a value without a # FILE:LINE is pmj's default
        file: @DIR@/pmj.yaml
        version: 1
        name: shop  # pmj.yaml:1
        envFile: []
        devMode: false
        processes:
          web:
            command:  # pmj.yaml:7 + pmj.override.yaml:5
            - node
            - web.js
            - --port
            - '4000'
            cwd: @DIR@
            env:
              A: one  # pmj.yaml:11
              B: changed  # pmj.override.yaml:7
              C: three  # pmj.override.yaml:8
              LOG_LEVEL: debug  # pmj.override.yaml:2
              PMJ_INSTANCE: '1'
              PMJ_PROCESS_ID: web
              PMJ_PROJECT_DIR: @DIR@
              REGION: eu  # pmj.yaml:4
            envFile: []
            autostart: true
            restart: always
            maxRetries: -1
            backoff: 1s
            backoffMax: 30s
            healthyAfter: 10s
            stopSignal: INT  # pmj.yaml:9
            stopTimeout: 5s
            dependsOn: {}
            devMode: false
            logBuffer: 5000
          worker:
            command:  # pmj.yaml:14
            - python3
            - worker.py
            cwd: @DIR@
            env:
              LOG_LEVEL: debug  # pmj.override.yaml:2
              PMJ_INSTANCE: '1'
              PMJ_PROCESS_ID: worker
              PMJ_PROJECT_DIR: @DIR@
              REGION: eu  # pmj.yaml:4
            envFile: []
            autostart: true
            restart: never  # pmj.yaml:15
            maxRetries: -1
            backoff: 1s
            backoffMax: 30s
            healthyAfter: 10s
            stopSignal: TERM
            stopTimeout: 5s
            dependsOn: {}
            devMode: false
            logBuffer: 5000
        """
            .replace("@DIR@", dir.toString()),
        r.out());
  }

  @Test
  void severalFilesMergeLeftToRightFromTheFirstFilesFolderWithoutTheOverrideFile()
      throws Exception {
    Files.createDirectories(dir.resolve("api"));
    Files.createDirectories(dir.resolve("local"));
    write(
        "base.yaml", "processes:\n  api: {command: api, restart: never}\n  web: {command: web}\n");
    write(
        "local/mine.yaml",
        "envFile: [mine.env]\nprocesses:\n  api: {cwd: api, restart: on-failure}\n  extra: {command: extra}\n");
    write("mine.env", "FROM_MINE=yes\n");
    // Beside the first file, but -f given twice: only the files named are merged.
    write("pmj.override.yaml", "processes:\n  web: null\n");
    assertEquals(
        new Run(0, "ok: 3 processes in base.yaml\n", ""),
        run("-f", "base.yaml", "validate", "--file", "local/mine.yaml"));
    Run r = run("config", "--sources", "--show-env", "-f", "base.yaml", "-f", "local/mine.yaml");
    assertEquals("", r.err());
    String out = r.out();
    String[] lines = {
      "# base.yaml + local/mine.yaml (merged in this order); a value without a # FILE:LINE is pmj's default\n",
      "envFile:  # local/mine.yaml:1\n- " + dir.resolve("mine.env") + "\n",
      "  api:\n    command:  # base.yaml:2\n    - api\n    cwd: "
          + dir.resolve("api")
          + "  # local/mine.yaml:3\n",
      "      FROM_MINE: 'yes'\n",
      "    restart: on-failure  # local/mine.yaml:3\n",
      "  extra:\n    command:  # local/mine.yaml:4\n",
      "  web:\n    command:  # base.yaml:3\n",
    };
    for (String line : lines) {
      if (!out.contains(line)) throw new AssertionError("no\n" + line + "in\n" + out);
    }
  }

  @Test
  void aProblemInTheOverrideFileIsSaidAtItsLineAndColumn() throws Exception {
    write("pmj.yaml", "processes:\n  web:\n    command: web\n    restart: always\n");
    write(
        "pmj.override.yaml",
        "# mine\nprocesses:\n  web:\n    restart: alwyas\n    restrat: never\n  api:\n    args: [x]\n");
    assertEquals(
        new Run(
            2,
            "",
            "pmj.override.yaml:4:14: processes.web.restart: must be one of always, on-failure, never (got \"alwyas\"; did you mean \"always\"?)\n"
                + "pmj.override.yaml:5:5: processes.web.restrat: unknown key (did you mean \"restart\"?)\n"
                + "pmj.override.yaml:6:3: processes.api: needs command or script (neither is set)\n"),
        run("validate"));
    write("pmj.override.yaml", "processes:\n  web: [unclosed\n");
    assertEquals(
        new Run(
            2,
            "",
            "pmj.override.yaml:3:1: YAML syntax error: expected ',' or ']', but got <stream end> (while parsing a flow sequence)\n"),
        run("validate"));
    // The second of two -f files, in a folder of its own.
    Files.createDirectories(dir.resolve("more"));
    write("more/b.yaml", "processes:\n  web:\n    stopTimeout: soon\n");
    assertEquals(
        new Run(
            2,
            "",
            "more/b.yaml:3:18: processes.web.stopTimeout: must be a duration such as 250ms, 5s, 2m or 1h30m (got \"soon\")\n"),
        run("validate", "-f", "pmj.yaml", "-f", "more/b.yaml"));
  }

  @Test
  void anEmptyOverrideFileChangesNothingAndANullProcessesKeyRemovesThemAll() throws Exception {
    write("pmj.yaml", "processes:\n  web: {command: web}\n");
    write("pmj.override.yaml", "# nothing of mine yet\n");
    assertEquals(new Run(0, "ok: 1 process in pmj.yaml\n", ""), run("validate"));
    write("pmj.override.yml", "processes: {api: {command: api}}\n");
    // The first of pmj.override.yaml, .yml, .json is the override file.
    assertEquals(new Run(0, "ok: 1 process in pmj.yaml\n", ""), run("validate"));
    Files.delete(dir.resolve("pmj.override.yaml"));
    assertEquals(new Run(0, "ok: 2 processes in pmj.yaml\n", ""), run("validate"));
  }
}
