package dev.pmj.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pmj.config.Project;
import dev.pmj.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartOrderTest {
  @TempDir Path dir;

  private Project load(String yaml) throws Exception {
    return Fixtures.project(dir, Map.of("PATH", "/usr/bin:/bin"), yaml);
  }

  private static final String FILE =
      """
      processes:
        db: {command: db}
        cache: {command: cache, autostart: false}
        api: {command: api, dependsOn: {db: ready, cache: started}}
        web: {command: web, dependsOn: [api]}
        tool: {command: tool, autostart: false}
        worker: {command: worker, instances: 2, dependsOn: [db]}
      """;

  @Test
  void selectsAutostartProcessesAndTheirDependenciesInFileOrder() throws Exception {
    Project p = load(FILE);
    assertEquals(
        List.of("db", "cache", "api", "web", "worker.1", "worker.2"),
        StartOrder.select(p, List.of()));
  }

  @Test
  void namedProcessesBringTheirDependenciesOnly() throws Exception {
    Project p = load(FILE);
    assertEquals(List.of("db", "cache", "api"), StartOrder.select(p, List.of("api")));
    assertEquals(List.of("db", "worker.1", "worker.2"), StartOrder.select(p, List.of("worker")));
    assertEquals(List.of("db", "worker.2"), StartOrder.select(p, List.of("worker.2")));
    assertEquals(List.of("tool"), StartOrder.select(p, List.of("tool")));
  }

  @Test
  void anUnknownNameSuggestsTheClosest() throws Exception {
    Project p = load(FILE);
    StartOrder.UnknownProcess e =
        assertThrows(StartOrder.UnknownProcess.class, () -> StartOrder.select(p, List.of("wbe")));
    assertEquals("unknown process \"wbe\" (did you mean \"web\"?)", e.getMessage());
  }

  @Test
  void levelsPutDependentsAboveWhatTheyNeed() throws Exception {
    Project p = load(FILE);
    Map<String, Integer> levels = StartOrder.levels(p.processes());
    assertEquals(0, levels.get("db"));
    assertEquals(0, levels.get("cache"));
    assertEquals(1, levels.get("api"));
    assertEquals(2, levels.get("web"));
    assertEquals(1, levels.get("worker.1"));
  }
}
