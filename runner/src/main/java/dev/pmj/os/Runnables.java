package dev.pmj.os;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before spawning, that a program can be run, so that a failed start is reported with the
 * OS's reason (the program is exec'd by a wrapper, which would only report an exit code).
 */
public final class Runnables {
  private Runnables() {}

  /**
   * Why {@code program} cannot run in {@code cwd} with {@code path} as PATH, or null if it can.
   * Used before every spawn, by pmj's children and by pmj exec alike.
   */
  public static String whyNot(String program, Path cwd, String path) {
    if (!Files.isDirectory(cwd)) return "working folder does not exist: " + cwd;
    if (program.isEmpty()) return "empty program name";
    if (program.contains("/")) {
      Path p = cwd.resolve(program);
      if (!Files.exists(p)) return program + ": no such file";
      if (Files.isDirectory(p)) return program + ": is a folder, not a program";
      if (!Files.isExecutable(p)) return program + ": permission denied (not executable)";
      return null;
    }
    if (path == null || path.isEmpty()) return program + ": not found (PATH is empty)";
    return find(program, cwd, path) == null ? program + ": command not found in PATH" : null;
  }

  /** Where a bare {@code program} is found in {@code path} (relative entries from cwd); or null. */
  public static Path find(String program, Path cwd, String path) {
    for (String dir : path.split(File.pathSeparator)) {
      Path p = (dir.isEmpty() ? cwd : cwd.resolve(dir)).resolve(program);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
    }
    return null;
  }

  /** The OS's reason from a failed {@code ProcessBuilder.start} ("error=2, No such file"). */
  public static String reason(IOException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    int i = m.indexOf("error=");
    if (i >= 0) {
      int comma = m.indexOf(", ", i);
      if (comma >= 0) return m.substring(comma + 2);
    }
    return m;
  }
}
