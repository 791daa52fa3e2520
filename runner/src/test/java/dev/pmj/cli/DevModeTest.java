package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmj.testing.Fixtures;
import dev.pmj.testing.PmjProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `pmj up` in devMode end to end: real folders, real processes, real restarts. */
class DevModeTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

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
    Fixtures.writeConfig(dir, config(""));
    try (PmjProcess pmj = PmjProcess.start(dir, "up", "--dev")) {
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
    Fixtures.writeConfig(
        dir,
        config("    devMode: true\n    debounce: 200ms")
            .replace("cwd: web", "cwd: web\n    devMode: true"));
    try (PmjProcess pmj = PmjProcess.start(dir, "up")) {
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
    Fixtures.writeConfig(
        dir,
        """
        processes:
          slow:
            command: sh @TESTDATA@/ignore_term.sh
            cwd: slow
            devMode: true
            stopTimeout: 1s
        """);
    try (PmjProcess pmj = PmjProcess.start(dir, "up")) {
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
