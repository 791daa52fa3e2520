package dev.pmj.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Finding the ecosystem file and reading user files safely (size limit, strict UTF-8). */
public final class Sources {
  /** Ecosystem and env files are small; anything larger is a mistake, not a config. */
  static final int MAX_BYTES = 1 << 20;

  public static final List<String> NAMES = List.of("pmj.yaml", "pmj.yml", "pmj.json");

  /** The names of the personal file merged over the ecosystem file beside it, in order. */
  public static final List<String> OVERRIDES =
      List.of("pmj.override.yaml", "pmj.override.yml", "pmj.override.json");

  private Sources() {}

  /** The override files that may sit beside {@code file} (not {@code file} itself). */
  static List<Path> overrides(Path file) {
    List<Path> out = new java.util.ArrayList<>();
    for (String name : OVERRIDES) {
      Path o = file.resolveSibling(name);
      if (!o.equals(file)) out.add(o);
    }
    return out;
  }

  /** The first of pmj.yaml, pmj.yml, pmj.json in {@code dir} or its parents. */
  public static Optional<Path> discover(Path dir) {
    for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
      for (String name : NAMES) {
        Path candidate = d.resolve(name);
        if (Files.isRegularFile(candidate)) return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Reads a user file as UTF-8 (at most 1 MB), or reports why it cannot to {@code report} and
   * returns null.
   */
  public static String read(
      Path path, String display, java.util.function.Consumer<ConfigProblem> report) {
    Problems problems = new Problems();
    String text = read(path, display, problems);
    problems.sorted().forEach(report);
    return text;
  }

  /** Reads a user file as UTF-8, or reports why it cannot and returns null. */
  static String read(Path path, String display, Problems problems) {
    try {
      long size = Files.size(path);
      if (size > MAX_BYTES) {
        problems.add(
            display,
            null,
            "",
            String.format(
                "file is %.1f MB; pmj reads files of at most 1 MB (is this the right file?)",
                size / 1e6));
        return null;
      }
      byte[] bytes = Files.readAllBytes(path);
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      problems.add(display, null, "", "file is not UTF-8 text");
    } catch (IOException e) {
      problems.add(display, null, "", "cannot read file: " + reason(e));
    }
    return null;
  }

  static String reason(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
    if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
