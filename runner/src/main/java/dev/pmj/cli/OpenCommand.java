package dev.pmj.cli;

import dev.pmj.api.Instance;
import dev.pmj.os.Desktop;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "open",
    mixinStandardHelpOptions = true,
    description =
        "Print the dashboard address of the running pmj, and open it in a browser when the desktop can (BROWSER names one).")
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
    // The browser gets a page of .pmj/ (0600) that sends it on: the token on a command line would
    // be seen by every user of this machine (ps, /proc/PID/cmdline).
    java.nio.file.Path page;
    try {
      page = Instance.writeOpenPage(remote.dir, remote.state);
    } catch (java.io.IOException e) {
      context.err.println(
          "pmj: no browser opened: cannot write "
              + context.loader().display(remote.dir.resolve("dashboard.html"))
              + ": "
              + e.getMessage());
      return ExitCodes.OK;
    }
    String opener = Desktop.open(page.toUri().toString(), context.env);
    if (opener != null) {
      context.err.println("pmj: opened with " + opener);
    } else {
      try {
        java.nio.file.Files.deleteIfExists(page);
      } catch (java.io.IOException e) {
        // removed when pmj ends anyway
      }
    }
    return ExitCodes.OK;
  }
}
