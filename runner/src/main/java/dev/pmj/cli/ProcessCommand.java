package dev.pmj.cli;

import dev.pmj.supervisor.Control;
import dev.pmj.supervisor.ControlException;
import dev.pmj.supervisor.ProcessInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code pmj start|stop|restart ID...|all} on the running pmj: every id is checked first, so a typo
 * changes nothing; then each command is sent and its outcome printed, one line a process.
 */
abstract class ProcessCommand implements Callable<Integer> {
  private final Context context;
  private final String verb;

  @Parameters(paramLabel = "ID", arity = "1..*", description = "Processes (or all).")
  List<String> ids = new ArrayList<>();

  ProcessCommand(Context context, String verb) {
    this.context = context;
    this.verb = verb;
  }

  abstract Control.CommandResult send(Control control, String id, String by);

  /** What happened to one process ("restarting", "already running"); p is null for all. */
  abstract String outcome(ProcessInfo p, boolean changed);

  @Override
  public Integer call() {
    Remote remote = Remote.connect(context, "pmj " + verb);
    if (remote == null) return ExitCodes.FAILURE;
    try {
      List<String> wanted = ids.contains(Control.ALL) ? List.of(Control.ALL) : ids;
      if (!wanted.equals(List.of(Control.ALL))
          && Remote.check(context, remote.control.processes(), wanted) == null) {
        return ExitCodes.FAILURE;
      }
      for (String id : wanted) {
        Control.CommandResult r = send(remote.control, id, "pmj " + verb);
        if (id.equals(Control.ALL)) {
          context.out.println(
              "every process: "
                  + (r.changed() ? outcome(null, true) : "nothing to " + verb)
                  + " ("
                  + r.processes().size()
                  + (r.processes().size() == 1 ? " process)" : " processes)"));
        } else {
          context.out.println(id + ": " + outcome(r.processes().get(0), r.changed()));
        }
      }
      return ExitCodes.OK;
    } catch (ControlException e) {
      if (e.kind() == ControlException.Kind.UNAVAILABLE) Remote.unreachable(context, remote, e);
      else context.err.println("pmj: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Start processes of the running pmj (a running one is left as it is).")
  static final class Start extends ProcessCommand {
    Start(Context context) {
      super(context, "start");
    }

    @Override
    Control.CommandResult send(Control control, String id, String by) {
      return control.start(id, by);
    }

    @Override
    String outcome(ProcessInfo p, boolean changed) {
      return changed ? "starting" : "already " + p.state().word();
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description =
          "Stop processes of the running pmj (stopSignal, then SIGKILL after stopTimeout).")
  static final class Stop extends ProcessCommand {
    Stop(Context context) {
      super(context, "stop");
    }

    @Override
    Control.CommandResult send(Control control, String id, String by) {
      return control.stop(id, by);
    }

    @Override
    String outcome(ProcessInfo p, boolean changed) {
      return changed ? "stopping" : "already " + p.state().word();
    }
  }

  @Command(
      name = "restart",
      mixinStandardHelpOptions = true,
      description = "Restart processes of the running pmj now (not counted as failures).")
  static final class Restart extends ProcessCommand {
    Restart(Context context) {
      super(context, "restart");
    }

    @Override
    Control.CommandResult send(Control control, String id, String by) {
      return control.restart(id, by);
    }

    @Override
    String outcome(ProcessInfo p, boolean changed) {
      return "restarting";
    }
  }
}
