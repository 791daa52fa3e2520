package dev.pmj.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.config.Color;
import dev.pmj.supervisor.ProcessState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The footer's text: entries, the selection, states, and how it shrinks to fit. */
class FooterTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  private static Footer.Entry e(String id, ProcessState s, int restarts) {
    return new Footer.Entry(id, Color.CYAN, s, restarts, null, null);
  }

  @Test
  void everyProcessWithItsNumberStateAndRestartsTheSelectedMarked() {
    List<Footer.Entry> entries =
        List.of(
            e("api", ProcessState.READY, 0),
            e("web", ProcessState.RUNNING, 2),
            new Footer.Entry("job", Color.GREEN, ProcessState.EXITED, 0, 1, null),
            e("db", ProcessState.FAILED, 5));
    assertEquals(
        List.of(
            " 1 api ready  >2 web running (2 restarts)   3 job exited 1   4 db failed (5 restarts)  ? keys"),
        Footer.render(entries, 1, null, 120, 3, false, NOW));
  }

  @Test
  void backoffCountsDownTheSecondsLeft() {
    Footer.Entry e =
        new Footer.Entry("api", Color.CYAN, ProcessState.BACKOFF, 3, 1, NOW.plusMillis(2300));
    assertEquals(
        List.of(">1 api backoff 3s (3 restarts)  ? keys"),
        Footer.render(List.of(e), 0, null, 80, 1, false, NOW));
    assertEquals(
        List.of(">1 api backoff 1s (3 restarts)  ? keys"),
        Footer.render(List.of(e), 0, null, 80, 1, false, NOW.plusMillis(1500)));
  }

  @Test
  void focusReplacesTheHint() {
    assertEquals(
        List.of(">1 api ready  focus: api (f ends)"),
        Footer.render(List.of(e("api", ProcessState.READY, 0)), 0, "api", 80, 1, false, NOW));
  }

  @Test
  void entriesShortenThenWrapThenTheFarthestAreCounted() {
    List<Footer.Entry> many = new ArrayList<>();
    for (int i = 1; i <= 12; i++) many.add(e("service" + i, ProcessState.STOPPING, 1));
    List<String> roomy = Footer.render(many, 0, null, 300, 3, false, NOW);
    assertTrue(roomy.get(0).contains("service1 stopping (1 restart)"), roomy.toString());
    List<String> tight = Footer.render(many, 0, null, 60, 2, false, NOW);
    assertEquals(2, tight.size(), tight.toString());
    assertTrue(tight.get(0).startsWith(">1 service1 stopp "), tight.toString());
    assertTrue(tight.get(1).endsWith(" 7 more>  ? keys"), tight.toString());
    List<String> atEnd = Footer.render(many, 11, null, 60, 2, false, NOW);
    assertTrue(atEnd.get(0).startsWith("<"), atEnd.toString());
    assertTrue(String.join(" ", atEnd).contains(">  service12 stopp"), atEnd.toString());
    for (List<String> lines : List.of(roomy, tight, atEnd)) {
      for (String l : lines) assertTrue(l.length() <= 300, l);
    }
    for (String l : tight) assertTrue(l.length() <= 60, l);
  }

  @Test
  void colorsMarkTheIdAndTheStateButNotTheWidth() {
    List<String> lines =
        Footer.render(List.of(e("api", ProcessState.READY, 0)), 0, null, 19, 1, true, NOW);
    assertEquals(List.of(">1 \033[1;7;36mapi\033[0m \033[32mready\033[0m"), lines);
  }

  @Test
  void aProcessWaitingForInputIsSaidInPlaceOfTheHintOrOnALineOfItsOwn() {
    List<Footer.Entry> entries =
        List.of(e("api", ProcessState.READY, 0), e("ask", ProcessState.READY, 0));
    assertEquals(
        List.of(">1 api ready   2 ask ready  ask waits for input — press 2, then i"),
        Footer.render(
            entries, 0, null, "ask waits for input — press 2, then i", 80, 3, false, NOW));
    // Too narrow for both on one line: the entries shrink to make room for it.
    assertEquals(
        List.of(">1 api ready   2 ask ready", "ask waits for input — press i"),
        Footer.render(entries, 0, null, "ask waits for input — press i", 30, 3, false, NOW));
  }
}
