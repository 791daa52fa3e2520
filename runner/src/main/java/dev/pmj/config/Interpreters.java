package dev.pmj.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Chooses the program that runs a script (README, "The file"). */
final class Interpreters {
  /**
   * The interpreter's argv prefix (empty to execute the script directly) and its name for display.
   */
  record Choice(List<String> argv, String name) {}

  /** Thrown when no interpreter can be found; the message is for the user. */
  static final class NotFound extends Exception {
    NotFound(String message) {
      super(message, null, false, false);
    }
  }

  private final boolean windows;

  Interpreters(boolean windows) {
    this.windows = windows;
  }

  Choice choose(String interpreter, Path script, Path cwd, Path projectDir) throws NotFound {
    if ("none".equals(interpreter)) return new Choice(List.of(), "none");
    if (!"auto".equals(interpreter)) {
      List<String> words;
      try {
        words = new ArrayList<>(Words.split(interpreter));
      } catch (Words.UnclosedQuote e) {
        throw new NotFound("interpreter: " + e.getMessage());
      }
      if (words.isEmpty()) throw new NotFound("interpreter is empty; use auto, none or a program");
      String program = words.get(0);
      if (program.contains("/") || program.contains("\\")) {
        words.set(0, cwd.resolve(program).normalize().toString());
      }
      return new Choice(words, String.join(" ", words));
    }
    String name = script.getFileName().toString().toLowerCase(Locale.ROOT);
    String ext = name.lastIndexOf('.') < 0 ? "" : name.substring(name.lastIndexOf('.'));
    switch (ext) {
      case ".py":
        return single(python(cwd, projectDir));
      case ".js":
      case ".mjs":
      case ".cjs":
        return single("node");
      case ".ts":
      case ".mts":
      case ".cts":
        return single(typescript(cwd, projectDir, script));
      case ".sh":
        return single("sh");
      default:
        return new Choice(List.of(), "none");
    }
  }

  private static Choice single(String program) {
    return new Choice(List.of(program), program);
  }

  private String python(Path cwd, Path projectDir) {
    for (Path base : cwd.equals(projectDir) ? List.of(cwd) : List.of(cwd, projectDir)) {
      for (String venv : List.of(".venv", "venv")) {
        for (String rel : List.of("bin/python", "Scripts/python.exe")) {
          Path candidate = base.resolve(venv).resolve(rel);
          if (Files.isRegularFile(candidate)) return candidate.toString();
        }
      }
    }
    return windows ? "python" : "python3";
  }

  private static String typescript(Path cwd, Path projectDir, Path script) throws NotFound {
    for (Path base : cwd.equals(projectDir) ? List.of(cwd) : List.of(cwd, projectDir)) {
      for (String runner : List.of("tsx", "ts-node")) {
        Path candidate = base.resolve("node_modules/.bin").resolve(runner);
        if (Files.isRegularFile(candidate)) return candidate.toString();
      }
    }
    throw new NotFound(
        "no TypeScript runner for "
            + script.getFileName()
            + ": install one (npm install --save-dev tsx) so that node_modules/.bin/tsx or ts-node exists, or set interpreter");
  }
}
