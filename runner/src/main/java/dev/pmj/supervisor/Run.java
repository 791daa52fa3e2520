package dev.pmj.supervisor;

import dev.pmj.config.Readiness;
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
import java.util.concurrent.TimeUnit;

/**
 * One run of the OS process, and the data that exists only while it runs: its output, its probe and
 * stop timers, the processes that left its group, the daemon it started. A run does the I/O and
 * reports to its {@link ProcessSupervisor}, which decides; both run on the process's mailbox,
 * except where a method says otherwise. Every message checks it is still about the current run.
 */
final class Run {
  /** How long to wait for the rest of the output after the process exited. */
  private static final long OUTPUT_GRACE_MS = 1000;

  /** How often pmj looks whether a daemon (daemon: true) still runs. */
  private static final Duration DAEMON_POLL = Duration.ofSeconds(1);

  private final ProcessSupervisor owner;
  private final Services rt;
  private final Mailbox mailbox;
  final Child child;
  final Instant startedAt;
  private OutputReader reader;
  private Timers.Cancellable killTimer;
  private Timers.Cancellable probeTimer;

  /**
   * The ready line was seen (written on the mailbox): the reader stops looking. A batch or two may
   * still be looked at meanwhile; {@link ProcessSupervisor#ready} moves once.
   */
  private volatile boolean sawReadyLine;

  /** The process pmj started has exited (a daemon it started may live on); read by kill(). */
  volatile boolean mainExited;

  /** When the stop signal was sent: SIGKILL is due stopTimeout later, for escaped ones too. */
  private Instant signalledAt;

  /** The stopCommand while it runs: a stop that ends without it ends it. */
  private Child stopCommand;

  /** daemon: true where pmj cannot find the daemon: the run fails instead of restarting. */
  boolean daemonUnfollowable;

  /** daemon: true, after the program exited 0: the daemon's processes; null before. */
  List<Marked> daemons;

  private Timers.Cancellable daemonTimer;

  /** stopCommand ran: the stop signal follows after stopTimeout. */
  private Timers.Cancellable signalTimer;

  /** The run is ending: escaped processes are being stopped and the last output read. */
  private boolean ending;

  /** Processes that had left the group and were sent the stop signal with it. */
  private final List<Marked> escapes = new ArrayList<>();

  /** How the run ended, where the exit code does not say it; null to describe the code. */
  String ended;

  Run(ProcessSupervisor owner, Services rt, Mailbox mailbox, Child child, Instant startedAt) {
    this.owner = owner;
    this.rt = rt;
    this.mailbox = mailbox;
    this.child = child;
    this.startedAt = startedAt;
  }

  private Settings settings() {
    return owner.settings();
  }

  private String id() {
    return owner.id();
  }

  /** Reads its output, hears its exit and probes its readiness; {@code env} is the run's. */
  void follow(Map<String, String> env) {
    reader =
        new OutputReader(
            id(),
            child,
            rt.output(),
            rt.events(),
            rt.clock(),
            rt.timers(),
            this::onLines,
            child.terminal() == null ? null : owner.terminalRing());
    boolean daemon = settings().daemon();
    child
        .exit()
        .whenComplete(
            (code, error) -> {
              int c = code == null ? -1 : code;
              // Anything left in its group goes with it; a grandchild must not hold the pipe open.
              // A daemon's starter that exited 0 leaves the daemon: it may still be in the group.
              boolean killGroup = !(daemon && c == 0);
              if (killGroup) rt.control().signalGroup(child.pid(), Signal.KILL);
              mailbox.execute(() -> onMainExit(c, killGroup));
            });
    Readiness readiness = settings().readiness();
    if (readiness != null && !(readiness instanceof Readiness.LogLine)) {
      // A probe is pmj's, not one of the process's own: it does not carry the marker.
      Map<String, String> probeEnv = new java.util.HashMap<>(env);
      probeEnv.remove(ProcessControl.MARKER);
      probe(Duration.ZERO, probeEnv);
    }
  }

