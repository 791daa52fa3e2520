package dev.pmj.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Leftovers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CPU and memory of a real process tree, read the way the supervisor reads them. */
class ProcessTableTest {
  private final String tag = "pmj-test-" + UUID.randomUUID();

  @AfterEach
  void nothingLeft() {
    Leftovers.assertNoneLeft(tag);
  }

  @Test
  void aTreeCountsEveryDescendantsMemoryAndCpu() throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("PMJ_TEST_TAG", tag);
    try (ProcessControl control = ProcessControl.create()) {
      // A shell whose child allocates 60 MB and whose other child just sleeps: three processes.
      Child child =
          control.start(
              List.of(
                  "sh",
                  "-c",
                  "sleep 1000 & python3 " + Fixtures.testdata("alloc.py") + " 60 & wait"),
              Path.of("."),
              env);
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.output(), StandardCharsets.UTF_8));
      assertEquals("alloc: holding 60 MB", out.readLine());
      for (ProcessTable table : List.of(new ProcProcessTable(), new HandleProcessTable())) {
        ProcessTable.Usage u = table.sample(List.of(child.pid(), 999_999_999L)).get(child.pid());
        assertEquals(3, u.processes(), table.getClass().getSimpleName());
        assertTrue(u.cpuNanos() > 0, "python's start costs some CPU: " + u);
        if (table instanceof ProcProcessTable) {
          assertTrue(u.rssBytes() > 60L << 20, "RSS " + u.rssBytes());
          assertTrue(u.rssBytes() < 200L << 20, "RSS " + u.rssBytes());
        } else {
          assertEquals(-1, u.rssBytes(), "the portable table does not know memory");
        }
      }
      assertEquals(Map.of(), new ProcProcessTable().sample(List.of(999_999_999L)));
      control.signalGroup(child.pid(), Signal.KILL);
      child.exit().get(10, TimeUnit.SECONDS);
      control.forget(child.pid());
    }
  }
}
