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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's input mode in a real terminal (tmux): {@code i} on an interactive process, keys to
 * it, Ctrl-] back; real programs of testdata/ at a debugger breakpoint, a y/N prompt, a SIGINT, a
 * resize.
 */
class InputModeTest {
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

  /** Starts `pmj up` in a terminal of 100x30, keeping stty -g from before and after. */
  private void up() throws Exception {
    tmux = Tmux.pmj(dir, tag, 100, 30, "", "up", "pmj", "pmj.err");
  }

  /** q, then pmj ends with 0 and the terminal is as it was. */
  private void quit() throws Exception {
    tmux.sendKeys("q");
    tmux.await("^pmj-exit=0$", WAIT);
    tmux.await("^shell-done$", WAIT);
    assertEquals(
        Files.readString(dir.resolve("stty.before")),
        Files.readString(dir.resolve("stty.after")),
        "stty -g after pmj differs from before; pmj's stderr: "
            + Files.readString(dir.resolve("pmj.err")));
    assertEquals("", Files.readString(dir.resolve("pmj.err")));
  }

  /** Waits until the visible screen (not the scrollback) shows {@code regex}. */
  private String awaitScreen(String regex) throws Exception {
    Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
    long deadline = System.nanoTime() + WAIT.toNanos();
    String screen = "";
    while (System.nanoTime() < deadline) {
      screen = tmux.screen();
      Matcher m = p.matcher(screen);
      if (m.find()) return m.group();
      Thread.sleep(50); // polling the screen with a deadline
    }
    throw new AssertionError("the screen never showed " + regex + ":\n" + screen);
  }

  private static final String COUNTER =
      "sh -c 'i=0; while :; do i=$((i+1)); echo n-$i; echo $i > %s; sleep 0.1; done'";

