package dev.pmj.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fixture itself: what it checks after a test, with real pmj processes. */
class PmjRunTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final List<PmjRun> runs = new java.util.ArrayList<>();

  /** A run these tests end themselves; ended again after a failed test (twice is harmless). */
  private PmjRun newRun() {
    PmjRun run = new PmjRun();
    runs.add(run);
    return run;
  }

  @AfterEach
  void endRuns() {
    for (PmjRun run : runs) {
      try {
        run.afterEach(null);
      } catch (Exception | AssertionError e) {
        // a leftover is what the test itself asserts on; here it is only cleaned up
      }
    }
  }

  @Test
  void aProcessLeftRunningFailsTheTestAndIsKilled() throws Exception {
    PmjRun run = newRun();
    Path dir = run.dir();
    run.write("processes:\n  s:\n    command: sleep 1000\n");
    // In the background pmj and its process outlive the command that started them.
    PmjProcess up = run.up("-d");
    assertEquals(0, up.awaitExit(WAIT), up.stderr());
    assertFalse(Leftovers.find(up.tag).isEmpty());
    AssertionError e = assertThrows(AssertionError.class, () -> run.afterEach(null));
    assertTrue(e.getMessage().startsWith("processes left behind: ["), e.getMessage());
    assertEquals(List.of(), Leftovers.awaitNone(up.tag, WAIT));
    assertFalse(Files.exists(dir), "the project folder is removed");
  }

  @Test
  void aTagGivenToWatchIsCheckedToo() throws Exception {
    PmjRun run = newRun();
    String tag = run.watch("pmj-test-" + java.util.UUID.randomUUID());
    ProcessBuilder pb = new ProcessBuilder("sleep", "1000");
    pb.environment().put("PMJ_TEST_TAG", tag);
    Process sleep = pb.start();
    try {
      AssertionError e = assertThrows(AssertionError.class, () -> run.afterEach(null));
      assertTrue(e.getMessage().startsWith("processes left behind"), e.getMessage());
      assertTrue(sleep.waitFor(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
    } finally {
      sleep.destroyForcibly();
    }
  }

  @Test
  void aRunThatStopsEverythingPassesAndItsFolderIsRemoved() throws Exception {
    PmjRun run = newRun();
    Path dir = run.dir();
    run.save("processes:\n  s:\n    command: sleep 1000\n");
    PmjProcess up =
        run.upUntil(WAIT, "^pmj +\\| s: started \\(pid [0-9]+\\)$", "^pmj +\\| dashboard: ");
    Cli.Run down = run.cli("down");
    assertEquals(0, down.code(), down.err());
    assertEquals(0, up.awaitExit(WAIT), up.stderr());
    run.afterEach(null);
    assertFalse(Files.exists(dir));
  }
}
