package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Cli;
import dev.pmj.testing.PmjProcess;
import dev.pmj.testing.PmjRun;
import dev.pmj.testing.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** pmj connect in a real terminal (tmux), to an interactive process of a pmj up -d. */
class ConnectCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String YAML =
      """
      processes:
        ask:
          command: python3 @TESTDATA@/ask.py
          interactive: true
          restart: never
        web:
          command: sleep 1000
        size:
          command: python3 @TESTDATA@/winsize.py
          interactive: true
      """;

  @RegisterExtension final PmjRun run = new PmjRun();
  private final Path dir = run.dir();
  private Tmux tmux;

  /** pmj up -d, once it answers. */
  private String upInBackground() throws Exception {
    run.write(YAML);
    PmjProcess up = run.up("-d");
    assertEquals(0, up.awaitExit(WAIT), up.stderr());
    return up.tag;
  }

  /**
   * pmj up in another terminal, once ask asks. Not up -d: its background pmj, started again from
   * this test's java -cp rather than java -jar, gets no terminals for its processes.
   */
  private String upElsewhere() throws Exception {
    run.write(YAML);
    PmjProcess up = run.up();
    up.awaitLine("^ask +\\| continue\\? \\[y/N\\] $", WAIT);
    return up.tag;
  }

  /** Runs pmj connect ask in a terminal, keeping stty -g from before and after. */
  private void connect(String tag) throws Exception {
    connect(tag, "ask");
  }

  private void connect(String tag, String id) throws Exception {
    dev.pmj.testing.Tools.require("tmux");
    // Closed before the check that nothing of pmj up (whose tag connect carries too) is left.
    tmux = run.closeFirst(Tmux.pmj(dir, tag, 100, 30, "", "connect " + id, "connect", null));
  }

  private void assertTerminalRestored() throws Exception {
    tmux.await("^shell-done$", WAIT);
    assertEquals(
        Files.readString(dir.resolve("stty.before")), Files.readString(dir.resolve("stty.after")));
  }

  @Test
  void theReplayedPromptIsAnsweredFromThisTerminalAndTheExitEndsIt() throws Exception {
    connect(upElsewhere());
    tmux.await("^pmj: connected to ask; Ctrl-\\] leaves$", WAIT);
    tmux.await("^continue\\? \\[y/N\\]$", WAIT); // kept from before connect
    tmux.sendKeys("y", "Enter");
    // Echoed by the process's own terminal (this one echoes nothing while connected).
    tmux.await("^continue\\? \\[y/N\\] y\\nanswer: y tty=True$", WAIT);
    tmux.await("^pmj: ask exited with code 0\\nconnect-exit=0$", WAIT);
    assertTerminalRestored();
    assertEquals(0, Cli.run(dir, "down").code());
  }

  @Test
  void ctrlRightBracketLeavesTheProcessRunningAndTheTerminalAsItWas() throws Exception {
    connect(upElsewhere());
    tmux.await("^continue\\? \\[y/N\\]$", WAIT);
    tmux.sendKeys("C-]");
    tmux.await(
        "^pmj: left ask \\(Ctrl-\\]\\); it runs on: pmj connect ask comes back\\nconnect-exit=0$",
        WAIT);
    assertTerminalRestored();
    Cli.Run ps = Cli.run(dir, "ps");
    assertTrue(ps.out().lines().anyMatch(l -> l.matches("^ask +ready .*")), ps.out());
    assertEquals(0, Cli.run(dir, "down").code());
  }

  @Test
  void aRestartKeepsItConnectedAndTheProcessGetsThisTerminalsSizeAsItChanges() throws Exception {
    connect(upElsewhere(), "size");
    tmux.await("^size 100 30$", WAIT);
    tmux.resize(90, 25);
    tmux.await("^size 90 25$", WAIT);
    assertEquals(0, Cli.run(dir, "restart", "size").code());
    tmux.await("^pmj: size restarted \\(pid [0-9]+\\)$", WAIT);
    // The new run's terminal has the size this one has.
    tmux.await("^pmj: size restarted \\(pid [0-9]+\\)\\n(.*\\n)*size 90 25$", WAIT);
    tmux.sendKeys("C-]");
    tmux.await("^connect-exit=0$", WAIT);
    assertTerminalRestored();
    assertEquals(0, Cli.run(dir, "down").code());
  }

  @Test
  void ctrlCGoesToTheProcessNotToConnect() throws Exception {
    connect(upElsewhere());
    tmux.await("^continue\\? \\[y/N\\]$", WAIT);
    tmux.sendKeys("C-c");
    // The process's terminal makes it SIGINT: Python's KeyboardInterrupt ends ask by it.
    tmux.await("^KeyboardInterrupt$", WAIT);
    tmux.await("^pmj: ask killed by SIGINT\\nconnect-exit=0$", WAIT);
    assertTerminalRestored();
    assertEquals(0, Cli.run(dir, "down").code());
  }

  @Test
  void pmjStoppingEndsItWithALine() throws Exception {
    connect(upElsewhere(), "size");
    tmux.await("^size 100 30$", WAIT);
    assertEquals(0, Cli.run(dir, "down").code());
    tmux.await("^pmj: the pmj of pmj.yaml stopped\\nconnect-exit=0$", WAIT);
    assertTerminalRestored();
  }

  @Test
  void anUnknownOrPlainProcessOrNoPmjIsOneLine() throws Exception {
    run.write(YAML);
    assertEquals(
        new Cli.Run(1, "", "pmj: no pmj is running pmj.yaml (start it with pmj up)\n"),
        Cli.run(dir, "connect", "ask"));
    upInBackground();
    assertEquals(
        new Cli.Run(1, "", "pmj: no process \"ak\" (did you mean \"ask\"?)\n"),
        Cli.run(dir, "connect", "ak"));
    assertEquals(
        new Cli.Run(
            1, "", "pmj: web is not interactive; set interactive: true for it in pmj.yaml\n"),
        Cli.run(dir, "connect", "web"));
    assertEquals(
        new Cli.Run(
            2,
            "",
            "pmj: connect needs a terminal (stdin and stdout, TERM not dumb); pmj logs -f ask follows its output anywhere\n"),
        Cli.run(dir, "connect", "ask"));
    assertEquals(0, Cli.run(dir, "down").code());
  }
}
