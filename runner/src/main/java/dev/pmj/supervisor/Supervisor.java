package dev.pmj.supervisor;

import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import dev.pmj.os.ProcessControl;
import dev.pmj.os.ProcessTable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The facade every view uses: start, stop and restart processes, read their status, follow the
 * event stream. Starts processes in dependency order and stops them in reverse.
 */
public final class Supervisor implements AutoCloseable {
  /** How {@code up} ended by itself: every process ended and none will restart. */
  public record Outcome(boolean anyFailed) {}

  /**
   * @param environment the environment pmj runs in, passed on to every process
   * @param forceColor set FORCE_COLOR=1 for the processes (when pmj shows colors)
   * @param processTable where CPU and memory of process trees are read
   * @param sampleEvery how often they are read (README, "From a second terminal": 2 s)
   */
  public record Options(
      Map<String, String> environment,
      boolean forceColor,
      ProcessTable processTable,
      Duration sampleEvery) {
    public Options(Map<String, String> environment, boolean forceColor) {
      this(environment, forceColor, ProcessTable.create(), Duration.ofSeconds(2));
    }
  }

  /**
   * The processes by id, in file order then order of addition, and which were added at run time.
   * The one discipline for what every thread reads: an immutable {@link Roster}, replaced whole
   * while holding {@code this} (add, remove, reload), read without the lock through this volatile
   * field. Everything else the supervisor keeps is confined to its {@link #mailbox} ({@link
   * Dependencies}) or to a process's own mailbox.
   */
  private volatile Roster roster = Roster.EMPTY;

  private final Services rt;
  private final Workers workers;
  private final Sampler sampler;
  private final EventStream events;
  private final Mailbox mailbox;
  private final Dependencies deps;

  public Supervisor(
      Project project,
      List<String> ids,
      Options options,
      ProcessControl control,
      EventStream events,
      Clock clock) {
    this(project, ids, options, control, events, clock, Workers.threads(control, onError(events)));
  }

  /** With the threads (or a test's fakes of them) to run on. */
  Supervisor(
      Project project,
      List<String> ids,
      Options options,
      ProcessControl control,
      EventStream events,
      Clock clock,
      Workers workers) {
    this.events = events;
    this.workers = workers;
    Thread.UncaughtExceptionHandler onError = onError(events);
    this.mailbox = new Mailbox(workers.pool(), onError);
    this.deps = new Dependencies(events, () -> roster.processes());
    this.rt =
        new Services(
            control,
            events,
            clock,
            workers.timers(),
            workers.output(),
            workers.pool(),
            workers.probes(),
            options.environment(),
            options.forceColor(),
            e -> mailbox.execute(() -> deps.onStateChanged(e)),
            onError);
    this.sampler =
        new Sampler(
            options.processTable(),
            options.sampleEvery(),
            workers.timers(),
            events,
            clock,
            () -> roster.processes());
    Roster initial = Roster.EMPTY;
    for (String id : ids) {
      ProcessSpec spec = project.process(id);
      if (spec == null) throw new IllegalArgumentException("no process " + id);
      ProcessSupervisor p = new ProcessSupervisor(spec, rt);
      initial = initial.with(p, false);
      deps.known(p.status());
      events.logs().capacity(id, spec.logs().buffer());
    }
    roster = initial;
    events.snapshotSource(() -> new ProcessEvent.Snapshot(snapshot()));
  }

  /** A bug of pmj's: said on the stream, as one line. */
  private static Thread.UncaughtExceptionHandler onError(EventStream events) {
    return (t, e) ->
        events.publish(
            new ProcessEvent.Notice(null, "internal error: " + e + " (please report it)"));
  }

  public EventStream events() {
    return events;
  }

  /** The status of every process, in file order. */
  public List<ProcessStatus> snapshot() {
    List<ProcessStatus> out = new ArrayList<>();
    for (ProcessSupervisor p : roster.processes().values()) out.add(p.status());
    return out;
  }

