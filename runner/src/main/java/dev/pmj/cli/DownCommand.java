package dev.pmj.cli;

import dev.pmj.api.Instance;
import dev.pmj.supervisor.ControlException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description =
        "Stop every process of the running pmj and pmj itself; returns when all is stopped.")
final class DownCommand implements Callable<Integer> {
  private final Context context;

  DownCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    Remote remote = Remote.connect(context, "pmj down");
    if (remote == null) return ExitCodes.FAILURE;
    try {
      remote.control.shutdown("pmj down");
    } catch (ControlException e) {
      Remote.unreachable(context, remote, e);
      return ExitCodes.FAILURE;
    }
    // pmj gives its lock back last, after every process has stopped.
    try {
      Instance.awaitRelease(remote.dir);
    } catch (java.io.IOException e) {
      context.err.println("pmj: asked pmj to stop, but cannot tell when it has: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    context.out.println("pmj: stopped " + context.loader().display(remote.file));
    return ExitCodes.OK;
  }
}
