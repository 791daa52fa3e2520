package dev.pmj.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An env file's variables as the file writes them, without the environment pmj runs in: what an
 * export carries to the machine that runs the processes (the shell pmj runs in is not there).
 */
public final class EnvFileValues {
  private EnvFileValues() {}

  /**
   * One variable: its value as written (quotes and escapes undone), whether it was single-quoted
   * (then nothing in it is substituted), and whether it is a template pmj would substitute ({@code
   * ${NAME}} outside single quotes).
   */
  public record Value(String text, boolean literal, boolean template) {}

  /**
   * The variables of {@code file}, in its order (a name written twice keeps its last value). A line
   * pmj would refuse is left out: the file loaded, so there is none unless it changed since.
   */
  public static Map<String, Value> read(Path file) throws IOException {
    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    Map<String, Value> out = new LinkedHashMap<>();
    for (EnvFile.Line line : EnvFile.parse(text, file.toString(), new Problems())) {
      out.remove(line.key());
      out.put(
          line.key(),
          new Value(line.value(), line.literal(), !line.literal() && line.value().contains("${")));
    }
    return out;
  }
}
