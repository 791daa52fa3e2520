package dev.pmj.cli;

import dev.pmj.api.HttpControl;
import dev.pmj.api.Instance;
import dev.pmj.config.LoadResult;
import dev.pmj.config.ProcessSpec;
import dev.pmj.supervisor.ProcessInfo;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * For shell completion: the ids of the running pmj's processes, or (with {@code --file}, or when
 * none runs) those the file declares, one a line. Says nothing on failure. Not for users.
 */
@Command(name = "__ids", hidden = true)
final class IdsCommand implements Callable<Integer> {
  private final Context context;

  @Option(names = "--file-ids", hidden = true)
  boolean fileOnly;

  IdsCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    Optional<Path> file = context.locateFile();
    if (file.isEmpty()) return ExitCodes.FAILURE;
    if (!fileOnly) {
      Instance.Found found;
      try {
        found = Instance.find(Instance.dirOf(file.get()));
      } catch (java.io.IOException e) {
        return ExitCodes.FAILURE; // a .pmj that is not pmj's: nothing is said to completion
      }
      if (found instanceof Instance.Running running) {
        try {
          for (ProcessInfo p : new HttpControl(running.state(), "completion").processes())
            context.out.println(p.id());
          return ExitCodes.OK;
        } catch (RuntimeException e) {
          // not running: the file's ids below
        }
      }
    }
    LoadResult r = context.loader().load(context.locateFiles());
    if (!r.ok()) return ExitCodes.FAILURE;
    for (ProcessSpec p : r.project().processes()) context.out.println(p.id());
    return ExitCodes.OK;
  }
}
