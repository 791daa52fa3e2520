package dev.pmj.supervisor;

import dev.pmj.config.DependencyGraph;
import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import dev.pmj.config.Suggestions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which processes run, and in what order they stop: pure functions of the model. */
public final class StartOrder {
  private StartOrder() {}

  /** A process name on the command line that is not in the file. */
  public static final class UnknownProcess extends Exception {
    public UnknownProcess(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The ids to run, in file order: the named ones (a multi-instance name means all its instances)
   * or, when none are named, every autostart process; plus all their dependencies.
   */
  public static List<String> select(Project project, Collection<String> names)
      throws UnknownProcess {
    Map<String, ProcessSpec> byId = new HashMap<>();
    for (ProcessSpec p : project.processes()) byId.put(p.id(), p);
    Set<String> roots = new LinkedHashSet<>();
    if (names.isEmpty()) {
      for (ProcessSpec p : project.processes()) if (p.autostart()) roots.add(p.id());
    } else {
      for (String name : names) {
        List<String> matches = new ArrayList<>();
        for (ProcessSpec p : project.processes()) {
          if (p.id().equals(name)
              || (p.instances() > 1
                  && p.id().startsWith(name + ".")
                  && p.id().substring(name.length() + 1).equals(Integer.toString(p.instance())))) {
            matches.add(p.id());
          }
        }
        if (matches.isEmpty()) {
          List<String> known = new ArrayList<>(byId.keySet());
          String dym = Suggestions.closest(name, known);
          throw new UnknownProcess(
              "unknown process \""
                  + name
                  + "\" ("
                  + (dym != null
                      ? "did you mean \"" + dym + "\"?"
                      : "processes are: "
                          + String.join(
                              ", ", project.processes().stream().map(ProcessSpec::id).toList()))
                  + ")");
        }
        roots.addAll(matches);
      }
    }
    Set<String> selected = DependencyGraph.of(project.processes()).withDependencies(roots);
    List<String> ordered = new ArrayList<>();
    for (ProcessSpec p : project.processes()) if (selected.contains(p.id())) ordered.add(p.id());
    return ordered;
  }

  /**
   * Each process's level: 0 without dependencies, else one more than its deepest dependency.
   * Processes stop level by level from the highest, so dependents stop before what they need.
   */
  public static Map<String, Integer> levels(Collection<ProcessSpec> specs) {
    return DependencyGraph.of(specs).levels();
  }
}
