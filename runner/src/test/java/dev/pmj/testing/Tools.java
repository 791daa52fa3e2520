package dev.pmj.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import org.junit.jupiter.api.Assumptions;

/**
 * Programs some tests need (tmux, promtool, chromium…). Where one is missing the test is skipped,
 * except under CI ({@code CI=true}), where a missing tool fails the run: .ci/run installs them, so
 * a missing one means the install is broken, and must never pass quietly.
 */
public final class Tools {
  private Tools() {}

  /** The program's path on PATH, or null. */
  public static String find(String program) {
    if (program.contains("/")) return new File(program).canExecute() ? program : null;
    String path = System.getenv("PATH");
    if (path == null) return null;
    for (String dir : path.split(File.pathSeparator)) {
      File f = new File(dir, program);
      if (f.canExecute()) return f.getPath();
    }
    return null;
  }

  /** Skips the test (or fails it under CI) when {@code program} is not installed. */
  public static String require(String program) {
    String found = find(program);
    if (found != null) return found;
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(program + " is not installed, and CI must run every test (.ci/run installs it)");
    }
    Assumptions.abort(program + " is not installed (.ci/run installs it); skipped outside CI");
    return null;
  }
}
