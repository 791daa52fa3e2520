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

  static final String FILE_DESCRIPTION =
      "Ecosystem file (default: pmj.yaml, pmj.yml or pmj.json here or in a parent folder).";

  // Not inherited: Main gives every command its own -f/--file, except logs, where -f is follow.
  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = FILE_DESCRIPTION)
  void file(Path file) {
    context.file(file);
  }

  /** The -f/--file option of one command ({@code --file} alone for logs, where -f follows). */
  static picocli.CommandLine.Model.OptionSpec fileOption(Context context, boolean shortName) {
    String[] names = shortName ? new String[] {"-f", "--file"} : new String[] {"--file"};
    return picocli.CommandLine.Model.OptionSpec.builder(names)
        .paramLabel("FILE")
        .type(Path.class)
        .description(FILE_DESCRIPTION)
        .setter(
            new picocli.CommandLine.Model.ISetter() {
              @Override
              @SuppressWarnings("unchecked")
              public <T> T set(T value) {
                if (value != null) context.file((Path) value);
                return null;
              }
            })
        .build();
  }

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Show stack traces of internal errors.")
  void debug(boolean debug) {
    context.debug(debug);
  }
}
