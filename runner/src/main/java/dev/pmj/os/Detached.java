package dev.pmj.os;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A program that goes on in the background (pmj up -d): its own session (setsid on POSIX), no
 * terminal, stdin from /dev/null, stdout and stderr appended to a file. Not supervised by pmj: it
 * is pmj.
 */
public final class Detached {
  private Detached() {}

  /**
   * Starts {@code argv} detached. The process returned is the one setsid became: this JVM is its
   * parent until it ends, so it can tell whether it still runs.
   */
  public static Process start(List<String> argv, Path cwd, Map<String, String> env, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    if (!Platform.isWindows()) command.addAll(PosixProcessControl.newSessionCommand());
    command.addAll(argv);
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectInput(new File(Platform.isWindows() ? "NUL" : "/dev/null"));
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.redirectErrorStream(true);
    return pb.start();
  }

  /**
   * The command line that started this JVM, up to and without its own arguments ({@code
   * programArguments} of them at the end): the same java, options and jar or class, to start pmj
   * again.
   */
  public static Optional<List<String>> thisJvm(String[] programArguments) {
    ProcessHandle.Info info = ProcessHandle.current().info();
    Optional<String> command = info.command();
    Optional<String[]> args = info.arguments();
    int n = programArguments.length;
    if (command.isEmpty() || args.isEmpty() || args.get().length < n) return Optional.empty();
    String[] all = args.get();
    // The arguments must end with exactly the program's: else this JVM is not a plain pmj.
    for (int i = 0; i < n; i++) {
      if (!all[all.length - n + i].equals(programArguments[i])) return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    out.add(command.get());
    String[] a = args.get();
    for (int i = 0; i < a.length - n; i++) out.add(a[i]);
    return Optional.of(out);
  }
}
