package dev.pmj.convert;

import dev.pmj.config.DependencyCondition;
import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One process of the file with all its instances ({@code api.1}…{@code api.3} are the group {@code
 * api}): engines with replicas get one service for the group.
 *
 * @param name the process's name in the file
 * @param members its instances, in order (one when it has no instances)
 */
record Group(String name, List<ProcessSpec> members) {
  /** Variables that differ from one instance to the next, set by pmj itself. */
  static final List<String> PER_INSTANCE = List.of("PMJ_INSTANCE", "PMJ_PROCESS_ID");

  Group {
    members = List.copyOf(members);
  }

  /** The processes of the project grouped by name, in file order. */
  static List<Group> of(Project project) {
    Map<String, List<ProcessSpec>> byName = new LinkedHashMap<>();
    for (ProcessSpec p : project.processes()) {
      byName.computeIfAbsent(nameOf(p), k -> new ArrayList<>()).add(p);
    }
    List<Group> out = new ArrayList<>();
    byName.forEach((name, members) -> out.add(new Group(name, members)));
    return out;
  }

  /** The name in the file of a process: {@code api} for {@code api.2}. */
  static String nameOf(ProcessSpec p) {
    return p.instances() > 1 ? p.id().substring(0, p.id().lastIndexOf('.')) : p.id();
  }

  ProcessSpec first() {
    return members.get(0);
  }

  boolean replicated() {
    return members.size() > 1;
  }

  /**
   * The variables every replica gets, sorted by name: without the per-instance ones when there are
   * several instances (one definition for all replicas cannot give each its own number).
   */
  Map<String, String> sharedEnv() {
    Map<String, String> env = new TreeMap<>(first().env());
    if (replicated()) PER_INSTANCE.forEach(env::remove);
    return env;
  }

  /**
   * The keys in which instances differ besides their number (a command or variable that uses {@code
   * PMJ_INSTANCE}): replicas run one definition, the first instance's.
   */
  List<String> instanceDifferences() {
    List<String> keys = new ArrayList<>();
    for (ProcessSpec other : members.subList(1, members.size())) {
      for (String key : first().differences(other)) {
        // logFile is per instance (logDir/api.2.log) and not carried over by any engine anyway
        if (key.equals("id") || key.equals("instance") || key.equals("logFile")) continue;
        if (keys.contains(key)) continue;
        if (key.equals("env") && sameBesidesInstance(first().env(), other.env())) continue;
        keys.add(key);
      }
    }
    return keys;
  }

  private static boolean sameBesidesInstance(Map<String, String> a, Map<String, String> b) {
    Map<String, String> x = new TreeMap<>(a);
    Map<String, String> y = new TreeMap<>(b);
    PER_INSTANCE.forEach(k -> x.remove(k));
    PER_INSTANCE.forEach(k -> y.remove(k));
    return x.equals(y);
  }

  /**
   * The dependencies by process name (instance ids folded back), in a stable order: the file order
   * of the dependencies.
   */
  Map<String, DependencyCondition> dependsOn(List<Group> all) {
    Map<String, DependencyCondition> out = new LinkedHashMap<>();
    for (Group g : all) {
      for (ProcessSpec m : g.members) {
        DependencyCondition c = first().dependsOn().get(m.id());
        if (c != null) out.putIfAbsent(g.name, c);
      }
    }
    return out;
  }

  /** The group called {@code name} among {@code all}. */
  static Group named(List<Group> all, String name) {
    for (Group g : all) if (g.name.equals(name)) return g;
    throw new IllegalArgumentException("no process " + name);
  }
}
