package dev.pmj.supervisor;

import dev.pmj.config.ConfigLoader;
import dev.pmj.config.ConfigProblem;
import dev.pmj.config.LoadResult;
import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * {@link Control#scale} (README, "Scaling"): the instances of one process of the file, added or
 * removed at run time and written nowhere, the other processes untouched. New instances are built
 * by reading the file with the new count (their templates, {@code PMJ_INSTANCE} and log files as
 * the file would give them); instance 1 keeps its id, so no running process is renamed.
 */
final class Scaling {
  private final Supervisor supervisor;
  private final ConfigLoader loader;
  private final BiConsumer<String, String> say;

  /** Processes scaled to 0: their first instance is kept, stopped, and counts as none. */
  private final Set<String> zeroed = new HashSet<>();

  /**
   * @param say says one pmj line about a process (id, text)
   */
  Scaling(Supervisor supervisor, ConfigLoader loader, BiConsumer<String, String> say) {
    this.supervisor = supervisor;
    this.loader = loader;
    this.say = say;
  }

  /** The name of the file's process {@code spec} is an instance of ({@code web} for web.2). */
  static String nameOf(ProcessSpec spec) {
    String suffix = "." + spec.instance();
    boolean numbered = spec.instances() > 1 || spec.instance() > 1;
    return numbered && spec.id().endsWith(suffix)
        ? spec.id().substring(0, spec.id().length() - suffix.length())
        : spec.id();
  }

  Control.Scaled scale(Project project, String name, int to, String by) {
    if (to < 0 || to > Control.MAX_INSTANCES) {
      throw new ControlException(
          ControlException.Kind.INVALID,
          "instances must be a whole number from 0 to "
              + Control.MAX_INSTANCES
              + " (got "
              + to
              + ")");
    }
    List<ProcessSpec> members = members(name);
    ProcessSpec first = members.get(0);
    ProcessStatus firstStatus = supervisor.status(first.id());
    boolean off =
        members.size() == 1
            && zeroed.contains(name)
            && firstStatus != null
            && firstStatus.state() == ProcessState.STOPPED;
    int from = off ? 0 : members.size();
    List<String> started = new ArrayList<>();
    List<String> stopped = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    if (to == from) return new Control.Scaled(name, from, to, started, stopped, removed);
    List<ProcessSpec> added = to > members.size() ? newInstances(project, name, to) : List.of();
    say.accept(
        name,
        "scaling from "
            + from
            + " to "
            + to
            + (to == 1 ? " instance" : " instances")
            + " ("
            + by
            + ")");
    if (from == 0) {
      zeroed.remove(name);
      supervisor.start(first.id());
      started.add(first.id());
    }
    String after = members.get(members.size() - 1).id();
    for (ProcessSpec spec : added) {
      supervisor.add(spec, false, after);
      if (!spec.autostart()) supervisor.start(spec.id());
      started.add(spec.id());
      after = spec.id();
    }
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (int i = members.size() - 1; i >= Math.max(to, 1); i--) {
      String id = members.get(i).id();
      stops.add(supervisor.remove(id));
      removed.add(id);
    }
    if (to == 0) {
      zeroed.add(name);
      stops.add(supervisor.stop(first.id()));
      stopped.add(first.id());
    }
    // Returns once they are stopped: the stop signal, then stopTimeout before a kill.
    CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
    return new Control.Scaled(name, from, to, started, stopped, removed);
  }

  /** The instances of process {@code name}, by instance number; refuses what is not one. */
  private List<ProcessSpec> members(String name) {
    List<ProcessSpec> out = new ArrayList<>();
    for (String id : supervisor.ids()) {
      ProcessSpec spec = supervisor.spec(id);
      if (spec != null && !supervisor.isAdHoc(id) && nameOf(spec).equals(name)) out.add(spec);
    }
    if (!out.isEmpty()) {
      out.sort(Comparator.comparingInt(ProcessSpec::instance));
      return out;
    }
    ProcessSpec spec = supervisor.spec(name);
    if (spec != null && supervisor.isAdHoc(name)) {
      throw new ControlException(
          ControlException.Kind.CONFLICT,
          name + " was added at run time; only processes of the file can be scaled");
    }
    if (spec != null) {
      String of = nameOf(spec);
      throw new ControlException(
          ControlException.Kind.CONFLICT,
          name + " is an instance of " + of + "; scale the process: pmj scale " + of + "=N");
    }
    Set<String> names = new java.util.LinkedHashSet<>();
    for (String id : supervisor.ids()) {
      ProcessSpec s = supervisor.spec(id);
      if (s != null && !supervisor.isAdHoc(id)) names.add(nameOf(s));
    }
    throw ControlException.notFound(name, names);
  }

  /**
   * Instances {@code members+1..to} of {@code name}, as the file read with that count gives them.
   */
  private List<ProcessSpec> newInstances(Project project, String name, int to) {
    LoadResult r = loader.load(project, Map.of(name, to));
    if (!r.ok()) {
      List<String> lines = new ArrayList<>();
      for (ConfigProblem p : r.problems()) lines.add(p.format());
      throw new ControlException(
          ControlException.Kind.INVALID,
          "cannot scale "
              + name
              + ": "
              + loader.display(project.file())
              + " does not load now: "
              + lines.get(0),
          lines);
    }
    List<ProcessSpec> out = new ArrayList<>();
    for (ProcessSpec s : r.project().processes()) {
      if (nameOf(s).equals(name) && !supervisor.has(s.id())) out.add(s);
    }
    if (r.project().processes().stream().noneMatch(s -> nameOf(s).equals(name))) {
      throw new ControlException(
          ControlException.Kind.CONFLICT,
          name + " is no longer in " + loader.display(project.file()) + "; pmj reload first");
    }
    return out;
  }
}
