package dev.pmj.supervisor;

import dev.pmj.config.ProcessSpec;
import dev.pmj.config.RestartPolicy;
import dev.pmj.os.Child;
import dev.pmj.os.Marked;
import dev.pmj.os.NoTerminalException;
import dev.pmj.os.Signal;
import dev.pmj.os.StartException;
import dev.pmj.os.Terminal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The state machine of one process. Every command, exit, timer and probe result arrives as a
 * message on its {@link Mailbox}, and every field that is not final or volatile is touched there
 * alone; every state change goes through {@link #move}. The OS side of one run of the process is a
 * {@link Run}.
 */
final class ProcessSupervisor {
  private final String id;
  private volatile ProcessSpec spec;

  /** What the machine reads of {@link #spec}: replaced with it. */
  private volatile Settings settings;

  private final Services rt;
  private final Mailbox mailbox;

  private ProcessState state = ProcessState.PENDING;

  /** Written by the mailbox only; volatile for kill(), which bypasses it. */
  private volatile Run run;

  /** Failures in a row (numbered as retries) and quick exits of any kind in a row (the delay). */
  private int failures;

  private int exits;

  /** Starts after the first, except those a person asked for after a stop (README, "pmj ps"). */
  private int restarts;

  private boolean startedOnce;
  private Integer exitCode;
  private Timers.Cancellable backoffTimer;

  /** Start once the stop under way ends; as a restart (counted) or as a person's start. */
  private boolean startAfterStop;

  private boolean restartAfterStop;

  /** Files changed while a restart was under way: one more restart once it is up. */
  private boolean changedDuringRestart;

  /** Samples in a row in which the tree used more than maxMemory. */
  private int samplesOverMemory;

  /** Why the stop under way is for using too much memory (a failure: backoff), else null. */
  private String stoppingForMemory;

  private final List<CompletableFuture<Void>> stopWaiters = new ArrayList<>();

  /** The raw bytes of its terminals, from its first run in one (or first follower); null before. */
  private volatile TerminalRing ring;

  // Read from other threads.
  private volatile ProcessStatus status;
  private volatile long pid;

  ProcessSupervisor(ProcessSpec spec, Services rt) {
    this.id = spec.id();
    this.spec = spec;
    this.settings = Settings.of(spec);
    this.rt = rt;
    this.mailbox = new Mailbox(rt.pool(), rt.onError());
    this.status = new ProcessStatus(id, state, 0, 0, null, false, rt.clock().instant(), "");
  }

  String id() {
    return id;
  }

  ProcessSpec spec() {
    return spec;
  }

  Settings settings() {
    return settings;
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
          settings = Settings.of(next);
        });
  }

  /** A start, not a restart: a person's start after a stop is not counted as one. */
  void start() {
    mailbox.execute(
        () -> {
          failures = exits = 0;
          startNow(false);
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
          failures = exits = 0;
          if (state.hasProcess()) {
            stopNow(new CompletableFuture<>());
            startAfterStop = restartAfterStop = true;
          } else {
            startNow(true);
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
              failures = exits = 0;
              notice("restarting: " + what);
              stopNow(new CompletableFuture<>());
              startAfterStop = restartAfterStop = true;
              return;
            case STOPPING:
              if (startAfterStop) changedDuringRestart = true;
              return;
            case BACKOFF:
            case EXITED:
            case FAILED:
              failures = exits = 0;
              notice("starting: " + what);
              startNow(true);
              return;
            default:
              // STOPPED: stopped on purpose; PENDING: not started yet and will see the change.
          }
        });
  }

  /**
   * The memory of the tree of the run with {@code pid}, once per sample: above {@code maxMemory}
   * for two samples in a row, the process is stopped and restarted as after a failure.
   */
  void memorySample(long pid, long bytes) {
    if (settings.maxMemory() <= 0) return;
    mailbox.execute(
        () -> {
          long max = settings.maxMemory();
          if (run == null || pid != this.pid || !state.hasProcess()) return;
          if (state == ProcessState.STOPPING || bytes <= max) {
            samplesOverMemory = 0;
            return;
          }
          if (++samplesOverMemory < 2) return;
          samplesOverMemory = 0;
          notice(Messages.overMemory(bytes, max));
          stopNow(new CompletableFuture<>());
          stoppingForMemory = "above maxMemory (" + Messages.megabytes(max) + ")";
        });
  }

  /** SIGKILL to the whole group now, bypassing the mailbox (the second Ctrl-C). */
  void kill() {
    Run r = run;
    if (r != null) r.kill();
    rt.control()
        .marked()
        .thenAccept(all -> Sweep.of(all, id).forEach(m -> rt.control().signal(m, Signal.KILL)));
  }

  // ---- what its run reports (mailbox only) ----

  boolean isCurrent(Run r) {
    return run == r;
  }

  ProcessState state() {
    return state;
  }

  void notice(String text) {
    rt.events().publish(new ProcessEvent.Notice(id, text));
  }

  /** Run {@code r} passed its readiness check ({@code how}). */
  void ready(Run r, String how) {
    if (run == r && state == ProcessState.RUNNING) move(ProcessState.READY, how);
  }

  /** The daemon of the current run is {@code oldest}: shown as the process. */
  void showDaemon(Marked oldest) {
    if (oldest.pid() != pid) {
      pid = oldest.pid();
      refresh("daemon running (pid " + oldest + ")");
    }
  }

  // ---- the state machine (mailbox only) ----

  /** Starts it; a {@code restart} (not a person's start) counts in {@code restarts}. */
  private void startNow(boolean restart) {
    switch (state) {
      case STARTING:
      case RUNNING:
      case READY:
        return;
      case STOPPING:
        restartAfterStop = startAfterStop ? restartAfterStop || restart : restart;
        startAfterStop = true;
        return;
      default:
        break;
    }
    cancelBackoff();
    if (restart && startedOnce) restarts++;
    startedOnce = true;
    move(ProcessState.STARTING, "");
    Settings s = settings;
    Map<String, String> env = rt.environmentFor(s.env());
    Child child;
    try {
      child =
          s.interactive() ? startInTerminal(s, env) : rt.control().start(s.command(), s.cwd(), env);
    } catch (StartException e) {
      move(ProcessState.FAILED, "cannot start: " + e.getMessage());
      return;
    }
    Run r = new Run(this, rt, mailbox, child, rt.clock().instant());
    run = r;
    pid = child.pid();
    if (child.terminal() != null) terminalRing().started(pid, child.terminal()); // before output
    move(ProcessState.RUNNING, "");
    r.follow(env);
    if (s.readiness() == null) move(ProcessState.READY, "");
  }

  /** A terminal of its own, or pipes where none can be had (said once a start). */
  private Child startInTerminal(Settings s, Map<String, String> env) throws StartException {
    try {
      return rt.control()
          .startInTerminal(s.command(), s.cwd(), env, terminalRing().cols(), terminalRing().rows());
    } catch (NoTerminalException e) {
      notice(
          "no terminal could be had ("
              + e.getMessage()
              + "); its input is a pipe, a line at a time");
      return rt.control().start(s.command(), s.cwd(), env, true);
    }
  }

  /** Where its terminals' raw output is kept, across restarts (the mailbox creates it). */
  synchronized TerminalRing terminalRing() {
    if (ring == null) ring = new TerminalRing();
    return ring;
  }

  /** The latest raw bytes of its terminals, oldest first; empty when it never had one. */
  byte[] terminalOutput() {
    TerminalRing r = ring;
    return r == null ? new byte[0] : r.snapshot();
  }

  /** Sends {@code bytes} to its terminal as if typed; CONFLICT when it has none or none now. */
  void input(byte[] bytes) {
    terminal(true).write(bytes);
  }

  /** Sets its terminal's size, now (SIGWINCH) if it runs and for its next runs. */
  void resize(int cols, int rows) {
    Terminal now = terminal(false);
    terminalRing().size(cols, rows);
    if (now != null) now.resize(cols, rows);
  }

  /**
   * The terminal of the run now; CONFLICT when there is none (unless not {@code mustRun}: null).
   */
  private Terminal terminal(boolean mustRun) {
    if (!spec.interactive()) {
      throw new ControlException(ControlException.Kind.CONFLICT, id + " is not interactive");
    }
    Run r = run;
    ProcessState now = status.state();
    boolean running =
        now == ProcessState.RUNNING || now == ProcessState.READY || now == ProcessState.STOPPING;
    Terminal terminal = r == null || r.mainExited || !running ? null : r.child.terminal();
    if (terminal == null && mustRun) {
      throw new ControlException(
          ControlException.Kind.CONFLICT,
          id + (r == null || r.mainExited || !running ? " is not running" : " has no terminal"));
    }
    return terminal;
  }

  private void stopNow(CompletableFuture<Void> done) {
    startAfterStop = false;
    changedDuringRestart = false;
    stoppingForMemory = null;
    switch (state) {
      case RUNNING:
      case READY:
        stopWaiters.add(done);
        Run r = run;
        if (!settings.stopCommand().isEmpty()) {
          move(ProcessState.STOPPING, "running stopCommand");
          r.runStopCommand();
          return;
        }
        move(ProcessState.STOPPING, "sending SIG" + settings.stopSignal().name());
        r.sendStopSignal();
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

  /** Run {@code r} is over: it exited with {@code code} and its output was read. */
  void onExit(Run r, int code) {
    if (run != r) return;
    r.close();
    run = null;
    pid = 0;
    exitCode = code;
    String how = r.ended != null ? r.ended : Signal.describeExit(code);
    if (state == ProcessState.STOPPING) {
      move(ProcessState.STOPPED, r.daemons != null ? "its daemon stopped" : how);
      for (CompletableFuture<Void> w : stopWaiters) w.complete(null);
      stopWaiters.clear();
      if (stoppingForMemory != null) {
        String cause = stoppingForMemory;
        stoppingForMemory = null;
        // Counted as a failure: the same backoff and maxRetries as a crash.
        afterExit(plan(r, RestartPolicy.ALWAYS, code == 0 ? 1 : code), cause);
        return;
      }
      if (startAfterStop) {
        startAfterStop = false;
        startNow(restartAfterStop);
      }
      return;
    }
    if (r.daemonUnfollowable) {
      move(ProcessState.EXITED, how, false);
      move(ProcessState.FAILED, Messages.DAEMON_UNFOLLOWABLE);
      return;
    }
    RestartRules.Plan plan = plan(r, settings.restart(), code);
    move(ProcessState.EXITED, how, plan.action() == RestartRules.Action.RESTART);
    afterExit(plan, how);
  }

  /** What to do after run {@code r} ended with {@code code}, under {@code policy}. */
  private RestartRules.Plan plan(Run r, RestartPolicy policy, int code) {
    Settings s = settings;
    return RestartRules.afterExit(
        policy,
        code,
        failures,
        exits,
        Duration.between(r.startedAt, rt.clock().instant()),
        s.healthyAfter(),
        s.maxRetries(),
        s.backoff());
  }

  /** Schedules the restart a plan asks for, or gives up; {@code cause}: how the run ended. */
  private void afterExit(RestartRules.Plan plan, String cause) {
    failures = plan.failures();
    exits = plan.exits();
    int max = settings.maxRetries();
    switch (plan.action()) {
      case RESTART:
        rt.events().publish(new ProcessEvent.RestartScheduled(id, plan.delay(), plan.retry(), max));
        move(
            ProcessState.BACKOFF,
            Messages.backingOff(cause, plan.delay(), plan.retry(), max),
            true);
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
                                startNow(true);
                              }
                            }));
        backoffTimer = self[0];
        return;
      case GIVE_UP:
        move(ProcessState.FAILED, Messages.outOfRetries(cause, plan.failures() - 1));
        return;
      case STAY_EXITED:
        return;
    }
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
    Run r = run;
    return new ProcessStatus(
        id,
        s,
        s.hasProcess() ? pid : 0,
        restarts,
        exitCode,
        willRestart,
        rt.clock().instant(),
        message,
        s.hasProcess() && r != null ? r.startedAt : null);
  }

  /** The one way a state changes: check the move, update, publish, in that order. */
  private void move(ProcessState to, String message, boolean willRestart) {
    if (!state.canMoveTo(to)) {
      throw new IllegalStateException(id + ": " + state + " -> " + to + " is not allowed");
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
              startAfterStop = restartAfterStop = true;
            }
          });
    }
    status = statusIn(to, message, willRestart);
    ProcessEvent.StateChanged event = new ProcessEvent.StateChanged(from, status);
    rt.events().publish(event);
    rt.onStateChanged().accept(event);
  }

  private void cancelBackoff() {
    if (backoffTimer != null) backoffTimer.cancel();
    backoffTimer = null;
  }
}
