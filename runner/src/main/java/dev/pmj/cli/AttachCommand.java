package dev.pmj.cli;

import dev.pmj.config.Color;
import dev.pmj.console.Console;
import dev.pmj.os.Platform;
import dev.pmj.os.TerminationSignals;
import dev.pmj.output.LineFormat;
import dev.pmj.supervisor.ControlException;
import dev.pmj.supervisor.EventStream;
import dev.pmj.supervisor.LogStore;
import dev.pmj.supervisor.ProcessEvent;
import dev.pmj.supervisor.ProcessInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "attach",
    mixinStandardHelpOptions = true,
    description =
        "The console of pmj up (footer, keys, live output) on the running pmj: q detaches and leaves it running, Q stops it.")
final class AttachCommand implements Callable<Integer> {
  /** Recent lines shown when attaching, before the live ones. */
  static final int RECENT = 100;

  private final Context context;

  @Option(names = "--color", paramLabel = "WHEN", description = "auto (default), always, never.")
  UpCommand.ColorMode color = UpCommand.ColorMode.auto;

  AttachCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    if (!context.typesAtATerminal()) {
      context.err.println(
          "pmj: attach needs a terminal (stdin and stdout, TERM not dumb); pmj logs -f follows the output anywhere");
      return ExitCodes.USAGE;
    }
    Remote remote = Remote.connect(context, "pmj attach");
    if (remote == null) return ExitCodes.FAILURE;
    List<ProcessInfo> processes;
    try {
      processes = remote.control.processes();
    } catch (ControlException e) {
      Remote.unreachable(context, remote, e);
      return ExitCodes.FAILURE;
    }
    Map<String, Color> colors = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>();
    for (ProcessInfo p : processes) {
      ids.add(p.id());
      colors.put(p.id(), p.color() == null ? null : Color.of(p.color()));
    }
    LineFormat format =
        new LineFormat(
            colors, new LineFormat.Style(UpCommand.useColor(color, context), false, true));
    EventStream local = new EventStream();
    CompletableFuture<String> end = new CompletableFuture<>();
    Console.Quit quit =
        new Console.Quit() {
          @Override
          public void quit(String why, boolean escalate) {
            end.complete(
                "detached (" + why + "); pmj runs on: pmj attach comes back, pmj down stops it");
          }

          @Override
          public void stopPmj(String why) {
            try {
              remote.control.shutdown("pmj attach, " + why);
            } catch (ControlException e) {
              end.complete("pmj could not be asked to stop: " + e.getMessage());
            }
          }
        };
    Console console =
        Console.open(
            Platform.stdinTerminalDevice(), ids, format, remote.control, local, quit, true);
    EventStream.Subscription writer =
        local.subscribe("console", console.writer(), EventStream.Delivery.LOSSLESS, 64);
    AutoCloseable events = null;
    AutoCloseable lines = null;
    try {
      TerminationSignals.install(name -> quit.quit("received SIG" + name, false));
      console.start();
      // The footer follows pmj's events; the lines (pmj's own too) come from its logs.
      events =
          remote.control.events(
              new EventStream.Subscriber() {
                @Override
                public void onEvent(ProcessEvent e) {
                  local.publish(e);
                }
              });
      lines =
          remote.control.followLogs(
              new LogStore.Query(Set.of(), 0, RECENT, true),
              new LogStore.Follower() {
                @Override
                public void lines(List<LogStore.Line> batch) {
                  for (LogStore.Line l : batch) local.publish(output(l));
                }

                @Override
                public void ended(boolean dropped) {
                  end.complete("the pmj of " + context.loader().display(remote.file) + " stopped");
                }
              });
      String why = end.get();
      close(lines);
      close(events);
      writer.closeAndDrain(2000);
      console.close();
      context.err.println("pmj: " + why);
      return ExitCodes.OK;
    } finally {
      close(lines);
      close(events);
      writer.close();
      console.close();
    }
  }

  /** A line of the pmj attached to, as output; pmj's own lines under a null id. */
  private static ProcessEvent.OutputLines output(LogStore.Line l) {
    byte[] b = l.text().getBytes(StandardCharsets.UTF_8);
    String id = LogStore.PMJ.equals(l.id()) ? null : l.id();
    return new ProcessEvent.OutputLines(id, l.at(), b, new int[] {0}, new int[] {b.length});
  }

  private static void close(AutoCloseable c) {
    if (c == null) return;
    try {
      c.close();
    } catch (Exception e) {
      // ended already
    }
  }
}
