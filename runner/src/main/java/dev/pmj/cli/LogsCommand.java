package dev.pmj.cli;

import dev.pmj.api.HttpControl;
import dev.pmj.config.Color;
import dev.pmj.output.LineFormat;
import dev.pmj.supervisor.ControlException;
import dev.pmj.supervisor.LogStore;
import dev.pmj.supervisor.ProcessInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description =
        "Print the recent output of the running pmj's processes (all of them merged in time order, with pmj's own lines, or those named, with pmj's lines about them), as pmj up shows it.")
final class LogsCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(
      paramLabel = "ID",
      arity = "0..*",
      description =
          "Processes (default: all, and pmj's own lines); with them, pmj's lines about them (exits, restarts, why one failed).")
  List<String> ids = new ArrayList<>();

  @Option(names = "--no-pmj", description = "Leave out pmj's own lines.")
  boolean noPmj;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new lines until pmj stops (Ctrl-C ends).")
  boolean follow;

  @Option(
      names = {"-n", "--lines"},
      paramLabel = "N",
      description = "Only the last N lines (default: all that pmj keeps).")
  Integer lines;

  @Option(
      names = "--since",
      paramLabel = "SEQ",
      description = "Only lines after this seq (see --json).")
  Long since;

  @Option(names = "--timestamps", description = "Start every line with the time it was read.")
  boolean timestamps;

  @Option(names = "--no-prefix", description = "Print lines without the process name.")
  boolean noPrefix;

  @Option(
      names = "--json",
      description = "One JSON object a line: {\"seq\", \"id\", \"at\", \"text\"}.")
  boolean json;

  @Option(
      names = "--color",
      paramLabel = "WHEN",
      description = "auto (default: when stdout is a terminal), always, never.")
  UpCommand.ColorMode color = UpCommand.ColorMode.auto;

  LogsCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws InterruptedException {
    // -f is also the file option of every command: here it means follow, as in tail -f.
    if (lines != null && lines < 0) {
      context.err.println("pmj: -n must be 0 or more (got " + lines + ")");
      return ExitCodes.USAGE;
    }
    if (since != null && since < 0) {
      context.err.println("pmj: --since must be 0 or more (got " + since + ")");
      return ExitCodes.USAGE;
    }
    Remote remote = Remote.connect(context, "pmj logs");
    if (remote == null) return ExitCodes.FAILURE;
    try {
      List<ProcessInfo> processes = remote.control.processes();
      if (Remote.check(context, processes, ids) == null) return ExitCodes.FAILURE;
      Map<String, Color> colors = new LinkedHashMap<>();
      // Every process, as pmj up pads its prefixes to the longest id of all.
      for (ProcessInfo p : processes) {
        colors.put(p.id(), p.color() == null ? null : Color.of(p.color()));
      }
      LineFormat format =
          new LineFormat(
              colors,
              new LineFormat.Style(UpCommand.useColor(color, context), timestamps, !noPrefix));
      LogStore.Query q =
          new LogStore.Query(
              new LinkedHashSet<>(ids),
              since == null ? 0 : since,
              lines == null ? -1 : lines,
              !noPmj);
      if (!follow) {
        for (LogStore.Line l : remote.control.logs(q)) print(format, l);
        context.out.flush();
        return ExitCodes.OK;
      }
      CountDownLatch ended = new CountDownLatch(1);
      try (AutoCloseable f =
          remote.control.followLogs(
              q,
              new LogStore.Follower() {
                @Override
                public void lines(List<LogStore.Line> batch) {
                  for (LogStore.Line l : batch) print(format, l);
                }

                @Override
                public void idle() {
                  context.out.flush();
                }

                @Override
                public void ended(boolean dropped) {
                  context.out.flush();
                  ended.countDown();
                }
              })) {
        ended.await();
      } catch (ControlException e) {
        throw e;
      } catch (Exception e) {
        // closing a stream that already ended
      }
      context.out.flush();
      context.err.println("pmj: the pmj of " + context.loader().display(remote.file) + " stopped");
      return ExitCodes.OK;
    } catch (ControlException e) {
      if (e.kind() == ControlException.Kind.UNAVAILABLE) Remote.unreachable(context, remote, e);
      else context.err.println("pmj: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
  }

  private void print(LineFormat format, LogStore.Line l) {
    context.out.println(json ? HttpControl.json(l) : format.line(l.id(), l.at(), l.text()));
  }
}
