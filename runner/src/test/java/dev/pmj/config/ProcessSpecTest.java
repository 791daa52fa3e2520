package dev.pmj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a reload reports as changed: the file's keys, whether or not a group holds them. */
class ProcessSpecTest {
  @TempDir Path dir;

  private ProcessSpec load(String process) {
    return load(process, "web");
  }

  private ProcessSpec load(String process, String id) {
    LoadResult r =
        new ConfigLoader(Map.of(), dir, false)
            .load(dir.resolve("pmj.yaml"), "processes:\n  web: " + process + "\n");
    assertTrue(r.ok(), r.problems().toString());
    return r.project().process(id);
  }

  @Test
  void differencesNameTheFilesKeysInOrder() {
    ProcessSpec before = load("{command: echo}");
    ProcessSpec after =
        load(
            "{command: echo, restart: never, backoff: 2s, stopSignal: INT, stopTimeout: 1s,"
                + " watchPaths: [src], debounce: 1s, logBuffer: 7, logMaxSize: 1MB, maxMemory: 1GB,"
                + " stopCommand: stop, daemon: true}");
    assertEquals(
        List.of(
            "restart",
            "backoff",
            "stopSignal",
            "stopTimeout",
            "watchPaths",
            "debounce",
            "logBuffer",
            "logMaxSize",
            "maxMemory",
            "stopCommand",
            "daemon"),
        before.differences(after));
    assertEquals(List.of(), before.differences(load("{command: echo}")));
  }

  @Test
  void devModeSetAndInstancesAreNotDifferences() {
    // PMJ_PROCESS_ID differs with the id; the number of instances is not a difference
    assertEquals(
        List.of("id", "env"),
        load("{command: echo, instances: 2}", "web.1").differences(load("{command: echo}")));
    assertEquals(
        List.of(), load("{command: echo}").differences(load("{command: echo, devMode: false}")));
  }
}
