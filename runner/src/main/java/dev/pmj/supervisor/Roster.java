package dev.pmj.supervisor;

import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The processes of a {@link Supervisor} by id, in file order then order of addition, and which were
 * added at run time (not declared in the file). Immutable: replaced whole.
 */
record Roster(Map<String, ProcessSupervisor> processes, Set<String> adHoc) {
  static final Roster EMPTY = new Roster(Map.of(), Set.of());

  Roster with(ProcessSupervisor p, boolean addedAtRunTime) {
    return with(p, addedAtRunTime, null);
  }

  /** With {@code p} right after {@code after} (at the end when null or not there). */
  Roster with(ProcessSupervisor p, boolean addedAtRunTime, String after) {
    Map<String, ProcessSupervisor> next = new LinkedHashMap<>();
    for (Map.Entry<String, ProcessSupervisor> e : processes.entrySet()) {
      next.put(e.getKey(), e.getValue());
      if (e.getKey().equals(after)) next.put(p.id(), p);
    }
    next.putIfAbsent(p.id(), p);
    Set<String> nextAdHoc = new HashSet<>(adHoc);
    if (addedAtRunTime) nextAdHoc.add(p.id());
    return new Roster(Collections.unmodifiableMap(next), Set.copyOf(nextAdHoc));
  }

  Roster without(String id) {
    Map<String, ProcessSupervisor> next = new LinkedHashMap<>(processes);
    next.remove(id);
    Set<String> nextAdHoc = new HashSet<>(adHoc);
    nextAdHoc.remove(id);
    return new Roster(Collections.unmodifiableMap(next), Set.copyOf(nextAdHoc));
  }

  /** The file's order for the declared processes, then those added at run time. */
  Roster inOrderOf(Project project) {
    Map<String, ProcessSupervisor> ordered = new LinkedHashMap<>();
    for (ProcessSpec s : project.processes()) {
      ProcessSupervisor p = processes.get(s.id());
      if (p != null) ordered.put(s.id(), p);
    }
    for (Map.Entry<String, ProcessSupervisor> e : processes.entrySet())
      ordered.putIfAbsent(e.getKey(), e.getValue());
    return new Roster(Collections.unmodifiableMap(ordered), adHoc);
  }
}
