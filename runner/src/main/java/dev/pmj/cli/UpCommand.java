package dev.pmj.cli;

import dev.pmj.config.LoadResult;
import dev.pmj.config.ProcessSpec;
import dev.pmj.config.Project;
import dev.pmj.console.Console;
import dev.pmj.os.Platform;
import dev.pmj.os.ProcessControl;
import dev.pmj.os.TerminationSignals;
import dev.pmj.output.LineFormat;
import dev.pmj.output.PlainWriter;
import dev.pmj.supervisor.EventStream;
import dev.pmj.supervisor.ProcessEvent;
import dev.pmj.supervisor.StartOrder;
import dev.pmj.supervisor.Supervisor;
import dev.pmj.watch.Change;
import dev.pmj.watch.DevWatch;
import dev.pmj.watch.OsTreeWatcher;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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

  @Override
  public Integer call() throws Exception {
    LoadResult result = context.load();
    if (result == null || !result.ok()) return ExitCodes.USAGE;
    Project project = result.project();
    List<String> names = new ArrayList<>(ids);
    names.addAll(only);
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
    boolean colors = useColor();
    List<ProcessSpec> specs =
        project.processes().stream().filter(p -> selected.contains(p.id())).toList();
    LineFormat format = new LineFormat(specs, new LineFormat.Style(colors, timestamps, !noPrefix));
    EventStream events = new EventStream();
    CompletableFuture<String> stopRequested = new CompletableFuture<>();
    try (ProcessControl control = ProcessControl.create();
        Supervisor supervisor =
            new Supervisor(
                project,
                selected,
                new Supervisor.Options(context.env, colors),
                control,
                events,
                Clock.systemUTC())) {
      AtomicInteger stops = new AtomicInteger();
      Console.Quit quit =
          (why, escalate) -> {
            if (stops.incrementAndGet() == 1) {
              stopRequested.complete(why);
            } else if (escalate) {
              events.publish(
                  new ProcessEvent.Notice(null, why + " again: killing every process now"));
              supervisor.kill();
            }
          };
      Console console = interactive() ? openConsole(specs, format, supervisor, events, quit) : null;
      EventStream.Subscription writer =
          console != null
              ? events.subscribe("console", console.writer(), EventStream.Delivery.LOSSLESS, 64)
              : events.subscribe(
                  "stdout",
                  new PlainWriter(format, context.out),
                  EventStream.Delivery.LOSSLESS,
                  64);
      try {
        // After the console: these handlers must be pmj's, whatever the terminal library did.
        TerminationSignals.install(name -> quit.quit("received SIG" + name, true));
        if (console != null) console.start();
        supervisor.up();
        DevWatch watch = startWatching(project.dir(), specs, supervisor, events);
        CompletableFuture<Object> end =
            CompletableFuture.anyOf(
                stopRequested,
                supervisor.finished(),
                exitOnFailure ? supervisor.firstFailure() : new CompletableFuture<>());
        Object why = end.get();
        int code;
        if (why instanceof Supervisor.Outcome o) {
          events.publish(new ProcessEvent.Notice(null, "every process has ended"));
          code = o.anyFailed() ? ExitCodes.FAILURE : ExitCodes.OK;
        } else if (stopRequested.isDone()) {
          events.publish(
              new ProcessEvent.Notice(null, stopRequested.get() + ", stopping every process"));
          code = ExitCodes.OK;
        } else {
          events.publish(
              new ProcessEvent.Notice(
                  null, "--exit-on-failure: " + why + "; stopping every process"));
          code = ExitCodes.FAILURE;
        }
        if (watch != null) watch.close();
        stopAll(supervisor);
        writer.closeAndDrain(5000);
        return code;
      } finally {
        writer.close();
        if (console != null) console.close();
      }
    }
  }

  /** The console when pmj's stdin and stdout are a terminal that is not dumb. */
  private boolean interactive() {
    if (noConsole || !context.stdoutIsTerminal || context.in != System.in) return false;
    String term = context.env.get("TERM");
    return term != null && !term.isEmpty() && !"dumb".equals(term) && Platform.stdinIsTerminal();
  }

  private Console openConsole(
      List<ProcessSpec> specs,
      LineFormat format,
      Supervisor supervisor,
      EventStream events,
      Console.Quit quit) {
    try {
      return Console.open(Platform.stdinTerminalDevice(), specs, format, supervisor, events, quit);
    } catch (java.io.IOException | RuntimeException e) {
      context.err.println(
          "pmj: no interactive console (" + e.getMessage() + "); plain output instead");
      return null;
    }
  }

  /** devMode: the selected processes that watch their files restart when those change. */
  private DevWatch startWatching(
      java.nio.file.Path projectDir,
      List<ProcessSpec> specs,
      Supervisor supervisor,
      EventStream events) {
    List<ProcessSpec> watched =
        specs.stream().filter(p -> p.devMode() || (dev && !p.devModeSet())).toList();
    if (watched.isEmpty()) return null;
    return DevWatch.start(
        projectDir,
        watched,
        new OsTreeWatcher(),
        new DevWatch.Sink() {
          @Override
          public void changed(Change change, String description) {
            supervisor.restartForChange(change.processId(), description);
          }

          @Override
          public void notice(String processId, String text) {
            events.publish(new ProcessEvent.Notice(processId, text));
          }
        });
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
