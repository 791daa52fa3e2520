package dev.pmj.supervisor;

import dev.pmj.config.DependencyCondition;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
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

  /** The processes by id, in file order then order of addition; replaced whole on a change. */
  private volatile Map<String, ProcessSupervisor> processes = new LinkedHashMap<>();

  /** Ids of the processes added at run time (guarded by {@code this}). */
  private final Set<String> adHoc = new HashSet<>();

  private final Runtime rt;
  private final Options options;
  private volatile Map<String, ProcessMetrics> metrics = Map.of();
  private final Map<String, long[]> lastCpu = new HashMap<>();
  private java.util.concurrent.ScheduledFuture<?> sampler;
  private final EventStream events;
  private final ProcessControl control;
  private final ExecutorService pool;
  private final OutputPoller poller;
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

  /** Started by up and not yet running, exited or failed (see {@link #settled()}). */
  private final Set<String> toSettle = new HashSet<>();

  private final CompletableFuture<Void> settled = new CompletableFuture<>();

  /** Not started by up and not since: pmj does not wait for them to end. */
  private final Set<String> neverStarted = new HashSet<>();

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
    // A few threads run every process's messages (a message never waits for another): a thread
    // per process would cost its stack for nothing.
    int workers = Math.max(2, java.lang.Runtime.getRuntime().availableProcessors());
    ThreadPoolExecutor workerPool =
        new ThreadPoolExecutor(
            workers,
            workers,
            30,
            java.util.concurrent.TimeUnit.SECONDS,
            new java.util.concurrent.LinkedBlockingQueue<>(),
            named("pmj-worker"));
    workerPool.allowCoreThreadTimeOut(true);
    this.pool = workerPool;
    this.probePool = Executors.newCachedThreadPool(named("pmj-probe"));
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, named("pmj-timer"));
    scheduler.setRemoveOnCancelPolicy(true);
    this.timerPool = scheduler;
    Thread.UncaughtExceptionHandler onError =
        (t, e) ->
            events.publish(
                new ProcessEvent.Notice(null, "internal error: " + e + " (please report it)"));
    this.mailbox = new Mailbox(pool, onError);
    this.poller = new OutputPoller(onError);
    Timers timers =
        (delay, task) -> {
          var f = timerPool.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
          return () -> f.cancel(false);
        };
    this.options = options;
    this.rt =
        new Runtime(
            control,
            events,
            clock,
            timers,
            poller,
            pool,
            new Probes(control, probePool),
            options.environment(),
            options.forceColor(),
            e -> mailbox.execute(() -> onStateChanged(e)),
            onError);
    Map<String, ProcessSupervisor> initial = new LinkedHashMap<>();
    for (String id : ids) {
      ProcessSpec spec = project.process(id);
      if (spec == null) throw new IllegalArgumentException("no process " + id);
      ProcessSupervisor p = new ProcessSupervisor(spec, rt);
      initial.put(id, p);
      latest.put(id, p.status());
      events.logs().capacity(id, spec.logs().buffer());
    }
    processes = initial;
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

  /** The definition of a process, or null when there is no such process. */
  public ProcessSpec spec(String id) {
    ProcessSupervisor p = processes.get(id);
    return p == null ? null : p.spec();
  }

  /** The status of one process, or null when there is no such process. */
  public ProcessStatus status(String id) {
    ProcessSupervisor p = processes.get(id);
    return p == null ? null : p.status();
  }

  /** Whether the process was added at run time (not declared in the file). */
  public synchronized boolean isAdHoc(String id) {
    return adHoc.contains(id);
  }

  /** CPU and memory of the process's tree at the last sample. */
  public ProcessMetrics metrics(String id) {
    ProcessMetrics m = metrics.get(id);
    return m == null ? ProcessMetrics.none(id) : m;
  }

  /** Starts every process as soon as its dependencies allow. */
  public void up() {
    up(processes.keySet());
  }

  /**
   * Starts these processes as soon as their dependencies allow; the others are {@code stopped}
   * until someone starts them (and pmj does not wait for them to end).
   */
  public void up(java.util.Collection<String> ids) {
    List<String> start = new ArrayList<>(ids);
    mailbox.execute(
        () -> {
          for (ProcessSupervisor p : processes.values()) {
            if (!start.contains(p.id())) {
              neverStarted.add(p.id());
              p.stop();
            }
          }
          waiting.addAll(start);
          waiting.retainAll(processes.keySet());
          toSettle.addAll(waiting);
          startWhatCan();
          checkSettled();
        });
    startSampling();
  }

  /**
   * Completes once every process {@code up} started has started (or exited, or failed) or can never
   * start (a dependency failed): when {@code pmj up -d} may say how the start went.
   */
  public CompletableFuture<Void> settled() {
    return settled;
  }

  private void checkSettled() {
    if (toSettle.isEmpty() || shuttingDown) settled.complete(null);
  }

  /**
   * Adds a process while pmj runs and starts it (when it is {@code autostart}) once its
   * dependencies allow.
   *
   * @throws IllegalStateException when a process with its id exists
   */
  public void add(ProcessSpec spec, boolean addedAtRunTime) {
    ProcessSupervisor p;
    synchronized (this) {
      if (processes.containsKey(spec.id())) {
        throw new IllegalStateException("a process named " + spec.id() + " exists");
      }
      p = new ProcessSupervisor(spec, rt);
      Map<String, ProcessSupervisor> next = new LinkedHashMap<>(processes);
      next.put(spec.id(), p);
      events.logs().capacity(spec.id(), spec.logs().buffer());
      processes = next;
      if (addedAtRunTime) adHoc.add(spec.id());
    }
    events.publish(new ProcessEvent.Added(p.status(), addedAtRunTime, spec.color()));
    mailbox.execute(
        () -> {
          latest.put(spec.id(), p.status());
          if (spec.autostart() && !shuttingDown) {
            waiting.add(spec.id());
            startWhatCan();
          }
          checkFinished();
        });
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
      Map<String, ProcessSupervisor> next = new LinkedHashMap<>(processes);
      next.remove(id);
      processes = next;
      adHoc.remove(id);
    }
    return p.stop()
        .thenRun(
            () -> {
              events.logs().forget(id);
              events.publish(new ProcessEvent.Removed(id));
              mailbox.execute(
                  () -> {
                    latest.remove(id);
                    waiting.remove(id);
                    blocked.remove(id);
                    checkFinished();
                  });
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
      for (ProcessSupervisor p : processes.values()) {
        if (adHoc.contains(p.id())) continue;
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
        if (!processes.containsKey(s.id())) {
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
    reorder(next);
    return plan;
  }

  /** The file's order for the declared processes, then those added at run time. */
  private synchronized void reorder(Project next) {
    Map<String, ProcessSupervisor> ordered = new LinkedHashMap<>();
    for (ProcessSpec s : next.processes()) {
      ProcessSupervisor p = processes.get(s.id());
      if (p != null) ordered.put(s.id(), p);
    }
    for (Map.Entry<String, ProcessSupervisor> e : processes.entrySet())
      ordered.putIfAbsent(e.getKey(), e.getValue());
    processes = ordered;
  }

  // ---- metrics ----

  private synchronized void startSampling() {
    if (sampler != null || options.processTable() == null) return;
    long every = options.sampleEvery().toMillis();
    sampler =
        timerPool.scheduleWithFixedDelay(
            () -> {
              try {
                sample();
              } catch (RuntimeException e) {
                // a sample that failed is skipped; the next one tries again
              }
            },
            every,
            every,
            TimeUnit.MILLISECONDS);
  }

  /** One sample of every running tree; runs on a timer thread, one at a time. */
  private void sample() {
    Map<String, Long> pids = new LinkedHashMap<>();
    for (ProcessSupervisor p : processes.values()) {
      long pid = p.status().pid();
      if (pid > 0) pids.put(p.id(), pid);
    }
    Map<Long, ProcessTable.Usage> usage =
        pids.isEmpty() ? Map.of() : options.processTable().sample(pids.values());
    long now = System.nanoTime();
    Map<String, ProcessMetrics> next = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : pids.entrySet()) {
      ProcessTable.Usage u = usage.get(e.getValue());
      if (u == null) continue;
      String id = e.getKey();
      long pid = e.getValue();
      long[] last = lastCpu.get(id);
      long cpu = u.cpuNanos();
      // A counter never goes down within a run: a child that ended unwaited takes its time along.
      if (last != null && last[0] == pid) cpu = Math.max(cpu, last[1]);
      double percent = 0;
      if (last != null && last[0] == pid && now > last[2]) {
        percent = 100.0 * (cpu - last[1]) / (now - last[2]);
      } else {
        // The first sample of a run: its average since it started.
        ProcessStatus s = processes.get(id) == null ? null : processes.get(id).status();
        if (s != null && s.startedAt() != null) {
          long ran = Duration.between(s.startedAt(), java.time.Instant.now()).toNanos();
          if (ran > 0)
            percent =
                Math.min(
                    100.0 * cpu / ran,
                    100.0 * java.lang.Runtime.getRuntime().availableProcessors());
        }
      }
      lastCpu.put(id, new long[] {pid, cpu, now});
      next.put(id, new ProcessMetrics(id, pid, percent, cpu / 1e9, u.rssBytes(), u.processes()));
      ProcessSupervisor p = processes.get(id);
      if (p != null && u.rssBytes() >= 0) p.memorySample(pid, u.rssBytes());
    }
    lastCpu.keySet().retainAll(next.keySet());
    metrics = next;
    events.publish(new ProcessEvent.Sampled(new ArrayList<>(next.values())));
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
      mailbox.execute(() -> restartDependentsWhenReady.add(p.id()));
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
    mailbox.execute(
        () -> {
          if (shuttingDown) return;
          waiting.addAll(ids);
          waiting.retainAll(processes.keySet());
          startWhatCan();
        });
  }

  /** Whether a process with this id exists now. */
  public boolean has(String id) {
    return processes.containsKey(id);
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
   * Stops everything: each process once every process that depends on it has stopped, so that
   * processes with nothing between them stop together (all at once when there are no dependencies),
   * and a slow stop holds up only what its process depends on. Completes when all are stopped.
   */
  public CompletableFuture<Void> shutdown() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    mailbox.execute(
        () -> {
          shuttingDown = true;
          waiting.clear();
          Map<String, ProcessSupervisor> all = processes;
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
    for (ProcessSupervisor p : processes.values()) p.kill();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (sampler != null) sampler.cancel(false);
    }
    // The poller first: what it reads meanwhile may still ask a timer to flush a partial line.
    poller.close();
    pool.shutdownNow();
    probePool.shutdownNow();
    timerPool.shutdownNow();
  }

  // ---- dependencies (mailbox only) ----

  private void onStateChanged(ProcessEvent.StateChanged e) {
    String id = e.id();
    latest.put(id, e.status());
    switch (e.to()) {
      case STARTING:
        neverStarted.remove(id);
        // A new run: what the last one reached no longer counts for its dependents.
        started.remove(id);
        ready.remove(id);
        completed.remove(id);
        break;
      case RUNNING:
        started.add(id);
        break;
      case STOPPED:
        // Stopped, it no longer counts as started or ready for what waits on it.
        started.remove(id);
        ready.remove(id);
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
    switch (e.to()) {
      case RUNNING, READY, EXITED, FAILED, BACKOFF, STOPPED -> toSettle.remove(id);
      default -> {}
    }
    if (!shuttingDown) startWhatCan();
    checkFinished();
    checkSettled();
  }

  /** Restarts, in file order, the processes that depend on {@code id} and are running. */
  private void restartDependentsOf(String id) {
    for (ProcessSupervisor p : processes.values()) {
      ProcessStatus s = latest.get(p.id());
      if (p.spec().dependsOn().containsKey(id) && s != null && s.state().hasProcess()) {
        events.publish(
            new ProcessEvent.Notice(p.id(), "restarting: its dependency " + id + " restarted"));
        if (p.spec().watch().restartDependents()) restartDependentsWhenReady.add(p.id());
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
        toSettle.remove(id);
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
          if (!shuttingDown && !neverStarted.contains(s.id())) return;
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
