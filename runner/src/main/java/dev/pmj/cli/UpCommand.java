package dev.pmj.cli;

import dev.pmj.api.ApiServer;
import dev.pmj.api.Instance;
import dev.pmj.config.LoadResult;
import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import dev.pmj.config.Selection;
import dev.pmj.console.Console;
import dev.pmj.os.Platform;
import dev.pmj.os.TerminationSignals;
import dev.pmj.output.LineFormat;
import dev.pmj.output.LogFiles;
import dev.pmj.output.PlainWriter;
import dev.pmj.supervisor.EventStream;
import dev.pmj.supervisor.LocalControl;
import dev.pmj.supervisor.ProcessEvent;
import dev.pmj.supervisor.StartOrder;
import dev.pmj.supervisor.Supervisor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description =
        "Start the processes (all autostart ones, or those named and their dependencies) and show their output.")
final class UpCommand implements java.util.concurrent.Callable<Integer> {
  enum ColorMode {
    auto,
    always,
    never
  }

  private final Context context;

  @Parameters(
      paramLabel = "ID",
      arity = "0..*",
      description = "Processes to start (with their dependencies).")
  List<String> ids = new ArrayList<>();

  @Option(
      names = "--only",
      split = ",",
      paramLabel = "ID",
      description = "Same as naming processes: --only api,web.")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description =
          "Also start the processes of this profile (repeatable; added to PMJ_PROFILES=a,b).")
  List<String> profiles = new ArrayList<>();

  @Option(
      names = "--except",
      split = ",",
      paramLabel = "ID,...",
      hideParamSyntax = true,
      description = "Leave these processes out, and those that depend on them: --except api,web.")
  List<String> except = new ArrayList<>();

  @Option(
      names = "--color",
      paramLabel = "WHEN",
      description = "auto (default: when stdout is a terminal), always, never.")
  ColorMode color = ColorMode.auto;

  @Option(names = "--timestamps", description = "Start every line with the time it was read.")
  boolean timestamps;

  @Option(names = "--no-prefix", description = "Print lines without the process name.")
  boolean noPrefix;

  @Option(
      names = "--dev",
      description =
          "devMode for every process that does not set devMode itself: restart it when its files change.")
  boolean dev;

  @Option(
      names = "--no-console",
      description = "In a terminal too: plain output, no status footer, no keys.")
  boolean noConsole;

  @Option(
      names = "--exit-on-failure",
      description = "Stop everything and exit 1 as soon as a process fails.")
  boolean exitOnFailure;

  UpCommand(Context context) {
    this.context = context;
  }

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "Serve the API and dashboard on this port of 127.0.0.1 (default: a free one).")
  Integer port;

  @Option(
      names = {"-d", "--detach"},
      description =
          "Run in the background: return once every process is up (ready, or running for 1 s) with their table, or exit 1 naming one that is not; output goes to .pmj/logs/ID.log, pmj's own lines to .pmj/pmj.log.")
  boolean detach;

  /** Set on the pmj that -d starts in the background. */
  @Option(names = "--detached", hidden = true)
  boolean detached;

  @Option(
      names = "--no-reload",
      description = "Do not reload when the file or its env files change (pmj reload still does).")
  boolean noReload;

  @Override
  public Integer call() throws Exception {
    LoadResult result = context.load();
    if (result == null || !result.ok()) return ExitCodes.USAGE;
    List<String> names = new ArrayList<>(ids);
    names.addAll(only);
    Set<String> active = new java.util.LinkedHashSet<>(Selection.fromEnvironment(context.env));
    active.addAll(profiles);
    Selection.Chosen chosen;
    try {
      chosen = new Selection(active, names, except).apply(result.project(), true);
    } catch (Selection.Refused e) {
      context.err.println("pmj: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    Project project = chosen.project();
    if (project.processes().isEmpty()) {
      context.err.println(
          except.isEmpty()
              ? "pmj: nothing to start: every process has profiles and none is active (pmj up --profile NAME)"
              : "pmj: nothing to start: --except leaves out every process");
      return ExitCodes.USAGE;
    }
    List<String> selected;
    try {
      selected = StartOrder.select(project, names);
    } catch (StartOrder.UnknownProcess e) {
      context.err.println("pmj: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (selected.isEmpty()) {
      context.err.println(
          "pmj: nothing to start: every process has autostart: false (name the ones to start: pmj up ID...)");
      return ExitCodes.USAGE;
    }
    if (port != null && (port < 1 || port > 65535)) {
      context.err.println("pmj: --port must be from 1 to 65535 (got " + port + ")");
      return ExitCodes.USAGE;
    }
    if (detach && !detached) return new Background(context).launch(project, selected);
    Instance instance;
    try {
      instance = Instance.claim(project.file());
    } catch (Instance.AlreadyRunning e) {
      context.err.println(alreadyRunning(context.loader().display(project.file()), e.state()));
      return ExitCodes.FAILURE;
    } catch (Instance.Untrusted e) {
      context.err.println(Remote.refusing(context, e));
      return ExitCodes.FAILURE;
    } catch (java.io.IOException e) {
      context.err.println(
          "pmj: cannot use " + Instance.dirOf(project.file()) + ": " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    try (instance) {
      return run(project, selected, instance, chosen.notes());
    }
  }

  /** What a second pmj up of a file says: where the first runs and how to reach it. */
  static String alreadyRunning(String file, java.util.Optional<Instance.State> state) {
    String how = "; reach it with pmj ps, pmj logs, pmj attach or pmj down";
    return state
        .map(
            s ->
                "pmj: already running "
                    + file
                    + " (pid "
                    + s.pid()
                    + ", dashboard "
                    + s.dashboard()
                    + ")"
                    + how)
        .orElse("pmj: another pmj is starting or running " + file + how);
  }

  private int run(Project project, List<String> selected, Instance instance, List<String> notes)
      throws Exception {
    boolean colors = !detached && useColor();
    // Every process is supervised, so that one not started now can be started later (a key, the
    // API); the selected ones start.
    List<ProcessSpec> specs = project.processes();
    List<String> all = specs.stream().map(ProcessSpec::id).toList();
    // In the background pmj.log gets the time of each line.
    LineFormat format =
        new LineFormat(specs, new LineFormat.Style(colors, timestamps || detached, !noPrefix));
    CompletableFuture<String> stopRequested = new CompletableFuture<>();
    try (Session session = new Session(project, all, new Supervisor.Options(context.env, colors))) {
      EventStream events = session.events;
      Supervisor supervisor = session.supervisor;
      StopRequests stops = new StopRequests(Clock.systemUTC());
      java.util.function.BiConsumer<String, StopRequests.Kind> stop =
          (why, kind) -> {
            switch (stops.request(kind)) {
              case STOP -> stopRequested.complete(why);
              case SAME -> {}
              case KILL -> {
                events.publish(
                    new ProcessEvent.Notice(null, why + " again: killing every process now"));
                supervisor.kill();
              }
            }
          };
      Console.Quit quit =
          (why, escalate) ->
              stop.accept(why, escalate ? StopRequests.Kind.CTRL_C : StopRequests.Kind.QUIET);
      // The watches come before the control they reload through: a file changes only once they
      // follow the project, after the control is made.
      Watches watches =
          session.own(
              new Watches(
                  supervisor,
                  events,
                  dev,
                  noReload
                      ? null
                      : (file, created) ->
                          reload(
                              session.control(),
                              (created ? "created: " : "changed: ")
                                  + context.loader().display(file)),
                  Platform.outputFiles()));
      LocalControl local =
          session.control(
              context.loader(),
              watches::watches,
              PmjCommand.version(),
              by -> quit.quit("shutdown requested (" + by + ")", false),
              id -> format.color(id).word());
      ApiServer api = port != null ? serve(session, port) : null;
      if (port != null && api == null) return ExitCodes.FAILURE;
      Console console =
          interactive() ? openConsole(session, all, format, local, events, quit) : null;
      java.util.concurrent.atomic.AtomicBoolean stdoutGone =
          new java.util.concurrent.atomic.AtomicBoolean();
      // In the background pmj's own lines go to .pmj/pmj.log, and the processes' output to files.
      EventStream.Subscription writer =
          console != null
              ? session.subscribe(
                  "console", console.writer(), EventStream.Delivery.LOSSLESS, 64, true)
              : session.subscribe(
                  "stdout",
                  new PlainWriter(
                      format,
                      context.out,
                      () -> {
                        stdoutGone.set(true);
                        quit.quit("stdout was closed", false);
                      }),
                  EventStream.Delivery.LOSSLESS,
                  64,
                  !detached);
      LogFiles logFiles =
          session.own(
              new LogFiles(
                  specs,
                  supervisor::spec,
                  (id, text) -> events.publish(new ProcessEvent.Notice(id, text)),
                  detached ? instance.dir().resolve("logs") : null));
      EventStream.Subscription files =
          session.subscribe("log-files", logFiles, EventStream.Delivery.LOSSLESS, 64, true);
      // After the console: these handlers must be pmj's, whatever the terminal library did.
      TerminationSignals.install(
          name -> stop.accept("received SIG" + name, StopRequests.Kind.SIGNAL));
      if (console != null) console.start();
      for (String note : notes) events.publish(new ProcessEvent.Notice(null, note));
      supervisor.up(selected);
      // The API comes after the processes are started: it must not delay them.
      if (api == null) api = serve(session, 0);
      if (api != null) publish(instance, api, project, local, events);
      Set<String> running = new java.util.HashSet<>(selected);
      watches.follow(project, running);
      local.onReloadRefused(
          problems -> {
            List<java.nio.file.Path> missing = new ArrayList<>();
            for (dev.pmj.config.ConfigProblem p : problems)
              if (p.missingEnvFile() != null) missing.add(p.missingEnvFile());
            if (!missing.isEmpty()) watches.awaitCreated(missing);
          });
      local.onReload(
          next -> {
            for (ProcessSpec p : next.processes()) if (p.autostart()) running.add(p.id());
            watches.follow(next, running);
          });
      int code = awaitEnd(supervisor, events, stopRequested);
      // The views stay open while the processes stop, but no file change restarts one now.
      watches.close();
      stopAll(supervisor);
      writer.closeAndDrain(5000);
      files.closeAndDrain(5000);
      if (stdoutGone.get()) {
        context.err.println("pmj: stdout was closed; every process was stopped");
        code = ExitCodes.FAILURE;
      }
      return code;
    }
  }

  /**
   * Waits until pmj is asked to stop, every process has ended or (--exit-on-failure) one failed;
   * says which, and returns the exit code it makes.
   */
  private int awaitEnd(
      Supervisor supervisor, EventStream events, CompletableFuture<String> stopRequested)
      throws InterruptedException, ExecutionException {
    Object why =
        CompletableFuture.anyOf(
                stopRequested,
                supervisor.finished(),
                exitOnFailure ? supervisor.firstFailure() : new CompletableFuture<>())
            .get();
    if (why instanceof Supervisor.Outcome o) {
      events.publish(new ProcessEvent.Notice(null, "every process has ended"));
      return o.anyFailed() ? ExitCodes.FAILURE : ExitCodes.OK;
    } else if (stopRequested.isDone()) {
      events.publish(
          new ProcessEvent.Notice(null, stopRequested.get() + ", stopping every process"));
      return ExitCodes.OK;
    }
    events.publish(
        new ProcessEvent.Notice(null, "--exit-on-failure: " + why + "; stopping every process"));
    return ExitCodes.FAILURE;
  }

  /** Reloads the file; its problems, if any, were already said by the control. */
  private static void reload(LocalControl control, String by) {
    try {
      control.reload(by);
    } catch (dev.pmj.supervisor.ControlException e) {
      // said in pmj's lines; nothing changed
    }
  }

  /** Serves the API; null (after saying why) when it cannot. */
  private ApiServer serve(Session session, int port) {
    try {
      return session.serve(
          port, text -> session.events.publish(new ProcessEvent.Notice(null, text)));
    } catch (java.io.IOException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      if (port != 0) {
        context.err.println("pmj: cannot serve the API on 127.0.0.1:" + port + ": " + why);
      } else {
        context.err.println(
            "pmj: no API (" + why + "); pmj ps and the dashboard cannot reach this run");
      }
      return null;
    }
  }

  /** Tells clients where the API is (.pmj/state.json) and people where the dashboard is. */
  private void publish(
      Instance instance, ApiServer api, Project project, LocalControl local, EventStream events) {
    local.dashboard(api::dashboard);
    try {
      instance.publish(
          new Instance.State(
              ProcessHandle.current().pid(),
              api.port(),
              api.token(),
              project.file().toString(),
              PmjCommand.version(),
              local.project().startedAt()));
    } catch (java.io.IOException e) {
      events.publish(
          new ProcessEvent.Notice(
              null,
              "cannot write " + instance.dir().resolve("state.json") + ": " + e.getMessage()));
    }
    events.publish(new ProcessEvent.Notice(null, "dashboard: " + api.dashboard()));
  }

  /** The console when pmj's stdin and stdout are a terminal that is not dumb. */
  private boolean interactive() {
    if (noConsole || !context.stdoutIsTerminal || context.in != System.in) return false;
    String term = context.env.get("TERM");
    return term != null && !term.isEmpty() && !"dumb".equals(term) && Platform.stdinIsTerminal();
  }

  private Console openConsole(
      Session session,
      List<String> ids,
      LineFormat format,
      LocalControl control,
      EventStream events,
      Console.Quit quit) {
    try {
      return session.own(
          Console.open(Platform.stdinTerminalDevice(), ids, format, control, events, quit));
    } catch (java.io.IOException | RuntimeException e) {
      context.err.println(
          "pmj: no interactive console (" + e.getMessage() + "); plain output instead");
      return null;
    }
  }

  private void stopAll(Supervisor supervisor) throws InterruptedException, ExecutionException {
    try {
      // stopTimeout is enforced per process; this only guards against a stop that never ends.
      supervisor.shutdown().get(5, TimeUnit.MINUTES);
    } catch (TimeoutException e) {
      supervisor.kill();
    }
  }

  private boolean useColor() {
    return useColor(color, context);
  }

  /** Whether to show colors: auto means when stdout is a terminal, unless NO_COLOR or TERM=dumb. */
  static boolean useColor(ColorMode color, Context context) {
    switch (color) {
      case always:
        return true;
      case never:
        return false;
      default:
        String noColor = context.env.get("NO_COLOR");
        if (noColor != null && !noColor.isEmpty()) return false;
        if ("dumb".equals(context.env.get("TERM"))) return false;
        return context.stdoutIsTerminal;
    }
  }
}
