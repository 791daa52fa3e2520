package dev.pmj.supervisor;

import dev.pmj.config.ConfigLoader;
import dev.pmj.config.ConfigProblem;
import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import dev.pmj.config.Readiness;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@link Control} in the process that runs the supervisor: what the console uses directly and the
 * HTTP API serves. Each command says in one pmj line what it does and who asked.
 */
public final class LocalControl implements Control {
  /** Events (for logs: lines) a remote follower may fall behind before it is dropped. */
  static final int REMOTE_QUEUE = 10_000;

  private final Supervisor supervisor;
  private volatile Project project;
  private volatile Consumer<Project> onReload = p -> {};
  private volatile Consumer<List<ConfigProblem>> onReloadRefused = p -> {};
  private final ConfigLoader loader;
  private final Predicate<String> watched;
  private final String version;
  private final Instant startedAt;
  private final Consumer<String> onShutdown;
  private final java.util.function.Function<String, String> colorOf;
  private volatile Supplier<String> dashboard = () -> null;
  private final Scaling scaling;

  /**
   * @param loader checks processes added at run time as the file's are checked
   * @param watched whether a process restarts on file changes (devMode, or --dev)
   * @param onShutdown asks pmj to stop everything and exit; gets who asked
   * @param colorOf the color word of a process's prefix in pmj's output
   */
  public LocalControl(
      Supervisor supervisor,
      Project project,
      ConfigLoader loader,
      Predicate<String> watched,
      String version,
      Consumer<String> onShutdown,
      java.util.function.Function<String, String> colorOf) {
    this.supervisor = supervisor;
    this.project = project;
    this.loader = loader;
    this.watched = watched;
    this.version = version;
    this.startedAt = Instant.now();
    this.onShutdown = onShutdown;
    this.colorOf = colorOf;
    this.scaling = new Scaling(supervisor, loader, this::say);
  }

  /** Called after each reload that changed the running set, with the file's new model. */
  public void onReload(Consumer<Project> hook) {
    this.onReload = hook;
  }

  /** Called after each reload refused for problems in the file, with those problems. */
  public void onReloadRefused(Consumer<List<ConfigProblem>> hook) {
    this.onReloadRefused = hook;
  }

  /** The project as last loaded. */
  public Project loaded() {
    return project;
  }

  /** Where the dashboard is, once the API serves it. */
  public void dashboard(Supplier<String> address) {
    this.dashboard = address;
  }

  @Override
  public ProjectInfo project() {
    return new ProjectInfo(
        project.name(),
        project.file().toString(),
        version,
        ProcessHandle.current().pid(),
        startedAt,
        dashboard.get(),
        !supervisor.settled().isDone());
  }

  @Override
  public List<ProcessInfo> processes() {
    List<ProcessInfo> out = new ArrayList<>();
    for (String id : supervisor.ids()) {
      ProcessInfo p = info(id);
      if (p != null) out.add(p);
    }
    return out;
  }

  @Override
  public ProcessInfo process(String id) {
    ProcessInfo p = info(id);
    if (p == null) throw ControlException.notFound(id, supervisor.ids());
    return p;
  }

  private ProcessInfo info(String id) {
    ProcessSpec spec = supervisor.spec(id);
    ProcessStatus s = supervisor.status(id);
    if (spec == null || s == null) return null;
    ProcessMetrics m = supervisor.metrics(id);
    boolean running = s.state().hasProcess() && m.pid() == s.pid();
    return new ProcessInfo(
        id,
        s.state(),
        s.pid(),
        s.startedAt(),
        s.restarts(),
        s.exitCode(),
        readiness(spec.readiness()),
        s.state() == ProcessState.READY,
        running ? m.cpuPercent() : 0,
        running ? m.cpuSeconds() : 0,
        running ? m.memoryBytes() : 0,
        supervisor.events().logs().linesTotal(id),
        watched.test(id),
        supervisor.isAdHoc(id),
        spec.interactive(),
        s.message(),
        s.since(),
        colorOf.apply(id));
  }

  private static String readiness(Readiness r) {
    if (r == null) return "none";
    if (r instanceof Readiness.Http) return "http";
    if (r instanceof Readiness.Tcp) return "tcp";
    if (r instanceof Readiness.Exec) return "exec";
    return "logLine";
  }

  // ---- commands ----

  @Override
  public CommandResult start(String id, String by) {
    return command(
        id,
        by,
        "starting",
        s -> !s.hasProcess() && s != ProcessState.STARTING,
        supervisor::start,
        "already running");
  }

