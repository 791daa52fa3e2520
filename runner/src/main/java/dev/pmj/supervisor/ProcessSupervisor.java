package dev.pmj.supervisor;

import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Readiness;
import dev.pmj.config.RestartPolicy;
import dev.pmj.os.Child;
import dev.pmj.os.Marked;
import dev.pmj.os.ProcessControl;
import dev.pmj.os.Signal;
import dev.pmj.os.StartException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The state machine of one process. Every command, exit, timer and probe result arrives as a
 * message on its {@link Mailbox}; every state change goes through {@link #move}.
 */
final class ProcessSupervisor {
  /** How long to wait for the rest of the output after the process exited. */
  private static final long OUTPUT_GRACE_MS = 1000;

  /** How often pmj looks whether a daemon (daemon: true) still runs. */
  private static final Duration DAEMON_POLL = Duration.ofSeconds(1);

  private volatile ProcessSpec spec;
  private final Runtime rt;
  private final Mailbox mailbox;
  private volatile Signal stopSignal;

  // Confined to the mailbox.
  private ProcessState state = ProcessState.PENDING;

  /** Written by the mailbox only; volatile for kill(), which bypasses it. */
  private volatile Run run;

  private int failures;
  private int restarts;
  private boolean startedOnce;
  private Integer exitCode;
  private Timers.Cancellable backoffTimer;
  private boolean startAfterStop;

  /** Files changed while a restart was under way: one more restart once it is up. */
  private boolean changedDuringRestart;

  /** Samples in a row in which the tree used more than maxMemory. */
  private int samplesOverMemory;

  /** The stop under way was for using too much memory: a failure, restarted after backoff. */
  private boolean stoppingForMemory;

  private final List<CompletableFuture<Void>> stopWaiters = new ArrayList<>();

  // Read from other threads.
  private volatile ProcessStatus status;
  private volatile long pid;

  /** One run of the OS process; data that exists only while it runs. */
  private static final class Run {
    final Child child;
    final Instant startedAt;
    OutputReader reader;
    Timers.Cancellable killTimer;
    Timers.Cancellable probeTimer;
    boolean sawReadyLine;

    /** The process pmj started has exited (a daemon it started may live on); read by kill(). */
    volatile boolean mainExited;

    /** When the stop signal was sent: SIGKILL is due stopTimeout later, for escaped ones too. */
    Instant signalledAt;

    /** The stopCommand while it runs: a stop that ends without it ends it. */
    Child stopCommand;

    /** daemon: true where pmj cannot find the daemon: the run fails instead of restarting. */
    boolean daemonUnfollowable;

    /** daemon: true, after the program exited 0: the daemon's processes; null before. */
    List<Marked> daemons;

    Timers.Cancellable daemonTimer;

    /** stopCommand ran: the stop signal follows after stopTimeout. */
    Timers.Cancellable signalTimer;

    /** The run is ending: escaped processes are being stopped and the last output read. */
    boolean ending;

    /** Processes that had left the group and were sent the stop signal with it. */
    final List<Marked> escapes = new ArrayList<>();

    /** How the run ended, where the exit code does not say it; null to describe the code. */
    String ended;

    Run(Child child, Instant startedAt) {
      this.child = child;
      this.startedAt = startedAt;
    }
  }

  ProcessSupervisor(ProcessSpec spec, Runtime rt) {
    this.spec = spec;
    this.rt = rt;
    this.mailbox = new Mailbox(rt.pool(), rt.onError());
    this.stopSignal = Signal.of(spec.stop().signal());
    this.status = new ProcessStatus(spec.id(), state, 0, 0, null, false, rt.clock().instant(), "");
  }

  String id() {
    return spec.id();
  }

  ProcessSpec spec() {
    return spec;
  }

  ProcessStatus status() {
    return status;
  }

  // ---- commands (any thread) ----

  /**
   * Takes a new definition (the file was reloaded). A running process keeps running as it was
   * started: the caller stops it first and starts it again after.
   */
  void redefine(ProcessSpec next) {
    mailbox.execute(
        () -> {
          spec = next;
          stopSignal = Signal.of(next.stop().signal());
        });
  }

  void start() {
    mailbox.execute(
        () -> {
          failures = 0;
          startNow();
        });
  }

  CompletableFuture<Void> stop() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    mailbox.execute(() -> stopNow(done));
    return done;
  }

  /** Stops (gracefully) if running, then starts again; immediate and not counted as a failure. */
  void restart() {
    mailbox.execute(
        () -> {
          failures = 0;
          if (state.hasProcess()) {
            stopNow(new CompletableFuture<>());
            startAfterStop = true;
          } else {
            startNow();
          }
        });
  }

  /**
   * Restarts because watched files changed ({@code what}, e.g. "src/app.py changed"): at once when
   * it runs, and a process waiting after a crash starts at once too. A change that arrives while a
   * restart is under way leads to exactly one more restart once it is up, so no change is lost and
   * a burst never queues several. A process someone stopped stays stopped.
   */
  void restartForChange(String what) {
    mailbox.execute(
        () -> {
          switch (state) {
            case RUNNING:
            case READY:
              failures = 0;
              notice("restarting: " + what);
              stopNow(new CompletableFuture<>());
              startAfterStop = true;
              return;
            case STOPPING:
              if (startAfterStop) changedDuringRestart = true;
              return;
            case BACKOFF:
            case EXITED:
            case FAILED:
              failures = 0;
              notice("starting: " + what);
              startNow();
              return;
            default:
              // STOPPED: stopped on purpose; PENDING: not started yet and will see the change.
          }
        });
  }

  private void notice(String text) {
    rt.events().publish(new ProcessEvent.Notice(spec.id(), text));
  }

  /**
   * The memory of the tree of the run with {@code pid}, once per sample: above {@code maxMemory}
   * for two samples in a row, the process is stopped and restarted as after a failure.
   */
  void memorySample(long pid, long bytes) {
    if (spec.maxMemory() <= 0) return;
    mailbox.execute(
        () -> {
          if (run == null || pid != this.pid || !state.hasProcess()) return;
          if (state == ProcessState.STOPPING || bytes <= spec.maxMemory()) {
            samplesOverMemory = 0;
            return;
          }
          if (++samplesOverMemory < 2) return;
          samplesOverMemory = 0;
          notice(
              "using "
                  + megabytes(bytes)
                  + " of memory, above maxMemory ("
                  + megabytes(spec.maxMemory())
                  + ") for two samples in a row; restarting it");
          stopNow(new CompletableFuture<>());
          stoppingForMemory = true;
        });
  }

  private static String megabytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0);
  }

  /** SIGKILL to the whole group now, bypassing the mailbox (the second Ctrl-C). */
  void kill() {
    Run r = run;
    if (r != null && !r.mainExited) rt.control().signalGroup(r.child.pid(), Signal.KILL);
    rt.control()
        .marked()
        .thenAccept(
            all -> Sweep.of(all, spec.id()).forEach(m -> rt.control().signal(m, Signal.KILL)));
  }

  // ---- the state machine (mailbox only) ----

  private void startNow() {
    switch (state) {
      case STARTING:
      case RUNNING:
      case READY:
        return;
      case STOPPING:
        startAfterStop = true;
        return;
      default:
        break;
    }
    cancelBackoff();
    if (startedOnce) restarts++;
    startedOnce = true;
    move(ProcessState.STARTING, "");
    Map<String, String> env = rt.environmentFor(spec);
    Child child;
    try {
      child = rt.control().start(spec.command(), spec.cwd(), env);
    } catch (StartException e) {
      move(ProcessState.FAILED, "cannot start: " + e.getMessage());
      return;
    }
    Run r = new Run(child, rt.clock().instant());
    run = r;
    pid = child.pid();
    move(ProcessState.RUNNING, "");
    r.reader =
        new OutputReader(
            spec.id(),
            child,
            rt.poller(),
            rt.events(),
            rt.clock(),
            rt.timers(),
            lines -> onLines(r, lines));
    boolean daemon = spec.daemon();
    child
        .exit()
        .whenComplete(
            (code, error) -> {
              int c = code == null ? -1 : code;
              // Anything left in its group goes with it; a grandchild must not hold the pipe open.
              // A daemon's starter that exited 0 leaves the daemon: it may still be in the group.
              boolean killGroup = !(daemon && c == 0);
              if (killGroup) rt.control().signalGroup(child.pid(), Signal.KILL);
              mailbox.execute(() -> onMainExit(r, c, killGroup));
            });
    Readiness readiness = spec.readiness();
    if (readiness == null) {
      move(ProcessState.READY, "");
    } else if (!(readiness instanceof Readiness.LogLine)) {
      // A probe is pmj's, not one of the process's own: it does not carry the marker.
      Map<String, String> probeEnv = new java.util.HashMap<>(env);
      probeEnv.remove(ProcessControl.MARKER);
      probe(r, Duration.ZERO, probeEnv);
    }
  }

  private void stopNow(CompletableFuture<Void> done) {
    startAfterStop = false;
    changedDuringRestart = false;
    stoppingForMemory = false;
    switch (state) {
      case RUNNING:
      case READY:
        stopWaiters.add(done);
        Run r = run;
        if (!spec.stopCommand().isEmpty()) {
          move(ProcessState.STOPPING, "running stopCommand");
          runStopCommand(r);
          return;
        }
        move(ProcessState.STOPPING, "sending SIG" + stopSignal.name());
        sendStopSignal(r);
        return;
      case STOPPING:
        stopWaiters.add(done);
        return;
      case STOPPED:
        done.complete(null);
        return;
      default:
        cancelBackoff();
        move(ProcessState.STOPPED, "");
        done.complete(null);
    }
  }

  /**
   * Runs the process's stopCommand (with its cwd and env, its output shown as the process's); the
   * stop signal follows after stopTimeout if the process is still there.
   */
  private void runStopCommand(Run r) {
    Map<String, String> env = rt.environmentFor(spec);
    // Not marked: it is not one of the process's own, and it ends by itself.
    env.remove(ProcessControl.MARKER);
    try {
      Child c = rt.control().start(spec.stopCommand(), spec.cwd(), env);
      r.stopCommand = c;
      new OutputReader(
          spec.id(), c, rt.poller(), rt.events(), rt.clock(), rt.timers(), lines -> {});
      c.exit()
          .whenComplete(
              (code, e) -> {
                rt.control().signalGroup(c.pid(), Signal.KILL);
                rt.control().forget(c.pid());
                if (code != null && code != 0) {
                  notice("stopCommand " + describeExit(code));
                }
              });
    } catch (StartException e) {
      notice("cannot run stopCommand: " + e.getMessage() + "; sending SIG" + stopSignal.name());
      sendStopSignal(r);
      return;
    }
    r.signalTimer =
        rt.timers()
            .schedule(
                spec.stop().timeout(),
                () ->
                    mailbox.execute(
                        () -> {
                          if (run == r && state == ProcessState.STOPPING && !r.ending) {
                            notice(
                                "still running "
                                    + spec.stop().timeout().toMillis() / 1000.0
                                    + "s after stopCommand; sending SIG"
                                    + stopSignal.name());
                            sendStopSignal(r);
                          }
                        }));
  }

  /**
   * The stop signal to the group, and to the processes that left it; SIGKILL follows after
   * stopTimeout. A daemon (its starter gone) is stopped through its marked processes alone.
   */
  private void sendStopSignal(Run r) {
    r.signalledAt = rt.clock().instant();
    if (r.mainExited) {
      endRun(r, 0, false);
      return;
    }
    long group = r.child.pid();
    rt.control().signalGroup(group, stopSignal);
    Signal sig = stopSignal;
    rt.control()
        .marked()
        .thenAccept(
            all ->
                mailbox.execute(
                    () -> {
                      for (Marked m : Sweep.of(all, spec.id())) {
                        if (m.pgid() == group) continue;
                        rt.control().signal(m, sig);
                        r.escapes.add(m);
                      }
                    }));
    r.killTimer =
        rt.timers()
            .schedule(
                spec.stop().timeout(),
                () ->
                    mailbox.execute(
                        () -> {
                          // Once the leader is gone its group number may be another's.
                          if (run == r && state == ProcessState.STOPPING && !r.mainExited) {
                            rt.events()
                                .publish(
                                    new ProcessEvent.Notice(
                                        spec.id(),
                                        "still running "
                                            + spec.stop().timeout().toMillis() / 1000.0
                                            + "s after SIG"
                                            + stopSignal.name()
                                            + "; sending SIGKILL"));
                            rt.control().signalGroup(r.child.pid(), Signal.KILL);
                          }
                        }));
  }

  /** The process pmj started has exited (mailbox). */
  private void onMainExit(Run r, int code, boolean groupKilled) {
    if (run != r) return;
    r.mainExited = true;
    if (spec.daemon()
        && code == 0
        && state != ProcessState.STOPPING
        && !rt.control().findsMarked()) {
      // Restarting would start another daemon beside the one that runs, at every backoff.
      r.daemonUnfollowable = true;
      endRun(r, code, false);
      return;
    }
    if (spec.daemon() && code == 0 && state != ProcessState.STOPPING) {
      rt.control()
          .marked()
          .whenComplete(
              (all, e) ->
                  mailbox.execute(
                      () -> daemonStarted(r, all == null ? List.of() : Sweep.of(all, spec.id()))));
      return;
    }
    endRun(r, code, groupKilled);
  }

  /** daemon: true, and the program exited 0: the run goes on while its daemon lives. */
  private void daemonStarted(Run r, List<Marked> found) {
    if (run != r || r.ending) return;
    if (state == ProcessState.STOPPING) {
      endRun(r, 0, false);
      return;
    }
    if (found.isEmpty()) {
      r.ended = "exited with code 0 and left no daemon running";
      endRun(r, 0, false);
      return;
    }
    r.daemons = found;
    followDaemon(r, found);
  }

  /** Shows the oldest of the daemon's processes as the process, and looks again later. */
  private void followDaemon(Run r, List<Marked> found) {
    Marked oldest =
        found.stream()
            .min(Comparator.comparingLong(Marked::startTicks).thenComparingLong(Marked::pid))
            .orElseThrow();
    if (oldest.pid() != pid) {
      pid = oldest.pid();
      refresh("daemon running (pid " + oldest + ")");
    }
    r.daemonTimer =
        rt.timers()
            .schedule(
                DAEMON_POLL,
                () ->
                    rt.control()
                        .marked()
                        .whenComplete(
                            (all, e) ->
                                mailbox.execute(
                                    () -> {
                                      if (run != r || r.ending) return;
                                      if (all == null) {
                                        followDaemon(r, r.daemons);
                                        return;
                                      }
                                      List<Marked> now = Sweep.of(all, spec.id());
                                      if (!now.isEmpty()) {
                                        followDaemon(r, now);
                                        return;
                                      }
                                      if (state != ProcessState.STOPPING)
                                        r.ended = "its daemon ended (pid " + oldest + ")";
                                      // A daemon that ends by itself is a failure.
                                      endRun(r, state == ProcessState.STOPPING ? 0 : 1, false);
                                    })));
  }

  /**
   * Ends run {@code r}: the processes that carry its marker are stopped (those that left the group
   * when the group was killed), the rest of the output is read, then the exit is handled.
   */
  private void endRun(Run r, int code, boolean groupKilled) {
    if (r.ending) return;
    r.ending = true;
    cancel(r.daemonTimer);
    cancel(r.signalTimer);
    boolean byItself = state != ProcessState.STOPPING;
    long group = r.child.pid();
    boolean daemon = r.daemons != null;
    Child stopCommand = r.stopCommand;
    if (stopCommand != null && !stopCommand.exit().isDone()) {
      rt.control().signalGroup(stopCommand.pid(), Signal.KILL);
    }
    Instant killAt =
        (r.signalledAt != null ? r.signalledAt : rt.clock().instant()).plus(spec.stop().timeout());
    Sweep.stop(rt, spec.id(), m -> !groupKilled || m.pgid() != group, stopSignal, killAt)
        .thenAccept(
            stopped ->
                mailbox.execute(
                    () -> {
                      // Those sent the stop signal with the group may be gone already.
                      List<Marked> all = new ArrayList<>(r.escapes);
                      for (Marked m : stopped) if (!all.contains(m)) all.add(m);
                      if (!all.isEmpty() && !daemon) notice(escaped(all, byItself));
                    }))
        .thenCompose(
            v -> r.reader.done().completeOnTimeout(null, OUTPUT_GRACE_MS, TimeUnit.MILLISECONDS))
        .whenComplete((v, e) -> mailbox.execute(() -> onExit(r, code)));
  }

  /** "stopped 1 process that had left its process group: 4321 postgres". */
  static String escaped(List<Marked> stopped, boolean exitedByItself) {
    StringBuilder b = new StringBuilder("stopped ").append(stopped.size());
    b.append(stopped.size() == 1 ? " process that" : " processes that");
    b.append(" had left its process group: ");
    for (int i = 0; i < stopped.size(); i++) {
      if (i > 0) b.append(", ");
      b.append(stopped.get(i));
    }
    if (exitedByItself) {
      b.append(" (it exited and left them running; for a program that starts a daemon and exits,")
          .append(" set daemon: true)");
    }
    return b.toString();
  }

  private void onExit(Run r, int code) {
    if (run != r) return;
    cancel(r.killTimer);
    cancel(r.probeTimer);
    cancel(r.signalTimer);
    cancel(r.daemonTimer);
    rt.control().forget(r.child.pid());
    run = null;
    pid = 0;
    exitCode = code;
    String how = r.ended != null ? r.ended : describeExit(code);
    if (state == ProcessState.STOPPING) {
      move(ProcessState.STOPPED, r.daemons != null ? "its daemon stopped" : how);
      for (CompletableFuture<Void> w : stopWaiters) w.complete(null);
      stopWaiters.clear();
      if (stoppingForMemory) {
        stoppingForMemory = false;
        // Counted as a failure: the same backoff and maxRetries as a crash.
        RestartRules.Plan plan = plan(r, RestartPolicy.ALWAYS, code == 0 ? 1 : code);
        failures = plan.failures();
        afterFailure(plan);
        return;
      }
      if (startAfterStop) {
        startAfterStop = false;
        startNow();
      }
      return;
    }
    if (r.daemonUnfollowable) {
      move(ProcessState.EXITED, how, false);
      move(
          ProcessState.FAILED,
          "daemon: true needs to find the daemon by its environment, which pmj reads on Linux"
              + " only; not restarted, so that no second daemon starts beside it");
      return;
    }
    RestartRules.Plan plan = plan(r, spec.restart().policy(), code);
    failures = plan.failures();
    boolean willRestart = plan.action() == RestartRules.Action.RESTART;
    move(ProcessState.EXITED, how, willRestart);
    afterFailure(plan);
  }

  /** What to do after run {@code r} ended with {@code code}, under {@code policy}. */
  private RestartRules.Plan plan(Run r, RestartPolicy policy, int code) {
    return RestartRules.afterExit(
        policy,
        code,
        failures,
        Duration.between(r.startedAt, rt.clock().instant()),
        spec.restart().healthyAfter(),
        spec.restart().maxRetries(),
        new Backoff(spec.restart().backoff(), spec.restart().backoffMax()));
  }

  /** Schedules the restart a plan asks for, or gives up. */
  private void afterFailure(RestartRules.Plan plan) {
    switch (plan.action()) {
      case RESTART:
        rt.events()
            .publish(
                new ProcessEvent.RestartScheduled(
                    spec.id(), plan.delay(), failures, spec.restart().maxRetries()));
        move(ProcessState.BACKOFF, "restarting in " + seconds(plan.delay()), true);
        Timers.Cancellable[] self = new Timers.Cancellable[1];
        self[0] =
            rt.timers()
                .schedule(
                    plan.delay(),
                    () ->
                        mailbox.execute(
                            () -> {
                              if (state == ProcessState.BACKOFF && backoffTimer == self[0]) {
                                backoffTimer = null;
                                startNow();
                              }
                            }));
        backoffTimer = self[0];
        return;
      case GIVE_UP:
        move(
            ProcessState.FAILED,
            "gave up after "
                + failures
                + " failures in a row (maxRetries: "
                + spec.restart().maxRetries()
                + ")");
        return;
      case STAY_EXITED:
        return;
    }
  }

  private void probe(Run r, Duration delay, Map<String, String> env) {
    r.probeTimer =
        rt.timers()
            .schedule(
                delay,
                () ->
                    rt.probes()
                        .check(spec.readiness(), spec.cwd(), env)
                        .thenAccept(
                            ok ->
                                mailbox.execute(
                                    () -> {
                                      if (run != r || state != ProcessState.RUNNING) return;
                                      if (ok)
                                        move(
                                            ProcessState.READY,
                                            probeName(spec.readiness()) + " probe passed");
                                      else probe(r, spec.readiness().interval(), env);
                                    })));
  }

  /** Runs on the output reader's thread. */
  private void onLines(Run r, ProcessEvent.OutputLines lines) {
    if (!(spec.readiness() instanceof Readiness.LogLine l) || r.sawReadyLine) return;
    for (int i = 0; i < lines.count(); i++) {
      if (l.pattern().matcher(lines.line(i)).find()) {
        r.sawReadyLine = true;
        mailbox.execute(
            () -> {
              if (run == r && state == ProcessState.RUNNING)
                move(ProcessState.READY, "log line matched");
            });
        return;
      }
    }
  }

  private static String probeName(Readiness r) {
    if (r instanceof Readiness.Http) return "http";
    if (r instanceof Readiness.Tcp) return "tcp";
    return "exec";
  }

  private void move(ProcessState to, String message) {
    move(to, message, false);
  }

  /** The same state with a new pid or message (a daemon found): the views show it. */
  private void refresh(String message) {
    status = statusIn(state, message, false);
    rt.events().publish(new ProcessEvent.StateChanged(state, status));
  }

  private ProcessStatus statusIn(ProcessState s, String message, boolean willRestart) {
    return new ProcessStatus(
        spec.id(),
        s,
        s.hasProcess() ? pid : 0,
        restarts,
        exitCode,
        willRestart,
        rt.clock().instant(),
        message,
        s.hasProcess() && run != null ? run.startedAt : null);
  }

  /** The one way a state changes: check the move, update, publish, in that order. */
  private void move(ProcessState to, String message, boolean willRestart) {
    if (!state.canMoveTo(to)) {
      throw new IllegalStateException(spec.id() + ": " + state + " -> " + to + " is not allowed");
    }
    ProcessState from = state;
    state = to;
    if (to == ProcessState.READY && changedDuringRestart) {
      changedDuringRestart = false;
      mailbox.execute(
          () -> {
            if (state == ProcessState.READY || state == ProcessState.RUNNING) {
              notice("restarting: files changed while it was restarting");
              stopNow(new CompletableFuture<>());
              startAfterStop = true;
            }
          });
    }
    status = statusIn(to, message, willRestart);
    ProcessEvent.StateChanged event = new ProcessEvent.StateChanged(from, status);
    rt.events().publish(event);
    rt.onStateChanged().accept(event);
  }

  private void cancelBackoff() {
    cancel(backoffTimer);
    backoffTimer = null;
  }

  private static void cancel(Timers.Cancellable t) {
    if (t != null) t.cancel();
  }

  static String describeExit(int code) {
    if (code > 128) {
      Signal s = Signal.ofNumber(code - 128);
      if (s != null) return "killed by SIG" + s.name();
    }
    return "exited with code " + code;
  }

  static String seconds(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 == 0) return ms / 1000 + "s";
    return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
  }
}
