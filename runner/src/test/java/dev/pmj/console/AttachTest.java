package dev.pmj.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Cli;
import dev.pmj.testing.PmjProcess;
import dev.pmj.testing.PmjRun;
import dev.pmj.testing.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** pmj attach in a real terminal (tmux): the console of a pmj that runs elsewhere. */
class AttachTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String YAML = PmjRun.tickerAndQuiet("0.2");

  @RegisterExtension final PmjRun run = new PmjRun();
  private final Path dir = run.dir();
  private Tmux tmux;
  private String tag;

  @BeforeEach
  void needsTmux() {
    dev.pmj.testing.Tools.require("tmux");
  }

  /** Runs pmj attach in a terminal, keeping stty -g from before and after. */
  private void attach() throws Exception {
    // Closed before the check that nothing of pmj up (whose tag attach carries too) is left.
    tmux = run.closeFirst(Tmux.pmj(dir, tag, 120, 30, "", "attach", "attach", "attach.err"));
  }

  private void assertTerminalRestored() throws Exception {
    tmux.await("^shell-done$", WAIT);
    assertEquals(
        Files.readString(dir.resolve("stty.before")), Files.readString(dir.resolve("stty.after")));
    assertFalse(tmux.screen().contains("? keys"), "the footer is left on the screen");
  }

  @Test
  void attachShowsTheConsoleOfABackgroundPmjAndQLeavesItRunning() throws Exception {
    run.write(YAML);
    // What it started in the background runs on; checked after the test.
    PmjProcess up = run.up("-d");
    tag = up.tag;
    assertEquals(0, up.awaitExit(WAIT), up.stderr());
    attach();
    tmux.await("^>1 ticker ready {2,}2 quiet ready {2,}\\? keys", WAIT);
    tmux.await("^quiet +\\| quiet here$", WAIT); // the recent lines first
    tmux.await("^pmj +\\| quiet: started \\(pid [0-9]+\\)$", WAIT);
    tmux.await("^ticker +\\| tick [0-9]+$", WAIT);
    tmux.sendKeys("r");
    tmux.await("^pmj +\\| ticker: restarting \\(key r\\)$", WAIT);
    tmux.await(">1 ticker ready \\(1 restart\\)", WAIT);
    tmux.sendKeys("?");
    tmux.await(
        "^pmj +\\| keys: c clears the screen, L reloads the file, \\? shows this, q or Ctrl-C detaches \\(pmj runs on\\), Q stops pmj$",
        WAIT);
    tmux.sendKeys("q");
    tmux.await("^attach-exit=0$", WAIT);
    assertTerminalRestored();
    assertEquals(
        "pmj: detached (key q); pmj runs on: pmj attach comes back, pmj down stops it\n",
        Files.readString(dir.resolve("attach.err")));
    assertEquals(0, Cli.run(dir, "ps").code(), "pmj runs on");
    assertEquals(0, Cli.run(dir, "down").code());
  }

  @Test
  void qUpperStopsPmjAndAttachEndsWithIt() throws Exception {
    run.write(YAML);
    try (PmjProcess up = run.up()) {
      // A pmj in the foreground of another terminal can be attached to as well.
      tag = up.tag;
      up.awaitLine("^pmj +\\| dashboard: ", WAIT);
      attach();
      tmux.await("\\? keys", WAIT);
      tmux.sendKeys("Q");
      assertEquals(0, up.awaitExit(WAIT));
      assertTrue(
          up.stdout().contains("shutdown requested (pmj attach, key Q), stopping every process"),
          up.stdout());
      tmux.await("^attach-exit=0$", WAIT);
      assertTerminalRestored();
      assertEquals(
          "pmj: the pmj of pmj.yaml stopped\n", Files.readString(dir.resolve("attach.err")));
    }
  }

  @Test
  void iTypesToAnInteractiveProcessOfThePmjAttachedTo() throws Exception {
    run.write(
        """
        processes:
          quiet:
            command: python3 @TESTDATA@/echo.py quiet here
          ask:
            command: python3 @TESTDATA@/ask.py
            interactive: true
            restart: never
        """);
    try (PmjProcess up = run.up()) {
      tag = up.tag;
      up.awaitLine("^ask +\\| continue\\? \\[y/N\\] $", WAIT);
      attach();
      tmux.await("^>1 quiet ready +2 ask ready +ask waits for input — press 2, then i$", WAIT);
      tmux.sendKeys("2");
      tmux.await("^ 1 quiet ready +>2 ask ready +ask waits for input — press i$", WAIT);
      tmux.sendKeys("i");
      tmux.await("^typing to ask — Ctrl-\\] leaves$", WAIT);
      tmux.await("^continue\\? \\[y/N\\]$", WAIT); // its terminal, replayed
      tmux.sendKeys("y", "Enter");
      tmux.await(
          "^continue\\? \\[y/N\\] y\\nanswer: y tty=True\\npmj +\\| left ask: it ended$", WAIT);
      tmux.await("^pmj +\\| ask: exited with code 0$", WAIT);
      tmux.sendKeys("q");
      tmux.await("^attach-exit=0$", WAIT);
      assertTerminalRestored();
      assertEquals(0, Cli.run(dir, "down").code());
      assertEquals(0, up.awaitExit(WAIT));
    }
  }

  @Test
  void withoutATerminalAttachSaysSo() throws Exception {
    run.write(YAML);
    assertEquals(
        new Cli.Run(
            2,
            "",
            "pmj: attach needs a terminal (stdin and stdout, TERM not dumb); pmj logs -f follows the output anywhere\n"),
        Cli.run(dir, "attach"));
  }
}
