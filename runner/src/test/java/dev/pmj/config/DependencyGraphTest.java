package dev.pmj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {
  private static DependencyGraph graph(String... edges) {
    Map<String, List<String>> deps = new LinkedHashMap<>();
    for (String e : edges) {
      String[] parts = e.split(":", -1);
      deps.put(parts[0], parts[1].isEmpty() ? List.of() : List.of(parts[1].split(",")));
    }
    return new DependencyGraph(deps);
  }

  @Test
  void findsEachCycleOnceStartingWhereTheSearchMetIt() {
    assertEquals(
        List.of(List.of("a", "b", "c", "a"), List.of("d", "e", "d")),
        graph("a:b", "b:c", "c:a", "d:e", "e:d,a").cycles());
  }

  @Test
  void aProcessNamingItselfOrAnUnknownOneIsNoCycle() {
    assertEquals(List.of(), graph("a:a,zz", "b:a").cycles());
  }

  @Test
  void selectsTheRootsAndEverythingTheyNeed() {
    assertEquals(
        Set.of("web", "api", "db"),
        graph("db:", "api:db", "web:api", "tool:db").withDependencies(List.of("web")));
  }

  @Test
  void levelsCountTheDeepestDependencyAndAnOutsideOneAsLevelZero() {
    assertEquals(
        Map.of("db", 0, "api", 1, "web", 2, "job", 1),
        graph("db:", "api:db", "web:api,db", "job:elsewhere").levels());
  }
}