  public List<String> ids() {
    return List.copyOf(roster.processes().keySet());
  }

  /** The definition of a process, or null when there is no such process. */
  public ProcessSpec spec(String id) {
    ProcessSupervisor p = roster.processes().get(id);
    return p == null ? null : p.spec();
  }

  /** The status of one process, or null when there is no such process. */
  public ProcessStatus status(String id) {
    ProcessSupervisor p = roster.processes().get(id);
    return p == null ? null : p.status();
  }

  /** Whether the process was added at run time (not declared in the file). */
  public boolean isAdHoc(String id) {
    return roster.adHoc().contains(id);
  }

  /** CPU and memory of the process's tree at the last sample. */
  public ProcessMetrics metrics(String id) {
    return sampler.metrics(id);
  }

  /** Starts every process as soon as its dependencies allow. */
  public void up() {
    up(roster.processes().keySet());
  }

  /**
   * Starts these processes as soon as their dependencies allow; the others are {@code stopped}
   * until someone starts them (and pmj does not wait for them to end).
   */
  public void up(java.util.Collection<String> ids) {
    List<String> start = new ArrayList<>(ids);
    mailbox.execute(() -> deps.up(start));
    sampler.start();
  }

  /**
   * Completes once every process {@code up} started has started (or exited, or failed) or can never
   * start (a dependency failed): when {@code pmj up -d} may say how the start went.
   */
  public CompletableFuture<Void> settled() {
    return deps.settled;
  }

  /**
   * Adds a process while pmj runs and starts it (when it is {@code autostart}) once its
   * dependencies allow.
   *
   * @throws IllegalStateException when a process with its id exists
   */
  public void add(ProcessSpec spec, boolean addedAtRunTime) {
    add(spec, addedAtRunTime, null);
  }

  /**
   * The same, placed right after process {@code after} when not null (an instance added by {@code
   * pmj scale} shows beside its siblings).
   */
  public void add(ProcessSpec spec, boolean addedAtRunTime, String after) {
    ProcessSupervisor p;
    synchronized (this) {
      if (roster.processes().containsKey(spec.id())) {
        throw new IllegalStateException("a process named " + spec.id() + " exists");
      }
      p = new ProcessSupervisor(spec, rt);
      events.logs().capacity(spec.id(), spec.logs().buffer());
      roster = roster.with(p, addedAtRunTime, after);
    }
    events.publish(new ProcessEvent.Added(p.status(), addedAtRunTime, spec.color()));
    mailbox.execute(() -> deps.added(p, spec.autostart()));
  }

  /**
   * Stops a process and removes it; completes once it is stopped and gone from every view.
   *
   * @throws IllegalArgumentException when there is no such process
   */
  public CompletableFuture<Void> remove(String id) {
    ProcessSupervisor p;
    synchronized (this) {
      p = process(id);
      roster = roster.without(id);
    }
    return p.stop()
        .thenRun(
            () -> {
              events.logs().forget(id);
              events.publish(new ProcessEvent.Removed(id));
              mailbox.execute(() -> deps.removed(id));
            });
  }

  /** What a reload changed: ids added, removed, changed (with the keys that changed), unchanged. */
  public record Reload(
      List<String> added,
      List<String> removed,
      Map<String, List<String>> changed,
      List<String> unchanged) {}

  /**
   * Brings the running set to {@code next} (the file reloaded): processes no longer declared stop
   * and go, new ones are added (and start when autostart), those whose definition changed take the
   * new one and, when they were running, stop and start again in dependency order; the others are
   * not touched. Processes added at run time stay.
   */
  public Reload reload(Project next) {
    return reload(next, plan -> {});
  }