  @Override
  public CommandResult stop(String id, String by) {
    return command(
        id,
        by,
        "stopping",
        s -> s != ProcessState.STOPPED && s != ProcessState.STOPPING,
        i -> supervisor.stop(i),
        "already stopped");
  }

  @Override
  public CommandResult restart(String id, String by) {
    return command(id, by, "restarting", s -> true, supervisor::restart, null);
  }

  /**
   * Runs one command on a process or on all: {@code applies} says whether the state needs it; one
   * pmj line says what happens (for all: one line for all of them).
   */
  private CommandResult command(
      String id,
      String by,
      String doing,
      Predicate<ProcessState> applies,
      Consumer<String> action,
      String unchanged) {
    List<String> ids = ALL.equals(id) ? supervisor.ids() : List.of(id);
    if (ids.size() == 1 && !supervisor.has(ids.get(0))) {
      throw ControlException.notFound(id, supervisor.ids());
    }
    List<String> acted = new ArrayList<>();
    for (String each : ids) {
      ProcessStatus s = supervisor.status(each);
      if (s != null && applies.test(s.state())) acted.add(each);
    }
    if (ids.size() > 1 || ALL.equals(id)) {
      if (!acted.isEmpty()) say(null, doing + " every process (" + by + ")");
    } else if (acted.isEmpty()) {
      if (unchanged != null) say(id, unchanged + " (" + by + ")");
    } else {
      say(id, doing + " (" + by + ")");
    }
    if (ALL.equals(id) && doing.equals("starting")) {
      supervisor.startInOrder(acted);
    } else {
      for (String each : acted) {
        try {
          action.accept(each);
        } catch (IllegalArgumentException e) {
          // removed meanwhile
        }
      }
    }
    List<ProcessInfo> after = new ArrayList<>();
    for (String each : ids) {
      ProcessInfo p = info(each);
      if (p != null) after.add(p);
    }
    return new CommandResult(after, !acted.isEmpty());
  }

  private void say(String id, String text) {
    supervisor.events().publish(new ProcessEvent.Notice(id, text));
  }

  @Override
  public ProcessInfo add(String json, String by) {
    Set<String> known = new LinkedHashSet<>(supervisor.ids());
    ConfigLoader.AdHocResult result = loader.loadProcess(project, json, "request body", known);
    if (!result.ok()) {
      List<String> lines = new ArrayList<>();
      for (ConfigProblem p : result.problems()) lines.add(p.format());
      throw new ControlException(
          ControlException.Kind.INVALID,
          lines.isEmpty() ? "not a valid process" : lines.get(0),
          lines);
    }
    ProcessSpec spec = result.spec();
    try {
      supervisor.add(spec, true);
    } catch (IllegalStateException e) {
      throw new ControlException(
          ControlException.Kind.CONFLICT,
          "a process named \"" + spec.id() + "\" exists already; choose another id");
    }
    List<String> words = new ArrayList<>();
    for (String w : spec.command()) words.add(dev.pmj.config.Words.quote(w));
    say(spec.id(), "added (" + by + "): " + String.join(" ", words));
    return process(spec.id());
  }

  @Override
  public ProcessInfo remove(String id, String by) {
    ProcessInfo p = process(id);
    if (!p.adHoc()) {
      throw new ControlException(
          ControlException.Kind.CONFLICT,
          "\""
              + id
              + "\" is declared in "
              + project.file().getFileName()
              + "; only processes added at run time can be removed (stop it instead)");
    }
    say(id, "removing (" + by + ")");
    supervisor.remove(id);
    return p;
  }

  @Override
  public synchronized Scaled scale(String id, int instances, String by) {
    return scaling.scale(project, id, instances, by);
  }

  // ---- logs and events ----

  @Override
  public List<LogStore.Line> logs(LogStore.Query query) {
    checkIds(query);
    return supervisor.events().logs().lines(query);
  }

  @Override
  public AutoCloseable followLogs(LogStore.Query query, LogStore.Follower follower) {
    checkIds(query);
    // Behind by more than the lines kept, it could no longer resume without a gap anyway.
    int kept = 0;
    for (String id : query.ids().isEmpty() ? supervisor.ids() : query.ids()) {
      ProcessSpec spec = supervisor.spec(id);
      kept += spec == null ? LogStore.DEFAULT_CAPACITY : spec.logs().buffer();
    }
    return supervisor
        .events()
        .logs()
        .follow(query, follower, Math.max(REMOTE_QUEUE, kept + LogStore.DEFAULT_CAPACITY));
  }

  private void checkIds(LogStore.Query query) {
    for (String id : query.ids()) {
      if (!supervisor.has(id) && !LogStore.PMJ.equals(id)) {
        throw ControlException.notFound(id, supervisor.ids());
      }
    }
  }

