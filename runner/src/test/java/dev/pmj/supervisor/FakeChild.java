package dev.pmj.supervisor;

import dev.pmj.os.Child;
import dev.pmj.os.Signal;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A child process that only the test drives: it prints what the test says, exits when the test says
 * (or when a signal it does not ignore reaches its group), with the code the test says. Its output
 * reaches its reader on the test's thread, and ends when it exits.
 */
final class FakeChild {
  final long pid;
  final List<String> argv;
  final Map<String, String> env;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private final Set<Signal> ignored = EnumSet.noneOf(Signal.class);

  /** Signals sent to its group, in order (after it exited too). */
  final List<Signal> signals = new ArrayList<>();

  private OutputReader reader;

  FakeChild(long pid, List<String> argv, Map<String, String> env) {
    this.pid = pid;
    this.argv = List.copyOf(argv);
    this.env = Map.copyOf(env);
  }

  Child child() {
    return new Child(pid, InputStream.nullInputStream(), exit);
  }

  /** It goes on running when these reach it (SIGKILL cannot be ignored). */
  FakeChild ignoring(Signal... these) {
    for (Signal s : these) if (s != Signal.KILL) ignored.add(s);
    return this;
  }

  void attach(OutputReader r) {
    reader = r;
  }

  /** It writes {@code text} to its output. */
  FakeChild print(String text) {
    if (exited()) throw new IllegalStateException(pid + " has exited");
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    if (reader != null) reader.read(b, b.length);
    return this;
  }

  /** It exits with {@code code}; its output ends first. No effect once it has exited. */
  void exit(int code) {
    if (exited()) return;
    if (reader != null) reader.end();
    exit.complete(code);
  }

  boolean exited() {
    return exit.isDone();
  }

  void signal(Signal s) {
    signals.add(s);
    if (!exited() && !ignored.contains(s)) exit(128 + s.number());
  }
}
