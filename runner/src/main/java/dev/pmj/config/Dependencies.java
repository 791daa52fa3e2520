package dev.pmj.config;

import dev.pmj.config.ConfigNode.Entry;
import dev.pmj.config.ConfigNode.ListNode;
import dev.pmj.config.ConfigNode.MapNode;
import dev.pmj.config.ConfigNode.Scalar;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A process's {@code dependsOn}: read from the file, checked against the other processes (unknown
 * names, itself, cycles), and expanded from process names to instance ids.
 */
final class Dependencies {
  private final String file;
  private final Problems problems;

  Dependencies(String file, Problems problems) {
    this.file = file;
    this.problems = problems;
  }

  /**
   * What one process depends on, by process name, and where each was written.
   *
   * @param keyMark where {@code dependsOn} is, or null when the process has none
   */
  record Declared(
      Map<String, DependencyCondition> conditions, Map<String, Mark> marks, Mark keyMark) {}

  /** The dependencies of the process at {@code path}, a list (each "started") or a mapping. */
  Declared read(MapNode process, String path) {
    Map<String, DependencyCondition> conditions = new LinkedHashMap<>();
    Map<String, Mark> marks = new LinkedHashMap<>();
    ConfigNode node = process.get("dependsOn");
    if (node == null) return new Declared(conditions, marks, null);
    if (node instanceof MapNode map) {
      for (Entry e : map.entries().values()) {
        if (e.value() instanceof Scalar s && s.value() instanceof String word) {
          try {
            conditions.put(e.key(), DependencyCondition.of(word));
            marks.put(e.key(), e.keyMark());
          } catch (IllegalArgumentException ex) {
            // reported by the schema
          }
        }
      }
    } else if (node instanceof ListNode list) {
      for (ConfigNode item : list.items()) {
        if (item instanceof Scalar s && s.value() instanceof String dep) {
          if (conditions.putIfAbsent(dep, DependencyCondition.STARTED) != null) {
            problems.add(file, s.mark(), path + ".dependsOn", "\"" + dep + "\" is listed twice");
          }
          marks.putIfAbsent(dep, s.mark());
        }
      }
    }
    return new Declared(conditions, marks, process.entries().get("dependsOn").keyMark());
  }

  /** Every dependency of process {@code name} (at {@code path}) names another of {@code known}. */
  void checkTargets(String name, String path, Declared declared, Set<String> known) {
    for (Map.Entry<String, Mark> dep : declared.marks().entrySet()) {
      String target = dep.getKey();
      String p = path + ".dependsOn." + target;
      if (target.equals(name)) {
        problems.add(file, dep.getValue(), p, "a process cannot depend on itself");
      } else if (!known.contains(target)) {
        String dym = Suggestions.didYouMean(target, known);
        problems.add(
            file,
            dep.getValue(),
            p,
            "unknown process \""
                + target
                + "\" ("
                + (dym.isEmpty() ? "processes are: " + String.join(", ", known) : dym)
                + ")");
      }
    }
  }

  /** Each cycle among the processes (by name, in file order), reported at its first process. */
  void checkCycles(Map<String, Declared> byName) {
    Map<String, Collection<String>> edges = new LinkedHashMap<>();
    byName.forEach((name, declared) -> edges.put(name, declared.conditions().keySet()));
    for (List<String> cycle : new DependencyGraph(edges).cycles()) {
      String first = cycle.get(0);
      problems.add(
          file,
          byName.get(first).keyMark(),
          "processes." + first + ".dependsOn",
          "dependency cycle: " + String.join(" -> ", cycle));
    }
  }

  /** The process with its dependencies' names expanded to their instances' ids. */
  static ProcessSpec expand(ProcessSpec s, Map<String, List<String>> idsByName) {
    Map<String, DependencyCondition> deps = new LinkedHashMap<>();
    s.dependsOn()
        .forEach(
            (dep, cond) ->
                idsByName.getOrDefault(dep, List.of()).forEach(id -> deps.put(id, cond)));
    return s.withDependsOn(deps);
  }
}