  @Override
  public AutoCloseable events(EventStream.Subscriber subscriber) {
    EventStream.Subscription s =
        supervisor
            .events()
            .subscribe(
                "remote", subscriber, EventStream.Delivery.DROP_WHEN_SLOW, REMOTE_QUEUE, false);
    return s::cancel;
  }

  @Override
  public Health health() {
    List<String> problems = new ArrayList<>();
    for (String id : supervisor.ids()) {
      ProcessSpec spec = supervisor.spec(id);
      ProcessStatus s = supervisor.status(id);
      if (spec == null || s == null || !spec.autostart()) continue;
      String problem = healthProblem(spec, s);
      if (problem != null) problems.add(id + ": " + problem);
    }
    return new Health(problems.isEmpty(), problems);
  }

  /** What keeps one process from counting as up, or null when it does. */
  private static String healthProblem(ProcessSpec spec, ProcessStatus s) {
    switch (s.state()) {
      case READY:
        return null;
      case RUNNING:
        return "running, not ready yet (" + readiness(spec.readiness()) + " probe)";
      case EXITED:
        if (!s.willRestart() && Integer.valueOf(0).equals(s.exitCode())) return null;
        return s.message();
      case FAILED:
        return "failed: " + s.message();
      case BACKOFF:
        // As pmj ps says it: "exited with code 1, restarting in 2s (retry 1 of 3)".
        return s.message();
      default:
        return s.state().word();
    }
  }

  // ---- terminals ----

  @Override
  public void input(String id, byte[] bytes) {
    supervisor.input(id, bytes);
  }

  @Override
  public void resize(String id, int cols, int rows) {
    supervisor.resize(id, cols, rows);
  }

  @Override
  public AutoCloseable followTerminal(String id, TerminalFollower follower) {
    ProcessSpec spec = supervisor.spec(id);
    if (spec == null) throw ControlException.notFound(id, supervisor.ids());
    if (!spec.interactive()) {
      throw new ControlException(ControlException.Kind.CONFLICT, id + " is not interactive");
    }
    return TerminalFollow.start(supervisor, id, follower);
  }

  @Override
  public synchronized Reloaded reload(String by) {
    dev.pmj.config.LoadResult r = loader.reload(project);
    String file = loader.display(project.file());
    if (!r.ok()) {
      // Before the problems are said: whoever reads them and acts (creates a missing env file)
      // finds what the hook does (watching for that file) done.
      onReloadRefused.accept(r.problems());
      List<String> lines = new ArrayList<>();
      java.util.Set<String> files = new java.util.TreeSet<>();
      for (ConfigProblem p : r.problems()) {
        lines.add(p.format());
        files.add(p.file());
      }
      say(
          null,
          "reload ("
              + by
              + "): "
              // the file that holds them: an override or -f file merged over the first one
              + (files.size() == 1 ? files.iterator().next() : file)
              + " has "
              + lines.size()
              + (lines.size() == 1 ? " problem" : " problems")
              + "; nothing changed");
      for (String l : lines) say(null, "  " + l);
      throw new ControlException(ControlException.Kind.INVALID, lines.get(0), lines);
    }
    // Where the definitions now come from: every file read (pmj.yaml + pmj.override.yaml).
    String from =
        String.join(" + ", r.project().layers().read().stream().map(loader::display).toList());
    Supervisor.Reload plan = supervisor.reload(r.project(), p -> announce(p, from, by));
    project = r.project();
    onReload.accept(project);
    return new Reloaded(plan.added(), plan.removed(), plan.changed(), plan.unchanged());
  }

  /** One line per change, said before the change is made. */
  private void announce(Supervisor.Reload plan, String file, String by) {
    for (String id : plan.removed()) say(id, "removed from " + file + " (reload); stopping");
    plan.changed()
        .forEach(
            (id, keys) -> {
              ProcessStatus s = supervisor.status(id);
              boolean active =
                  s != null
                      && (s.state().hasProcess()
                          || s.state() == ProcessState.STARTING
                          || s.state() == ProcessState.BACKOFF);
              say(
                  id,
                  "changed in "
                      + file
                      + " ("
                      + String.join(", ", keys)
                      + ")"
                      + (active ? "; restarting" : ""));
            });
    for (String id : plan.added()) say(id, "added to " + file + " (reload)");
    say(
        null,
        "reload ("
            + by
            + "): "
            + plan.added().size()
            + " added, "
            + plan.removed().size()
            + " removed, "
            + plan.changed().size()
            + " changed, "
            + plan.unchanged().size()
            + " unchanged");
  }

  @Override
  public void shutdown(String by) {
    onShutdown.accept(by);
  }
}
