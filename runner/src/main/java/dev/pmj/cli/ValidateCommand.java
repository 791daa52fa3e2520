package dev.pmj.cli;

import dev.pmj.config.LoadResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Check the ecosystem file and report every problem in it.")
final class ValidateCommand implements Callable<Integer> {
  private final Context context;

  ValidateCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    LoadResult result = context.load();
    if (result == null || !result.ok()) return ExitCodes.USAGE;
    int n = result.project().processes().size();
    context.out.println(
        "ok: "
            + n
            + (n == 1 ? " process" : " processes")
            + " in "
            + context.loader().display(result.project().file()));
    return ExitCodes.OK;
  }
}