  /** The same; {@code announce} hears the plan before anything is done (to say it first). */
  public Reload reload(Project next, java.util.function.Consumer<Reload> announce) {
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    Map<String, List<String>> changed = new LinkedHashMap<>();
    List<String> unchanged = new ArrayList<>();
    Map<String, ProcessSpec> wanted = new LinkedHashMap<>();
    for (ProcessSpec s : next.processes()) wanted.put(s.id(), s);
    List<ProcessSpec> toAdd = new ArrayList<>();
    List<ProcessSupervisor> restart = new ArrayList<>();
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    Map<ProcessSupervisor, ProcessSpec> redefine = new LinkedHashMap<>();
    synchronized (this) {
      Roster now = roster;
      for (ProcessSupervisor p : now.processes().values()) {
        if (now.adHoc().contains(p.id())) continue;
        ProcessSpec s = wanted.get(p.id());
        if (s == null) {
          removed.add(p.id());
          continue;
        }
        List<String> diff = p.spec().differences(s);
        if (diff.isEmpty()) {
          unchanged.add(p.id());
        } else {
          changed.put(p.id(), diff);
          redefine.put(p, s);
          events.logs().capacity(p.id(), s.logs().buffer());
          ProcessState state = p.status().state();
          if (state.hasProcess()
              || state == ProcessState.STARTING
              || state == ProcessState.BACKOFF) {
            restart.add(p);
          }
        }
      }
      for (ProcessSpec s : next.processes()) {
        if (!now.processes().containsKey(s.id())) {
          toAdd.add(s);
          added.add(s.id());
        }
      }
    }
    Reload plan = new Reload(added, removed, changed, unchanged);
    announce.accept(plan);
    for (String id : removed) remove(id);
    for (ProcessSupervisor p : restart) stops.add(p.stop());
    CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
        .whenComplete(
            (v, e) -> {
              redefine.forEach(ProcessSupervisor::redefine);
              List<String> again = new ArrayList<>();
              for (ProcessSupervisor p : restart) again.add(p.id());
              // Dependencies first: each starts once what it depends on allows, as at up.
              if (!again.isEmpty()) startInOrder(again);
            });
    for (ProcessSpec s : toAdd) add(s, false);
    synchronized (this) {
      roster = roster.inOrderOf(next);
    }
    return plan;
  }

  /**
   * Restarts a process now (stop, then start); with restartDependents, its dependents follow once
   * it is ready.
   */
  public void restart(String id) {
    ProcessSupervisor p = process(id);
    markDependents(p);
    p.restart();
  }

  /**
   * Restarts a process because files it watches changed; {@code what} says which, for people
   * ("src/app.py changed (+12 more)").
   */
  public void restartForChange(String id, String what) {
    ProcessSupervisor p = process(id);
    markDependents(p);
    p.restartForChange(what);
  }

  private void markDependents(ProcessSupervisor p) {
    if (p.spec().watch().restartDependents())
      mailbox.execute(() -> deps.restartDependentsWhenReady(p.id()));
  }

  public CompletableFuture<Void> stop(String id) {
    return process(id).stop();
  }

  public void start(String id) {
    process(id).start();
  }

  /**
   * Starts these processes as {@code up} does: each once its dependencies allow, so that starting
   * everything again keeps the file's order.
   */
  public void startInOrder(List<String> ids) {
    for (String id : ids) process(id);
    mailbox.execute(() -> deps.startInOrder(ids));
  }

  /**
   * Sends {@code bytes} to the terminal of interactive process {@code id}, as if typed; never waits
   * for the process to read them.
   *
   * @throws ControlException NOT_FOUND for an unknown id, CONFLICT when it has no terminal now
   */
  public void input(String id, byte[] bytes) {
    ProcessSupervisor p = roster.processes().get(id);
    if (p == null) throw ControlException.notFound(id, ids());
    p.input(bytes);
  }

  /** Sets interactive {@code id}'s terminal size, now and for its next runs (see Control). */
  public void resize(String id, int cols, int rows) {
    ProcessSupervisor p = roster.processes().get(id);
    if (p == null) throw ControlException.notFound(id, ids());
    p.resize(cols, rows);
  }

