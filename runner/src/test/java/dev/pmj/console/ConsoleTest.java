package dev.pmj.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Leftovers;
import dev.pmj.testing.Tmux;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The console in a real terminal: pmj runs in a tmux session, keys go in with send-keys, the screen
 * comes back with capture-pane. The shell around pmj saves {@code stty -g} before and after, so a
 * test can prove the terminal was given back as it was.
 */
class ConsoleTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final String tag = "pmj-test-" + UUID.randomUUID();
  private Tmux tmux;

  @BeforeEach
  void needsTmux() {
    dev.pmj.testing.Tools.require("tmux");
  }

  @AfterEach
  void nothingLeft() throws Exception {
    if (tmux != null) tmux.close();
    Leftovers.assertNoneLeft(tag);
  }

  /** Starts `pmj up ARGS` in a terminal of the given size, with TERM as given (null: tmux's). */
  private void pmj(int width, int height, String term, String args) throws Exception {
    tmux =
        Tmux.pmj(
            dir,
            tag,
            width,
            height,
            term == null ? "" : "TERM=" + term,
            "up " + args,
            "pmj",
            "pmj.err");
  }

  private String config(String... ids) {
    StringBuilder b = new StringBuilder("processes:\n");
    for (String id : ids) {
      b.append("  ")
          .append(id)
          .append(":\n")
          .append("    command: python3 @TESTDATA@/echo.py ")
          .append(id)
          .append("-up\n")
          .append("    env: {MARKER_FILE: ")
          .append(dir.resolve(id + ".starts"))
          .append("}\n");
    }
    return b.toString();
  }

  private long starts(String id) throws IOException {
    Path f = dir.resolve(id + ".starts");
    return Files.exists(f) ? Files.readAllLines(f).size() : 0;
  }

  private void awaitTrue(String what, Predicate<Void> test) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (test.test(null)) return;
      Thread.sleep(50); // polling a file with a deadline
    }
    StringBuilder markers = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".starts")).toList()) {
        markers.append(f.getFileName()).append(":\n").append(Files.readString(f));
      }
    }
    throw new AssertionError(
        what + " never happened; start markers:\n" + markers + "screen:\n" + tmux.capture());
  }

  /** Waits until the process's start marker counts {@code n} starts. */
  private void awaitStarts(String id, long n) throws Exception {
    awaitTrue(
        "start " + n + " of " + id,
        x -> {
          try {
            return starts(id) == n;
          } catch (IOException e) {
            return false;
          }
        });
  }

  /** Waits until each process wrote its first line (so its start is counted in its marker). */
  private void awaitUp(String... ids) throws Exception {
    for (String id : ids) tmux.await("^" + id + " +\\| " + id + "-up$", WAIT);
  }

  private void assertTerminalRestored() throws Exception {
    tmux.await("^shell-done$", WAIT);
    assertEquals(
        Files.readString(dir.resolve("stty.before")),
        Files.readString(dir.resolve("stty.after")),
        "stty -g after pmj differs from before; pmj's stderr: "
            + Files.readString(dir.resolve("pmj.err"))
            + "\nscreen:\n"
            + tmux.capture());
    String screen = tmux.screen();
    assertFalse(screen.contains("? keys"), "the footer is left on the screen:\n" + screen);
  }

  @Test
  void theFooterListsEveryProcessAndRRestartsTheSelectedOneOnly() throws Exception {
    Fixtures.writeConfig(dir, config("a", "b", "c"));
    pmj(120, 30, null, "");
    tmux.await("^>1 a ready {2,}2 b ready {2,}3 c ready {2,}\\? keys", WAIT);
    awaitUp("a", "b", "c");
    tmux.sendKeys("2");
    tmux.await("^ 1 a ready {2,}>2 b ready", WAIT);
    tmux.sendKeys("r");
    tmux.await("^pmj +\\| b: restarting \\(key r\\)$", WAIT);
    awaitStarts("b", 2);
    tmux.await(">2 b ready \\(1 restart\\)", WAIT);
    assertEquals(1, starts("a"));
    assertEquals(1, starts("c"));
    tmux.sendKeys("q");
    tmux.await("^pmj-exit=0$", WAIT);
    assertTerminalRestored();
  }

  @Test
  void keyLReloadsTheFile() throws Exception {
    Fixtures.writeConfig(dir, config("a"));
    pmj(120, 30, null, "--no-reload");
    tmux.await("^>1 a ready", WAIT);
    awaitUp("a");
    Fixtures.writeConfig(dir, config("a", "b"));
    tmux.sendKeys("L");
    tmux.await("^pmj +\\| reload \\(key L\\): 1 added, 0 removed, 0 changed, 1 unchanged$", WAIT);
    awaitUp("b");
    tmux.await("^>1 a ready {2,}2 b ready", WAIT);
    assertEquals(1, starts("a"));
    tmux.sendKeys("q");
    tmux.await("^pmj-exit=0$", WAIT);
    assertTerminalRestored();
  }

  @Test
  void arrowsAndTabMoveTheSelectionAndSStopsAndStartsIt() throws Exception {
    Fixtures.writeConfig(dir, config("a", "b", "c"));
    pmj(120, 30, null, "");
    tmux.await("^>1 a ready", WAIT);
    awaitUp("a", "b", "c");
    tmux.sendKeys("Down");
    tmux.await("^ 1 a ready {2,}>2 b ready", WAIT);
    tmux.sendKeys("Tab");
    tmux.await(">3 c ready", WAIT);
    tmux.sendKeys("Tab");
    tmux.await("^>1 a ready", WAIT);
    tmux.sendKeys("Up");
    tmux.await(">3 c ready", WAIT);
    tmux.sendKeys("BTab");
    tmux.await(">2 b ready", WAIT);
    tmux.sendKeys("s");
    tmux.await("^pmj +\\| b: stopping \\(key s\\)$", WAIT);
    tmux.await(">2 b stopped", WAIT);
    tmux.sendKeys("s");
    tmux.await("^pmj +\\| b: starting \\(key s\\)$", WAIT);
    tmux.await(">2 b ready", WAIT);
    awaitStarts("b", 2);
    tmux.sendKeys("q");
    tmux.await("^pmj-exit=0$", WAIT);
  }

  @Test
  void focusHoldsTheOthersOutputBackAndShowsItWhenItEnds() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          quiet:
            command: python3 @TESTDATA@/echo.py quiet-up
          ticker:
            command: sh -c 'i=0; while :; do i=$((i+1)); echo tick-$i; echo $i > %s; sleep 0.1; done'
        """
            .formatted(dir.resolve("ticks")));
    pmj(120, 30, null, "");
    tmux.await("^ticker +\\| tick-3$", WAIT);
    tmux.sendKeys("f");
    tmux.await(
        "^pmj +\\| focus on quiet: the others' output is held back until f is pressed again \\(key f\\)$",
        WAIT);
    tmux.await("focus: quiet \\(f ends\\)", WAIT);
    // While focused, no ticker line shows, though the ticker goes on writing.
    long focusedAt = ticks();
    // Five more ticks written, and read by pmj (on a busy machine its reader may lag the file).
    awaitTrue("five more ticks", x -> ticks() >= focusedAt + 5);
    awaitTrue("pmj read five more ticks", x -> lastTickRead() >= focusedAt + 5);
    String later = tmux.capture();
    assertFalse(
        later.substring(later.indexOf("focus on quiet")).contains("ticker |"),
        "ticker output shown during focus:\n" + later);
    tmux.sendKeys("f");
    String shown = tmux.await("^pmj +\\| (\\d+) lines held back during focus shown above$", WAIT);
    int held = Integer.parseInt(shown.replaceAll("\\D", ""));
    assertTrue(held >= 5, "only " + held + " lines held back in a second of ticking");
    String after = tmux.capture();
    String between =
        after.substring(after.indexOf("focus off"), after.indexOf("lines held back during focus"));
    assertEquals(
        held,
        between.lines().filter(l -> l.startsWith("ticker | tick-")).count(),
        "every held line is shown after focus ends:\n" + between);
    tmux.sendKeys("q");
    tmux.await("^pmj-exit=0$", WAIT);
  }

  /** The last tick the running pmj has read (pmj logs ticker), or 0. */
  private long lastTickRead() {
    String out =
        dev.pmj.testing.Cli.run(dir, "logs", "ticker", "-n", "1", "--no-pmj", "--no-prefix").out();
    String digits = out.strip().replaceAll("\\D", "");
    return digits.isEmpty() ? 0 : Long.parseLong(digits);
  }

  private long ticks() {
    try {
      String t = Files.readString(dir.resolve("ticks")).trim();
      return t.isEmpty() ? 0 : Long.parseLong(t);
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"TERM", "HUP"})
  void aSignalRestoresTheTerminalEvenAfterAChildTriedToChangeIt(String signal) throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          a:
            command: python3 @TESTDATA@/echo.py a-up
          sttyer:
            command: sh -c 'stty raw -echo; echo stty-exit=$?; exec sleep 1000'
        """);
    pmj(120, 30, null, "");
    tmux.await("^>1 a ready", WAIT);
    tmux.await("^sttyer +\\| stty-exit=1$", WAIT);
    long pid = Long.parseLong(Files.readString(dir.resolve("pmj.pid")).trim());
    new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
    tmux.await("^pmj +\\| received SIG" + signal + ", stopping every process$", WAIT);
    tmux.await("^pmj-exit=0$", WAIT);
    assertTerminalRestored();
  }

  @Test
  void ctrlCQuitsGracefullyAndASecondCtrlCKillsAtOnce() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          stubborn:
            command: sh @TESTDATA@/ignore_term.sh
            stopTimeout: 60s
        """);
    pmj(120, 30, null, "");
    tmux.await("^stubborn +\\| ignore_term: ignoring TERM$", WAIT);
    tmux.await("^>1 stubborn ready", WAIT);
    tmux.sendKeys("C-c");
    tmux.await("^pmj +\\| Ctrl-C, stopping every process$", WAIT);
    tmux.await("^pmj +\\| stubborn: stopping \\(sending SIGTERM\\)$", WAIT);
    tmux.sendKeys("C-c");
    tmux.await("^pmj +\\| Ctrl-C again: killing every process now$", WAIT);
    tmux.await("^pmj-exit=0$", WAIT);
    assertTerminalRestored();
  }

  @Test
  void helpAndClearEchoWhatTheyDid() throws Exception {
    Fixtures.writeConfig(dir, config("a"));
    pmj(120, 30, null, "");
    tmux.await("^>1 a ready", WAIT);
    tmux.await("^a +\\| a-up$", WAIT);
    tmux.sendKeys("?");
    tmux.await("^pmj +\\| keys: r restarts it, R restarts all, s stops or starts it", WAIT);
    tmux.sendKeys("c");
    tmux.await("^pmj +\\| screen cleared \\(key c\\)$", WAIT);
    String cleared = tmux.screen();
    assertFalse(cleared.contains("a-up"), "the screen was not cleared:\n" + cleared);
    tmux.await("^>1 a ready  \\? keys", WAIT); // the footer is drawn again
    tmux.sendKeys("R");
    tmux.await("^pmj +\\| restarting every process \\(key R\\)$", WAIT);
    awaitStarts("a", 2);
    tmux.sendKeys("q");
    tmux.await("^pmj-exit=0$", WAIT);
  }

  @Test
  void theFooterFollowsAResizeAndCollapsesWhenProcessesDoNotFit() throws Exception {
    Fixtures.writeConfig(dir, config("alpha", "bravo", "charlie", "delta", "echo", "foxtrot"));
    pmj(120, 30, null, "");
    tmux.await(
        "^>1 alpha ready {2,}2 bravo ready {2,}3 charlie ready {2,}4 delta ready {2,}5 echo ready {2,}"
            + "6 foxtrot ready",
        WAIT);
    tmux.resize(40, 12);
    // 40 columns, 12 rows: up to 3 footer lines (a quarter of the height), none wider than 39.
    tmux.await(
        "^>1 alpha ready   2 bravo ready\n 3 charlie ready   4 delta ready\n 5 echo ready   6 foxtrot ready  \\? keys$",
        WAIT);
    tmux.resize(40, 8);
    // 8 rows: 2 footer lines, so the entries farthest from the selection are counted instead.
    awaitTrue(
        "a footer of 2 lines that fits 40 columns and counts the rest",
        x -> {
          try {
            List<String> footer =
                tmux.screen().lines().filter(l -> l.matches("^([ >][1-9] |<\\d+ more).*")).toList();
            return footer.size() == 2
                && footer.stream().allMatch(l -> l.stripTrailing().length() <= 39)
                && footer.get(1).contains(" more>");
          } catch (Exception e) {
            return false;
          }
        });
    tmux.sendKeys("6");
    tmux.await("^<3 more   4 delta ready   5 echo ready\n>6 foxtrot ready  \\? keys", WAIT);
    tmux.sendKeys("q");
    tmux.await("^pmj-exit=0$", WAIT);
  }

  @Test
  void aDumbTerminalGetsPlainOutputAndNoKeys() throws Exception {
    Fixtures.writeConfig(dir, config("a"));
    pmj(120, 30, "dumb", "");
    tmux.await("^a +\\| a-up$", WAIT);
    tmux.sendKeys("q");
    tmux.await("^q", WAIT); // the terminal echoes it: pmj did not take the terminal
    assertFalse(tmux.capture().contains("? keys"));
    long pid = Long.parseLong(Files.readString(dir.resolve("pmj.pid")).trim());
    new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor();
    tmux.await("^pmj-exit=0$", WAIT);
    assertTerminalRestored();
  }
}
