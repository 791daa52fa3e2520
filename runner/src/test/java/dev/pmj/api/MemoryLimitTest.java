package dev.pmj.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.supervisor.ProcessEvent;
import dev.pmj.supervisor.ProcessState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** maxMemory (PM2's max_memory_restart) with a process that really allocates. */
class MemoryLimitTest {
  @TempDir Path dir;

  @Test
  void aTreeAboveMaxMemoryForTwoSamplesIsRestartedAsAFailure() throws Exception {
    try (Stack stack =
        new Stack(
            dir,
            """
            processes:
              hog:
                command: sh -c 'exec python3 @TESTDATA@/alloc.py 80'
                maxMemory: 40MB
                backoff: 100ms
              small:
                command: python3 @TESTDATA@/alloc.py 1
                maxMemory: 40MB
            """)) {
      ProcessEvent.Notice n =
          stack.await(
              ProcessEvent.Notice.class,
              e -> "hog".equals(e.id()) && e.text().startsWith("using "));
      assertTrue(
          n.text()
              .matches(
                  "using [0-9]+\\.[0-9] MB of memory, above maxMemory \\(40\\.0 MB\\) for two samples in a row; restarting it"),
          n.text());
      ProcessEvent.RestartScheduled r =
          stack.await(ProcessEvent.RestartScheduled.class, e -> e.id().equals("hog"));
      assertEquals(1, r.retry(), "counts as a failure: retry 1");
      assertEquals(100, r.delay().toMillis());
      stack.await(
          ProcessEvent.StateChanged.class,
          c -> c.id().equals("hog") && c.to() == ProcessState.RUNNING);
      assertEquals(1, stack.supervisor.status("hog").restarts());
      assertEquals(
          0, stack.supervisor.status("small").restarts(), "a process under its limit runs on");
      assertEquals(ProcessState.READY, stack.supervisor.status("small").state());
    }
  }
}
