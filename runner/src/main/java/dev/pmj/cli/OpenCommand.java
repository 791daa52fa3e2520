package dev.pmj.cli;

import dev.pmj.os.Desktop;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "open",
    mixinStandardHelpOptions = true,
    description =
        "Print the dashboard address of the running pmj, and open it in a browser when the desktop can.")
final class OpenCommand implements Callable<Integer> {
  private final Context context;

  OpenCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    Remote remote = Remote.connect(context, "pmj open");
    if (remote == null) return ExitCodes.FAILURE;
    String url = remote.state.dashboard();
    try {
      remote.control.project(); // a state file left by a killed pmj is not an address to open
    } catch (dev.pmj.supervisor.ControlException e) {
      Remote.unreachable(context, remote, e);
      return ExitCodes.FAILURE;
    }
    context.out.println(url);
    String opener = Desktop.open(url, context.env);
    if (opener != null) context.err.println("pmj: opened with " + opener);
    return ExitCodes.OK;
  }
}
