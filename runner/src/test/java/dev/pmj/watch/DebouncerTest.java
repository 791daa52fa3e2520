package dev.pmj.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The quiet period, on a fake clock (nanoseconds passed in). */
class DebouncerTest {
  private static final long MS = 1_000_000;
  private final Debouncer d = new Debouncer();

  @Test
  void oneChangeIsDueAfterTheQuietPeriod() {
    d.changed("api", Path.of("/p/a.py"), 50 * MS, 0);
    assertEquals(50 * MS, d.nextDue(0));
    assertEquals(List.of(), d.due(49 * MS));
    assertEquals(List.of(new Change("api", Path.of("/p/a.py"), 0)), d.due(50 * MS));
    assertFalse(d.pending());
    assertEquals(Long.MAX_VALUE, d.nextDue(60 * MS));
  }

  @Test
  void aBurstOf500FilesIsOneChangeNamingTheFirstAndCountingTheRest() {
    for (int i = 0; i < 500; i++) d.changed("api", Path.of("/p/f" + i), 50 * MS, i * MS);
    assertEquals(List.of(), d.due(500 * MS), "each change restarts the quiet period");
    // 50ms after the last change, plus 1ms per other file, at most 250ms more.
    assertEquals(List.of(), d.due((499 + 50 + 249) * MS));
    assertEquals(List.of(new Change("api", Path.of("/p/f0"), 499)), d.due((499 + 50 + 250) * MS));
    assertEquals(List.of(), d.due(10_000 * MS));
  }

  @Test
  void aFewFilesWaitAMillisecondMoreEach() {
    d.changed("api", Path.of("/p/a"), 50 * MS, 0);
    d.changed("api", Path.of("/p/b"), 50 * MS, 0);
    d.changed("api", Path.of("/p/c"), 50 * MS, 0);
    assertEquals(52 * MS, d.nextDue(0));
  }

  @Test
  void theSameFileTwiceCountsOnce() {
    // An editor's save: write, rename, chmod of one file.
    d.changed("api", Path.of("/p/a.py"), 50 * MS, 0);
    d.changed("api", Path.of("/p/a.py"), 50 * MS, 1 * MS);
    d.changed("api", Path.of("/p/a.py"), 50 * MS, 2 * MS);
    assertEquals(List.of(new Change("api", Path.of("/p/a.py"), 0)), d.due(60 * MS));
  }

  @Test
  void theChangeNamesAFileThatStillExistsOverATemporaryOne() {
    // sed -i and some editors write a temporary file, then rename it over the real one.
    d.changed("api", Path.of("/p/sedAbc123"), 50 * MS, 0);
    d.changed("api", Path.of("/p/app.py"), 50 * MS, 1 * MS);
    assertEquals(
        List.of(new Change("api", Path.of("/p/app.py"), 1)),
        d.due(60 * MS, p -> !p.getFileName().toString().startsWith("sed")));
  }

  @Test
  void processesSettleIndependently() {
    d.changed("api", Path.of("/p/a.py"), 50 * MS, 0);
    d.changed("web", Path.of("/p/w.js"), 200 * MS, 0);
    assertEquals(List.of(new Change("api", Path.of("/p/a.py"), 0)), d.due(60 * MS));
    assertTrue(d.pending());
    assertEquals(200 * MS, d.nextDue(60 * MS));
    assertEquals(List.of(new Change("web", Path.of("/p/w.js"), 0)), d.due(200 * MS));
  }

  @Test
  void zeroDebounceIsDueAtOnce() {
    d.changed("api", Path.of("/p/a.py"), 0, 5 * MS);
    assertEquals(5 * MS, d.nextDue(5 * MS));
    assertEquals(1, d.due(5 * MS).size());
  }

  @Test
  void aChangeAfterABurstFiredStartsANewBurst() {
    d.changed("api", Path.of("/p/a.py"), 50 * MS, 0);
    assertEquals(1, d.due(50 * MS).size());
    d.changed("api", Path.of("/p/b.py"), 50 * MS, 70 * MS);
    assertEquals(List.of(new Change("api", Path.of("/p/b.py"), 0)), d.due(120 * MS));
  }

  @Test
  void theLineSaysWhichFileAndHowManyMore() {
    Path base = Path.of("/p");
    assertEquals(
        "src/app.py changed (+12 more)",
        new Change("api", Path.of("/p/src/app.py"), 12).describe(base));
    assertEquals(
        "src/app.py changed", new Change("api", Path.of("/p/src/app.py"), 0).describe(base));
    assertEquals(
        "/elsewhere/x changed", new Change("api", Path.of("/elsewhere/x"), 0).describe(base));
  }
}
