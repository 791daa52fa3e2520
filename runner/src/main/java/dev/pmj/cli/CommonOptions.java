package dev.pmj.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command takes, before or after its name. */
final class CommonOptions {
  private final Context context;

  CommonOptions(Context context) {
    this.context = context;
  }

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description =
          "Ecosystem file (default: pmj.yaml, pmj.yml or pmj.json here or in a parent folder).")
  void file(Path file) {
    context.file(file);
  }

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Show stack traces of internal errors.")
  void debug(boolean debug) {
    context.debug(debug);
  }
}
