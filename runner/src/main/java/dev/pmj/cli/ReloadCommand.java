package dev.pmj.cli;

import dev.pmj.supervisor.Control;
import dev.pmj.supervisor.ControlException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "reload",
    mixinStandardHelpOptions = true,
    description =
        "Read the file again and apply the difference to the running pmj: added processes start, removed ones stop, changed ones restart; a file with problems changes nothing.")
final class ReloadCommand implements Callable<Integer> {
  private final Context context;

  ReloadCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    Remote remote = Remote.connect(context, "pmj reload");
    if (remote == null) return ExitCodes.FAILURE;
    try {
      Control.Reloaded r = remote.control.reload("pmj reload");
      for (String id : r.added()) context.out.println(id + ": added");
      for (String id : r.removed()) context.out.println(id + ": removed");
      r.changed()
          .forEach(
              (id, keys) ->
                  context.out.println(id + ": changed (" + String.join(", ", keys) + ")"));
      context.out.println(
          "reloaded: "
              + r.added().size()
              + " added, "
              + r.removed().size()
              + " removed, "
              + r.changed().size()
              + " changed, "
              + r.unchanged().size()
              + " unchanged");
      return ExitCodes.OK;
    } catch (ControlException e) {
      if (e.kind() == ControlException.Kind.INVALID) {
        for (String line :
            e.details().isEmpty() ? java.util.List.of(e.getMessage()) : e.details()) {
          context.err.println(line);
        }
        context.err.println("pmj: nothing changed");
        return ExitCodes.USAGE;
      }
      Remote.unreachable(context, remote, e);
      return ExitCodes.FAILURE;
    }
  }
}
