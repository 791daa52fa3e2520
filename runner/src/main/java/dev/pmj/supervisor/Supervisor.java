package dev.pmj.supervisor;

import dev.pmj.config.DependencyCondition;
import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import dev.pmj.os.ProcessControl;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
   */
  public record Options(Map<String, String> environment, boolean forceColor) {}

  private final Map<String, ProcessSupervisor> processes = new LinkedHashMap<>();
  private final EventStream events;
  private final ProcessControl control;
  private final ExecutorService pool;
  private final ExecutorService probePool;
  private final ScheduledExecutorService timerPool;
  private final Mailbox mailbox;
  private final CompletableFuture<Outcome> finished = new CompletableFuture<>();
  private final CompletableFuture<String> firstFailure = new CompletableFuture<>();

  // Confined to the mailbox.
  private final Set<String> waiting = new HashSet<>();
  private final Set<String> started = new HashSet<>();
  private final Set<String> ready = new HashSet<>();
  private final Set<String> completed = new HashSet<>();
  private final Set<String> blocked = new HashSet<>();
  private final Map<String, ProcessStatus> latest = new LinkedHashMap<>();
  private final Set<String> restartDependentsWhenReady = new HashSet<>();
  private boolean shuttingDown;

  public Supervisor(
      Project project,
      List<String> ids,
      Options options,
      ProcessControl control,
      EventStream events,
      Clock clock) {
    this.events = events;
    this.control = control;
    this.pool = Executors.newCachedThreadPool(named("pmj-worker"));
    this.probePool = Executors.newCachedThreadPool(named("pmj-probe"));
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, named("pmj-timer"));
    scheduler.setRemoveOnCancelPolicy(true);
    this.timerPool = scheduler;
    Thread.UncaughtExceptionHandler onError =
        (t, e) ->
            events.publish(
                new ProcessEvent.Notice(null, "internal error: " + e + " (please report it)"));
    this.mailbox = new Mailbox(pool, onError);
    Timers timers =
        (delay, task) -> {
          var f = timerPool.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
          return () -> f.cancel(false);
        };
    Runtime rt =
        new Runtime(
            control,
            events,
            clock,
            timers,
            pool,
            new Probes(control, probePool),
            options.environment(),
            options.forceColor(),
            e -> mailbox.execute(() -> onStateChanged(e)),
            onError);
    for (String id : ids) {
      ProcessSpec spec = project.process(id);
      if (spec == null) throw new IllegalArgumentException("no process " + id);
      ProcessSupervisor p = new ProcessSupervisor(spec, rt);
      processes.put(id, p);
      latest.put(id, p.status());
    }
    events.snapshotSource(() -> new ProcessEvent.Snapshot(snapshot()));
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  public EventStream events() {
    return events;
  }

  /** The status of every process, in file order. */
  public List<ProcessStatus> snapshot() {
    List<ProcessStatus> out = new ArrayList<>();
    for (ProcessSupervisor p : processes.values()) out.add(p.status());
    return out;
  }

  public List<String> ids() {
    return List.copyOf(processes.keySet());
  }

  /** Starts every process as soon as its dependencies allow. */
  public void up() {
    mailbox.execute(
        () -> {
          waiting.addAll(processes.keySet());
          startWhatCan();
        });
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
    if (p.spec().restartDependents()) mailbox.execute(() -> restartDependentsWhenReady.add(p.id()));
  }

  public CompletableFuture<Void> stop(String id) {
    return process(id).stop();
  }

  public void start(String id) {
    process(id).start();
  }

  private ProcessSupervisor process(String id) {
    ProcessSupervisor p = processes.get(id);
    if (p == null) throw new IllegalArgumentException("unknown process " + id);
    return p;
  }

  /** Completes when every process ended by itself and none will restart. */
  public CompletableFuture<Outcome> finished() {
    return finished;
  }

  /** Completes with a message when a process first fails (or can never start). */
  public CompletableFuture<String> firstFailure() {
    return firstFailure;
  }

  /**
   * Stops everything: dependents before their dependencies, the processes of one level in parallel.
   * Completes when all are stopped.
   */
  public CompletableFuture<Void> shutdown() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    mailbox.execute(
        () -> {
          shuttingDown = true;
          waiting.clear();
          List<ProcessSpec> specs = new ArrayList<>();
          for (ProcessSupervisor p : processes.values()) specs.add(p.spec());
          TreeMap<Integer, List<ProcessSupervisor>> byLevel = new TreeMap<>();
          StartOrder.levels(specs)
              .forEach(
                  (id, level) ->
                      byLevel
                          .computeIfAbsent(level, l -> new ArrayList<>())
                          .add(processes.get(id)));
          CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
          for (List<ProcessSupervisor> level : byLevel.descendingMap().values()) {
            chain =
                chain.thenCompose(
                    v ->
                        CompletableFuture.allOf(
                            level.stream()
                                .map(ProcessSupervisor::stop)
                                .toArray(CompletableFuture[]::new)));
          }
          chain.whenComplete((v, e) -> done.complete(null));
        });
    return done;
  }

  /** SIGKILL to every process group now (a second Ctrl-C). */
  public void kill() {
    for (ProcessSupervisor p : processes.values()) p.kill();
  }

  @Override
  public void close() {
    pool.shutdownNow();
    probePool.shutdownNow();
    timerPool.shutdownNow();
  }

  // ---- dependencies (mailbox only) ----

  private void onStateChanged(ProcessEvent.StateChanged e) {
    String id = e.id();
    latest.put(id, e.status());
    switch (e.to()) {
      case RUNNING:
        started.add(id);
        break;
      case READY:
        started.add(id);
        ready.add(id);
        if (restartDependentsWhenReady.remove(id) && !shuttingDown) restartDependentsOf(id);
        break;
      case EXITED:
        if (Integer.valueOf(0).equals(e.status().exitCode())) completed.add(id);
        break;
      case FAILED:
        firstFailure.complete(id + " failed: " + e.status().message());
        break;
      default:
        break;
    }
    if (!shuttingDown) startWhatCan();
    checkFinished();
  }

  /** Restarts, in file order, the processes that depend on {@code id} and are running. */
  private void restartDependentsOf(String id) {
    for (ProcessSupervisor p : processes.values()) {
      ProcessStatus s = latest.get(p.id());
      if (p.spec().dependsOn().containsKey(id) && s != null && s.state().hasProcess()) {
        events.publish(
            new ProcessEvent.Notice(p.id(), "restarting: its dependency " + id + " restarted"));
        if (p.spec().restartDependents()) restartDependentsWhenReady.add(p.id());
        p.restart();
      }
    }
  }

  private void startWhatCan() {
    for (ProcessSupervisor p : processes.values()) {
      String id = p.id();
      if (!waiting.contains(id)) continue;
      String why = null;
      boolean all = true;
      for (Map.Entry<String, DependencyCondition> dep : p.spec().dependsOn().entrySet()) {
        if (satisfied(dep.getKey(), dep.getValue())) continue;
        all = false;
        String reason = impossible(dep.getKey(), dep.getValue());
        if (reason != null) why = reason;
      }
      if (all) {
        waiting.remove(id);
        if (blocked.remove(id))
          events.publish(new ProcessEvent.Notice(id, "dependencies satisfied now; starting"));
        p.start();
      } else if (why != null && blocked.add(id)) {
        events.publish(new ProcessEvent.Notice(id, "not started: " + why));
        firstFailure.complete(id + " not started: " + why);
      }
    }
  }

  private boolean satisfied(String dep, DependencyCondition condition) {
    switch (condition) {
      case STARTED:
        return started.contains(dep);
      case READY:
        return ready.contains(dep);
      default:
        return completed.contains(dep);
    }
  }

  /** Why the condition can no longer be met (until someone restarts the dependency), or null. */
  private String impossible(String dep, DependencyCondition condition) {
    ProcessStatus s = latest.get(dep);
    if (s == null) return null;
    if (s.state() == ProcessState.FAILED)
      return "dependency " + dep + " failed (" + s.message() + ")";
    if (s.state() == ProcessState.EXITED && !s.willRestart()) {
      if (condition == DependencyCondition.COMPLETED)
        return "dependency " + dep + " " + s.message() + ", not 0";
      if (condition == DependencyCondition.READY)
        return "dependency " + dep + " " + s.message() + " before it was ready";
    }
    return null;
  }

  private void checkFinished() {
    if (finished.isDone()) return;
    boolean anyFailed = false;
    for (ProcessStatus s : latest.values()) {
      switch (s.state()) {
        case STOPPED:
          // Stopped by a person, who may start it again: pmj stays up for that.
          if (!shuttingDown) return;
          break;
        case FAILED:
          anyFailed = true;
          break;
        case EXITED:
          if (s.willRestart()) return;
          if (s.exitCode() == null || s.exitCode() != 0) anyFailed = true;
          break;
        case PENDING:
          if (!blocked.contains(s.id()) && !shuttingDown) return;
          anyFailed |= blocked.contains(s.id());
          break;
        default:
          return;
      }
    }
    finished.complete(new Outcome(anyFailed));
  }
}
