package dev.pmj.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Processes and what each depends on, in file order: loading finds its cycles, the supervisor the
 * processes a selection needs and the order they stop in. An edge to a process outside the graph is
 * kept (loading reports it) and leads nowhere.
 */
public final class DependencyGraph {
  private final Map<String, List<String>> dependencies = new LinkedHashMap<>();

  /**
   * @param dependencies each process (in file order) and the ones it depends on, in order
   */
  public DependencyGraph(Map<String, ? extends Collection<String>> dependencies) {
    dependencies.forEach((id, deps) -> this.dependencies.put(id, List.copyOf(deps)));
  }

  /** The graph of these processes by id (instances expanded). */
  public static DependencyGraph of(Collection<ProcessSpec> specs) {
    Map<String, Collection<String>> deps = new LinkedHashMap<>();
    for (ProcessSpec p : specs) deps.put(p.id(), p.dependsOn().keySet());
    return new DependencyGraph(deps);
  }

  /**
   * Every cycle met by a depth-first search in file order, each once, as the processes along it
   * with the first repeated at the end ({@code a -> b -> a}). A process naming itself is not a
   * cycle here: loading says so on its own.
   */
  public List<List<String>> cycles() {
    List<List<String>> cycles = new ArrayList<>();
    Map<String, Boolean> done = new HashMap<>(); // false while on the search's path
    for (String id : dependencies.keySet()) findCycles(id, done, new ArrayList<>(), cycles);
    return cycles;
  }

  private void findCycles(
      String current, Map<String, Boolean> done, List<String> path, List<List<String>> cycles) {
    Boolean state = done.get(current);
    if (Boolean.TRUE.equals(state)) return;
    if (Boolean.FALSE.equals(state)) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(current), path.size()));
      cycle.add(current);
      cycles.add(cycle);
      return;
    }
    done.put(current, false);
    path.add(current);
    for (String dep : dependencies.get(current)) {
      if (dependencies.containsKey(dep) && !dep.equals(current))
        findCycles(dep, done, path, cycles);
    }
    path.remove(path.size() - 1);
    done.put(current, true);
  }

  /** {@code roots} and everything they depend on, directly or not. */
  public Set<String> withDependencies(Collection<String> roots) {
    Set<String> selected = new LinkedHashSet<>();
    List<String> todo = new ArrayList<>(roots);
    while (!todo.isEmpty()) {
      String id = todo.remove(todo.size() - 1);
      if (selected.add(id)) todo.addAll(dependencies.getOrDefault(id, List.of()));
    }
    return selected;
  }

  /**
   * Each process's level: 0 without dependencies, else one more than its deepest dependency (one
   * outside the graph counts as level 0; a cycle, rejected at load, is cut).
   */
  public Map<String, Integer> levels() {
    Map<String, Integer> levels = new HashMap<>();
    for (String id : dependencies.keySet()) level(id, levels, new LinkedHashSet<>());
    return levels;
  }

  private int level(String id, Map<String, Integer> levels, Set<String> path) {
    Integer known = levels.get(id);
    if (known != null) return known;
    List<String> deps = dependencies.get(id);
    if (deps == null || !path.add(id)) return 0;
    int level = 0;
    for (String dep : deps) level = Math.max(level, level(dep, levels, path) + 1);
    path.remove(id);
    levels.put(id, level);
    return level;
  }
}
