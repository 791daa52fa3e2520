package dev.pmj.supervisor;

import dev.pmj.config.DependencyCondition;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What waits on what: starts each waiting process once its dependencies allow, says when one never
 * can, restarts dependents (restartDependents), and knows when {@code up} has settled and when
 * everything has ended. Confined to the {@link Supervisor}'s mailbox: every method runs there.
 */
final class Dependencies {
  private final EventStream events;
  private final Supplier<Map<String, ProcessSupervisor>> processes;
  final CompletableFuture<Supervisor.Outcome> finished = new CompletableFuture<>();
  final CompletableFuture<String> firstFailure = new CompletableFuture<>();
  final CompletableFuture<Void> settled = new CompletableFuture<>();

  private final Set<String> waiting = new HashSet<>();
  private final Set<String> started = new HashSet<>();
  private final Set<String> ready = new HashSet<>();
  private final Set<String> completed = new HashSet<>();
  private final Set<String> blocked = new HashSet<>();
  private final Map<String, ProcessStatus> latest = new LinkedHashMap<>();
  private final Set<String> restartDependentsWhenReady = new HashSet<>();

  /** Started by up and not yet running, exited or failed (see {@link #settled}). */
  private final Set<String> toSettle = new HashSet<>();

  /** Not started by up and not since: pmj does not wait for them to end. */
  private final Set<String> neverStarted = new HashSet<>();

  private boolean shuttingDown;

  Dependencies(EventStream events, Supplier<Map<String, ProcessSupervisor>> processes) {
    this.events = events;
    this.processes = processes;
  }

  /** A process is known, in this status (at construction, or added). */
  void known(ProcessStatus status) {
    latest.put(status.id(), status);
  }

  /** {@code up}: these start as soon as their dependencies allow, the others are stopped. */
  void up(Collection<String> start) {
    for (ProcessSupervisor p : processes.get().values()) {
      if (!start.contains(p.id())) {
        neverStarted.add(p.id());
        p.stop();
      }
    }
    waiting.addAll(start);
    waiting.retainAll(processes.get().keySet());
    toSettle.addAll(waiting);
    startWhatCan();
    checkSettled();
  }

  /** A process was added: it starts once its dependencies allow when {@code autostart}. */
  void added(ProcessSupervisor p, boolean autostart) {
    latest.put(p.id(), p.status());
    if (autostart && !shuttingDown) {
      waiting.add(p.id());
      startWhatCan();
    }
    checkFinished();
  }

  void removed(String id) {
    latest.remove(id);
    waiting.remove(id);
    blocked.remove(id);
    checkFinished();
  }

  /** These start as {@code up} starts them, unless pmj is shutting down. */
  void startInOrder(Collection<String> ids) {
    if (shuttingDown) return;
    waiting.addAll(ids);
    waiting.retainAll(processes.get().keySet());
    startWhatCan();
  }

  /** Once {@code id} is ready again, what depends on it restarts. */
  void restartDependentsWhenReady(String id) {
    restartDependentsWhenReady.add(id);
  }

  /** pmj is stopping everything: nothing starts any more. */
  void shuttingDown() {
    shuttingDown = true;
    waiting.clear();
  }

  void onStateChanged(ProcessEvent.StateChanged e) {
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
    for (ProcessSupervisor p : processes.get().values()) {
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
    for (ProcessSupervisor p : processes.get().values()) {
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

  private void checkSettled() {
    if (toSettle.isEmpty() || shuttingDown) settled.complete(null);
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
    finished.complete(new Supervisor.Outcome(anyFailed));
  }
}