  private void probe(Duration delay, Map<String, String> env) {
    probeTimer =
        rt.timers()
            .schedule(
                delay,
                () ->
                    rt.probes()
                        .check(settings().readiness(), settings().cwd(), env)
                        .thenAccept(
                            ok ->
                                mailbox.execute(
                                    () -> {
                                      if (!owner.isCurrent(this)
                                          || owner.state() != ProcessState.RUNNING) return;
                                      if (ok)
                                        owner.ready(
                                            this,
                                            probeName(settings().readiness()) + " probe passed");
                                      else probe(settings().readiness().interval(), env);
                                    })));
  }

  private static String probeName(Readiness r) {
    if (r instanceof Readiness.Http) return "http";
    if (r instanceof Readiness.Tcp) return "tcp";
    return "exec";
  }

  /** Runs on the output reader's thread: only reads, and tells the mailbox. */
  private void onLines(ProcessEvent.OutputLines lines) {
    if (!(settings().readiness() instanceof Readiness.LogLine l) || sawReadyLine) return;
    for (int i = 0; i < lines.count(); i++) {
      if (l.pattern().matcher(lines.line(i)).find()) {
        mailbox.execute(
            () -> {
              sawReadyLine = true;
              owner.ready(this, "log line matched");
            });
        return;
      }
    }
  }

  // ---- stopping ----

  /**
   * Runs the process's stopCommand (with its cwd and env, its output shown as the process's); the
   * stop signal follows after stopTimeout if the process is still there.
   */
  void runStopCommand() {
    Settings s = settings();
    Map<String, String> env = rt.environmentFor(s.env());
    // Not marked: it is not one of the process's own, and it ends by itself.
    env.remove(ProcessControl.MARKER);
    try {
      Child c = rt.control().start(s.stopCommand(), s.cwd(), env);
      stopCommand = c;
      new OutputReader(id(), c, rt.output(), rt.events(), rt.clock(), rt.timers(), lines -> {});
      c.exit()
          .whenComplete(
              (code, e) -> {
                rt.control().signalGroup(c.pid(), Signal.KILL);
                rt.control().forget(c.pid());
                if (code != null && code != 0) {
                  owner.notice("stopCommand " + Signal.describeExit(code));
                }
              });
    } catch (StartException e) {
      owner.notice(
          "cannot run stopCommand: " + e.getMessage() + "; sending SIG" + s.stopSignal().name());
      sendStopSignal();
      return;
    }
    signalTimer =
        rt.timers()
            .schedule(
                s.stopTimeout(),
                () ->
                    mailbox.execute(
                        () -> {
                          if (owner.isCurrent(this)
                              && owner.state() == ProcessState.STOPPING
                              && !ending) {
                            owner.notice(
                                "still running "
                                    + settings().stopTimeout().toMillis() / 1000.0
                                    + "s after stopCommand; sending SIG"
                                    + settings().stopSignal().name());
                            sendStopSignal();
                          }
                        }));
  }

  /**
   * The stop signal to the group, and to the processes that left it; SIGKILL follows after
   * stopTimeout. A daemon (its starter gone) is stopped through its marked processes alone.
   */
  void sendStopSignal() {
    signalledAt = rt.clock().instant();
    if (mainExited) {
      end(0, false);
      return;
    }
    long group = child.pid();
    Signal sig = settings().stopSignal();
    rt.control().signalGroup(group, sig);
    rt.control()
        .marked()
        .thenAccept(
            all ->
                mailbox.execute(
                    () -> {
                      for (Marked m : Sweep.of(all, id())) {
                        if (m.pgid() == group) continue;
                        rt.control().signal(m, sig);
                        escapes.add(m);
                      }
                    }));
    killTimer =
        rt.timers()
            .schedule(
                settings().stopTimeout(),
                () ->
                    mailbox.execute(
                        () -> {
                          // Once the leader is gone its group number may be another's.
                          if (owner.isCurrent(this)
                              && owner.state() == ProcessState.STOPPING
                              && !mainExited) {
                            owner.notice(
                                "still running "
                                    + settings().stopTimeout().toMillis() / 1000.0
                                    + "s after SIG"
                                    + settings().stopSignal().name()
                                    + "; sending SIGKILL");
                            rt.control().signalGroup(child.pid(), Signal.KILL);
                          }
                        }));
  }

  /** SIGKILL to the whole group now, bypassing the mailbox (any thread: the second Ctrl-C). */
  void kill() {
    if (!mainExited) rt.control().signalGroup(child.pid(), Signal.KILL);
  }