  private long counted() {
    try {
      String t = Files.readString(dir.resolve("count")).trim();
      return t.isEmpty() ? 0 : Long.parseLong(t);
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  private void awaitCount(long atLeast) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (counted() < atLeast) {
      if (System.nanoTime() > deadline) throw new AssertionError("the counter stopped counting");
      Thread.sleep(50); // polling a file with a deadline
    }
  }

  /** Waits until the running pmj has read counter line {@code atLeast} (its reader may lag). */
  private void awaitRead(long atLeast) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      String last =
          dev.pmj.testing.Cli.run(dir, "logs", "counter", "-n", "1", "--no-pmj", "--no-prefix")
              .out()
              .strip();
      if (last.matches("n-\\d+") && Long.parseLong(last.substring(2)) >= atLeast) return;
      if (System.nanoTime() > deadline) throw new AssertionError("pmj read no n-" + atLeast);
      Thread.sleep(50); // polling with a deadline
    }
  }

  @Test
  void aBreakpointIsAnsweredThroughTheConsoleWhileTheOthersLinesWaitAndAllFollow()
      throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          bp:
            command: sh -c 'python3 @TESTDATA@/breakpoint.py; echo bp-done; exec sleep 1000'
            interactive: true
          counter:
            command: %s
        """
            .formatted(COUNTER.formatted(dir.resolve("count"))));
    up();
    tmux.await("^bp +\\| \\(Pdb\\)$", WAIT);
    tmux.await("^>1 bp ready .*bp waits for input — press i", WAIT);
    tmux.sendKeys("i");
    // Its terminal, unprefixed, from the top of a cleared screen; the footer says how to leave.
    awaitScreen(
        "\\A> .*breakpoint.py\\(\\d+\\)<module>\\(\\)\\n-> print\\(\"after the breakpoint\"");
    awaitScreen("^typing to bp — Ctrl-\\] leaves");
    long typingFrom = counted();
    tmux.sendKeys("p x", "Enter");
    awaitScreen("^\\(Pdb\\) p x\\n42\\n\\(Pdb\\)$");
    // An arrow reaches it as its escape sequence: pdb's line editing recalls the last command.
    tmux.sendKeys("Up");
    awaitScreen("^\\(Pdb\\) p x\\n42\\n\\(Pdb\\) p x$");
    tmux.sendKeys("Enter");
    awaitScreen("^\\(Pdb\\) p x\\n42\\n\\(Pdb\\) p x\\n42\\n\\(Pdb\\)$");
    tmux.sendKeys("c", "Enter");
    awaitScreen("^\\(Pdb\\) c\\nafter the breakpoint\\nbp-done$");
    awaitCount(typingFrom + 10);
    awaitRead(typingFrom + 10);
    String typing = tmux.screen();
    assertFalse(typing.contains("counter |"), "the counter shown while typing:\n" + typing);
    assertFalse(typing.contains("pmj |"), "pmj's lines shown while typing:\n" + typing);
    tmux.sendKeys("C-]");
    tmux.await("^pmj +\\| left bp \\(Ctrl-\\]\\); i types to it again$", WAIT);
    String held =
        tmux.await("^pmj +\\| (\\d+) lines held back while typing to bp shown above$", WAIT);
    awaitScreen("^>1 bp ready +2 counter ready +\\? keys");
    tmux.await("^counter +\\| n-" + (counted() + 1) + "$", WAIT); // and it goes on
    // Every counter line once, in order, from the first to the last: none lost while typing.
    List<Long> numbers = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^counter +\\| n-(\\d+)$").matcher(tmux.capture());
    while (m.find()) numbers.add(Long.parseLong(m.group(1)));
    for (int i = 0; i < numbers.size(); i++) {
      assertEquals(i + 1L, numbers.get(i), "counter lines in order, each once: " + numbers);
    }
    long heldLines = Long.parseLong(held.replaceAll("\\D", ""));
    assertTrue(heldLines >= 10, held);
    quit();
  }

  @Test
  void aPromptIsAnsweredAndItsEndEndsInputModeWithPmjsLine() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          web:
            command: python3 @TESTDATA@/echo.py web-up
          ask:
            command: python3 @TESTDATA@/ask.py
            interactive: true
            restart: never
        """);
    up();
    tmux.await("^web +\\| web-up$", WAIT);
    // Not selected: the footer says which number selects it.
    tmux.await("^>1 web ready +2 ask ready +ask waits for input — press 2, then i$", WAIT);
    tmux.sendKeys("i");
    tmux.await(
        "^pmj +\\| web is not interactive; add \"interactive: true\" to it in pmj.yaml to type"
            + " into it$",
        WAIT);
    tmux.sendKeys("2");
    tmux.await("^ 1 web ready +>2 ask ready +ask waits for input — press i$", WAIT);
    tmux.sendKeys("i");
    awaitScreen("\\Acontinue\\? \\[y/N\\]$");
    tmux.sendKeys("y", "Enter");
    tmux.await(
        "^continue\\? \\[y/N\\] y\\nanswer: y tty=True\\npmj +\\| left ask: it ended$", WAIT);
    tmux.await("^pmj +\\| ask: exited with code 0$", WAIT);
    awaitScreen("^ 1 web ready +>2 ask exited 0 +\\? keys$");
    tmux.sendKeys("i");
    tmux.await("^pmj +\\| ask is not running; s starts it, then i types to it$", WAIT);
    quit();
  }

  @Test
  void ctrlCInInputModeInterruptsTheProcessNotPmj() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          web:
            command: python3 @TESTDATA@/echo.py web-up
          waiter:
            command: python3 @TESTDATA@/interrupt.py
            interactive: true
            restart: never
        """);
    up();
    tmux.await("^waiter +\\| waiting$", WAIT);
    tmux.sendKeys("2");
    tmux.await(">2 waiter ready", WAIT);
    tmux.sendKeys("i");
    awaitScreen("^typing to waiter — Ctrl-\\] leaves");
    tmux.sendKeys("C-c");
    // Python's handler of SIGINT prints it; its terminal echoes the key as ^C.
    tmux.await("^waiting\\n(\\^C)?interrupted\\npmj +\\| left waiter: it ended$", WAIT);
    tmux.await("^pmj +\\| waiter: exited with code 0$", WAIT);
    // pmj runs on: its keys work again.
    tmux.sendKeys("?");
    tmux.await("^pmj +\\| keys: i types to it when it is interactive", WAIT);
    assertFalse(tmux.capture().contains("stopping every process"), tmux.capture());
    quit();
  }

  @Test
  void theProcessGetsTheConsolesSizeLessTheFooterAndFollowsAResize() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          size:
            command: python3 @TESTDATA@/winsize.py
            interactive: true
        """);
    up();
    tmux.await("^size +\\| size ", WAIT);
    tmux.sendKeys("i");
    awaitScreen("^size 100 29$");
    tmux.resize(90, 25);
    awaitScreen("^size 90 24$");
    awaitScreen("^typing to size — Ctrl-\\] leaves");
    tmux.sendKeys("C-]");
    tmux.await("^pmj +\\| left size \\(Ctrl-\\]\\); i types to it again$", WAIT);
    awaitScreen("^>1 size ready +\\? keys");
    quit();
  }

  @Test
  void sigtermWhileTypingShowsWhatWasHeldAndGivesTheTerminalBack() throws Exception {
    Fixtures.writeConfig(
        dir,
        """
        processes:
          bp:
            command: python3 @TESTDATA@/breakpoint.py
            interactive: true
          counter:
            command: %s
        """
            .formatted(COUNTER.formatted(dir.resolve("count"))));
    up();
    tmux.await("^>1 bp ready .*bp waits for input — press i", WAIT);
    tmux.sendKeys("i");
    awaitScreen("^typing to bp — Ctrl-\\] leaves");
    long typingFrom = counted();
    awaitCount(typingFrom + 3);
    long pid = Long.parseLong(Files.readString(dir.resolve("pmj.pid")).trim());
    new ProcessBuilder("kill", "-TERM", Long.toString(pid)).start().waitFor();
    tmux.await("^pmj +\\| left bp: pmj stops$", WAIT);
    tmux.await("^pmj +\\| received SIGTERM, stopping every process$", WAIT);
    tmux.await("^pmj +\\| \\d+ lines held back while typing to bp shown above\\npmj-exit=0$", WAIT);
    tmux.await("^shell-done$", WAIT);
    assertEquals(
        Files.readString(dir.resolve("stty.before")), Files.readString(dir.resolve("stty.after")));
    assertFalse(tmux.screen().contains("typing to bp —"), tmux.screen());
  }
}
