package dev.pmj.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of the file's processes are part of a run, as docker compose chooses its services: a
 * process with {@code profiles} only when one of them is active or it is named, and none that
 * {@code --except} leaves out, nor what depends on those. A process left out is not part of the run
 * at all (pmj ps does not list it), as compose does not create such a service.
 *
 * @param profiles the active profiles (--profile, PMJ_PROFILES)
 * @param named the processes named on the command line: naming one activates its profiles
 * @param except the processes --except leaves out
 */
public record Selection(Set<String> profiles, List<String> named, List<String> except) {
  public static final Selection ALL = new Selection(Set.of(), List.of(), List.of());

  public Selection {
    profiles = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(profiles));
    named = List.copyOf(named);
    except = List.copyOf(except);
  }

  /** Why a selection cannot make a run: one line. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The run's project: {@code full} with only the chosen processes.
   *
   * @param notes what pmj says about it (the dependents --except also leaves out)
   */
  public record Chosen(Project project, List<String> notes) {}

  /**
   * Chooses from {@code full} (every process of the file). {@code strict}: an --except id that is
   * not in the file is refused (on the command line); a reload ignores it (the file changed).
   */
  public Chosen apply(Project full, boolean strict) throws Refused {
    List<ProcessSpec> all = full.processes();
    Set<String> active = new LinkedHashSet<>(profiles);
    for (ProcessSpec p : all) if (namedIn(p, named)) active.addAll(p.profiles());

    Set<String> excepted = new LinkedHashSet<>();
    for (String e : except) {
      boolean found = false;
      for (ProcessSpec p : all) {
        if (matches(p, e)) {
          excepted.add(p.id());
          found = true;
        }
      }
      if (!found && strict) {
        List<String> ids = all.stream().map(ProcessSpec::id).toList();
        String dym = Suggestions.closest(e, ids);
        throw new Refused(
            "--except: unknown process \""
                + e
                + "\" ("
                + (dym != null
                    ? "did you mean \"" + dym + "\"?"
                    : "processes are: " + String.join(", ", ids))
                + ")");
      }
    }
    for (ProcessSpec p : all) {
      if (excepted.contains(p.id()) && namedIn(p, named)) {
        throw new Refused(p.id() + " is named and left out by --except; say one or the other");
      }
    }
    // Dependents of what is left out, transitively: each with the dependency that took it out.
    Map<String, String> dependents = new LinkedHashMap<>();
    boolean grew = true;
    while (grew) {
      grew = false;
      for (ProcessSpec p : all) {
        if (excepted.contains(p.id()) || dependents.containsKey(p.id())) continue;
        for (String dep : p.dependsOn().keySet()) {
          if (excepted.contains(dep) || dependents.containsKey(dep)) {
            dependents.put(p.id(), dep);
            grew = true;
            break;
          }
        }
      }
    }
    for (ProcessSpec p : all) {
      if (dependents.containsKey(p.id()) && namedIn(p, named)) {
        throw new Refused(
            p.id()
                + " is named but depends on "
                + dependents.get(p.id())
                + ", which --except leaves out");
      }
    }
    List<ProcessSpec> kept = new ArrayList<>();
    Map<String, ProcessSpec> byId = new LinkedHashMap<>();
    for (ProcessSpec p : all) byId.put(p.id(), p);
    for (ProcessSpec p : all) {
      if (excepted.contains(p.id()) || dependents.containsKey(p.id())) continue;
      if (inactive(p, active)) continue;
      kept.add(p);
    }
    for (ProcessSpec p : kept) {
      for (String dep : p.dependsOn().keySet()) {
        ProcessSpec d = byId.get(dep);
        if (d != null && inactive(d, active)) {
          throw new Refused(
              p.id()
                  + " depends on "
                  + dep
                  + ", whose "
                  + (d.profiles().size() == 1 ? "profile " : "profiles ")
                  + String.join(", ", d.profiles())
                  + (d.profiles().size() == 1 ? " is" : " are")
                  + " not active (add --profile "
                  + d.profiles().get(0)
                  + ")");
        }
      }
    }
    List<String> notes = new ArrayList<>();
    if (!dependents.isEmpty()) {
      List<String> parts = new ArrayList<>();
      dependents.forEach((id, dep) -> parts.add(id + " (depends on " + dep + ")"));
      notes.add("--except " + String.join(",", except) + " leaves out " + String.join(", ", parts));
    }
    return new Chosen(full.select(kept, this), notes);
  }

  private static boolean inactive(ProcessSpec p, Set<String> active) {
    if (p.profiles().isEmpty()) return false;
    for (String profile : p.profiles()) if (active.contains(profile)) return false;
    return true;
  }

  private static boolean namedIn(ProcessSpec p, List<String> names) {
    for (String n : names) if (matches(p, n)) return true;
    return false;
  }

  /** Whether {@code name} means {@code p}: its id, or the name of all its instances. */
  private static boolean matches(ProcessSpec p, String name) {
    return p.id().equals(name) || p.instances() > 1 && p.id().equals(name + "." + p.instance());
  }

  /** The profiles PMJ_PROFILES names (comma separated), or none. */
  public static List<String> fromEnvironment(Map<String, String> env) {
    String v = env.get("PMJ_PROFILES");
    List<String> out = new ArrayList<>();
    if (v == null) return out;
    for (String s : v.split(",")) if (!s.isBlank()) out.add(s.strip());
    return out;
  }
}
