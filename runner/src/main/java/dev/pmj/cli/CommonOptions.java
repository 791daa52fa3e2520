package dev.pmj.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command takes, before or after its name. */
final class CommonOptions {
  private final Context context;

  CommonOptions(Context context) {
    this.context = context;
  }

  static final String FILE_DESCRIPTION =
      "Ecosystem file (default: pmj.yaml, pmj.yml or pmj.json here or in a parent folder); several merge left to right.";

  // Not inherited: Main gives every command its own -f/--file, except logs, where -f is follow.
  // Repeatable: picocli hands the setter every value given so far.
  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = FILE_DESCRIPTION)
  void file(List<Path> files) {
    context.files(this, files);
  }

  /** The -f/--file option of one command ({@code --file} alone for logs, where -f follows). */
  static picocli.CommandLine.Model.OptionSpec fileOption(Context context, boolean shortName) {
    String[] names = shortName ? new String[] {"-f", "--file"} : new String[] {"--file"};
    // picocli adds each value to what the getter gives and sets the whole list again.
    Object key = new Object();
    List<List<Path>> held = new ArrayList<>(java.util.Collections.singletonList(null));
    return picocli.CommandLine.Model.OptionSpec.builder(names)
        .paramLabel("FILE")
        .type(List.class)
        .auxiliaryTypes(Path.class)
        .arity("1")
        .description(FILE_DESCRIPTION)
        .getter(
            new picocli.CommandLine.Model.IGetter() {
              @Override
              @SuppressWarnings("unchecked")
              public <T> T get() {
                return (T) held.get(0);
              }
            })
        .setter(
            new picocli.CommandLine.Model.ISetter() {
              @Override
              @SuppressWarnings("unchecked")
              public <T> T set(T value) {
                List<Path> files = (List<Path>) value;
                held.set(0, files);
                if (files != null) context.files(key, files);
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
