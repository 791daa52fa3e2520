package dev.pmj.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** More than 5 restarts by changes within 10 s: told once per storm, with the files to ignore. */
class RestartStormsTest {
  private static final long S = 1_000_000_000L;
  private static final Path DIR = Path.of("/p");
  private final RestartStorms storms = new RestartStorms();

  @Test
  void theSixthRestartWithinTenSecondsIsAStormToldOnce() {
    Path out = DIR.resolve("api/out.txt");
    for (int i = 0; i < 5; i++) assertNull(storms.restarted("api", out, i * S));
    RestartStorms.Storm s = storms.restarted("api", out, 5 * S);
    assertEquals(new RestartStorms.Storm(6, List.of(out)), s);
    // The storm goes on: not said again.
    for (int i = 6; i < 30; i++) assertNull(storms.restarted("api", out, i * S));
  }

  @Test
  void restartsSpreadOverMoreThanTenSecondsAreNoStorm() {
    Path f = DIR.resolve("a");
    for (int i = 0; i < 20; i++) assertNull(storms.restarted("api", f, i * 2 * S));
  }

  @Test
  void aNewStormAfterAQuietWindowIsToldAgain() {
    Path f = DIR.resolve("a");
    for (int i = 0; i < 5; i++) storms.restarted("api", f, i * S);
    assertEquals(6, storms.restarted("api", f, 5 * S).restarts());
    long later = 5 * S + RestartStorms.WINDOW_NANOS;
    for (int i = 0; i < 5; i++) assertNull(storms.restarted("api", f, later + i * S));
    assertEquals(6, storms.restarted("api", f, later + 5 * S).restarts());
  }

  @Test
  void eachProcessHasItsOwnCount() {
    Path f = DIR.resolve("a");
    for (int i = 0; i < 5; i++) {
      assertNull(storms.restarted("api", f, i * S));
      assertNull(storms.restarted("web", f, i * S));
    }
  }

  @Test
  void theFilesThatChangedMostComeFirst() {
    Path a = DIR.resolve("api/a.log");
    Path b = DIR.resolve("api/data/b.db");
    List<Path> order = List.of(a, b, b, a, b, b);
    RestartStorms.Storm s = null;
    for (int i = 0; i < order.size(); i++) s = storms.restarted("api", order.get(i), i * S);
    assertEquals(new RestartStorms.Storm(6, List.of(b, a)), s);
  }

  @Test
  void theLineNamesTheFilesAndTheWatchIgnoreThatLeavesThemOut() {
    Path cwd = DIR.resolve("api");
    assertEquals(
        "restarted 6 times in 10s by changes to api/out.txt; if the process writes that file"
            + " itself, add it to watchIgnore: [\"out.txt\"]",
        RestartStorms.describe(
            new RestartStorms.Storm(6, List.of(cwd.resolve("out.txt"))), DIR, cwd));
    List<Path> four =
        List.of(cwd.resolve("data/b.db"), cwd.resolve("a.log"), cwd.resolve("c"), DIR.resolve("d"));
    assertEquals(
        "restarted 7 times in 10s by changes to api/data/b.db, api/a.log, api/c (+1 more); if the"
            + " process writes these files itself, add them to watchIgnore: [\"data/b.db\","
            + " \"a.log\", \"c\"]",
        RestartStorms.describe(new RestartStorms.Storm(7, four), DIR, cwd));
  }
}
