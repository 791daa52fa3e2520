package dev.pmj.testing;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** pmj commands run in this JVM as a user types them, with what they printed. */
public final class Cli {
  private Cli() {}

  /** What one command did. */
  public record Run(int code, String out, String err) {}

  public static Run run(Path cwd, String... args) {
    return run(cwd, Map.of(), args);
  }

  public static Run run(Path cwd, Map<String, String> extraEnv, String... args) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("NO_COLOR");
    env.putAll(extraEnv);
    return runWithOnly(cwd, env, args);
  }

  /** A command that sees {@code env} as its whole environment (nothing of this JVM's). */
  public static Run runWithOnly(Path cwd, Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      Class<?> main = Class.forName("dev.pmj.cli.Main");
      Constructor<?> c =
          main.getConstructor(
              PrintStream.class, PrintStream.class, InputStream.class, Map.class, Path.class);
      Object m =
          c.newInstance(
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              InputStream.nullInputStream(),
              env,
              cwd);
      int code = (int) main.getMethod("run", String[].class).invoke(m, (Object) args);
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The pid column of process {@code id} in a {@code pmj ps} table; fails when it has none. */
  public static long pidOf(String id, String psTable) {
    long pid = pidOrNone(id, psTable);
    if (pid < 0) throw new AssertionError("no pid for " + id + " in\n" + psTable);
    return pid;
  }

  /** The same, or -1 while the process has no pid (starting, stopped). */
  public static long pidOrNone(String id, String psTable) {
    for (String line : psTable.split("\n")) {
      String[] cells = line.trim().split(" +");
      if (cells[0].equals(id)) return cells[2].matches("[0-9]+") ? Long.parseLong(cells[2]) : -1;
    }
    throw new AssertionError("no " + id + " in\n" + psTable);
  }
}
