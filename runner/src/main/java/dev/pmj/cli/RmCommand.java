package dev.pmj.cli;

import dev.pmj.supervisor.ControlException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "rm",
    mixinStandardHelpOptions = true,
    description = "Stop processes added with pmj run and remove them.")
final class RmCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(paramLabel = "ID", arity = "1..*", description = "Processes added with pmj run.")
  List<String> ids;

  RmCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    Remote remote = Remote.connect(context, "pmj rm");
    if (remote == null) return ExitCodes.FAILURE;
    try {
      if (Remote.check(context, remote.control.processes(), ids) == null) return ExitCodes.FAILURE;
      for (String id : ids) {
        remote.control.remove(id, "pmj rm");
        context.out.println(id + ": stopping and removing");
      }
      return ExitCodes.OK;
    } catch (ControlException e) {
      if (e.kind() == ControlException.Kind.UNAVAILABLE) Remote.unreachable(context, remote, e);
      else context.err.println("pmj: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
  }
}
