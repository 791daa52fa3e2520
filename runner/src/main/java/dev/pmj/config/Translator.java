package dev.pmj.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads another runner's file (a Procfile, a PM2 ecosystem file, process-compose.yaml…) as the
 * pmj.yaml it becomes, so that {@code pmj up -f Procfile} runs it as it is.
 */
public interface Translator {
  /**
   * The pmj.yaml text {@code text} (the content of {@code file}) becomes, or null when it is pmj's
   * own file.
   */
  Translation translate(Path file, String text);

  /**
   * What a file became: its kind ("a Procfile"), the pmj.yaml text, what could not be carried over
   * (warnings), and why it could not be read at all (problems).
   */
  record Translation(
      String kind, String yaml, List<String> warnings, List<ConfigProblem> problems) {
    public Translation {
      warnings = List.copyOf(warnings);
      problems = List.copyOf(problems);
    }
  }
}