  /**
   * Gives {@code bytes} the raw output kept, then each chunk on the writer's thread, until closed.
   */
  AutoCloseable followTerminal(String id, TerminalRing.Follower bytes) {
    ProcessSupervisor p = roster.processes().get(id);
    if (p == null) throw ControlException.notFound(id, ids());
    TerminalRing ring = p.terminalRing();
    ring.follow(bytes);
    return () -> ring.unfollow(bytes);
  }

  /** The latest raw output (64 KiB) of process {@code id}'s terminals; empty if it had none. */
  public byte[] terminalOutput(String id) {
    ProcessSupervisor p = roster.processes().get(id);
    if (p == null) throw ControlException.notFound(id, ids());
    return p.terminalOutput();
  }

  public boolean has(String id) {
    return roster.processes().containsKey(id);
  }

  private ProcessSupervisor process(String id) {
    ProcessSupervisor p = roster.processes().get(id);
    if (p == null) throw new IllegalArgumentException("unknown process " + id);
    return p;
  }

  /** Completes when every process ended by itself and none will restart. */
  public CompletableFuture<Outcome> finished() {
    return deps.finished;
  }

  /** Completes with a message when a process first fails (or can never start). */
  public CompletableFuture<String> firstFailure() {
    return deps.firstFailure;
  }

  /**
   * Stops everything: each process once every process that depends on it has stopped, so that
   * processes with nothing between them stop together (all at once when there are no dependencies),
   * and a slow stop holds up only what its process depends on. Completes when all are stopped.
   */
  public CompletableFuture<Void> shutdown() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    mailbox.execute(
        () -> {
          deps.shuttingDown();
          Map<String, ProcessSupervisor> all = roster.processes();
          Map<String, List<String>> dependents = new HashMap<>();
          for (ProcessSupervisor p : all.values()) {
            for (String dep : p.spec().dependsOn().keySet()) {
              if (all.containsKey(dep))
                dependents.computeIfAbsent(dep, k -> new ArrayList<>()).add(p.id());
            }
          }
          Map<String, CompletableFuture<Void>> stops = new HashMap<>();
          for (String id : all.keySet())
            stopAfterDependents(id, all, dependents, stops, new HashSet<>());
          CompletableFuture.allOf(stops.values().toArray(CompletableFuture[]::new))
              .whenComplete((v, e) -> done.complete(null));
        });
    return done;
  }

  /** The stop of {@code id}, begun once those that depend on it are stopped (memoized). */
  private static CompletableFuture<Void> stopAfterDependents(
      String id,
      Map<String, ProcessSupervisor> all,
      Map<String, List<String>> dependents,
      Map<String, CompletableFuture<Void>> stops,
      Set<String> path) {
    CompletableFuture<Void> known = stops.get(id);
    if (known != null) return known;
    // A cycle is rejected when the file is read; were one here, it must not wait on itself.
    if (!path.add(id)) return CompletableFuture.completedFuture(null);
    List<CompletableFuture<Void>> first = new ArrayList<>();
    for (String d : dependents.getOrDefault(id, List.of()))
      first.add(stopAfterDependents(d, all, dependents, stops, path));
    path.remove(id);
    CompletableFuture<Void> mine = new CompletableFuture<>();
    stops.put(id, mine);
    CompletableFuture.allOf(first.toArray(CompletableFuture[]::new))
        .handle((v, e) -> null)
        .thenCompose(v -> all.get(id).stop())
        .whenComplete((v, e) -> mine.complete(null));
    return mine;
  }

  /** SIGKILL to every process group now (a second Ctrl-C). */
  public void kill() {
    for (ProcessSupervisor p : roster.processes().values()) p.kill();
  }

  @Override
  public void close() {
    sampler.stop();
    workers.close().run();
  }
}
