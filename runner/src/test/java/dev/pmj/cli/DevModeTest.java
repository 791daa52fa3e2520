package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmj.testing.PmjProcess;
import dev.pmj.testing.PmjRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `pmj up` in devMode end to end: real folders, real processes, real restarts. */
class DevModeTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension final PmjRun run = new PmjRun();
  private final Path dir = run.dir();

  /** Outside the project: what tests count with must not be a change in a watched folder. */
  @TempDir Path elsewhere;

  private void write(String rel, String text) throws IOException {
    Path f = dir.resolve(rel);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
  }

  private long starts(Path marker) throws IOException {
    return Files.exists(marker) ? Files.readAllLines(marker).size() : 0;
  }

  private String config(String extra) {
    return """
        processes:
          api:
            command: python3 @TESTDATA@/echo.py api-up
            cwd: api
            env: {MARKER_FILE: %s}
        %s
          web:
            command: python3 @TESTDATA@/echo.py web-up
            cwd: web
            env: {MARKER_FILE: %s}
        """
        .formatted(dir.resolve("api.starts"), extra, dir.resolve("web.starts"));
  }

  @Test
  void oneSaveRestartsThatProcessOnceAndNothingElse() throws Exception {
    write("api/src/app.py", "v1");
    write("web/index.js", "v1");
    write("api/node_modules/dep/index.js", "v1");
    write(".gitignore", "*.log\n");
    run.write(config(""));
    try (PmjProcess pmj = run.up("--dev")) {
      pmj.awaitLine("^pmj +\\| api: watching api \\(2 folders; devMode\\)$", WAIT);
      pmj.awaitLine("^pmj +\\| web: watching web \\(1 folder; devMode\\)$", WAIT);
      pmj.awaitLine("^web +\\| web-up$", WAIT);
      pmj.awaitLine("^api +\\| api-up$", WAIT);
      write("api/node_modules/dep/index.js", "v2");
      write("api/debug.log", "ignored by .gitignore");
      write("api/src/app.py", "v2");
      pmj.awaitLine("^pmj +\\| api: restarting: api/src/app.py changed$", WAIT);
      pmj.awaitLine("^pmj +\\| api: started \\(pid \\d+\\)$", WAIT);
      awaitNth(pmj, 2, "^api +\\| api-up$", "api-up\n");
      // The web process is restarted by its own change only; its second start is the proof
      // that nothing before it (the api change, ignored files) restarted it.
      write("web/index.js", "v2");
      pmj.awaitLine("^pmj +\\| web: restarting: web/index.js changed$", WAIT);
      awaitNth(pmj, 2, "^web +\\| web-up$", "web-up\n");
      assertEquals(2, starts(dir.resolve("api.starts")));
      assertEquals(2, starts(dir.resolve("web.starts")));
      assertEquals(1, count(pmj.stdout(), "api: restarting"));
      pmj.signal("INT");
      assertEquals(0, pmj.awaitExit(WAIT));
    }
  }

  @Test
  void aBurstOfFiveHundredFilesIsOneRestart() throws Exception {
    write("api/src/app.py", "v1");
    Files.createDirectories(dir.resolve("web"));
    // devMode set in the file this time; 200ms so that a busy machine's pauses stay inside the
    // burst.
    run.write(
        config("    devMode: true\n    debounce: 200ms")
            .replace("cwd: web", "cwd: web\n    devMode: true"));
    try (PmjProcess pmj = run.up()) {
      pmj.awaitLine("^pmj +\\| api: watching api", WAIT);
      pmj.awaitLine("^pmj +\\| web: watching web", WAIT);
      pmj.awaitLine("^api +\\| api-up$", WAIT);
      for (int i = 0; i < 500; i++) write("api/src/gen/f" + i + ".py", "x");
      pmj.awaitLine(
          "^pmj +\\| api: restarting: api/src/gen(/f0\\.py)? changed \\(\\+\\d+ more\\)$", WAIT);
      awaitNth(pmj, 2, "^api +\\| api-up$", "api-up\n");
      // A later change to the other process, once it is through, shows no second api restart came.
      write("web/sentinel", "x");
      pmj.awaitLine("^pmj +\\| web: restarting: web/sentinel changed$", WAIT);
      awaitNth(pmj, 2, "^web +\\| web-up$", "web-up\n");
      assertEquals(1, count(pmj.stdout(), "api: restarting"));
      assertEquals(2, starts(dir.resolve("api.starts")));
      pmj.signal("TERM");
      assertEquals(0, pmj.awaitExit(WAIT));
    }
  }

  @Test
  void aChangeDuringARestartLeadsToExactlyOneMore() throws Exception {
    write("slow/a.txt", "v1");
    run.write(
        """
        processes:
          slow:
            command: sh @TESTDATA@/ignore_term.sh
            cwd: slow
            devMode: true
            stopTimeout: 1s
        """);
    try (PmjProcess pmj = run.up()) {
      pmj.awaitLine("^pmj +\\| slow: watching slow", WAIT);
      pmj.awaitLine("^slow +\\| ignore_term: ignoring TERM$", WAIT);
      write("slow/a.txt", "v2");
      pmj.awaitLine("^pmj +\\| slow: restarting: slow/a.txt changed$", WAIT);
      // It ignores SIGTERM, so it is stopping for 1 s: these changes arrive meanwhile.
      write("slow/b.txt", "v2");
      write("slow/c.txt", "v2");
      pmj.awaitLine("^pmj +\\| slow: restarting: files changed while it was restarting$", WAIT);
      // The second run may be stopped before its shell has even set its trap, so count pmj's
      // start lines rather than the program's own.
      awaitNth(pmj, 3, "^pmj +\\| slow: started \\(pid \\d+\\)$", "slow: started (pid");
      pmj.signal("INT");
      assertEquals(0, pmj.awaitExit(WAIT));
      assertEquals(3, count(pmj.stdout(), "slow: started (pid"), pmj.stdout());
      assertEquals(1, count(pmj.stdout(), "files changed while it was restarting"), pmj.stdout());
    }
  }

  private String echo(String id, String line) {
    return "  %s:\n    command: python3 @TESTDATA@/echo.py %s\n    env: {MARKER_FILE: %s}\n"
        .formatted(id, line, elsewhere.resolve(id + ".starts"));
  }

  @Test
  void editingTheFileRestartsOnlyTheProcessItChangesAndOnlyOnce() throws Exception {
    // Every process watches the project folder, which holds pmj.yaml.
    run.save(
        "devMode: true\nprocesses:\n" + echo("a", "a-v1") + echo("b", "b-v1") + echo("c", "c-v1"));
    try (PmjProcess pmj = run.up()) {
      for (String id : List.of("a", "b", "c")) {
        pmj.awaitLine("^pmj +\\| " + id + ": watching \\. \\(", WAIT);
        pmj.awaitLine("^" + id + " +\\| " + id + "-v1$", WAIT);
      }
      run.save(
          "devMode: true\nprocesses:\n"
              + echo("a", "a-v1")
              + echo("b", "b-v2")
              + echo("c", "c-v1"));
      pmj.awaitLine(
          "^pmj +\\| reload \\(changed: pmj\\.yaml\\): 0 added, 0 removed, 1 changed, 2 unchanged$",
          WAIT);
      pmj.awaitLine("^b +\\| b-v2$", WAIT);
      // The watch follows the reload: once it watches again, a change every process sees shows,
      // by the count of starts, that the edit itself restarted no one but b, and b once.
      for (String id : List.of("a", "b", "c"))
        awaitNth(pmj, 2, "^pmj +\\| " + id + ": watching \\. \\(.*", id + ": watching . (");
      write("sentinel", "x");
      awaitNth(pmj, 2, "^a +\\| a-v1$", "a-v1\n");
      awaitNth(pmj, 2, "^b +\\| b-v2$", "b-v2\n");
      awaitNth(pmj, 2, "^c +\\| c-v1$", "c-v1\n");
      assertEquals(2, starts(elsewhere.resolve("a.starts")), pmj.stdout());
      assertEquals(3, starts(elsewhere.resolve("b.starts")), pmj.stdout());
      assertEquals(2, starts(elsewhere.resolve("c.starts")), pmj.stdout());
      for (String id : List.of("a", "b", "c"))
        assertEquals(1, count(pmj.stdout(), id + ": restarting: "), pmj.stdout());
      assertEquals(3, count(pmj.stdout(), "restarting: sentinel changed"), pmj.stdout());
      pmj.signal("TERM");
      assertEquals(0, pmj.awaitExit(WAIT));
    }
  }

  @Test
  void pmjsOwnOutputFileAndLogFilesInTheProjectRestartNothing() throws Exception {
    run.write(
        """
        devMode: true
        processes:
          ticker:
            command: python3 @TESTDATA@/ticker.py 0.05
            logFile: ticker.log
            env: {MARKER_FILE: %s}
        """
            .formatted(elsewhere.resolve("ticker.starts")));
    // pmj up > up.log, in the project folder the ticker watches.
    try (PmjProcess pmj =
        run.started(PmjProcess.startWithStdoutTo(dir, dir.resolve("up.log"), "up"))) {
      pmj.awaitLine("^pmj +\\| ticker: watching \\. \\(", WAIT);
      // Some 60 lines written to up.log and to ticker.log while watched: none restarts it.
      pmj.awaitLine("^ticker \\| tick 60$", WAIT);
      assertEquals(0, count(pmj.stdout(), "restarting"), pmj.stdout());
      assertEquals(1, starts(elsewhere.resolve("ticker.starts")));
      // It is watched all the same.
      write("app.py", "x");
      pmj.awaitLine("^pmj +\\| ticker: restarting: app\\.py changed$", WAIT);
      awaitNth(pmj, 2, "^ticker \\| tick 1$", "ticker | tick 1\n");
      pmj.signal("TERM");
      assertEquals(0, pmj.awaitExit(WAIT));
      assertEquals(1, count(pmj.stdout(), "restarting"), pmj.stdout());
    }
  }

  @Test
  void aDotEnvCreatedAfterStartIsLoadedByReloadNotByADevModeRestart() throws Exception {
    run.write(
        """
        devMode: true
        processes:
          greeter:
            command: sh -c 'echo "hello [$GREETING]"; exec sleep 1000'
            env: {MARKER_FILE: %s}
        """
            .formatted(elsewhere.resolve("greeter.starts")));
    try (PmjProcess pmj = run.up()) {
      pmj.awaitLine("^pmj +\\| greeter: watching \\. \\(", WAIT);
      pmj.awaitLine("^greeter +\\| hello \\[\\]$", WAIT);
      write(".env", "GREETING=there\n");
      pmj.awaitLine(
          "^pmj +\\| reload \\(created: \\.env\\): 0 added, 0 removed, 1 changed, 0 unchanged$",
          WAIT);
      pmj.awaitLine(
          "^pmj +\\| greeter: changed in pmj\\.yaml \\(env, envFile\\); restarting$", WAIT);
      pmj.awaitLine("^greeter +\\| hello \\[there\\]$", WAIT);
      // Edited again: a change now, and still no devMode restart for it.
      write(".env", "GREETING=again\n");
      pmj.awaitLine(
          "^pmj +\\| reload \\(changed: \\.env\\): 0 added, 0 removed, 1 changed, 0 unchanged$",
          WAIT);
      pmj.awaitLine("^greeter +\\| hello \\[again\\]$", WAIT);
      // Each run is watched anew: the sentinel must come after this run's watch is in place.
      awaitNth(pmj, 3, "^pmj +\\| greeter: watching \\. \\(.*$", "greeter: watching . (");
      write("sentinel", "x");
      pmj.awaitLine("^pmj +\\| greeter: restarting: sentinel changed$", WAIT);
      awaitNth(pmj, 2, "^greeter +\\| hello \\[again\\]$", "hello [again]\n");
      assertEquals(1, count(pmj.stdout(), "greeter: restarting: "), pmj.stdout());
      pmj.signal("TERM");
      assertEquals(0, pmj.awaitExit(WAIT));
    }
  }

  @Test
  void aProcessThatKeepsChangingItsOwnFolderIsToldOnceWhichFileToIgnore() throws Exception {
    run.write(
        """
        processes:
          writer:
            command: sh @TESTDATA@/append_loop.sh
            devMode: true
        """);
    try (PmjProcess pmj = run.up()) {
      pmj.awaitLine("^pmj +\\| writer: watching \\. \\(", WAIT);
      pmj.awaitLine(
          "^pmj +\\| writer: restarted 6 times in 10s by changes to out\\.txt; if the process"
              + " writes that file itself, add it to watchIgnore: \\[\"out\\.txt\"\\]$",
          WAIT);
      // It goes on restarting; the line is not said again.
      int restarts = count(pmj.stdout(), "writer: restarting: out.txt changed");
      awaitNth(
          pmj,
          restarts + 5,
          "^pmj +\\| writer: restarting: out\\.txt changed$",
          "writer: restarting: out.txt changed");
      assertEquals(1, count(pmj.stdout(), "writer: restarted "), pmj.stdout());
      pmj.signal("TERM");
      assertEquals(0, pmj.awaitExit(WAIT));
    }
  }

  /**
   * Waits for a line matching {@code regex} once {@code text} occurs {@code n} times in pmj's
   * output.
   */
  private static void awaitNth(PmjProcess pmj, int n, String regex, String text) {
    pmj.awaitLine(
        l -> l.matches(regex) && count(pmj.stdout(), text) == n,
        "\"" + text.strip() + "\" " + n + " times",
        WAIT);
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
    return n;
  }
}