  // ---- ending ----

  /** The process pmj started has exited. */
  private void onMainExit(int code, boolean groupKilled) {
    if (!owner.isCurrent(this)) return;
    mainExited = true;
    boolean stopping = owner.state() == ProcessState.STOPPING;
    if (settings().daemon() && code == 0 && !stopping && !rt.control().findsMarked()) {
      // Restarting would start another daemon beside the one that runs, at every backoff.
      daemonUnfollowable = true;
      end(code, false);
      return;
    }
    if (settings().daemon() && code == 0 && !stopping) {
      rt.control()
          .marked()
          .whenComplete(
              (all, e) ->
                  mailbox.execute(
                      () -> daemonStarted(all == null ? List.of() : Sweep.of(all, id()))));
      return;
    }
    end(code, groupKilled);
  }

  /** daemon: true, and the program exited 0: the run goes on while its daemon lives. */
  private void daemonStarted(List<Marked> found) {
    if (!owner.isCurrent(this) || ending) return;
    if (owner.state() == ProcessState.STOPPING) {
      end(0, false);
      return;
    }
    if (found.isEmpty()) {
      ended = "exited with code 0 and left no daemon running";
      end(0, false);
      return;
    }
    daemons = found;
    followDaemon(found);
  }

  /** Shows the oldest of the daemon's processes as the process, and looks again later. */
  private void followDaemon(List<Marked> found) {
    Marked oldest =
        found.stream()
            .min(Comparator.comparingLong(Marked::startTicks).thenComparingLong(Marked::pid))
            .orElseThrow();
    owner.showDaemon(oldest);
    daemonTimer =
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
                                      if (!owner.isCurrent(this) || ending) return;
                                      if (all == null) {
                                        followDaemon(daemons);
                                        return;
                                      }
                                      List<Marked> now = Sweep.of(all, id());
                                      if (!now.isEmpty()) {
                                        followDaemon(now);
                                        return;
                                      }
                                      boolean stopping = owner.state() == ProcessState.STOPPING;
                                      if (!stopping)
                                        ended = "its daemon ended (pid " + oldest + ")";
                                      // A daemon that ends by itself is a failure.
                                      end(stopping ? 0 : 1, false);
                                    })));
  }

  /**
   * Ends the run: the processes that carry its marker are stopped (those that left the group when
   * the group was killed), the rest of the output is read, then the owner hears the exit.
   */
  private void end(int code, boolean groupKilled) {
    if (ending) return;
    ending = true;
    cancel(daemonTimer);
    cancel(signalTimer);
    boolean byItself = owner.state() != ProcessState.STOPPING;
    long group = child.pid();
    boolean daemon = daemons != null;
    if (stopCommand != null && !stopCommand.exit().isDone()) {
      rt.control().signalGroup(stopCommand.pid(), Signal.KILL);
    }
    Settings s = settings();
    Instant killAt =
        (signalledAt != null ? signalledAt : rt.clock().instant()).plus(s.stopTimeout());
    Sweep.stop(rt, id(), m -> !groupKilled || m.pgid() != group, s.stopSignal(), killAt)
        .thenAccept(
            stopped ->
                mailbox.execute(
                    () -> {
                      // Those sent the stop signal with the group may be gone already.
                      List<Marked> all = new ArrayList<>(escapes);
                      for (Marked m : stopped) if (!all.contains(m)) all.add(m);
                      if (!all.isEmpty() && !daemon) owner.notice(escaped(all, byItself));
                    }))
        .thenCompose(
            v -> reader.done().completeOnTimeout(null, OUTPUT_GRACE_MS, TimeUnit.MILLISECONDS))
        .whenComplete((v, e) -> mailbox.execute(() -> owner.onExit(this, code)));
  }

  /** The run is over: no timer of it fires any more, and pmj no longer watches its group. */
  void close() {
    if (child.terminal() != null) child.terminal().close();
    cancel(killTimer);
    cancel(probeTimer);
    cancel(signalTimer);
    cancel(daemonTimer);
    rt.control().forget(child.pid());
  }

  private static void cancel(Timers.Cancellable t) {
    if (t != null) t.cancel();
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
}
